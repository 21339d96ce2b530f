import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naiveTransposeConv, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;
const SAME = 1, VALID = 2; // TfLitePadding values in the custom options

function customOptions(padding: number, strideW: number, strideH: number): Uint8Array {
  return new Uint8Array(new Int32Array([padding, strideW, strideH]).buffer);
}

function custom(x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number>, options: Uint8Array | null) {
  return runOp({
    op: 'Convolution2DTransposeBias', customOptions: options,
    inputs: [{ type: F32, shape: xs, data: x }, { type: F32, shape: fs, data: f, constant: true }, { type: F32, shape: [bias.length], data: bias, constant: true }],
    outputs: [{ type: F32 }],
  })[0]!;
}

describe('Convolution2DTransposeBias (MediaPipe custom op) float32', () => {
  it('2x2 kernel stride 2 SAME doubles an even size: each input pixel becomes a 2x2 block of filter * value + bias', () => {
    const y = custom([1, 2, 3, 0], [1, 2, 2, 1], [1, 2, 3, 4], [1, 2, 2, 1], [10], customOptions(SAME, 2, 2));
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([11, 12, 12, 14, 13, 14, 16, 18, 13, 16, 10, 10, 19, 22, 10, 10]);
  });

  it('2x2 kernel stride 2 SAME on an odd size gives 2*in - 1 (padding 1, none before)', () => {
    const y = custom([1, 2, 3], [1, 1, 3, 1], [1, 2, 3, 4], [1, 2, 2, 1], [0], customOptions(SAME, 2, 2));
    expect(y.shape).toEqual([1, 1, 5, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([1, 2, 2, 4, 3]);
  });

  it('agrees with TRANSPOSE_CONV v3 (the patched selfie model) on 2x2/2 SAME with bias, even and odd sizes', () => {
    const r = rng(31);
    for (const [H, W, C, O] of [[8, 8, 16, 8], [7, 5, 3, 4], [1, 1, 2, 3], [6, 9, 8, 16]] as const) {
      const x = randArray(r, H * W * C), f = randArray(r, O * 4 * C), bias = randArray(r, O);
      const y = custom(x, [1, H, W, C], f, [O, 2, 2, C], bias, customOptions(SAME, 2, 2));
      // MediaPipe: out = 2*(in-1) + 2 - padTotal, padTotal = max(0, 2 - (in-1) % 2 - 1).
      const outH = 2 * H - (H % 2), outW = 2 * W - (W % 2);
      expect(y.shape).toEqual([1, outH, outW, O]);
      const t = runOp({
        op: BuiltinOperator.TRANSPOSE_CONV, version: 3,
        options: { kind: 'TransposeConvOptions', padding: Padding.SAME, strideW: 2, strideH: 2, fusedActivationFunction: Act.NONE },
        inputs: [
          { type: TensorType.INT32, shape: [4], data: [1, outH, outW, O], constant: true },
          { type: F32, shape: [O, 2, 2, C], data: f, constant: true },
          { type: F32, shape: [1, H, W, C], data: x },
          { type: F32, shape: [O], data: bias, constant: true },
        ],
        outputs: [{ type: F32 }],
      })[0]!;
      expect(Array.from(y.data as Float32Array)).toEqual(Array.from(t.data as Float32Array));
    }
  });

  it('matches the naive reference for other kernels, strides and VALID padding', () => {
    const r = rng(8);
    for (let t = 0; t < 30; t++) {
      const H = randInt(r, 1, 6), W = randInt(r, 1, 6), C = randInt(r, 1, 5), O = randInt(r, 1, 9);
      const KH = randInt(r, 1, 4), KW = randInt(r, 1, 4), sH = randInt(r, 1, 3), sW = randInt(r, 1, 3);
      const same = t % 2 === 0;
      const x = randArray(r, H * W * C), f = randArray(r, O * KH * KW * C), bias = randArray(r, O);
      const y = custom(x, [1, H, W, C], f, [O, KH, KW, C], bias, customOptions(same ? SAME : VALID, sW, sH));
      const totH = same ? Math.max(0, KH - ((H - 1) % sH) - 1) : 0, totW = same ? Math.max(0, KW - ((W - 1) % sW) - 1) : 0;
      const outH = sH * (H - 1) + KH - totH, outW = sW * (W - 1) + KW - totW;
      const ref = naiveTransposeConv(x, [1, H, W, C], f, [O, KH, KW, C], bias,
        { outH, outW, padTop: Math.floor(totH / 2), padLeft: Math.floor(totW / 2), strideH: sH, strideW: sW, act: Act.NONE });
      const label = `case ${t}: ${H}x${W}x${C} f=${O}x${KH}x${KW} s=${sH}x${sW} ${same ? 'SAME' : 'VALID'}`;
      expect(y.shape, label).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
    }
  });

  describe('prepare errors', () => {
    const x = new Float32Array(4), f = new Float32Array(4);
    it('rejects missing or short custom options', () => {
      expect(() => custom(x, [1, 2, 2, 1], f, [1, 2, 2, 1], [0], null)).toThrow(/custom options must hold padding, stride_width, stride_height/);
      expect(() => custom(x, [1, 2, 2, 1], f, [1, 2, 2, 1], [0], new Uint8Array(8))).toThrow(/got 8 bytes/);
    });
    it('rejects an unknown padding value', () => {
      expect(() => custom(x, [1, 2, 2, 1], f, [1, 2, 2, 1], [0], customOptions(0, 2, 2))).toThrow(/padding 0 is not SAME \(1\) or VALID \(2\)/);
    });
    it('rejects zero strides', () => {
      expect(() => custom(x, [1, 2, 2, 1], f, [1, 2, 2, 1], [0], customOptions(SAME, 0, 2))).toThrow(/strides must be >= 1/);
    });
    it('rejects a bias that does not match the filter output channels', () => {
      expect(() => custom(x, [1, 2, 2, 1], f, [1, 2, 2, 1], [0, 1], customOptions(SAME, 2, 2))).toThrow(/bias must be \[1\]/);
    });
    it('rejects a channel mismatch between input and filter', () => {
      expect(() => custom(new Float32Array(8), [1, 2, 2, 2], f, [1, 2, 2, 1], [0], customOptions(SAME, 2, 2))).toThrow(/input has 2 channels but the filter expects 1/);
    });
  });
});
