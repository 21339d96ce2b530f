/**
 * SIMD element-wise, pooling, MEAN and RESIZE_BILINEAR against the typed-array kernels through the interpreter
 * (within 1e-5 relative): broadcasting shapes of every kind (same shape, per-channel, per-pixel, scalar, middle
 * axes, 6-D), constant operands, every fused activation, run lengths over every tile remainder.
 */
import { describe, expect, it } from 'vitest';
import type { BuiltinOptions, Pool2DOptions } from '../../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../../schema/enums.js';
import { randArray, randInt, rng } from '../../helpers/naive_float.js';
import type { OpCase } from '../../helpers/run_op.js';
import { expectTwin, runTwin } from './twin.js';

const F32 = TensorType.FLOAT32;
const ACTS = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];
const size = (s: number[]) => s.reduce((p, v) => p * v, 1);

function binOptions(op: Op, act: Act): BuiltinOptions | null {
  switch (op) {
    case Op.ADD: return { kind: 'AddOptions', fusedActivationFunction: act, potScaleInt16: true };
    case Op.SUB: return { kind: 'SubOptions', fusedActivationFunction: act, potScaleInt16: true };
    case Op.MUL: return { kind: 'MulOptions', fusedActivationFunction: act };
    case Op.DIV: return { kind: 'DivOptions', fusedActivationFunction: act };
    default: return null;
  }
}

function binCase(r: () => number, op: Op, as: number[], bs: number[], act: Act, constB = false): OpCase {
  const b = randArray(r, size(bs), 2);
  if (op === Op.DIV) for (let i = 0; i < b.length; i++) b[i] = b[i]! + (b[i]! < 0 ? -0.5 : 0.5);
  return {
    op, options: binOptions(op, act),
    inputs: [{ type: F32, shape: as, data: randArray(r, size(as), 3) }, { type: F32, shape: bs, data: b, constant: constB }],
    outputs: [{ type: F32 }],
  };
}

describe('SIMD binary ops against the typed-array kernels', () => {
  const shapes: [number[], number[]][] = [
    [[1, 5, 7, 16], [1, 5, 7, 16]], [[1, 4, 4, 19], [19]], [[1, 4, 4, 19], [1, 1, 1, 19]], [[1, 3, 5, 6], [1, 3, 5, 1]],
    [[1, 1, 1, 7], [1, 6, 5, 7]], [[2, 3, 4, 5], [1]], [[1], [3, 9]], [[2, 1, 4, 3], [1, 5, 1, 3]], [[3, 1, 5], [3, 4, 1]],
    [[2, 3, 1, 2, 3, 2], [1, 3, 2, 1, 3, 1]], [[1, 1, 1, 1], [1, 1, 1, 1]], [[1, 2, 2, 33], [1, 2, 2, 33]],
  ];
  const ops = [Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MAXIMUM, Op.MINIMUM, Op.SQUARED_DIFFERENCE];
  for (const op of ops) {
    it(`${Op[op]}: broadcast shapes, both operand orders, activations, constant operands`, () => {
      const r = rng(op);
      shapes.forEach(([as, bs], i) => {
        const act = binOptions(op, Act.NONE) ? ACTS[i % 4]! : Act.NONE;
        expectTwin(binCase(r, op, as, bs, act), `${Op[op]} [${as}] [${bs}] act=${Act[act]}`);
        expectTwin(binCase(r, op, bs, as, act, i % 3 === 0), `${Op[op]} [${bs}] [${as}] act=${Act[act]}`);
      });
    });
  }

  it('INT32 stays with the typed-array kernel', () => {
    const c: OpCase = {
      op: Op.ADD, options: binOptions(Op.ADD, Act.NONE),
      inputs: [{ type: TensorType.INT32, shape: [5], data: [1, 2, 3, 4, 5] }, { type: TensorType.INT32, shape: [5], data: [5, 4, 3, 2, 1] }],
      outputs: [{ type: TensorType.INT32 }],
    };
    runTwin(c, false);
  });
});

describe('SIMD unary ops against the typed-array kernels', () => {
  const cases: [Op, BuiltinOptions | null][] = [
    [Op.RELU, null], [Op.RELU6, null], [Op.RELU_N1_TO_1, null], [Op.HARD_SWISH, null],
    [Op.LEAKY_RELU, { kind: 'LeakyReluOptions', alpha: 0.2 }], [Op.LOGISTIC, null],
  ];
  for (const [op, options] of cases) {
    it(`${Op[op]} on lengths over every tile remainder`, () => {
      const r = rng(100 + op);
      for (const shape of [[1], [3], [4], [7], [8], [9], [1, 5, 5, 3], [1, 16, 16, 16], [2, 3, 7]]) {
        expectTwin({ op, options, inputs: [{ type: F32, shape, data: randArray(r, size(shape), 8) }], outputs: [{ type: F32 }] }, `${Op[op]} [${shape}]`);
      }
    });
  }
});

function poolCase(r: () => number, op: Op, shape: number[], o: Omit<Pool2DOptions, 'kind'>): OpCase {
  return { op, options: { kind: 'Pool2DOptions', ...o }, inputs: [{ type: F32, shape, data: randArray(r, size(shape), 4) }], outputs: [{ type: F32 }] };
}

describe('SIMD pools, MEAN and RESIZE_BILINEAR against the typed-array kernels', () => {
  it('MAX_POOL_2D and AVERAGE_POOL_2D: windows, strides, paddings, activations, global pooling, batch 2', () => {
    const r = rng(41);
    for (let t = 0; t < 40; t++) {
      const h = randInt(r, 1, 11), w = randInt(r, 1, 11), c = randInt(r, 1, 21);
      const global = t % 8 === 0;
      const fh = global ? h : randInt(r, 1, 3), fw = global ? w : randInt(r, 1, 3);
      const padding = global || t % 2 ? Padding.VALID : Padding.SAME;
      if (padding === Padding.VALID && (fh > h || fw > w)) continue;
      const o = { padding, strideH: randInt(r, 1, 2), strideW: randInt(r, 1, 3), filterHeight: fh, filterWidth: fw, fusedActivationFunction: ACTS[t % 4]! };
      const op = t % 2 ? Op.MAX_POOL_2D : Op.AVERAGE_POOL_2D;
      const shape = [t % 7 === 0 ? 2 : 1, h, w, c];
      expectTwin(poolCase(r, op, shape, o), `${Op[op]} [${shape}] f=${fh}x${fw} s=${o.strideH}x${o.strideW} p=${Padding[padding]}`);
    }
  });

  it('MEAN over H and W (keep_dims or not, negative axes); other axes stay with the typed-array kernel', () => {
    const r = rng(42);
    for (const [shape, axes, keep] of [
      [[1, 7, 7, 19], [1, 2], true], [[2, 3, 5, 8], [2, 1], false], [[1, 4, 4, 3], [-3, -2], true], [[1, 1, 1, 5], [1, 2], false],
    ] as const) {
      const c: OpCase = {
        op: Op.MEAN, options: { kind: 'ReducerOptions', keepDims: keep },
        inputs: [{ type: F32, shape: [...shape], data: randArray(r, size([...shape]), 4) }, { type: TensorType.INT32, shape: [2], data: [...axes], constant: true }],
        outputs: [{ type: F32 }],
      };
      expectTwin(c, `MEAN [${shape}] axes=${axes}`);
    }
    const other: OpCase = {
      op: Op.MEAN, options: { kind: 'ReducerOptions', keepDims: false },
      inputs: [{ type: F32, shape: [1, 3, 4, 5], data: randArray(r, 60) }, { type: TensorType.INT32, shape: [1], data: [3], constant: true }],
      outputs: [{ type: F32 }],
    };
    const res = runTwin(other, false);
    expect(res.wasm).toEqual(res.js);
  });

  it('RESIZE_BILINEAR: up and down, align_corners, half_pixel_centers, channel tails, batch 2', () => {
    const r = rng(43);
    for (let t = 0; t < 24; t++) {
      const shape = [t % 5 === 0 ? 2 : 1, randInt(r, 1, 9), randInt(r, 1, 9), randInt(r, 1, 19)];
      const oh = randInt(r, 1, 17), ow = randInt(r, 1, 17);
      const align = t % 3 === 1, half = t % 3 === 2;
      const c: OpCase = {
        op: Op.RESIZE_BILINEAR, version: half ? 3 : 1, options: { kind: 'ResizeBilinearOptions', alignCorners: align, halfPixelCenters: half },
        inputs: [{ type: F32, shape, data: randArray(r, size(shape), 3) }, { type: TensorType.INT32, shape: [2], data: [oh, ow], constant: true }],
        outputs: [{ type: F32 }],
      };
      expectTwin(c, `RESIZE_BILINEAR [${shape}] -> ${oh}x${ow} align=${align} half=${half}`);
    }
  });
});

describe('SIMD PAD against the typed-array kernel', () => {
  it('FLOAT32 and INT32, every axis padded alone and together, ranks 1 to 5, empty paddings', () => {
    const r = rng(44);
    const cases: [number[], number[]][] = [
      [[1, 8, 8, 24], [0, 0, 0, 0, 0, 0, 0, 4]], [[1, 5, 6, 3], [0, 0, 1, 2, 2, 1, 0, 0]], [[1, 4, 4, 1], [0, 0, 0, 0, 0, 0, 0, 2]],
      [[2, 3, 4, 5], [1, 0, 0, 1, 2, 0, 1, 3]], [[7], [2, 3]], [[3, 9], [0, 0, 0, 0]], [[2, 1, 3, 2, 5], [0, 1, 1, 0, 0, 2, 1, 1, 3, 0]],
    ];
    for (const type of [F32, TensorType.INT32]) {
      for (const [shape, pads] of cases) {
        const n = size(shape);
        const data = type === F32 ? randArray(r, n, 5) : Int32Array.from({ length: n }, (_, i) => i * 7 - 40);
        const c: OpCase = {
          op: Op.PAD, inputs: [{ type, shape, data }, { type: TensorType.INT32, shape: [shape.length, 2], data: pads, constant: true }],
          outputs: [{ type }],
        };
        const res = runTwin(c);
        expect(res.wasm, `PAD ${TensorType[type]} [${shape}] pads=${pads}`).toEqual(res.js);
      }
    }
  });
});

describe('SIMD CONCATENATION against the typed-array kernel', () => {
  it('every axis (negative too), 1 to 3 inputs, a constant input, fused activations, INT32', () => {
    const r = rng(45);
    const cases: [number[][], number][] = [
      [[[1, 4, 4, 5], [1, 4, 4, 3]], 3], [[[1, 4, 4, 5], [1, 4, 4, 3], [1, 4, 4, 1]], -1], [[[2, 3, 4], [2, 1, 4]], 1],
      [[[2, 3], [5, 3]], 0], [[[1, 896, 16], [1, 512, 16]], 1], [[[7], [9], [2]], 0], [[[1, 2, 2, 9]], 3],
    ];
    cases.forEach(([shapes, axis], i) => {
      for (const type of [F32, TensorType.INT32]) {
        const act = type === F32 ? ACTS[i % 4]! : Act.NONE;
        const c: OpCase = {
          op: Op.CONCATENATION, options: { kind: 'ConcatenationOptions', axis, fusedActivationFunction: act },
          inputs: shapes.map((shape, k) => ({
            type, shape, constant: k === 1 && i % 2 === 0,
            data: type === F32 ? randArray(r, size(shape), 3) : Int32Array.from({ length: size(shape) }, (_, j) => j - 5),
          })),
          outputs: [{ type }],
        };
        const res = runTwin(c);
        expect(res.wasm, `CONCATENATION ${TensorType[type]} ${JSON.stringify(shapes)} axis=${axis} act=${Act[act]}`).toEqual(res.js);
      }
    });
  });
});
