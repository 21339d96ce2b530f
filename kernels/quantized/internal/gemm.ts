/**
 * Integer GEMM with requantized uint8/int8 output, for CONV_2D (after im2col), FULLY_CONNECTED and 1x1 convolutions:
 *   out[r][c] = clamp(zp_out + MultiplyByQuantizedMultiplier(bias[c] + sum_k x[r][k] * w[c][k], M[c], shift[c]))
 * where x and w are already zero-point-corrected (x - zp_in, w - zp_w) integers held in doubles.
 *
 * Two output channels share one double: w2[k] = w[c][k] + w[c+1][k] * 2^27. Every partial sum of channel c stays
 * below 2^26 in magnitude (checked at pack time from the real weight and input ranges), so the packed accumulator
 * S0 + S1 * 2^27 is an exact integer below 2^53 and splits back exactly: S1 = round(t / 2^27), S0 = t - S1 * 2^27.
 * That halves the multiply-adds; products summed in doubles measured faster than Math.imul int32 sums (see
 * bench/quant_util.ts). When the bound does not hold, each channel gets its own double.
 */
import { multiplyByQuantizedMultiplier } from '../../internal/quantization_util.js';

const PACK = 134217728; // 2^27
const INV_PACK = 1 / PACK;
const PACK_LIMIT = 67108864; // 2^26

export interface PackedWeights {
  channels: number;
  k: number;
  /** true: `data` holds channel pairs ([pairs][k], pairs rounded up to even); false: one channel per row. */
  paired: boolean;
  pairs: number;
  data: Float64Array;
}

/**
 * Packs weights laid out [channels][k] (any stride pattern given by `at(c, k)`), zero point subtracted.
 * `maxAbsInput` bounds |x - zp_in| (255 for uint8, up to 255 for int8 depending on the zero point).
 */
export function packWeights(
  channels: number, k: number, at: (c: number, k: number) => number, maxAbsInput: number,
): PackedWeights {
  let maxW = 0;
  for (let c = 0; c < channels; c++) for (let i = 0; i < k; i++) maxW = Math.max(maxW, Math.abs(at(c, i)));
  const paired = k * maxW * maxAbsInput < PACK_LIMIT;
  if (!paired) {
    const data = new Float64Array(channels * k);
    for (let c = 0; c < channels; c++) for (let i = 0; i < k; i++) data[c * k + i] = at(c, i);
    return { channels, k, paired, pairs: 0, data };
  }
  let pairs = (channels + 1) >> 1;
  if (pairs & 1) pairs++;
  const data = new Float64Array(pairs * k);
  for (let c = 0; c < channels; c++) {
    const row = (c >> 1) * k;
    const f = c & 1 ? PACK : 1;
    for (let i = 0; i < k; i++) data[row + i] += at(c, i) * f;
  }
  return { channels, k, paired, pairs, data };
}

export interface Requant {
  bias: Float64Array;
  multipliers: Int32Array;
  shifts: Int32Array;
  outZeroPoint: number;
  actMin: number;
  actMax: number;
}

type Out = Uint8Array | Int8Array;

function store(out: Out, o: number, acc: number, c: number, q: Requant): void {
  let v = multiplyByQuantizedMultiplier(acc + q.bias[c]!, q.multipliers[c]!, q.shifts[c]!) + q.outZeroPoint;
  if (v < q.actMin) v = q.actMin;
  else if (v > q.actMax) v = q.actMax;
  out[o] = v;
}

/** Splits a packed accumulator and stores both channels (the second only when it exists). */
function storePair(out: Out, o: number, t: number, c: number, channels: number, q: Requant): void {
  const hi = Math.round(t * INV_PACK);
  if (c < channels) store(out, o, t - hi * PACK, c, q);
  if (c + 1 < channels) store(out, o + 1, hi, c + 1, q);
}

/**
 * x: [rows][k] starting at xOff (row stride k); out: [rows][channels] starting at outOff.
 */
export function gemmRequant(
  x: Float64Array, xOff: number, rows: number, w: PackedWeights, out: Out, outOff: number, q: Requant,
): void {
  if (!w.paired) {
    gemmSingle(x, xOff, rows, w, out, outOff, q);
    return;
  }
  const k = w.k, nc = w.channels, pairs = w.pairs, wd = w.data;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = xOff + r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
    const o0 = outOff + r * nc;
    for (let p = 0; p < pairs; p += 2) {
      const w0 = p * k, w1 = w0 + k;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
      for (let i = 0; i < k; i++) {
        const u = wd[w0 + i]!, v = wd[w1 + i]!;
        const b0 = x[x0 + i]!, b1 = x[x1 + i]!, b2 = x[x2 + i]!, b3 = x[x3 + i]!;
        a00 += b0 * u; a01 += b0 * v;
        a10 += b1 * u; a11 += b1 * v;
        a20 += b2 * u; a21 += b2 * v;
        a30 += b3 * u; a31 += b3 * v;
      }
      const c = p * 2;
      if (c >= nc) break;
      storePair(out, o0 + c, a00, c, nc, q); storePair(out, o0 + c + 2, a01, c + 2, nc, q);
      storePair(out, o0 + nc + c, a10, c, nc, q); storePair(out, o0 + nc + c + 2, a11, c + 2, nc, q);
      storePair(out, o0 + 2 * nc + c, a20, c, nc, q); storePair(out, o0 + 2 * nc + c + 2, a21, c + 2, nc, q);
      storePair(out, o0 + 3 * nc + c, a30, c, nc, q); storePair(out, o0 + 3 * nc + c + 2, a31, c + 2, nc, q);
    }
  }
  for (; r < rows; r++) {
    const x0 = xOff + r * k;
    const o0 = outOff + r * nc;
    for (let p = 0; p < pairs; p += 2) {
      const w0 = p * k, w1 = w0 + k;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let i = 0;
      for (; i + 2 <= k; i += 2) {
        const b0 = x[x0 + i]!, b1 = x[x0 + i + 1]!;
        a0 += b0 * wd[w0 + i]!; a1 += b0 * wd[w1 + i]!;
        a2 += b1 * wd[w0 + i + 1]!; a3 += b1 * wd[w1 + i + 1]!;
      }
      if (i < k) { const b0 = x[x0 + i]!; a0 += b0 * wd[w0 + i]!; a1 += b0 * wd[w1 + i]!; }
      const c = p * 2;
      if (c >= nc) break;
      storePair(out, o0 + c, a0 + a2, c, nc, q);
      storePair(out, o0 + c + 2, a1 + a3, c + 2, nc, q);
    }
  }
}

function gemmSingle(x: Float64Array, xOff: number, rows: number, w: PackedWeights, out: Out, outOff: number, q: Requant): void {
  const k = w.k, nc = w.channels, wd = w.data;
  for (let r = 0; r < rows; r++) {
    const x0 = xOff + r * k;
    for (let c = 0; c < nc; c++) {
      const w0 = c * k;
      let a0 = 0, a1 = 0;
      let i = 0;
      for (; i + 2 <= k; i += 2) { a0 += x[x0 + i]! * wd[w0 + i]!; a1 += x[x0 + i + 1]! * wd[w0 + i + 1]!; }
      if (i < k) a0 += x[x0 + i]! * wd[w0 + i]!;
      store(out, outOff + r * nc + c, a0 + a1, c, q);
    }
  }
}
