/**
 * The requantization loop shared by the convolution kernels: n accumulators of one output channel c,
 *   out[outOff + i * outStride] = clamp(zp_out + MultiplyByQuantizedMultiplier(acc[accOff + i * accStride] + bias[c],
 *                                       M[c], shift[c]), act_min, act_max),
 * with channel c's constants (quantization_util setRequantChannel table) held in locals. The fast path is
 * quantization_util `requantizeWith` written out inline: called as a function, V8 does not inline it in these loops
 * and boxes its double arguments, which measured 5x slower. Clamping is branch-free: clampInt, or two masks when the
 * activation range is the whole 8-bit range (the common case). Requantization is a third of the time of a quantized
 * MobileNet; an exact fast path with a data-dependent branch (rounding sign, clamp) measured 2-3x slower.
 */
import { REQUANT_STRIDE, clampInt, multiplyByQuantizedMultiplier } from '../../internal/quantization_util.js';

export interface Requant {
  /** REQUANT_STRIDE doubles per channel (quantization_util setRequantChannel): bias and multiplier folded. */
  table: Float64Array;
  outZeroPoint: number;
  actMin: number;
  actMax: number;
  /**
   * 'tflite-cpu' convolutions: XNNPACK's float32 scale per channel (internal/xnnpack.ts); the table then only
   * supplies the bias. null: TFLite's reference double rounding through the table.
   */
  scales?: Float32Array | null;
}

export function requantRun(
  acc: Float64Array, accOff: number, accStride: number, n: number,
  out: Uint8Array | Int8Array, outOff: number, outStride: number, q: Requant, c: number,
): void {
  const tab = q.table, to = c * REQUANT_STRIDE;
  const bias = tab[to]!, mul = tab[to + 1]!, lim = tab[to + 2]!, rs = tab[to + 3]! | 0, mask = tab[to + 4]! | 0;
  const half = tab[to + 5]! | 0;
  const zp = q.outZeroPoint, lo = q.actMin, hi = q.actMax;
  if (q.scales) {
    requantRunFp32(acc, accOff, accStride, n, out, outOff, outStride, bias, q.scales[c]!, zp, lo, hi);
    return;
  }
  if (hi - lo === 255) {
    // The clamp is the whole 8-bit range: clamp w = v - lo to [0, 255] with two masks (measured ~20% faster).
    const zl = zp - lo;
    for (let k = 0, i = accOff, o = outOff; k < n; k++, i += accStride, o += outStride) {
      const a = acc[i]! + bias;
      let w: number;
      if (Math.abs(a) < lim) {
        const h = Math.floor((a * mul + 1073741824) * (1 / 2147483648)) | 0;
        w = (h >> rs) + (((half - (h >> 31)) - (h & mask)) >>> 31) + zl;
      } else {
        w = multiplyByQuantizedMultiplier(a, tab[to + 6]!, tab[to + 7]!) + zl;
      }
      w &= ~(w >> 31);
      out[o] = ((w | ((255 - w) >> 31)) & 255) + lo;
    }
    return;
  }
  for (let k = 0, i = accOff, o = outOff; k < n; k++, i += accStride, o += outStride) {
    const a = acc[i]! + bias;
    let v: number;
    if (Math.abs(a) < lim) {
      const h = Math.floor((a * mul + 1073741824) * (1 / 2147483648)) | 0;
      v = (h >> rs) + (((half - (h >> 31)) - (h & mask)) >>> 31);
    } else {
      v = multiplyByQuantizedMultiplier(a, tab[to + 6]!, tab[to + 7]!);
    }
    out[o] = clampInt(v + zp, lo, hi);
  }
}

/**
 * XNNPACK's fp32 requantization (internal/xnnpack.ts requantizeFp32) of n accumulators of one channel:
 * clamp(roundHalfEven(f32(f32(acc + bias) * scale)) + zp, lo, hi), the rounding done with the 1.5 * 2^52 trick
 * inline (a call boxes doubles in these loops).
 */
function requantRunFp32(
  acc: Float64Array, accOff: number, accStride: number, n: number, out: Uint8Array | Int8Array, outOff: number,
  outStride: number, bias: number, scale: number, zp: number, lo: number, hi: number,
): void {
  const fround = Math.fround;
  for (let k = 0, i = accOff, o = outOff; k < n; k++, i += accStride, o += outStride) {
    const v = ((fround(fround(acc[i]! + bias) * scale) + 6755399441055744) - 6755399441055744) + zp;
    out[o] = v < lo ? lo : v > hi ? hi : v;
  }
}
