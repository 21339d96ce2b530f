import { describe, expect, it } from 'vitest';
import type { Pool2DOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naivePool, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;

function opts(o: Partial<Pool2DOptions> = {}): Pool2DOptions {
  return { kind: 'Pool2DOptions', padding: Padding.VALID, strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, fusedActivationFunction: Act.NONE, ...o };
}

function pool(op: BuiltinOperator, x: ArrayLike<number>, xs: number[], o: Pool2DOptions) {
  return runOp({ op, version: 1, options: o, inputs: [{ type: F32, shape: xs, data: x }], outputs: [{ type: F32 }] })[0]!;
}

const AVG = BuiltinOperator.AVERAGE_POOL_2D, MAX = BuiltinOperator.MAX_POOL_2D;

describe('AVERAGE_POOL_2D / MAX_POOL_2D float32', () => {
  // Values from TFLite's pooling_test.cc float cases: 2x4 input, 2x2 window, stride 2, VALID.
  const x = [0, 6, 2, 4, 3, 2, 10, 7];
  it('average x=[1,2,4,1] f=2x2 s=2 p=valid', () => {
    const y = pool(AVG, x, [1, 2, 4, 1], opts());
    expect(y.shape).toEqual([1, 1, 2, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([2.75, 5.75]);
  });
  it('max x=[1,2,4,1] f=2x2 s=2 p=valid', () => {
    expect(Array.from(pool(MAX, x, [1, 2, 4, 1], opts()).data as Float32Array)).toEqual([6, 10]);
  });
  it('SAME padding: the average divides by the in-bounds count, the max ignores padded cells', () => {
    // 3x3 input, 2x2 window stride 2 SAME: output 2x2, the right column and bottom row windows are clipped.
    const v = [-1, -2, -3, -4, -5, -6, -7, -8, -9];
    expect(Array.from(pool(AVG, v, [1, 3, 3, 1], opts({ padding: Padding.SAME })).data as Float32Array)).toEqual([-3, -4.5, -7.5, -9]);
    expect(Array.from(pool(MAX, v, [1, 3, 3, 1], opts({ padding: Padding.SAME })).data as Float32Array)).toEqual([-1, -3, -7, -9]);
  });
  it('fused RELU6 clamps the result', () => {
    expect(Array.from(pool(MAX, x, [1, 2, 4, 1], opts({ fusedActivationFunction: Act.RELU6 })).data as Float32Array)).toEqual([6, 6]);
  });

  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
  it('matches the naive reference on 60 seeded random cases', () => {
    const r = rng(5);
    for (let t = 0; t < 60; t++) {
      const B = randInt(r, 1, 2), H = randInt(r, 1, 10), W = randInt(r, 1, 10), C = randInt(r, 1, 6);
      const fH = randInt(r, 1, 4), fW = randInt(r, 1, 4), sH = randInt(r, 1, 3), sW = randInt(r, 1, 3);
      const padding = r() < 0.6 ? Padding.SAME : Padding.VALID;
      if (padding === Padding.VALID && (H < fH || W < fW)) continue;
      const act = acts[t % 4]!;
      const v = randArray(r, B * H * W * C, 3);
      for (const [op, kind] of [[AVG, 'avg'], [MAX, 'max']] as const) {
        const y = pool(op, v, [B, H, W, C], opts({ padding, strideH: sH, strideW: sW, filterHeight: fH, filterWidth: fW, fusedActivationFunction: act }));
        const ref = naivePool(v, [B, H, W, C], kind, { filterH: fH, filterW: fW, strideH: sH, strideW: sW, padding, act });
        const label = `case ${t} ${kind}: x=[${B},${H},${W},${C}] f=${fH}x${fW} s=${sH}x${sW} p=${Padding[padding]}`;
        expect(y.shape, label).toEqual(ref.shape);
        expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
      }
    }
  });

  describe('prepare errors', () => {
    it('rejects an input that is not rank 4', () => {
      expect(() => pool(AVG, new Float32Array(4), [2, 2], opts())).toThrow(/input must have rank 4/);
    });
    it('rejects a zero filter size', () => {
      expect(() => pool(MAX, new Float32Array(4), [1, 2, 2, 1], opts({ filterWidth: 0 }))).toThrow(/filter size must be >= 1/);
    });
    it('rejects a VALID window larger than the input', () => {
      expect(() => pool(AVG, new Float32Array(4), [1, 2, 2, 1], opts({ filterHeight: 3, filterWidth: 3 }))).toThrow(/output would be empty/);
    });
    it('rejects TANH as a fused activation', () => {
      expect(() => pool(MAX, new Float32Array(4), [1, 2, 2, 1], opts({ fusedActivationFunction: Act.TANH }))).toThrow(/fused activation 4 is not supported/);
    });
  });
});
