/**
 * Valid models the model fuzzer starts from: small writer-built graphs covering every kernel family (float,
 * uint8, int8 per-channel, shape ops, custom op, sparse DENSIFY, a small embedder), plus the real models of
 * ../shared and the MediaPipe packages when present. Each seed is a `Model` read back from the writer's bytes, so
 * the fuzzer mutates exactly what a file can hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType as T } from '../../schema/enums.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Model, QuantizationParams } from '../../schema/types.js';
import { MODELS, repoRoot } from '../helpers/models.js';

export interface SeedModel {
  name: string;
  model: Model;
  /** Bytes of the real file (real seeds): mutations keep its metadata and buffers. */
  real: boolean;
}

const NONE = Act.NONE;
const q = (scale: number, zeroPoint: number): QuantizationParams => ({ scale: [scale], zeroPoint: [zeroPoint], quantizedDimension: 0 });
const perAxis = (scales: number[], dim: number): QuantizationParams => ({ scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: dim });
const ramp = (n: number, k = 0.1): number[] => Array.from({ length: n }, (_, i) => ((i * 7) % 11 - 5) * k);
const bytesRamp = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, (_, i) => lo + ((i * 37) % (hi - lo + 1)));

const conv = (padding = Padding.SAME, stride = 1, act = NONE, dil = 1): BuiltinOptions => ({
  kind: 'Conv2DOptions', padding, strideW: stride, strideH: stride, fusedActivationFunction: act, dilationWFactor: dil, dilationHFactor: dil,
});
const dw = (mult = 1, stride = 1): BuiltinOptions => ({
  kind: 'DepthwiseConv2DOptions', padding: Padding.SAME, strideW: stride, strideH: stride, depthMultiplier: mult,
  fusedActivationFunction: Act.RELU6, dilationWFactor: 1, dilationHFactor: 1,
});
const pool = (f = 2, s = 2, padding = Padding.VALID): BuiltinOptions => ({
  kind: 'Pool2DOptions', padding, strideW: s, strideH: s, filterWidth: f, filterHeight: f, fusedActivationFunction: NONE,
});
const fc = (keepNumDims = false): BuiltinOptions => ({
  kind: 'FullyConnectedOptions', fusedActivationFunction: NONE, weightsFormat: 0, keepNumDims, asymmetricQuantizeInputs: false,
});
const add: BuiltinOptions = { kind: 'AddOptions', fusedActivationFunction: NONE, potScaleInt16: true };

type Build = (b: ModelBuilder) => void;

/** One op on float inputs: `ins` are [shape, constant values or undefined for a graph input]. */
function unary(code: Op, inShape: number[], outShape: number[], options: BuiltinOptions | null = null, type = T.FLOAT32): Build {
  return (b) => {
    const x = b.input('x', type, inShape);
    const y = b.tensor('y', type, outShape);
    b.op(code, [x], [y], options);
    b.output(y);
  };
}

function withConst(code: Op, inShape: number[], c: { type: T; shape: number[]; values: number[] }, outShape: number[],
  options: BuiltinOptions | null = null): Build {
  return (b) => {
    const x = b.input('x', T.FLOAT32, inShape);
    const k = b.constant('c', c.type, c.shape, c.values);
    const y = b.tensor('y', T.FLOAT32, outShape);
    b.op(code, [x, k], [y], options);
    b.output(y);
  };
}

const BUILDERS: Record<string, Build> = {
  conv_float: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 5, 5, 2]);
    const w = b.constant('w', T.FLOAT32, [3, 3, 3, 2], ramp(54));
    const bias = b.constant('bias', T.FLOAT32, [3], [0.1, -0.2, 0.3]);
    const y = b.tensor('y', T.FLOAT32, [1, 5, 5, 3]);
    b.op(Op.CONV_2D, [x, w, bias], [y], conv(Padding.SAME, 1, Act.RELU));
    b.output(y);
  },
  conv_dilated_strided: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 9, 7, 3]);
    const w = b.constant('w', T.FLOAT32, [2, 3, 3, 3], ramp(54));
    const y = b.tensor('y', T.FLOAT32, [1, 3, 2, 2]);
    b.op(Op.CONV_2D, [x, w, -1], [y], conv(Padding.VALID, 2, NONE, 2));
    b.output(y);
  },
  conv_uint8: (b) => {
    const x = b.input('x', T.UINT8, [1, 4, 4, 3], { quantization: q(0.02, 128) });
    const w = b.constant('w', T.UINT8, [2, 3, 3, 3], bytesRamp(54, 100, 160), { quantization: q(0.01, 130) });
    const bias = b.constant('bias', T.INT32, [2], [100, -50], { quantization: q(0.0002, 0) });
    const y = b.tensor('y', T.UINT8, [1, 4, 4, 2], { quantization: q(0.05, 120) });
    b.op(Op.CONV_2D, [x, w, bias], [y], conv(Padding.SAME, 1, Act.RELU6));
    b.output(y);
  },
  conv_int8_per_channel: (b) => {
    const x = b.input('x', T.INT8, [1, 4, 4, 2], { quantization: q(0.02, -3) });
    const w = b.constant('w', T.INT8, [3, 1, 1, 2], [10, -20, 30, -40, 50, -60], { quantization: perAxis([0.01, 0.02, 0.03], 0) });
    const bias = b.constant('bias', T.INT32, [3], [1, 2, 3], { quantization: perAxis([0.0002, 0.0004, 0.0006], 0) });
    const y = b.tensor('y', T.INT8, [1, 4, 4, 3], { quantization: q(0.05, 2) });
    b.op(Op.CONV_2D, [x, w, bias], [y], conv(), 3);
    b.output(y);
  },
  depthwise_float: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 6, 6, 2]);
    const w = b.constant('w', T.FLOAT32, [1, 3, 3, 4], ramp(36));
    const bias = b.constant('bias', T.FLOAT32, [4], [0, 1, 0, 1]);
    const y = b.tensor('y', T.FLOAT32, [1, 3, 3, 4]);
    b.op(Op.DEPTHWISE_CONV_2D, [x, w, bias], [y], dw(2, 2));
    b.output(y);
  },
  depthwise_int8: (b) => {
    const x = b.input('x', T.INT8, [1, 5, 5, 3], { quantization: q(0.1, 0) });
    const w = b.constant('w', T.INT8, [1, 3, 3, 3], bytesRamp(27, -100, 100), { quantization: perAxis([0.01, 0.02, 0.04], 3) });
    const bias = b.constant('bias', T.INT32, [3], [5, 6, 7], { quantization: perAxis([0.001, 0.002, 0.004], 0) });
    const y = b.tensor('y', T.INT8, [1, 5, 5, 3], { quantization: q(0.1, -5) });
    b.op(Op.DEPTHWISE_CONV_2D, [x, w, bias], [y], dw(1, 1), 3);
    b.output(y);
  },
  fully_connected_float: withConst(Op.FULLY_CONNECTED, [2, 6], { type: T.FLOAT32, shape: [4, 6], values: ramp(24) }, [2, 4], fc()),
  fully_connected_uint8: (b) => {
    const x = b.input('x', T.UINT8, [1, 8], { quantization: q(0.1, 128) });
    const w = b.constant('w', T.UINT8, [3, 8], bytesRamp(24, 0, 255), { quantization: q(0.05, 127) });
    const y = b.tensor('y', T.UINT8, [1, 3], { quantization: q(0.5, 100) });
    b.op(Op.FULLY_CONNECTED, [x, w, -1], [y], fc());
    b.output(y);
  },
  transpose_conv: (b) => {
    const shape = b.constant('shape', T.INT32, [4], [1, 6, 6, 2]);
    const w = b.constant('w', T.FLOAT32, [2, 3, 3, 3], ramp(54));
    const x = b.input('x', T.FLOAT32, [1, 3, 3, 3]);
    const y = b.tensor('y', T.FLOAT32, [1, 6, 6, 2]);
    b.op(Op.TRANSPOSE_CONV, [shape, w, x], [y], { kind: 'TransposeConvOptions', padding: Padding.SAME, strideW: 2, strideH: 2, fusedActivationFunction: NONE });
    b.output(y);
  },
  conv_transpose_bias_custom: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 3, 3, 2]);
    const w = b.constant('w', T.FLOAT32, [2, 2, 2, 2], ramp(16));
    const bias = b.constant('bias', T.FLOAT32, [2], [0, 0]);
    const y = b.tensor('y', T.FLOAT32, [1, 6, 6, 2]);
    // TfLiteTransposeConvParams { padding = VALID (2), stride_width = 2, stride_height = 2 }
    b.customOp('Convolution2DTransposeBias', [x, w, bias], [y], new Uint8Array(new Int32Array([2, 2, 2]).buffer));
    b.output(y);
  },
  avg_pool_float: unary(Op.AVERAGE_POOL_2D, [1, 4, 4, 3], [1, 2, 2, 3], pool()),
  max_pool_same: unary(Op.MAX_POOL_2D, [1, 5, 5, 1], [1, 3, 3, 1], pool(3, 2, Padding.SAME)),
  avg_pool_uint8: (b) => {
    const x = b.input('x', T.UINT8, [1, 4, 4, 2], { quantization: q(0.1, 10) });
    const y = b.tensor('y', T.UINT8, [1, 2, 2, 2], { quantization: q(0.1, 10) });
    b.op(Op.AVERAGE_POOL_2D, [x], [y], pool());
    b.output(y);
  },
  add_broadcast: withConst(Op.ADD, [2, 3, 4], { type: T.FLOAT32, shape: [1, 4], values: [1, 2, 3, 4] }, [2, 3, 4], add),
  mul_div_sub: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 3]);
    const z = b.input('z', T.FLOAT32, [2, 1]);
    const m = b.tensor('m', T.FLOAT32, [2, 3]);
    const d = b.tensor('d', T.FLOAT32, [2, 3]);
    const s = b.tensor('s', T.FLOAT32, [2, 3]);
    b.op(Op.MUL, [x, z], [m], { kind: 'MulOptions', fusedActivationFunction: NONE });
    b.op(Op.DIV, [m, z], [d], { kind: 'DivOptions', fusedActivationFunction: NONE });
    b.op(Op.SUB, [d, x], [s], { kind: 'SubOptions', fusedActivationFunction: Act.RELU, potScaleInt16: true });
    b.output(s);
  },
  add_uint8: (b) => {
    const x = b.input('x', T.UINT8, [1, 2, 2, 3], { quantization: q(0.1, 100) });
    const z = b.input('z', T.UINT8, [1, 1, 1, 3], { quantization: q(0.2, 50) });
    const y = b.tensor('y', T.UINT8, [1, 2, 2, 3], { quantization: q(0.3, 80) });
    b.op(Op.ADD, [x, z], [y], add);
    b.output(y);
  },
  elementwise_chain: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 8]);
    let t = x;
    for (const code of [Op.LOGISTIC, Op.TANH, Op.HARD_SWISH, Op.EXP, Op.SQRT, Op.RSQRT, Op.RELU6, Op.RELU_N1_TO_1]) {
      const y = b.tensor(`t${code}`, T.FLOAT32, [1, 8]);
      b.op(code, [t], [y]);
      t = y;
    }
    b.output(t);
  },
  leaky_prelu: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 2, 2, 3]);
    const a = b.constant('alpha', T.FLOAT32, [1, 1, 3], [0.1, 0.2, 0.3]);
    const l = b.tensor('l', T.FLOAT32, [1, 2, 2, 3]);
    const y = b.tensor('y', T.FLOAT32, [1, 2, 2, 3]);
    b.op(Op.LEAKY_RELU, [x], [l], { kind: 'LeakyReluOptions', alpha: 0.2 });
    b.op(Op.PRELU, [l, a], [y]);
    b.output(y);
  },
  softmax_l2: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 5]);
    const s = b.tensor('s', T.FLOAT32, [2, 5]);
    const y = b.tensor('y', T.FLOAT32, [2, 5]);
    b.op(Op.SOFTMAX, [x], [s], { kind: 'SoftmaxOptions', beta: 1 });
    b.op(Op.L2_NORMALIZATION, [s], [y], { kind: 'L2NormOptions', fusedActivationFunction: NONE });
    b.output(y);
  },
  concat: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 2, 3]);
    const z = b.input('z', T.FLOAT32, [1, 2, 2]);
    const y = b.tensor('y', T.FLOAT32, [1, 2, 5]);
    b.op(Op.CONCATENATION, [x, z], [y], { kind: 'ConcatenationOptions', axis: 2, fusedActivationFunction: NONE });
    b.output(y);
  },
  reshape_squeeze_expand: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 2, 3, 1]);
    const shape = b.constant('shape', T.INT32, [2], [3, 2]);
    const r = b.tensor('r', T.FLOAT32, [3, 2]);
    const axis = b.constant('axis', T.INT32, [1], [0]);
    const e = b.tensor('e', T.FLOAT32, [1, 3, 2]);
    const y = b.tensor('y', T.FLOAT32, [3, 2]);
    b.op(Op.RESHAPE, [x, shape], [r], { kind: 'ReshapeOptions', newShape: [3, 2] });
    b.op(Op.EXPAND_DIMS, [r, axis], [e]);
    b.op(Op.SQUEEZE, [e], [y], { kind: 'SqueezeOptions', squeezeDims: [0] });
    b.output(y);
  },
  pad_padv2: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 2, 2, 1]);
    const pads = b.constant('pads', T.INT32, [4, 2], [0, 0, 1, 1, 2, 0, 0, 0]);
    const value = b.constant('value', T.FLOAT32, [], [7]);
    const p = b.tensor('p', T.FLOAT32, [1, 4, 4, 1]);
    const y = b.tensor('y', T.FLOAT32, [1, 6, 8, 1]);
    b.op(Op.PAD, [x, pads], [p]);
    b.op(Op.PADV2, [p, pads, value], [y]);
    b.output(y);
  },
  mean_sum: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 3, 4, 2]);
    const axes = b.constant('axes', T.INT32, [2], [1, 2]);
    const m = b.tensor('m', T.FLOAT32, [1, 1, 1, 2]);
    const s = b.tensor('s', T.FLOAT32, [1, 2]);
    b.op(Op.MEAN, [x, axes], [m], { kind: 'ReducerOptions', keepDims: true });
    b.op(Op.SUM, [m, axes], [s], { kind: 'ReducerOptions', keepDims: false });
    b.output(s);
  },
  strided_slice: (b) => {
    const x = b.input('x', T.FLOAT32, [3, 4, 5]);
    const begin = b.constant('begin', T.INT32, [3], [0, 1, -1]);
    const end = b.constant('end', T.INT32, [3], [3, 4, 0]);
    const strides = b.constant('strides', T.INT32, [3], [2, 1, -2]);
    const y = b.tensor('y', T.FLOAT32, [2, 3, 2]);
    b.op(Op.STRIDED_SLICE, [x, begin, end, strides], [y], {
      kind: 'StridedSliceOptions', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false,
    });
    b.output(y);
  },
  slice_transpose: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 3, 4]);
    const begin = b.constant('begin', T.INT32, [3], [0, 1, 1]);
    const size = b.constant('size', T.INT32, [3], [2, -1, 2]);
    const perm = b.constant('perm', T.INT32, [3], [2, 0, 1]);
    const s = b.tensor('s', T.FLOAT32, [2, 2, 2]);
    const y = b.tensor('y', T.FLOAT32, [2, 2, 2]);
    b.op(Op.SLICE, [x, begin, size], [s]);
    b.op(Op.TRANSPOSE, [s, perm], [y]);
    b.output(y);
  },
  gather_argmax: (b) => {
    const x = b.input('x', T.FLOAT32, [4, 3]);
    const idx = b.constant('idx', T.INT32, [2], [3, 1]);
    const g = b.tensor('g', T.FLOAT32, [2, 3]);
    const axis = b.constant('axis', T.INT32, [1], [1]);
    const y = b.tensor('y', T.INT32, [2]);
    b.op(Op.GATHER, [x, idx], [g], { kind: 'GatherOptions', axis: 0, batchDims: 0 });
    b.op(Op.ARG_MAX, [g, axis], [y], { kind: 'ArgMaxOptions', outputType: T.INT32 });
    b.output(y);
  },
  split_pack: (b) => {
    const axis = b.constant('axis', T.INT32, [], [1]);
    const x = b.input('x', T.FLOAT32, [2, 4]);
    const s0 = b.tensor('s0', T.FLOAT32, [2, 2]);
    const s1 = b.tensor('s1', T.FLOAT32, [2, 2]);
    const y = b.tensor('y', T.FLOAT32, [2, 2, 2]);
    b.op(Op.SPLIT, [axis, x], [s0, s1], { kind: 'SplitOptions', numSplits: 2 });
    b.op(Op.PACK, [s0, s1], [y], { kind: 'PackOptions', valuesCount: 2, axis: 0 });
    b.output(y);
  },
  resize: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 3, 3, 2]);
    const size = b.constant('size', T.INT32, [2], [5, 7]);
    const r = b.tensor('r', T.FLOAT32, [1, 5, 7, 2]);
    const y = b.tensor('y', T.FLOAT32, [1, 5, 7, 2]);
    b.op(Op.RESIZE_BILINEAR, [x, size], [r], { kind: 'ResizeBilinearOptions', alignCorners: false, halfPixelCenters: true });
    b.op(Op.RESIZE_NEAREST_NEIGHBOR, [r, size], [y], { kind: 'ResizeNearestNeighborOptions', alignCorners: true, halfPixelCenters: false });
    b.output(y);
  },
  space_depth: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 4, 4, 2]);
    const d = b.tensor('d', T.FLOAT32, [1, 2, 2, 8]);
    const y = b.tensor('y', T.FLOAT32, [1, 4, 4, 2]);
    b.op(Op.SPACE_TO_DEPTH, [x], [d], { kind: 'SpaceToDepthOptions', blockSize: 2 });
    b.op(Op.DEPTH_TO_SPACE, [d], [y], { kind: 'DepthToSpaceOptions', blockSize: 2 });
    b.output(y);
  },
  space_batch: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 4, 4, 1]);
    const block = b.constant('block', T.INT32, [2], [2, 2]);
    const pads = b.constant('pads', T.INT32, [2, 2], [0, 0, 0, 0]);
    const s = b.tensor('s', T.FLOAT32, [4, 2, 2, 1]);
    const y = b.tensor('y', T.FLOAT32, [1, 4, 4, 1]);
    b.op(Op.SPACE_TO_BATCH_ND, [x, block, pads], [s]);
    b.op(Op.BATCH_TO_SPACE_ND, [s, block, pads], [y]);
    b.output(y);
  },
  quantize_dequantize_cast: (b) => {
    const x = b.input('x', T.FLOAT32, [6]);
    const qz = b.tensor('q', T.INT8, [6], { quantization: q(0.05, 3) });
    const dq = b.tensor('dq', T.FLOAT32, [6]);
    const c = b.tensor('c', T.INT32, [6]);
    b.op(Op.QUANTIZE, [x], [qz]);
    b.op(Op.DEQUANTIZE, [qz], [dq], null, 2);
    b.op(Op.CAST, [dq], [c], { kind: 'CastOptions', inDataType: T.FLOAT32, outDataType: T.INT32 });
    b.output(c);
  },
  float16_weights: (b) => {
    const x = b.input('x', T.FLOAT32, [1, 4]);
    const w16 = b.constant('w16', T.FLOAT16, [2, 4], [0x3c00, 0x4000, 0xbc00, 0, 0x3800, 0x3c00, 0x3c00, 0x3c00]);
    const w = b.tensor('w', T.FLOAT32, [2, 4]);
    const y = b.tensor('y', T.FLOAT32, [1, 2]);
    b.op(Op.DEQUANTIZE, [w16], [w], null, 3);
    b.op(Op.FULLY_CONNECTED, [x, w, -1], [y], fc());
    b.output(y);
  },
  shape_math: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 3, 4], { shapeSignature: [-1, 3, 4] });
    const s = b.tensor('s', T.INT32, [3]);
    const r = b.tensor('r', T.FLOAT32, [2, 12]);
    b.op(Op.SHAPE, [x], [s], { kind: 'ShapeOptions', outType: T.INT32 });
    const shape2 = b.constant('shape2', T.INT32, [2], [-1, 12]);
    b.op(Op.RESHAPE, [x, shape2], [r], { kind: 'ReshapeOptions', newShape: [] });
    b.output(r);
    b.output(s);
  },
  misc_binary: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 3]);
    const c = b.constant('c', T.FLOAT32, [3], [1, -2, 0.5]);
    const mx = b.tensor('mx', T.FLOAT32, [2, 3]);
    const mn = b.tensor('mn', T.FLOAT32, [2, 3]);
    const sd = b.tensor('sd', T.FLOAT32, [2, 3]);
    const fm = b.tensor('fm', T.FLOAT32, [2, 3]);
    b.op(Op.MAXIMUM, [x, c], [mx]);
    b.op(Op.MINIMUM, [mx, c], [mn]);
    b.op(Op.SQUARED_DIFFERENCE, [mn, x], [sd]);
    b.op(Op.FLOOR_MOD, [sd, c], [fm]);
    b.output(fm);
  },
  densify: (b) => {
    const x = b.input('x', T.FLOAT32, [2, 3]);
    const sparse = b.constant('sparse', T.FLOAT32, [2, 3], [1, 2], {
      sparsity: {
        traversalOrder: [0, 1], blockMap: [],
        dimMetadata: [
          { format: 0, denseSize: 2, arraySegments: null, arrayIndices: null },
          { format: 1, denseSize: 0, arraySegments: [0, 1, 2], arrayIndices: [0, 2] },
        ],
      },
    });
    const d = b.tensor('d', T.FLOAT32, [2, 3]);
    const y = b.tensor('y', T.FLOAT32, [2, 3]);
    b.op(Op.DENSIFY, [sparse], [d]);
    b.op(Op.ADD, [x, d], [y], add);
    b.output(y);
  },
  /** Image-shaped input, [1, N] output: the ImageEmbedder path applies. */
  tiny_embedder: (b) => {
    const x = b.input('image', T.FLOAT32, [1, 8, 8, 3]);
    const w = b.constant('w', T.FLOAT32, [4, 3, 3, 3], ramp(108, 0.05));
    const c = b.tensor('c', T.FLOAT32, [1, 4, 4, 4]);
    const axes = b.constant('axes', T.INT32, [2], [1, 2]);
    const y = b.tensor('embedding', T.FLOAT32, [1, 4]);
    b.op(Op.CONV_2D, [x, w, -1], [c], conv(Padding.SAME, 2, Act.RELU));
    b.op(Op.MEAN, [c, axes], [y], { kind: 'ReducerOptions', keepDims: false });
    b.output(y);
  },
  tiny_embedder_uint8: (b) => {
    const x = b.input('image', T.UINT8, [1, 6, 6, 3], { quantization: q(1 / 128, 128) });
    const p = b.tensor('pooled', T.UINT8, [1, 3, 3, 3], { quantization: q(1 / 128, 128) });
    const shape = b.constant('shape', T.INT32, [2], [1, 27]);
    const y = b.tensor('embedding', T.UINT8, [1, 27], { quantization: q(1 / 128, 128) });
    b.op(Op.AVERAGE_POOL_2D, [x], [p], pool());
    b.op(Op.RESHAPE, [p, shape], [y], { kind: 'ReshapeOptions', newShape: [1, 27] });
    b.output(y);
  },
};

/** The writer-built seeds, read back from their bytes. */
export function builtSeeds(): SeedModel[] {
  return Object.entries(BUILDERS).map(([name, build]) => {
    const b = new ModelBuilder();
    build(b);
    return { name, model: readModel(writeModel(b.build())), real: false };
  });
}

/** The real models that exist on this machine (../shared, MediaPipe packages) and the project's own fixtures. */
export function realSeeds(): SeedModel[] {
  const files = [
    ...Object.values(MODELS),
    path.join(repoRoot, 'fixtures/embedder.tflite'),
    path.join(repoRoot, 'fixtures/tiny_embedder_metadata.tflite'),
  ];
  return files.filter((f) => fs.existsSync(f)).map((f) => {
    const bytes = new Uint8Array(fs.readFileSync(f));
    return { name: path.basename(f), model: readModel(bytes), real: true };
  });
}

/** The seed pools of the model fuzzer: writer-built, small real (< 200 KB), large real, and metadata samples. */
export function seedPools(): import('./model_mutator.js').SeedPools {
  const real = realSeeds();
  const size = (s: SeedModel): number => s.model.buffers.reduce((n, b) => n + (b.data?.length ?? 0), 0);
  const metadataSamples = real.flatMap((s) => s.model.metadata.filter((e) => e.name === 'TFLITE_METADATA')
    .map((e) => s.model.buffers[e.buffer]?.data).filter((d): d is Uint8Array => !!d && d.length > 0).map((d) => d.slice()));
  return {
    built: builtSeeds(),
    smallReal: real.filter((s) => size(s) < 200_000),
    largeReal: real.filter((s) => size(s) >= 200_000),
    metadataSamples,
  };
}
