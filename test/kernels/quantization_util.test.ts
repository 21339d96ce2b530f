import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, TensorType } from '../../schema/enums.js';
import {
  INT32_MAX, INT32_MIN, REQUANT_STRIDE, activationRangeQuantized, clampInt, frexp, multiplyByQuantizedMultiplier, quantizeMultiplier,
  refuseHybrid, requantize, roundHalfAwayFromZero, setRequantChannel, roundingDivideByPOT, saturatingRoundingDoublingHighMul,
  saturatingRoundingDoublingHighMulBigInt,
} from '../../kernels/internal/quantization_util.js';
import { Tensor } from '../../kernels/tensor.js';
import { DEFAULT_KERNEL_CONTEXT, type KernelNode } from '../../kernels/kernel.js';
import { rng } from '../helpers/rng.js';

/** BigInt model of the whole double-rounding MultiplyByQuantizedMultiplier, written from common.h. */
function mbqmBig(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const xs = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  let a = Number(xs);
  a = saturatingRoundingDoublingHighMulBigInt(a, m);
  if (right === 0) return a;
  const big = BigInt(a);
  const mask = (1n << BigInt(right)) - 1n;
  const rem = big & mask;
  const threshold = (mask >> 1n) + (big < 0n ? 1n : 0n);
  return Number((big >> BigInt(right)) + (rem > threshold ? 1n : 0n));
}


describe('roundHalfAwayFromZero', () => {
  it('sends ties away from zero like std::round', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(-0.5)).toBe(-1);
    expect(roundHalfAwayFromZero(0.49999999999999994)).toBe(0);
    expect(roundHalfAwayFromZero(-1.4)).toBe(-1);
  });
});

describe('frexp', () => {
  it('returns a fraction in [0.5, 1)', () => {
    expect(frexp(1)).toEqual({ fraction: 0.5, exponent: 1 });
    expect(frexp(0.75)).toEqual({ fraction: 0.75, exponent: 0 });
    expect(frexp(-3)).toEqual({ fraction: -0.75, exponent: 2 });
    expect(frexp(2 ** -40)).toEqual({ fraction: 0.5, exponent: -39 });
    const f = frexp(0.1);
    expect(f.fraction * 2 ** f.exponent).toBe(0.1);
  });
});

describe('quantizeMultiplier', () => {
  it('gives frexp fraction * 2^31 and the frexp exponent', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 1073741824, shift: 1 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 1073741824, shift: 0 });
    expect(quantizeMultiplier(2)).toEqual({ multiplier: 1073741824, shift: 2 });
    expect(quantizeMultiplier(-1)).toEqual({ multiplier: -1073741824, shift: 1 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 1073741824, shift: -1 });
    expect(quantizeMultiplier(1e-10)).toEqual({ multiplier: 0, shift: 0 }); // 0.859 * 2^-33: flushed
    expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 }); // round(0.8 * 2^31)
  });
  it('halves q_fixed == 2^31 and increments the shift', () => {
    // Just below 1: frexp gives q = 1 - 2^-53, q * 2^31 rounds to 2^31.
    const r = quantizeMultiplier(1 - 2 ** -40);
    expect(r).toEqual({ multiplier: 1073741824, shift: 1 });
  });
  it('flushes multipliers below 2^-32 to zero (shift < -31)', () => {
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 1073741824, shift: -31 });
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(1e-12)).toEqual({ multiplier: 0, shift: 0 });
  });
  it('keeps the multiplier in [2^30, 2^31) and reconstructs the real value', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const real = Math.exp((r() - 0.7) * 30);
      const { multiplier, shift } = quantizeMultiplier(real);
      expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
      expect(multiplier).toBeLessThanOrEqual(INT32_MAX);
      expect(Math.abs(multiplier * 2 ** (shift - 31) - real) / real).toBeLessThan(2 ** -30);
    }
  });
});

describe('saturatingRoundingDoublingHighMul', () => {
  const edges = [INT32_MIN, INT32_MIN + 1, -65537, -65536, -65535, -32768, -2, -1, 0, 1, 2, 32767, 65535, 65536,
    1 << 30, (1 << 30) + 1, INT32_MAX - 1, INT32_MAX];
  it('saturates INT32_MIN * INT32_MIN', () => {
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1);
  });
  it('rounds ties away from zero (nudge 2^30 / 1 - 2^30)', () => {
    // 1 * 2^30 = 2^30 → (2^30 + 2^30) / 2^31 = 1; -1 * 2^30 → (-2^30 + 1 - 2^30) / 2^31 = -0.99.. → 0 truncated
    expect(saturatingRoundingDoublingHighMul(1, 1 << 30)).toBe(1);
    expect(saturatingRoundingDoublingHighMul(-1, 1 << 30)).toBe(0);
    expect(saturatingRoundingDoublingHighMul(-3, 1 << 30)).toBe(-1);
    expect(saturatingRoundingDoublingHighMul(3, 1 << 30)).toBe(2);
  });
  it('equals the BigInt 64-bit reference on all edge pairs', () => {
    for (const a of edges) for (const b of edges) {
      expect(saturatingRoundingDoublingHighMul(a, b), `${a} * ${b}`).toBe(saturatingRoundingDoublingHighMulBigInt(a, b));
    }
  });
  it('equals the BigInt reference on 200k random pairs', () => {
    const r = rng(42);
    let diff = 0;
    for (let i = 0; i < 200000; i++) {
      const a = (r() * 4294967296) | 0;
      const bits = 1 + Math.floor(r() * 32);
      const b = Math.floor((r() - 0.5) * 2 ** bits) | 0;
      if (saturatingRoundingDoublingHighMul(a, b) !== saturatingRoundingDoublingHighMulBigInt(a, b)) diff++;
    }
    expect(diff).toBe(0);
  });
});

describe('roundingDivideByPOT', () => {
  it('rounds to nearest with ties away from zero', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(4, 1)).toBe(2);
    expect(roundingDivideByPOT(-6, 2)).toBe(-2); // -1.5 → -2
    expect(roundingDivideByPOT(-5, 2)).toBe(-1); // -1.25 → -1
    expect(roundingDivideByPOT(6, 2)).toBe(2); // 1.5 → 2
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1);
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1);
    expect(roundingDivideByPOT(-(2 ** 30), 31)).toBe(-1); // -0.5 → -1
    expect(roundingDivideByPOT(2 ** 30, 31)).toBe(1); // 0.5 → 1
    expect(roundingDivideByPOT(2 ** 30 - 1, 31)).toBe(0);
    expect(roundingDivideByPOT(7, 0)).toBe(7);
  });
});

describe('multiplyByQuantizedMultiplier', () => {
  it('handles the edge values', () => {
    expect(multiplyByQuantizedMultiplier(INT32_MIN, INT32_MIN, 0)).toBe(INT32_MAX);
    expect(multiplyByQuantizedMultiplier(INT32_MAX, INT32_MAX, 0)).toBe(INT32_MAX - 1);
    expect(multiplyByQuantizedMultiplier(INT32_MAX, INT32_MAX, -31)).toBe(1);
    expect(multiplyByQuantizedMultiplier(INT32_MIN, 1 << 30, -31)).toBe(-1); // -2^30 / 2^31 → -0.5 → -1
    expect(multiplyByQuantizedMultiplier(100, 1 << 30, 1)).toBe(100);
    expect(multiplyByQuantizedMultiplier(-100, 1 << 30, 1)).toBe(-100);
    expect(multiplyByQuantizedMultiplier(3, 1 << 30, -1)).toBe(1); // 0.75 → 1
    expect(multiplyByQuantizedMultiplier(-3, 1 << 30, -1)).toBe(-1);
    expect(multiplyByQuantizedMultiplier(-2, 1 << 30, -1)).toBe(-1); // -0.5 → -1 (tie away)
    expect(multiplyByQuantizedMultiplier(2, 1 << 30, -1)).toBe(1);
  });
  it('shows the double rounding of the default TFLite build', () => {
    // x = 5, multiplier 0.75 (1610612736), shift -2: high mul 5*0.75 = 3.75 → 4, then 4/4 = 1;
    // single rounding of 5 * 0.75 / 4 = 0.9375 also gives 1, but x = 3, m = 0.5+2^-31, shift -1 separates them:
    const m = (1 << 30) + 1;
    // 3 * m / 2^31 = 1.5000000014 → high mul rounds to 2; 2 / 2 = 1 (single rounding 0.75000.. → 1 as well)
    expect(multiplyByQuantizedMultiplier(3, m, -1)).toBe(1);
    // 1 * 2^30 → 0.5 → 1 after the high mul, then /2 = 0.5 → 1: single rounding of 0.25 would give 0.
    expect(multiplyByQuantizedMultiplier(1, 1 << 30, -1)).toBe(1);
  });
  it('equals a BigInt model of common.h on random inputs, shifts -31..+30', () => {
    const r = rng(99);
    let diff = 0;
    for (let i = 0; i < 100000; i++) {
      const shift = Math.floor(r() * 62) - 31;
      const x = shift > 0 ? Math.floor((r() - 0.5) * 2 ** Math.max(1, 31 - shift)) : (r() * 4294967296) | 0;
      const m = r() < 0.05 ? INT32_MAX : (1 << 30) + Math.floor(r() * (1 << 30));
      if (multiplyByQuantizedMultiplier(x, m, shift) !== mbqmBig(x, m, shift)) diff++;
    }
    expect(diff).toBe(0);
  });
});

describe('requantize / requantizeWith (table form of MultiplyByQuantizedMultiplier)', () => {
  const table = new Float64Array(REQUANT_STRIDE);
  const check = (acc: number, bias: number, m: number, shift: number): boolean => {
    setRequantChannel(table, 0, bias, m, shift);
    return requantize(acc, table, 0) === mbqmBig(acc + bias, m, shift);
  };
  it('equals the BigInt model on the fast-path edges (|a| near 2^21, rounding ties, shifts -31..+22)', () => {
    let diff = 0;
    const ms = [0, 1, 1 << 30, (1 << 30) + 1, INT32_MAX, 1518500250];
    const shifts = [-31, -22, -21, -20, -8, -1, 0, 1, 2, 10, 21, 22];
    for (const m of ms) for (const shift of shifts) {
      for (const a of [0, 1, -1, 2, -2, 3, -3, 2097151, -2097151, 2097152, -2097152, 1 << 20, -(1 << 20), 123457, -123457]) {
        if (shift > 0 && Math.abs(a * 2 ** shift) >= 2 ** 31) continue; // would wrap in int32 (not a valid input)
        if (!check(a, 0, m, shift)) diff++;
        if (!check(a - 5, 5, m, shift)) diff++;
      }
      // Every residue around the rounding thresholds of a small right shift.
      for (let a = -300; a <= 300; a++) if (!check(a, 17, m, shift)) diff++;
    }
    expect(diff).toBe(0);
  });
  it('equals the BigInt model on 200k random accumulators, biases and multipliers (shifts -25..+6)', () => {
    const r = rng(7);
    let diff = 0;
    for (let i = 0; i < 200000; i++) {
      const shift = Math.floor(r() * 32) - 25;
      const m = r() < 0.02 ? INT32_MAX : (1 << 30) + Math.floor(r() * (1 << 30));
      const range = r() < 0.5 ? 2 ** 22 : 2 ** Math.max(2, 30 - Math.max(0, shift));
      const acc = Math.floor((r() - 0.5) * range), bias = Math.floor((r() - 0.5) * 20000);
      if (!check(acc, bias, m, shift)) diff++;
    }
    expect(diff).toBe(0);
  });
});

describe('clampInt', () => {
  it('clamps like Math.min(hi, Math.max(lo, v)) over int32-sized values', () => {
    const vals = [-(2 ** 30), -70000, -129, -128, -127, -1, 0, 1, 5, 127, 128, 255, 256, 70000, 2 ** 30];
    for (const [lo, hi] of [[0, 255], [-128, 127], [3, 3], [-1, 6]] as const) {
      for (const v of vals) expect(clampInt(v, lo, hi)).toBe(Math.min(hi, Math.max(lo, v)));
    }
  });
});

describe('activationRangeQuantized', () => {
  it('quantizes 0 and 6 like CalculateActivationRangeQuantized', () => {
    expect(activationRangeQuantized(ActivationFunctionType.RELU6, TensorType.UINT8, 0.0235294122248888, 0))
      .toEqual({ min: 0, max: 255 });
    expect(activationRangeQuantized(ActivationFunctionType.RELU6, TensorType.INT8, 0.05, -10))
      .toEqual({ min: -10, max: 110 });
    expect(activationRangeQuantized(ActivationFunctionType.RELU, TensorType.INT8, 0.05, -128))
      .toEqual({ min: -128, max: 127 });
    expect(activationRangeQuantized(ActivationFunctionType.RELU_N1_TO_1, TensorType.UINT8, 0.5, 128))
      .toEqual({ min: 126, max: 130 });
    expect(activationRangeQuantized(ActivationFunctionType.NONE, TensorType.INT8, 1, 0)).toEqual({ min: -128, max: 127 });
    // 6 / 0.08 = 75 exactly in float32? no: 75.00000x → 75; a tie: 6 / 0.48 = 12.5 → 13 (away from zero)
    expect(activationRangeQuantized(ActivationFunctionType.RELU6, TensorType.INT8, 0.48, 0)!.max).toBe(13);
    expect(activationRangeQuantized(ActivationFunctionType.TANH, TensorType.INT8, 1, 0)).toBeNull();
  });
});

describe('refuseHybrid', () => {
  function node(opName: string, types: TensorType[]): KernelNode {
    const inputs = types.map((t, i) => new Tensor(i, `t${i}`, t, [1], null, i > 0));
    return { index: 3, opName, version: 1, options: null, customOptions: null, context: DEFAULT_KERNEL_CONTEXT, inputs, outputs: [] };
  }
  it('names the op and the weight type', () => {
    expect(() => refuseHybrid(node('CONV_2D', [TensorType.FLOAT32, TensorType.INT8])))
      .toThrow('node 3 CONV_2D (v1): hybrid (dynamic-range) quantization is not supported: float32 input with INT8 weights');
    expect(() => refuseHybrid(node('TRANSPOSE_CONV', [TensorType.INT32, TensorType.UINT8, TensorType.FLOAT32])))
      .toThrow('TRANSPOSE_CONV (v1): hybrid (dynamic-range) quantization is not supported: float32 input with UINT8 weights');
    expect(() => refuseHybrid(node('FULLY_CONNECTED', [TensorType.FLOAT32, TensorType.FLOAT32]))).not.toThrow();
    expect(() => refuseHybrid(node('FULLY_CONNECTED', [TensorType.INT8, TensorType.INT8]))).not.toThrow();
  });
});
