/**
 * Facts of the real models as TFLite itself reports them (../shared/tools/tflite-ref prints tensor ids, names,
 * dtypes, shapes, quantization and the op histogram; its output is the source of these values). Shared by the
 * reader tests and the `embedlite inspect` tests.
 */
import path from 'node:path';
import { TensorType } from '../../schema/enums.js';
import { MODELS, repoRoot, type ModelName } from '../helpers/models.js';

export interface IoFact { index: number; name: string; type: TensorType; shape: number[]; scale?: number; zeroPoint?: number; signature?: number[] }
export interface Facts {
  bytes: number;
  inputs: IoFact[];
  outputs: IoFact[];
  ops: Record<string, number>;
  versions?: Record<string, number>;
  metadata: string[];
  tensors?: number;
}

const F32 = TensorType.FLOAT32;
const MOBILENET_OPS = { CONV_2D: 15, DEPTHWISE_CONV_2D: 13, AVERAGE_POOL_2D: 1, SOFTMAX: 1 };
const mobilenetQuantIo = {
  inputs: [{ index: 88, name: 'input', type: TensorType.UINT8, shape: [1, 224, 224, 3], scale: 0.0078125, zeroPoint: 128 }],
  outputs: [{ index: 87, name: 'MobilenetV1/Predictions/Reshape_1', type: TensorType.UINT8, shape: [1, 1001], scale: 0.00390625, zeroPoint: 0 }],
};
const mobilenetFloatIo = {
  inputs: [{ index: 87, name: 'input', type: F32, shape: [1, 224, 224, 3] }],
  outputs: [{ index: 86, name: 'MobilenetV1/Predictions/Reshape_1', type: F32, shape: [1, 1001] }],
};
const SELFIE_OPS = {
  DEQUANTIZE: 110, CONV_2D: 43, RELU: 22, ADD: 14, HARD_SWISH: 11, DEPTHWISE_CONV_2D: 11, LOGISTIC: 11, MUL: 10, RESIZE_BILINEAR: 3,
};
const handOutputs = (ids: number[]): IoFact[] => [
  { index: ids[0]!, name: 'Identity', type: F32, shape: [1, 63] },
  { index: ids[1]!, name: 'Identity_1', type: F32, shape: [1, 1] },
  { index: ids[2]!, name: 'Identity_2', type: F32, shape: [1, 1] },
  { index: ids[3]!, name: 'Identity_3', type: F32, shape: [1, 63] },
];

const SELFIE_LANDSCAPE = path.join(repoRoot, 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite');

export const FACTS: Record<ModelName | 'selfieLandscape', Facts> = {
  mobilenetQuant: { bytes: 508786, ...mobilenetQuantIo, ops: { ...MOBILENET_OPS, RESHAPE: 1 }, metadata: ['TFLITE_METADATA'], tensors: 89 },
  mobilenetQuantNoMetadata: { bytes: 508090, ...mobilenetQuantIo, ops: { ...MOBILENET_OPS, RESHAPE: 1 }, metadata: ['TFLITE_METADATA'], tensors: 89 },
  mobilenetFloat: { bytes: 1882904, ...mobilenetFloatIo, ops: { ...MOBILENET_OPS, SQUEEZE: 1 }, metadata: [] },
  mobilenetFloatMetadata: { bytes: 1894378, ...mobilenetFloatIo, ops: { ...MOBILENET_OPS, SQUEEZE: 1 }, metadata: ['TFLITE_METADATA'] },
  mobilenetV2Int8: {
    bytes: 3980776,
    inputs: [{ index: 12, name: 'input.5', type: TensorType.INT8, shape: [1, 3, 224, 224], scale: 0.018631115555763245, zeroPoint: -14 }],
    outputs: [{ index: 45, name: 'Xq.1', type: TensorType.INT8, shape: [1, 1000], scale: 0.11373531818389893, zeroPoint: -24 }],
    ops: { CONV_2D: 35, PAD: 18, DEPTHWISE_CONV_2D: 17, ADD: 10, TRANSPOSE: 1, MEAN: 1, RESHAPE: 1, FULLY_CONNECTED: 1 },
    // PROVENANCE.md: CONV_2D (v3), DEPTHWISE_CONV_2D (v3), FULLY_CONNECTED (v4)
    versions: { CONV_2D: 3, DEPTHWISE_CONV_2D: 3, FULLY_CONNECTED: 4 },
    metadata: [], tensors: 212,
  },
  dilatedConv: {
    bytes: 9282,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 1, 1, 3], signature: [-1, -1, -1, 3] }],
    outputs: [{ index: 39, name: 'Identity', type: F32, shape: [1, 1, 1, 16], signature: [-1, -1, -1, 16] }],
    ops: { STRIDED_SLICE: 8, PACK: 7, ADD: 3, FLOOR_MOD: 2, SHAPE: 1, SUB: 1, SPACE_TO_BATCH_ND: 1, CONV_2D: 1, BATCH_TO_SPACE_ND: 1 },
    metadata: ['min_runtime_version', 'TFLITE_METADATA'], tensors: 40,
  },
  selfiePatched: {
    bytes: 248528,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 256, 256, 3] }],
    outputs: [{ index: 249, name: 'activation_10', type: F32, shape: [1, 256, 256, 1] }],
    ops: { ...SELFIE_OPS, AVERAGE_POOL_2D: 10, TRANSPOSE_CONV: 1 }, versions: { TRANSPOSE_CONV: 3 }, metadata: [],
  },
  selfie: {
    bytes: 249024,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 256, 256, 3] }],
    outputs: [{ index: 249, name: 'activation_10', type: F32, shape: [1, 256, 256, 1] }],
    ops: { ...SELFIE_OPS, AVERAGE_POOL_2D: 10, Convolution2DTransposeBias: 1 }, metadata: [], tensors: 360,
  },
  // TFLite cannot create an interpreter for the landscape model (custom op), so its I/O facts are checked
  // against the official-runtime cross-check reader only.
  selfieLandscape: {
    bytes: 249792,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 144, 256, 3] }],
    outputs: [{ index: 259, name: 'segment_back', type: F32, shape: [1, 144, 256, 1] }],
    ops: { ...SELFIE_OPS, MEAN: 10, Convolution2DTransposeBias: 1 }, metadata: [],
  },
  faceShort: {
    bytes: 229032,
    inputs: [{ index: 0, name: 'input', type: F32, shape: [1, 128, 128, 3] }],
    outputs: [
      { index: 175, name: 'regressors', type: F32, shape: [1, 896, 16] },
      { index: 174, name: 'classificators', type: F32, shape: [1, 896, 1] },
    ],
    ops: { DEQUANTIZE: 74, CONV_2D: 21, RELU: 17, DEPTHWISE_CONV_2D: 16, ADD: 16, PAD: 11, RESHAPE: 4, MAX_POOL_2D: 3, CONCATENATION: 2 },
    metadata: [],
  },
  faceFull: {
    bytes: 1083984,
    inputs: [{ index: 0, name: 'input', type: F32, shape: [1, 192, 192, 3] }],
    outputs: [
      { index: 365, name: 'reshaped_regressor_face_4', type: F32, shape: [1, 2304, 16] },
      { index: 364, name: 'reshaped_classifier_face_4', type: F32, shape: [1, 2304, 1] },
    ],
    ops: { DEQUANTIZE: 178, CONV_2D: 49, RELU: 47, DEPTHWISE_CONV_2D: 40, ADD: 23, PAD: 8, MAX_POOL_2D: 4, RESIZE_BILINEAR: 3, RESHAPE: 2 },
    metadata: [],
  },
  faceFullSparse: {
    bytes: 680736,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 192, 192, 3] }],
    outputs: [
      { index: 576, name: 'Identity', type: F32, shape: [1, 2304, 16] },
      { index: 562, name: 'Identity_1', type: F32, shape: [1, 2304, 1] },
    ],
    ops: { DEQUANTIZE: 182, CONV_2D: 49, DENSIFY: 46, PAD: 43, DEPTHWISE_CONV_2D: 42, ADD: 19, RESIZE_BILINEAR: 3, DEPTH_TO_SPACE: 2, RESHAPE: 2 },
    metadata: ['min_runtime_version'], tensors: 577,
  },
  handFull: {
    bytes: 5478688,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 224, 224, 3] }],
    outputs: handOutputs([165, 164, 162, 166]),
    ops: { DEQUANTIZE: 102, CONV_2D: 31, DEPTHWISE_CONV_2D: 16, ADD: 9, FULLY_CONNECTED: 4, LOGISTIC: 2, MEAN: 1 },
    metadata: ['min_runtime_version', 'reduced_precision_support'],
  },
  handLite: {
    bytes: 2071408,
    inputs: [{ index: 0, name: 'input_1', type: F32, shape: [1, 224, 224, 3] }],
    outputs: handOutputs([167, 166, 164, 168]),
    ops: { DEQUANTIZE: 102, CONV_2D: 31, DEPTHWISE_CONV_2D: 16, ADD: 10, FULLY_CONNECTED: 4, LOGISTIC: 2, MAX_POOL_2D: 1, MEAN: 1 },
    metadata: ['min_runtime_version', 'reduced_precision_support'],
  },
};

export const PATHS: Record<keyof typeof FACTS, string> = { ...MODELS, selfieLandscape: SELFIE_LANDSCAPE };
