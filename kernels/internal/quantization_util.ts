/**
 * TFLite's fixed-point requantization arithmetic, bit for bit (tensorflow/lite/kernels/internal/quantization_util.cc,
 * common.h, kernel_util.cc, and gemmlowp's fixedpoint.h for the 32-bit primitives).
 *
 * Shift convention, everywhere in embedlite: `shift > 0` is a left shift, `shift < 0` a right shift — the exponent
 * `frexp` returns. (TFLite flips the sign for the per-tensor field and back again in ConvParamsQuantized; we never do.)
 *
 * Rounding: TFLite's default build leaves TFLITE_SINGLE_ROUNDING undefined, so MultiplyByQuantizedMultiplier is the
 * double-rounding form: a rounding doubling high multiply (round half away from zero on the 64-bit product) followed by
 * a rounding right shift (round half away from zero). That is what is implemented here; the single-rounding variant is not.
 *
 * JavaScript numbers are exact only below 2^53, but the doubling high multiply needs the full 62-bit product of two
 * int32 values. `saturatingRoundingDoublingHighMul` splits one factor into 16-bit halves so that every partial
 * product is exact (see bench/quant_util.ts for the split-vs-BigInt measurement).
 */
import { ActivationFunctionType, TensorType } from '../../schema/enums.js';
import type { KernelNode } from '../kernel.js';
import { prepareError } from '../kernel.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_31 = 2147483648;

/** std::round: halves go away from zero (Math.round sends -2.5 to -2; this gives -3). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** std::frexp for finite non-zero x: x = fraction * 2^exponent with 0.5 <= |fraction| < 1. */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  const ax = Math.abs(x);
  let e = Math.max(-1073, Math.floor(Math.log2(ax)) + 1);
  // Scaling by powers of two is exact; fix the log2 estimate by at most one step either way.
  let f = ax * Math.pow(2, -e);
  while (f >= 1) { f /= 2; e++; }
  while (f < 0.5) { f *= 2; e--; }
  return { fraction: x < 0 ? -f : f, exponent: e };
}

export interface QuantizedMultiplier {
  /** Q0.31 fixed-point multiplier in [2^30, 2^31) (or its negation, or 0). */
  multiplier: number;
  /** Power-of-two exponent: positive = left shift, negative = right shift. */
  shift: number;
}

/**
 * QuantizeMultiplier (quantization_util.cc): real = multiplier * 2^(shift - 31).
 * q = frexp(real); q_fixed = round_half_away(q * 2^31); q_fixed == 2^31 → halve it and ++shift;
 * shift < -31 → flushed to (0, 0), since every bit would be shifted out anyway.
 */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(realMultiplier);
  let qFixed = roundHalfAwayFromZero(fraction * TWO_31);
  let shift = exponent;
  if (Math.abs(qFixed) === TWO_31) {
    qFixed /= 2;
    shift++;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: qFixed, shift };
}

/** QuantizeMultiplierSmallerThanOneExp: the same, for 0 < real < 1 (shift <= 0). Throws otherwise. */
export function quantizeMultiplierSmallerThanOne(realMultiplier: number): QuantizedMultiplier {
  if (!(realMultiplier > 0 && realMultiplier < 1)) {
    throw new RangeError(`multiplier ${realMultiplier} is not in (0, 1)`);
  }
  return quantizeMultiplier(realMultiplier);
}

/** QuantizeMultiplierGreaterThanOne: the same, for real > 1 (shift >= 0). Throws otherwise. */
export function quantizeMultiplierGreaterThanOne(realMultiplier: number): QuantizedMultiplier {
  if (!(realMultiplier > 1)) throw new RangeError(`multiplier ${realMultiplier} is not greater than 1`);
  return quantizeMultiplier(realMultiplier);
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul (ARM VQRDMULH) on int32 a, b:
 * (a*b + nudge) / 2^31 truncated toward zero, nudge = 2^30 when a*b >= 0 else 1 - 2^30;
 * INT32_MIN * INT32_MIN saturates to INT32_MAX.
 * For integer a*b both nudges give the same value as floor((a*b + 2^30) / 2^31) (round half up), which is what is
 * computed. The 62-bit product is never formed: with b = bHi * 2^16 + bLo and a*bHi = hiQ * 2^15 + hiR,
 * (a*b + 2^30) / 2^31 = hiQ + (hiR * 2^16 + a*bLo + 2^30) / 2^31, and every term stays below 2^48 (exact).
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  // Fast path: |a| < 2^22 keeps a*b + 2^30 below 2^53, so the double product is already exact.
  if (a < 4194304 && a > -4194304) return Math.floor((a * b + 1073741824) * (1 / TWO_31));
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const hi = a * (b >> 16);
  const hiQ = Math.floor(hi * (1 / 32768));
  return (hiQ + Math.floor(((hi - hiQ * 32768) * 65536 + a * (b & 0xffff) + 1073741824) * (1 / TWO_31))) | 0;
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero (0 <= exponent <= 31).
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = ~(-1 << exponent); // 2^exponent - 1, also for 0 and 31
  // remainder > threshold, threshold = mask/2 (+1 for negative x), computed without branches: random signs
  // make a branchy version several times slower.
  return (x >> exponent) + ((((mask >> 1) - (x >> 31)) - (x & mask)) >>> 31);
}

/**
 * MultiplyByQuantizedMultiplier (common.h, double rounding): x * multiplier * 2^(shift - 31), rounded twice.
 * The left shift wraps like int32 arithmetic does on every machine TFLite runs on.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  if (shift > 0) {
    return saturatingRoundingDoublingHighMul((x * (1 << shift)) | 0, multiplier);
  }
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -shift);
}

/**
 * Per-channel constants of `requantize` (below), laid out as REQUANT_STRIDE consecutive doubles per channel so
 * kernels keep one table: [bias, mul, lim, rshift, mask, half, multiplier, shift].
 * With a = acc + bias and mul = multiplier * 2^max(shift, 0) (a left shift folded into the multiplier; no int32 wrap
 * while |a| < lim), SaturatingRoundingDoublingHighMul is floor((a * mul + 2^30) / 2^31) (its two nudges agree on
 * integer products), exact in doubles while |a * mul| + 2^30 < 2^53. RoundingDivideByPOT is then done branch-free in
 * int32: measured faster than any form with a data-dependent branch, whose mispredictions dominate on real data.
 */
export const REQUANT_STRIDE = 8;

/** Writes channel `c`'s constants of `requantize` into `table` (bias added to the accumulator first). */
export function setRequantChannel(table: Float64Array, c: number, bias: number, multiplier: number, shift: number): void {
  const o = c * REQUANT_STRIDE;
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const mask = right >= 31 ? 0x7fffffff : (1 << right) - 1;
  table[o] = bias;
  table[o + 1] = multiplier * Math.pow(2, left);
  // |a| < 2^(21 - left): |a * mul| < 2^52 and |a * 2^left| < 2^31.
  table[o + 2] = left <= 21 ? Math.pow(2, 21 - left) : 0;
  table[o + 3] = right;
  table[o + 4] = mask;
  table[o + 5] = mask >> 1;
  table[o + 6] = multiplier;
  table[o + 7] = shift;
}

/**
 * MultiplyByQuantizedMultiplier(acc + bias[c], multiplier[c], shift[c]) from a table made by setRequantChannel;
 * `o` = c * REQUANT_STRIDE. Bit-exact for every int32 acc + bias (large values take the general path).
 */
export function requantize(acc: number, table: Float64Array, o: number): number {
  return requantizeWith(acc + table[o]!, table[o + 1]!, table[o + 2]!, table[o + 3]! | 0, table[o + 4]! | 0,
    table[o + 5]! | 0, table[o + 6]!, table[o + 7]!);
}

/**
 * `requantize` with one channel's table entries passed as values (a = acc + bias), for loops that keep a channel's
 * constants in locals: MultiplyByQuantizedMultiplier(a, multiplier, shift).
 */
export function requantizeWith(
  a: number, mul: number, lim: number, rshift: number, mask: number, half: number, multiplier: number, shift: number,
): number {
  if (a < lim && a > -lim) {
    const h = Math.floor((a * mul + 1073741824) * (1 / TWO_31)) | 0;
    return (h >> rshift) + (((half - (h >> 31)) - (h & mask)) >>> 31);
  }
  return multiplyByQuantizedMultiplier(a, multiplier, shift);
}

/** Clamps an int32 to [lo, hi] without data-dependent branches (lo <= hi, differences within int32). */
export function clampInt(v: number, lo: number, hi: number): number {
  let d = v - lo;
  v = lo + (d & ~(d >> 31));
  d = hi - v;
  return hi - (d & ~(d >> 31));
}

/** Reference 64-bit implementation with BigInt (tests and the benchmark compare against it). */
export function saturatingRoundingDoublingHighMulBigInt(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1073741824n : -1073741823n;
  return Number((ab + nudge) / 2147483648n); // BigInt division truncates toward zero, like C++
}

/** [min, max] of a quantized type. */
export function quantizedTypeRange(type: TensorType): { min: number; max: number } {
  switch (type) {
    case TensorType.UINT8: return { min: 0, max: 255 };
    case TensorType.INT8: return { min: -128, max: 127 };
    case TensorType.INT16: return { min: -32768, max: 32767 };
    case TensorType.INT32: return { min: INT32_MIN, max: INT32_MAX };
    default: throw new RangeError(`${TensorType[type]} is not a quantized type`);
  }
}

/**
 * CalculateActivationRangeQuantized (kernel_util.cc): the fused activation as an integer clamp on the output.
 * The bounds 0, ±1 and 6 are quantized as zero_point + round(f / scale), with f / scale computed in float32.
 * null when the activation cannot be a clamp (TANH, SIGN_BIT).
 */
export function activationRangeQuantized(
  act: ActivationFunctionType, type: TensorType, scale: number, zeroPoint: number,
): { min: number; max: number } | null {
  const r = quantizedTypeRange(type);
  const s = Math.fround(scale);
  const quantize = (f: number): number => zeroPoint + roundHalfAwayFromZero(Math.fround(f / s));
  switch (act) {
    case ActivationFunctionType.NONE: return r;
    case ActivationFunctionType.RELU: return { min: Math.max(r.min, quantize(0)), max: r.max };
    case ActivationFunctionType.RELU6: return { min: Math.max(r.min, quantize(0)), max: Math.min(r.max, quantize(6)) };
    case ActivationFunctionType.RELU_N1_TO_1:
      return { min: Math.max(r.min, quantize(-1)), max: Math.min(r.max, quantize(1)) };
    default: return null;
  }
}

/** Data and weight input slots of the ops that carry weights. */
function weightSlots(opName: string): { data: number; weights: number } {
  return opName === 'TRANSPOSE_CONV' ? { data: 2, weights: 1 } : { data: 0, weights: 1 };
}

/**
 * Refuses hybrid (dynamic-range quantized) nodes: float32 activations with int8/uint8/int4 weights.
 * For CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV, BATCH_MATMUL (weights = input 1; for
 * TRANSPOSE_CONV data = input 2). Float kernels call it first thing in prepare; it is a no-op on other nodes.
 */
export function refuseHybrid(node: KernelNode<unknown>): void {
  const slots = weightSlots(node.opName);
  const data = node.inputs[slots.data];
  const weights = node.inputs[slots.weights];
  if (!data || !weights || data.type !== TensorType.FLOAT32) return;
  if (weights.type === TensorType.INT8 || weights.type === TensorType.UINT8 || weights.type === TensorType.INT4) {
    throw prepareError(node,
      `hybrid (dynamic-range) quantization is not supported: float32 input with ${TensorType[weights.type]} weights`);
  }
}
