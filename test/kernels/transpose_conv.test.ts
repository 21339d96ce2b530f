import { describe, expect, it } from 'vitest';
import type { TransposeConvOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naiveTransposeConv, padding1D, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;

function opts(o: Partial<TransposeConvOptions> = {}): TransposeConvOptions {
  return { kind: 'TransposeConvOptions', padding: Padding.SAME, strideW: 1, strideH: 1, fusedActivationFunction: Act.NONE, ...o };
}

function tconv(
  outShape: number[], f: ArrayLike<number>, fs: number[], x: ArrayLike<number>, xs: number[], bias: ArrayLike<number> | null,
  o: TransposeConvOptions, constant = true, version = bias ? 3 : 1,
) {
  return runOp({
    op: BuiltinOperator.TRANSPOSE_CONV, version, options: o,
    inputs: [
      { type: TensorType.INT32, shape: [outShape.length], data: outShape, constant: true },
      { type: F32, shape: fs, data: f, constant },
      { type: F32, shape: xs, data: x },
      ...(bias ? [{ type: F32, shape: [bias.length], data: bias, constant }] : []),
    ],
    outputs: [{ type: F32 }],
  })[0]!;
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('TRANSPOSE_CONV float32', () => {
  // Values from TFLite's transpose_conv_test.cc SimpleTest: 4x4 input 1..16, 3x3 filter 1..9, SAME, stride 1.
  it('out=[1,4,4,1] f=[1,3,3,1] s=1 p=same', () => {
    const y = tconv([1, 4, 4, 1], iota(9), [1, 3, 3, 1], iota(16), [1, 4, 4, 1], null, opts());
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([29, 62, 83, 75, 99, 192, 237, 198, 207, 372, 417, 330, 263, 446, 485, 365]);
  });

  // transpose_conv_test.cc StrideValid: 2x2 input scattered with stride 2 into a 5x5 output.
  it('out=[1,5,5,1] f=[1,3,3,1] s=2 p=valid', () => {
    const y = tconv([1, 5, 5, 1], iota(9), [1, 3, 3, 1], [1, 2, 3, 4], [1, 2, 2, 1], null, opts({ padding: Padding.VALID, strideH: 2, strideW: 2 }));
    expect(Array.from(y.data as Float32Array)).toEqual([
      1, 2, 5, 4, 6, 4, 5, 14, 10, 12, 10, 14, 36, 24, 30, 12, 15, 34, 20, 24, 21, 24, 55, 32, 36,
    ]);
  });

  it('bias (v3) and fused RELU (v4)', () => {
    // One input pixel, two output channels: the output is the filter scaled by the input, plus the bias.
    const f = [1, -2, 3, -4, -1, 2, -3, 4];
    const y = tconv([1, 2, 2, 2], f, [2, 2, 2, 1], [2], [1, 1, 1, 1], [0.5, -0.5], opts({ padding: Padding.VALID, fusedActivationFunction: Act.RELU }), true, 4);
    expect(Array.from(y.data as Float32Array)).toEqual([2.5, 0, 0, 3.5, 6.5, 0, 0, 7.5]);
  });

  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
  it('matches the naive reference on 50 seeded random cases', () => {
    const r = rng(2024);
    for (let t = 0; t < 50; t++) {
      const B = randInt(r, 1, 2), H = randInt(r, 1, 6), W = randInt(r, 1, 6), C = randInt(r, 1, 7), O = randInt(r, 1, 11);
      const KH = randInt(r, 1, 4), KW = randInt(r, 1, 4), sH = randInt(r, 1, 3), sW = randInt(r, 1, 3);
      const padding = t % 2 === 0 ? Padding.SAME : Padding.VALID;
      // An output size whose forward convolution gives back the input size.
      const outH = padding === Padding.SAME ? H * sH - randInt(r, 0, sH - 1) : (H - 1) * sH + KH + randInt(r, 0, sH - 1);
      const outW = padding === Padding.SAME ? W * sW - randInt(r, 0, sW - 1) : (W - 1) * sW + KW + randInt(r, 0, sW - 1);
      const act = acts[t % 4]!;
      const f = randArray(r, O * KH * KW * C), x = randArray(r, B * H * W * C), bias = t % 3 === 0 ? null : randArray(r, O);
      const y = tconv([B, outH, outW, O], f, [O, KH, KW, C], x, [B, H, W, C], bias, opts({ padding, strideH: sH, strideW: sW, fusedActivationFunction: act }), t % 4 !== 1, 4);
      const ph = padding1D(padding, outH, KH, sH), pw = padding1D(padding, outW, KW, sW);
      const ref = naiveTransposeConv(x, [B, H, W, C], f, [O, KH, KW, C], bias,
        { outH, outW, padTop: ph.before, padLeft: pw.before, strideH: sH, strideW: sW, act });
      const label = `case ${t}: x=[${B},${H},${W},${C}] f=[${O},${KH},${KW},${C}] out=${outH}x${outW} s=${sH}x${sW} p=${Padding[padding]}`;
      expect(y.shape, label).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
    }
  });

  describe('prepare errors', () => {
    const f = new Float32Array(9), x = new Float32Array(4);
    it('rejects an output_shape that is not INT32 [4]', () => {
      expect(() => runOp({
        op: BuiltinOperator.TRANSPOSE_CONV, version: 1, options: opts(),
        inputs: [{ type: TensorType.INT32, shape: [3], data: [1, 4, 4], constant: true }, { type: F32, shape: [1, 3, 3, 1], data: f, constant: true }, { type: F32, shape: [1, 2, 2, 1], data: x }],
        outputs: [{ type: F32 }],
      })).toThrow(/output_shape must be an INT32 tensor of shape \[4\]/);
    });
    it('rejects a non-constant output_shape', () => {
      expect(() => runOp({
        op: BuiltinOperator.TRANSPOSE_CONV, version: 1, options: opts(),
        inputs: [{ type: TensorType.INT32, shape: [4], data: [1, 4, 4, 1] }, { type: F32, shape: [1, 3, 3, 1], data: f, constant: true }, { type: F32, shape: [1, 2, 2, 1], data: x }],
        outputs: [{ type: F32 }],
      })).toThrow(/output_shape must be a constant tensor/);
    });
    it('rejects an output depth different from the filter output channels', () => {
      expect(() => tconv([1, 4, 4, 2], f, [1, 3, 3, 1], x, [1, 2, 2, 1], null, opts())).toThrow(/output_shape depth 2 does not match the filter's 1 output channels/);
    });
    it('rejects input channels different from the filter input channels', () => {
      expect(() => tconv([1, 4, 4, 1], new Float32Array(18), [1, 3, 3, 2], x, [1, 2, 2, 1], null, opts())).toThrow(/input has 1 channels but the filter expects 2/);
    });
    it('rejects a bias of the wrong size', () => {
      expect(() => tconv([1, 4, 4, 1], f, [1, 3, 3, 1], x, [1, 2, 2, 1], [1, 2], opts())).toThrow(/bias must be \[1\]/);
    });
    it('rejects a batch mismatch', () => {
      expect(() => tconv([2, 4, 4, 1], f, [1, 3, 3, 1], x, [1, 2, 2, 1], null, opts())).toThrow(/output_shape batch 2 does not match the input/);
    });
  });
});
