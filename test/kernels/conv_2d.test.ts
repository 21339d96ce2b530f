import { describe, expect, it } from 'vitest';
import type { Conv2DOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { PrepareError } from '../../schema/errors.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naiveConv2D, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;

function opts(o: Partial<Conv2DOptions> = {}): Conv2DOptions {
  return {
    kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1,
    fusedActivationFunction: Act.NONE, dilationWFactor: 1, dilationHFactor: 1, ...o,
  };
}

function conv(
  x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number> | null,
  o: Conv2DOptions, version = 1, constant = true,
) {
  return runOp({
    op: BuiltinOperator.CONV_2D, version, options: o,
    inputs: [
      { type: F32, shape: xs, data: x },
      { type: F32, shape: fs, data: f, constant },
      bias ? { type: F32, shape: [bias.length], data: bias, constant } : null,
    ],
    outputs: [{ type: F32 }],
  })[0]!;
}

describe('CONV_2D float32', () => {
  // Values from TFLite's conv_test.cc SimpleTestFloat32: 2 images 2x4, three 2x2 filters, stride 2, VALID.
  it('x=[2,2,4,1] f=[3,2,2,1] s=2 p=valid with bias', () => {
    const y = conv(
      [1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4], [2, 2, 4, 1],
      [1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1], [3, 2, 2, 1], [1, 2, 3],
      opts({ strideH: 2, strideW: 2 }),
    );
    expect(y.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3]);
  });

  it('x=[1,3,3,1] f=[1,3,3,1] s=1 p=same: padded taps contribute nothing', () => {
    // All-ones 3x3 filter sums each clipped 3x3 window of 1..9.
    const y = conv([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], new Array(9).fill(1), [1, 3, 3, 1], null,
      opts({ padding: Padding.SAME }));
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('fused RELU6 and RELU_N1_TO_1 clamp the sums', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const f = [1, 0, 0, 0, -1, 0, 0, 0, 0]; // y = x[iy-1, ix-1] - x[iy, ix]
    const r6 = conv(x, [1, 3, 3, 1], f, [1, 3, 3, 1], [7], opts({ padding: Padding.SAME, fusedActivationFunction: Act.RELU6 }));
    expect(Array.from(r6.data as Float32Array)).toEqual([6, 5, 4, 3, 3, 3, 0, 3, 3]);
    const r1 = conv(x, [1, 3, 3, 1], f, [1, 3, 3, 1], [0.5], opts({ padding: Padding.SAME, fusedActivationFunction: Act.RELU_N1_TO_1 }));
    expect(Array.from(r1.data as Float32Array)).toEqual([-0.5, -1, -1, -1, -1, -1, -1, -1, -1]);
  });

  it('grouped convolution (v6): 4 input channels, filter with 2 in-channels, 2 groups', () => {
    // Group 0 sees channels 0,1 and produces output 0; group 1 sees channels 2,3 and produces output 1.
    const y = conv([1, 2, 3, 4], [1, 1, 1, 4], [1, 10, 100, 1000], [2, 1, 1, 2], null, opts(), 6);
    expect(Array.from(y.data as Float32Array)).toEqual([21, 4300]);
  });

  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
  it('matches the naive reference on 60 seeded random cases', () => {
    const r = rng(1234);
    for (let t = 0; t < 60; t++) {
      const B = randInt(r, 1, 2), H = randInt(r, 1, 11), W = randInt(r, 1, 11);
      const groups = t % 7 === 6 ? 2 : 1;
      const CI = randInt(r, 1, 9), C = CI * groups;
      const O = groups * randInt(r, 1, 13);
      const KH = randInt(r, 1, 4), KW = randInt(r, 1, 4);
      const sH = randInt(r, 1, 3), sW = randInt(r, 1, 3);
      const dH = t % 5 === 0 ? 2 : 1, dW = t % 4 === 0 ? 2 : 1;
      const padding = r() < 0.6 ? Padding.SAME : Padding.VALID;
      if (padding === Padding.VALID && (H < (KH - 1) * dH + 1 || W < (KW - 1) * dW + 1)) continue;
      const act = acts[t % 4]!;
      const x = randArray(r, B * H * W * C), f = randArray(r, O * KH * KW * CI), bias = r() < 0.8 ? randArray(r, O) : null;
      const o = opts({ padding, strideH: sH, strideW: sW, dilationHFactor: dH, dilationWFactor: dW, fusedActivationFunction: act });
      const y = conv(x, [B, H, W, C], f, [O, KH, KW, CI], bias, o, groups > 1 ? 6 : 1, t % 3 !== 0);
      const ref = naiveConv2D(x, [B, H, W, C], f, [O, KH, KW, CI], bias,
        { strideH: sH, strideW: sW, dilationH: dH, dilationW: dW, padding, act });
      const label = `case ${t}: x=[${B},${H},${W},${C}] f=[${O},${KH},${KW},${CI}] s=${sH}x${sW} d=${dH}x${dW} p=${Padding[padding]}`;
      expect(y.shape, label).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
    }
  });

  it('1x1 stride-1 (direct GEMM) and large channel counts with partial panels', () => {
    const r = rng(99);
    for (const [H, W, C, O] of [[7, 5, 13, 21], [4, 4, 64, 32], [1, 1, 300, 5], [9, 9, 3, 8]] as const) {
      const x = randArray(r, H * W * C), f = randArray(r, O * C), bias = randArray(r, O);
      const y = conv(x, [1, H, W, C], f, [O, 1, 1, C], bias, opts({ padding: Padding.SAME }));
      const ref = naiveConv2D(x, [1, H, W, C], f, [O, 1, 1, C], bias, { strideH: 1, strideW: 1, padding: Padding.SAME, act: Act.NONE });
      expect(firstMismatch(y.data as Float32Array, ref.data)).toBe(-1);
    }
  });

  it('SAME padding with odd and even totals on every side', () => {
    const r = rng(7);
    // 4x4 filter at stride 1 pads 1 before and 2 after; 3x3 at stride 2 on an even size pads 0 before, 1 after.
    for (const [H, K, s] of [[6, 4, 1], [8, 3, 2], [7, 3, 2], [5, 2, 1]] as const) {
      const x = randArray(r, H * H * 2), f = randArray(r, 3 * K * K * 2);
      const y = conv(x, [1, H, H, 2], f, [3, K, K, 2], null, opts({ padding: Padding.SAME, strideH: s, strideW: s }));
      const ref = naiveConv2D(x, [1, H, H, 2], f, [3, K, K, 2], null, { strideH: s, strideW: s, padding: Padding.SAME, act: Act.NONE });
      expect(y.shape).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data)).toBe(-1);
    }
  });

  describe('prepare errors', () => {
    const x = new Float32Array(16), f = new Float32Array(8);
    it('rejects an input that is not rank 4', () => {
      expect(() => conv(x, [4, 4], f, [2, 2, 2, 1], null, opts())).toThrow(/input must have rank 4/);
    });
    it('rejects a filter that is not rank 4', () => {
      expect(() => conv(x, [1, 4, 4, 1], f, [2, 4], null, opts())).toThrow(/filter must have rank 4/);
    });
    it('rejects input channels that are not a multiple of the filter channels', () => {
      expect(() => conv(new Float32Array(48), [1, 4, 4, 3], f, [1, 2, 2, 2], null, opts()))
        .toThrow(/input has 3 channels, not a multiple of the filter's 2 input channels/);
    });
    it('rejects output channels that do not split into the groups', () => {
      expect(() => conv(new Float32Array(32), [1, 4, 4, 2], new Float32Array(12), [3, 2, 2, 1], null, opts(), 6))
        .toThrow(/3 output channels do not split into 2 groups/);
    });
    it('rejects a bias of the wrong size', () => {
      expect(() => conv(x, [1, 4, 4, 1], f, [2, 2, 2, 1], [1, 2, 3], opts())).toThrow(PrepareError);
      expect(() => conv(x, [1, 4, 4, 1], f, [2, 2, 2, 1], [1, 2, 3], opts())).toThrow(/bias has 3 elements, expected 2/);
    });
    it('rejects a hybrid int8 filter', () => {
      expect(() => runOp({
        op: BuiltinOperator.CONV_2D, version: 2, options: opts(),
        inputs: [{ type: F32, shape: [1, 4, 4, 1], data: x }, { type: TensorType.INT8, shape: [2, 2, 2, 1], constant: true }, null],
        outputs: [{ type: F32 }],
      })).toThrow(/hybrid \(dynamic-range\) quantization is not supported: float32 input with INT8 weights/);
    });
    it('rejects TANH as a fused activation', () => {
      expect(() => conv(x, [1, 4, 4, 1], f, [2, 2, 2, 1], null, opts({ fusedActivationFunction: Act.TANH })))
        .toThrow(/fused activation 4 is not supported/);
    });
    it('rejects a VALID filter larger than the input', () => {
      expect(() => conv(new Float32Array(4), [1, 2, 2, 1], new Float32Array(9), [1, 3, 3, 1], null, opts()))
        .toThrow(/output would be empty/);
    });
    it('rejects zero strides', () => {
      expect(() => conv(x, [1, 4, 4, 1], f, [2, 2, 2, 1], null, opts({ strideH: 0 }))).toThrow(/strides must be >= 1/);
    });
  });
});
