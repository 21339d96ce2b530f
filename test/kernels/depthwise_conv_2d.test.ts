import { describe, expect, it } from 'vitest';
import type { DepthwiseConv2DOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naiveDepthwise, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;

function opts(o: Partial<DepthwiseConv2DOptions> = {}): DepthwiseConv2DOptions {
  return {
    kind: 'DepthwiseConv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, depthMultiplier: 1,
    fusedActivationFunction: Act.NONE, dilationWFactor: 1, dilationHFactor: 1, ...o,
  };
}

function dw(
  x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number> | null,
  o: DepthwiseConv2DOptions, constant = true, version = 1,
) {
  return runOp({
    op: BuiltinOperator.DEPTHWISE_CONV_2D, version, options: o,
    inputs: [
      { type: F32, shape: xs, data: x },
      { type: F32, shape: fs, data: f, constant },
      bias ? { type: F32, shape: [bias.length], data: bias, constant } : null,
    ],
    outputs: [{ type: F32 }],
  })[0]!;
}

describe('DEPTHWISE_CONV_2D float32', () => {
  // Values from TFLite's depthwise_conv_test.cc SimpleTest: 2 input channels, multiplier 2, 2x2 filter, VALID.
  it('x=[1,3,2,2] f=[1,2,2,4] m=2 p=valid', () => {
    const y = dw(
      [1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12], [1, 3, 2, 2],
      [1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16], [1, 2, 2, 4], [1, 2, 3, 4],
      opts({ depthMultiplier: 2 }),
    );
    expect(y.shape).toEqual([1, 2, 1, 4]);
    expect(Array.from(y.data as Float32Array)).toEqual([71, -34, 99, -20, 91, -26, 127, -4]);
  });

  it('3x3 SAME stride 1 on 3x3: borders clip the window', () => {
    const y = dw([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], new Array(9).fill(1), [1, 3, 3, 1], [0.5], opts({ padding: Padding.SAME }));
    expect(Array.from(y.data as Float32Array)).toEqual([12.5, 21.5, 16.5, 27.5, 45.5, 33.5, 24.5, 39.5, 28.5]);
  });

  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
  it('matches the naive reference on 80 seeded random cases', () => {
    const r = rng(4321);
    for (let t = 0; t < 80; t++) {
      const B = randInt(r, 1, 2), H = randInt(r, 1, 12), W = randInt(r, 1, 12), C = randInt(r, 1, 11);
      const m = t % 4 === 3 ? randInt(r, 2, 3) : 1;
      // Half the cases use the 3x3 fast path (multiplier 1, no dilation).
      const square3 = t % 2 === 0;
      const KH = square3 ? 3 : randInt(r, 1, 5), KW = square3 ? 3 : randInt(r, 1, 5);
      const s = randInt(r, 1, 2), sW = t % 5 === 1 ? 3 : s;
      const d = !square3 && t % 3 === 0 ? 2 : 1;
      const padding = r() < 0.6 ? Padding.SAME : Padding.VALID;
      if (padding === Padding.VALID && (H < (KH - 1) * d + 1 || W < (KW - 1) * d + 1)) continue;
      const act = acts[t % 4]!;
      const x = randArray(r, B * H * W * C, 2), f = randArray(r, KH * KW * C * m), bias = r() < 0.8 ? randArray(r, C * m) : null;
      const o = opts({ padding, strideH: s, strideW: sW, dilationHFactor: d, dilationWFactor: d, depthMultiplier: m, fusedActivationFunction: act });
      const y = dw(x, [B, H, W, C], f, [1, KH, KW, C * m], bias, o, t % 3 !== 2, d > 1 ? 2 : 1);
      const ref = naiveDepthwise(x, [B, H, W, C], f, [1, KH, KW, C * m], bias, { strideH: s, strideW: sW, dilationH: d, dilationW: d, padding, act });
      const label = `case ${t}: x=[${B},${H},${W},${C}] f=[1,${KH},${KW},${C * m}] s=${s}x${sW} d=${d} p=${Padding[padding]}`;
      expect(y.shape, label).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
    }
  });

  it('3x3 fast path on larger images: stride 1 and 2, odd sizes, SAME and VALID', () => {
    const r = rng(11);
    for (const [H, W, C, s, padding] of [
      [17, 13, 8, 1, Padding.SAME], [17, 13, 8, 2, Padding.SAME], [16, 16, 5, 2, Padding.SAME], [9, 11, 3, 2, Padding.VALID], [5, 40, 16, 1, Padding.VALID],
    ] as const) {
      const x = randArray(r, H * W * C), f = randArray(r, 9 * C), bias = randArray(r, C);
      const y = dw(x, [1, H, W, C], f, [1, 3, 3, C], bias, opts({ padding, strideH: s, strideW: s, fusedActivationFunction: Act.RELU6 }));
      const ref = naiveDepthwise(x, [1, H, W, C], f, [1, 3, 3, C], bias, { strideH: s, strideW: s, padding, act: Act.RELU6 });
      expect(firstMismatch(y.data as Float32Array, ref.data), `${H}x${W}x${C} s=${s}`).toBe(-1);
    }
  });

  it('general interior path: 5x5 stride 1 and 2, dilation 2, multiplier 2, on larger images', () => {
    const r = rng(12);
    for (const [H, W, C, m, K, s, d] of [
      [20, 23, 6, 1, 5, 1, 1], [21, 18, 5, 1, 5, 2, 1], [19, 19, 4, 2, 5, 1, 1], [16, 17, 3, 1, 3, 1, 2], [15, 22, 3, 3, 4, 2, 1],
    ] as const) {
      const x = randArray(r, H * W * C), f = randArray(r, K * K * C * m), bias = randArray(r, C * m);
      const o = opts({ padding: Padding.SAME, strideH: s, strideW: s, dilationHFactor: d, dilationWFactor: d, depthMultiplier: m, fusedActivationFunction: Act.RELU });
      const y = dw(x, [1, H, W, C], f, [1, K, K, C * m], bias, o, true, d > 1 ? 2 : 1);
      const ref = naiveDepthwise(x, [1, H, W, C], f, [1, K, K, C * m], bias, { strideH: s, strideW: s, dilationH: d, dilationW: d, padding: Padding.SAME, act: Act.RELU });
      expect(firstMismatch(y.data as Float32Array, ref.data), `${H}x${W}x${C} m=${m} k=${K} s=${s} d=${d}`).toBe(-1);
    }
  });

  describe('prepare errors', () => {
    const x = new Float32Array(32);
    it('rejects an input that is not rank 4', () => {
      expect(() => dw(x, [32], new Float32Array(8), [1, 2, 2, 2], null, opts())).toThrow(/input must have rank 4/);
    });
    it('rejects a filter not shaped [1,H,W,C]', () => {
      expect(() => dw(x, [1, 4, 4, 2], new Float32Array(16), [2, 2, 2, 2], null, opts())).toThrow(/filter must have shape \[1,H,W,C\]/);
    });
    it('rejects filter channels that are not a multiple of the input channels', () => {
      expect(() => dw(x, [1, 4, 4, 2], new Float32Array(12), [1, 2, 2, 3], null, opts()))
        .toThrow(/filter has 3 channels, not a multiple of the input's 2 channels/);
    });
    it('rejects a bias of the wrong size', () => {
      expect(() => dw(x, [1, 4, 4, 2], new Float32Array(8), [1, 2, 2, 2], [1], opts())).toThrow(/bias has 1 elements, expected 2/);
    });
    it('rejects a hybrid int8 filter', () => {
      expect(() => runOp({
        op: BuiltinOperator.DEPTHWISE_CONV_2D, version: 4, options: opts(),
        inputs: [{ type: F32, shape: [1, 4, 4, 2], data: x }, { type: TensorType.INT8, shape: [1, 2, 2, 2], constant: true }, null],
        outputs: [{ type: F32 }],
      })).toThrow(/hybrid \(dynamic-range\) quantization is not supported: float32 input with INT8 weights/);
    });
    it('rejects zero dilation', () => {
      expect(() => dw(x, [1, 4, 4, 2], new Float32Array(8), [1, 2, 2, 2], null, opts({ dilationHFactor: 0 }))).toThrow(/dilation factors must be >= 1/);
    });
  });
});
