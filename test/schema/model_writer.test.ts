/** writeModel: written models read back identically; real models survive write + read unchanged. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as O from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import { OPTION_FIELDS } from '../../schema/options_schema.js';
import type { Model } from '../../schema/types.js';
import { MODELS, available } from '../helpers/models.js';
import { model, op, sameBytes, tensor } from './build.js';

/** One literal per options interface, every field away from its schema default where the type allows. */
const conv: O.Conv2DOptions = { kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 2, strideH: 3, fusedActivationFunction: Act.RELU6, dilationWFactor: 2, dilationHFactor: 4, quantizedBiasType: TensorType.INT64 };
const OPTIONS: [Op, O.BuiltinOptions][] = [
  [Op.CONV_2D, conv],
  [Op.DEPTHWISE_CONV_2D, { kind: 'DepthwiseConv2DOptions', padding: Padding.VALID, strideW: 2, strideH: 1, depthMultiplier: 4, fusedActivationFunction: Act.RELU, dilationWFactor: 3, dilationHFactor: 2 } satisfies O.DepthwiseConv2DOptions],
  [Op.FULLY_CONNECTED, { kind: 'FullyConnectedOptions', fusedActivationFunction: Act.TANH, weightsFormat: 1, keepNumDims: true, asymmetricQuantizeInputs: true, quantizedBiasType: TensorType.INT32 } satisfies O.FullyConnectedOptions],
  [Op.TRANSPOSE_CONV, { kind: 'TransposeConvOptions', padding: Padding.VALID, strideW: 2, strideH: 2, fusedActivationFunction: Act.RELU_N1_TO_1 } satisfies O.TransposeConvOptions],
  [Op.MAX_POOL_2D, { kind: 'Pool2DOptions', padding: Padding.SAME, strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 5, fusedActivationFunction: Act.SIGN_BIT } satisfies O.Pool2DOptions],
  [Op.ADD, { kind: 'AddOptions', fusedActivationFunction: Act.RELU, potScaleInt16: false } satisfies O.AddOptions],
  [Op.SUB, { kind: 'SubOptions', fusedActivationFunction: Act.RELU6, potScaleInt16: false } satisfies O.SubOptions],
  [Op.MUL, { kind: 'MulOptions', fusedActivationFunction: Act.RELU } satisfies O.MulOptions],
  [Op.DIV, { kind: 'DivOptions', fusedActivationFunction: Act.RELU6 } satisfies O.DivOptions],
  [Op.SOFTMAX, { kind: 'SoftmaxOptions', beta: 0.5 } satisfies O.SoftmaxOptions],
  [Op.L2_NORMALIZATION, { kind: 'L2NormOptions', fusedActivationFunction: Act.RELU } satisfies O.L2NormOptions],
  [Op.CONCATENATION, { kind: 'ConcatenationOptions', axis: -1, fusedActivationFunction: Act.RELU6 } satisfies O.ConcatenationOptions],
  [Op.MEAN, { kind: 'ReducerOptions', keepDims: true } satisfies O.ReducerOptions],
  [Op.RESHAPE, { kind: 'ReshapeOptions', newShape: [1, -1, 7] } satisfies O.ReshapeOptions],
  [Op.SQUEEZE, { kind: 'SqueezeOptions', squeezeDims: [1, 2] } satisfies O.SqueezeOptions],
  [Op.STRIDED_SLICE, { kind: 'StridedSliceOptions', beginMask: 1, endMask: 2, ellipsisMask: 4, newAxisMask: 8, shrinkAxisMask: 16, offset: true } satisfies O.StridedSliceOptions],
  [Op.SPLIT, { kind: 'SplitOptions', numSplits: 3 } satisfies O.SplitOptions],
  [Op.SPLIT_V, { kind: 'SplitVOptions', numSplits: 4 } satisfies O.SplitVOptions],
  [Op.GATHER, { kind: 'GatherOptions', axis: 1, batchDims: 1 } satisfies O.GatherOptions],
  [Op.ARG_MAX, { kind: 'ArgMaxOptions', outputType: TensorType.INT64 } satisfies O.ArgMaxOptions],
  [Op.ARG_MIN, { kind: 'ArgMinOptions', outputType: TensorType.INT32 } satisfies O.ArgMinOptions],
  [Op.RESIZE_BILINEAR, { kind: 'ResizeBilinearOptions', alignCorners: true, halfPixelCenters: true } satisfies O.ResizeBilinearOptions],
  [Op.RESIZE_NEAREST_NEIGHBOR, { kind: 'ResizeNearestNeighborOptions', alignCorners: false, halfPixelCenters: true } satisfies O.ResizeNearestNeighborOptions],
  [Op.DEPTH_TO_SPACE, { kind: 'DepthToSpaceOptions', blockSize: 2 } satisfies O.DepthToSpaceOptions],
  [Op.SPACE_TO_DEPTH, { kind: 'SpaceToDepthOptions', blockSize: 4 } satisfies O.SpaceToDepthOptions],
  [Op.LEAKY_RELU, { kind: 'LeakyReluOptions', alpha: 0.25 } satisfies O.LeakyReluOptions],
  [Op.CAST, { kind: 'CastOptions', inDataType: TensorType.UINT8, outDataType: TensorType.FLOAT32 } satisfies O.CastOptions],
  [Op.SHAPE, { kind: 'ShapeOptions', outType: TensorType.INT64 } satisfies O.ShapeOptions],
  [Op.PACK, { kind: 'PackOptions', valuesCount: 3, axis: 1 } satisfies O.PackOptions],
  [Op.UNPACK, { kind: 'UnpackOptions', num: 2, axis: -1 } satisfies O.UnpackOptions],
  [Op.MIRROR_PAD, { kind: 'MirrorPadOptions', mode: 1 } satisfies O.MirrorPadOptions],
  [Op.BATCH_MATMUL, { kind: 'BatchMatMulOptions', adjX: true, adjY: false, asymmetricQuantizeInputs: true } satisfies O.BatchMatMulOptions],
  // Tables without parsed fields round-trip by name, from both unions.
  [Op.PAD, { kind: 'PadOptions' }],
  [Op.CUMSUM, { kind: 'CumsumOptions' }],
  [Op.STABLEHLO_PAD, { kind: 'StablehloPadOptions' }],
];

/** A model with one operator per OPTIONS entry, reading tensor 0 and writing tensor 1. */
function optionsModel(): Model {
  return model({
    operatorCodes: OPTIONS.map(([code], i) => ({ builtinCode: code, customCode: null, version: 1 + (i % 3) })),
    tensors: [tensor('x', TensorType.FLOAT32, [1, 4]), tensor('y', TensorType.FLOAT32, [1, 4])],
    inputs: [0], outputs: [1],
    operators: OPTIONS.map(([, options], i) => op(i, [0, -1], [1], options)),
  });
}

/** Every field of the reader's data model at once: quantization, sparsity, custom ops, signatures, metadata. */
function richModel(): Model {
  const weights = new Uint8Array(2 * 3 * 4);
  for (let i = 0; i < weights.length; i++) weights[i] = (i * 37) & 0xff;
  const sparseValues = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]); // 4 FLOAT16 values
  return {
    version: 3, description: 'rich',
    operatorCodes: [
      { builtinCode: Op.FULLY_CONNECTED, customCode: null, version: 9 },
      { builtinCode: Op.CUSTOM, customCode: 'MyCustomOp', version: 2 },
      { builtinCode: Op.DENSIFY, customCode: null, version: 1 },
      { builtinCode: Op.GELU, customCode: null, version: 1 }, // code 150 > 127: stored in builtin_code only
    ],
    buffers: [{ data: null }, { data: weights }, { data: sparseValues }, { data: new TextEncoder().encode('1.14.0') }],
    metadata: [{ name: 'min_runtime_version', buffer: 3 }],
    signatureDefs: [{
      signatureKey: 'serving_default', subgraphIndex: 0,
      inputs: [{ name: 'in', tensorIndex: 0 }], outputs: [{ name: 'out', tensorIndex: 2 }],
    }],
    subgraphs: [{
      name: 'main', inputs: [0], outputs: [2],
      tensors: [
        tensor('in', TensorType.INT8, [1, 3], { shapeSignature: [-1, 3], quantization: { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0, min: [-1.5], max: [2.5] } }),
        tensor('w', TensorType.INT8, [2, 3, 4], {
          buffer: 1, quantization: { scale: [0.25, 0.125], zeroPoint: [0, 0], quantizedDimension: 0 },
        }),
        tensor('out', TensorType.INT8, [1, 2], { quantization: { scale: [1.5], zeroPoint: [2 ** 40], quantizedDimension: 0 } }),
        tensor('state', TensorType.FLOAT32, [1, 2], { isVariable: true }),
        tensor('sparse', TensorType.FLOAT16, [2, 4], {
          buffer: 2,
          sparsity: {
            traversalOrder: [0, 1], blockMap: [],
            dimMetadata: [
              { format: 0, denseSize: 2, arraySegments: null, arrayIndices: null },
              { format: 1, denseSize: 0, arraySegments: [0, 2, 4], arrayIndices: [0, 3, 1, 2] },
            ],
          },
        }),
        tensor('dense', TensorType.FLOAT16, [2, 4]),
        tensor('scratch', TensorType.INT16, [4]),
      ],
      operators: [
        { opcodeIndex: 0, inputs: [0, 1, -1], outputs: [2], intermediates: [6], builtinOptions: { kind: 'FullyConnectedOptions', fusedActivationFunction: Act.NONE, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false }, customOptions: null },
        { opcodeIndex: 1, inputs: [2], outputs: [3], intermediates: [], builtinOptions: null, customOptions: new Uint8Array([9, 8, 7]) },
        { opcodeIndex: 2, inputs: [4], outputs: [5], intermediates: [], builtinOptions: null, customOptions: null },
        { opcodeIndex: 3, inputs: [5], outputs: [5], intermediates: [], builtinOptions: { kind: 'GeluOptions' }, customOptions: null },
      ],
    }],
  };
}

describe('writeModel', () => {
  it('round-trips every builtin options interface field by field', () => {
    const m = optionsModel();
    const back = readModel(writeModel(m));
    expect(back).toEqual(m);
    // The reader produces exactly the interface keys (compile-time literals above list them all).
    for (const [, o] of OPTIONS) {
      const fields = OPTION_FIELDS[o.kind] ?? [];
      const keys = Object.keys(o).filter((k) => k !== 'kind');
      expect(fields.filter((f) => !f.optional).every((f) => keys.includes(f.key)), o.kind).toBe(true);
      expect(keys.every((k) => fields.some((f) => f.key === k)), o.kind).toBe(true);
    }
  });

  it('fills schema defaults for absent option fields', () => {
    const m = optionsModel();
    m.operatorCodes = [{ builtinCode: Op.CONV_2D, customCode: null, version: 1 }, { builtinCode: Op.ADD, customCode: null, version: 1 }];
    m.subgraphs[0]!.operators = [op(0, [0], [1], { kind: 'Conv2DOptions' }), op(1, [0, 0], [1], { kind: 'AddOptions' })];
    const back = readModel(writeModel(m)).subgraphs[0]!.operators;
    expect(back[0]!.builtinOptions).toEqual({
      kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 0, strideH: 0, fusedActivationFunction: Act.NONE, dilationWFactor: 1, dilationHFactor: 1,
    });
    expect(back[1]!.builtinOptions).toEqual({ kind: 'AddOptions', fusedActivationFunction: Act.NONE, potScaleInt16: true });
  });

  it('round-trips quantization, sparsity, variables, custom ops, intermediates, signatures and metadata', () => {
    const m = richModel();
    const bytes = writeModel(m);
    const back = readModel(bytes);
    expect(back).toEqual(m);
    // big op codes go to builtin_code while deprecated_builtin_code saturates at 127
    expect(back.operatorCodes[3]!.builtinCode).toBe(150);
  });

  it('aligns buffer data to 16 bytes and keeps it a view on read', () => {
    const m = richModel();
    const bytes = writeModel(m);
    const back = readModel(bytes);
    for (const b of back.buffers) {
      if (!b.data) continue;
      expect(b.data.buffer).toBe(bytes.buffer);
      expect((b.data.byteOffset - bytes.byteOffset) % 16).toBe(0);
    }
  });

  it('refuses options of an unknown kind with a ModelError', () => {
    const m = optionsModel();
    m.subgraphs[0]!.operators[0]!.builtinOptions = { kind: 'NoSuchOptions' };
    expect(() => writeModel(m)).toThrow(/unknown kind 'NoSuchOptions'/);
  });
});

const REAL = Object.entries(MODELS) as [string, string][];
describe.skipIf(!available('real-model round trip', REAL.map(([, f]) => f)))('real models rewritten', () => {
  for (const [name, file] of REAL) {
    it(`${path.basename(file)}: same tensors, operators and buffers after write + read (${name})`, () => {
      const bytes = new Uint8Array(fs.readFileSync(file));
      const m = readModel(bytes);
      const again = readModel(writeModel(m));
      const strip = (x: Model) => ({ ...x, buffers: x.buffers.map((b) => b.data?.length ?? 0) });
      expect(strip(again)).toEqual(strip(m));
      m.buffers.forEach((b, i) => expect(sameBytes(b.data, again.buffers[i]!.data), `buffer ${i}`).toBe(true));
    });
  }
});
