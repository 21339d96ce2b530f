/**
 * HARD_SWISH for uint8 and int8: reference_ops::HardSwish (hard_swish.h) integer arithmetic, with the parameters of
 * activations.cc HardSwishPrepare. Since the input has 256 possible values, prepare runs that arithmetic once per
 * value into a table and eval is a lookup (exact by construction).
 *
 * Per value (int16 arithmetic as in TFLite): v = x - zp_in; hires = v * 2^7;
 *   preshift = SRDHM16(hires, out_mult16);
 *   reluish = hires, rescaled by (reluish_mult16, reluish_exp) with TFLite's saturating left shifts / rounding right
 *             shift, then mapped from [-1, 1] to [0, 1]: (reluish + 2^15) >> 1;
 *   out = clamp(RoundingDivideByPOT16(SaturatingDoublingHighMul16(reluish, preshift), -out_exp) + zp_out)
 * where the int16 multipliers come from QuantizeMultiplier + DownScaleInt32ToInt16Multiplier of the float32 ratios
 * hires_scale / out_scale and hires_scale / (3 / 32768), hires_scale = in_scale / 128.
 */
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { quantizeMultiplier, quantizedTypeRange } from '../internal/quantization_util.js';
import { perTensorQuant, quantizedType, sameType } from './internal/params.js';

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** Wraps to int16 like a C++ narrowing conversion. */
function toInt16(x: number): number {
  return (x << 16) >> 16;
}

/** DownScaleInt32ToInt16Multiplier (common.h): round a Q31 multiplier to Q15, saturating at INT16_MAX. */
export function downScaleInt32ToInt16Multiplier(m: number): number {
  if (m >= 2147483647 - 32768) return INT16_MAX;
  return (m + 32768) >> 16;
}

/** gemmlowp SaturatingRoundingDoublingHighMul<int16_t>. */
export function srdhm16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  const ab = a * b;
  const nudge = ab >= 0 ? 16384 : 1 - 16384;
  return toInt16(Math.trunc((ab + nudge) / 32768));
}

/** reference_ops::SaturatingDoublingHighMul (int16, truncating: no rounding nudge). */
export function sdhm16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  return toInt16(Math.trunc((a * b) / 32768));
}

/** reference_ops::SaturatingLeftShift (int16). */
function saturatingLeftShift16(v: number, amount: number): number {
  const r = v * Math.pow(2, amount);
  return r > INT16_MAX ? INT16_MAX : r < INT16_MIN ? INT16_MIN : r;
}

/** gemmlowp RoundingDivideByPOT<int16_t>: the mask (2^e - 1) is an int16, so it wraps to -1 for e >= 16. */
export function roundingDivideByPOT16(x: number, exponent: number): number {
  const mask = toInt16(exponent >= 31 ? -1 : (1 << exponent) - 1);
  const remainder = toInt16(x & mask);
  const threshold = toInt16((mask >> 1) + (x < 0 ? 1 : 0));
  return toInt16((x >> exponent) + (remainder > threshold ? 1 : 0));
}

export interface HardSwishParams {
  inZeroPoint: number;
  outZeroPoint: number;
  outMultiplier16: number;
  outExponent: number;
  reluishMultiplier16: number;
  reluishExponent: number;
}

/** HardSwishPrepare: the float32 ratios, QuantizeMultiplier, then the int16 downscale. */
export function hardSwishParams(inScale: number, inZeroPoint: number, outScale: number, outZeroPoint: number): HardSwishParams {
  const hires = Math.fround(Math.fround(1 / 128) * Math.fround(inScale));
  const reluishScale = Math.fround(3 / 32768);
  const om = quantizeMultiplier(Math.fround(hires / Math.fround(outScale)));
  const rm = quantizeMultiplier(Math.fround(hires / reluishScale));
  return {
    inZeroPoint, outZeroPoint,
    outMultiplier16: downScaleInt32ToInt16Multiplier(om.multiplier), outExponent: om.shift,
    reluishMultiplier16: downScaleInt32ToInt16Multiplier(rm.multiplier), reluishExponent: rm.shift,
  };
}

/** reference_ops::HardSwish for one quantized input value (before the type clamp is applied by the caller's range). */
export function hardSwishValue(x: number, p: HardSwishParams, lo: number, hi: number): number {
  const v = toInt16(x - p.inZeroPoint);
  const hires = toInt16(v * 128);
  const preshift = srdhm16(hires, p.outMultiplier16);
  let reluish = hires;
  if (p.reluishExponent > 0) reluish = saturatingLeftShift16(reluish, p.reluishExponent - 1);
  reluish = srdhm16(reluish, p.reluishMultiplier16);
  if (p.reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
  if (p.reluishExponent < 0) reluish = roundingDivideByPOT16(reluish, -p.reluishExponent);
  reluish = toInt16((reluish + 32768) >> 1);
  const pre = sdhm16(reluish, preshift);
  // int16_t output_value = RDBP(...); output_value += zp (an int16 += wraps); then min/max with the type range.
  let out = toInt16(roundingDivideByPOT16(pre, -p.outExponent) + p.outZeroPoint);
  if (out > hi) out = hi;
  if (out < lo) out = lo;
  return out;
}

interface HardSwishData {
  /** Output for input value v at index v - typeMin. */
  table: Int32Array;
  typeMin: number;
}

/** HARD_SWISH, uint8/int8 (reference_ops::HardSwish with HardSwishParams). */
export const hardSwishQuantized: Kernel<HardSwishData, unknown> = {
  prepare(node: KernelNode<unknown>): HardSwishData {
    const x = input(node, 0), out = node.outputs[0]!;
    const type = quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    out.shape = [...x.shape];
    const p = hardSwishParams(xq.scale, xq.zeroPoint, oq.scale, oq.zeroPoint);
    ensure(node, p.outExponent <= 0, () => `input scale / (128 * output scale) must be below 1 (got exponent ${p.outExponent})`);
    const r = quantizedTypeRange(type);
    const table = new Int32Array(256);
    for (let i = 0; i < 256; i++) table[i] = hardSwishValue(r.min + i, p, r.min, r.max);
    return { table, typeMin: r.min };
  },
  eval(node: KernelNode<unknown>, d: HardSwishData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const t = d.table, m = d.typeMin;
    for (let i = 0; i < x.length; i++) out[i] = t[x[i]! - m]!;
  },
};
