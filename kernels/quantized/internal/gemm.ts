/**
 * Integer GEMM with requantized uint8/int8 output, for CONV_2D (after im2col), FULLY_CONNECTED and 1x1 convolutions:
 *   out[r][c] = clamp(zp_out + MultiplyByQuantizedMultiplier(bias[c] + sum_k x[r][k] * w[c][k], M[c], shift[c]))
 * where x and w are already zero-point-corrected (x - zp_in, w - zp_w) integers held in doubles.
 *
 * Two output channels share one double: w2[k] = w[c][k] + w[c+1][k] * 2^27. Every partial sum of channel c is
 * bounded by maxAbsInput * sum_k |w[c][k]| (checked per channel at pack time); when all bounds are below 2^26 the
 * packed accumulator S0 + S1 * 2^27 is an exact integer below 2^53 and splits back exactly:
 * S1 = floor(t / 2^27 + 1/2), S0 = t - S1 * 2^27. That halves the multiply-adds. When a bound does not hold, each channel
 * gets its own double. The register block is 5 rows x 2 packed doubles (4 channels): measured fastest among
 * 2..8 rows x 1..4 doubles, and products summed in doubles beat Math.imul int32 sums (bench/quant_util.ts).
 * Raw accumulators go to a scratch; internal/requant.ts requantizes them channel by channel.
 */
import { requantRun, type Requant } from './requant.js';

export type { Requant } from './requant.js';

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
  /** Scratch for the packed accumulators of one register block. */
  packed: Float64Array;
}

/**
 * Packs weights laid out [channels][k] (any stride pattern given by `at(c, k)`), zero point subtracted.
 * `maxAbsInput` bounds |x - zp_in| (255 for uint8, up to 255 for int8 depending on the zero point).
 */
export function packWeights(
  channels: number, k: number, at: (c: number, k: number) => number, maxAbsInput: number,
): PackedWeights {
  let paired = true;
  for (let c = 0; c < channels && paired; c++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.abs(at(c, i));
    if (s * maxAbsInput >= PACK_LIMIT) paired = false;
  }
  if (!paired) {
    const data = new Float64Array(channels * k);
    for (let c = 0; c < channels; c++) for (let i = 0; i < k; i++) data[c * k + i] = at(c, i);
    return { channels, k, paired, pairs: 0, data, packed: new Float64Array(10) };
  }
  let pairs = (channels + 1) >> 1;
  if (pairs & 1) pairs++;
  const data = new Float64Array(pairs * k);
  for (let c = 0; c < channels; c++) {
    const row = (c >> 1) * k;
    const f = c & 1 ? PACK : 1;
    for (let i = 0; i < k; i++) data[row + i] += at(c, i) * f;
  }
  return { channels, k, paired, pairs, data, packed: new Float64Array(10) };
}

type Out = Uint8Array | Int8Array;

/** Rows per GEMM pass: raw accumulators of GEMM_CHUNK rows go to a scratch, then are requantized channel by channel. */
export const GEMM_CHUNK = 60;

/** The scratch gemmRequant needs (allocate once at prepare). */
export function gemmScratch(channels: number): Float64Array {
  return new Float64Array(GEMM_CHUNK * channels);
}

/**
 * x: [rows][k] starting at xOff (row stride k); out: [rows][channels] starting at outOff.
 * `scratch` comes from gemmScratch(channels).
 */
export function gemmRequant(
  x: Float64Array, xOff: number, rows: number, w: PackedWeights, out: Out, outOff: number, q: Requant,
  scratch: Float64Array,
): void {
  const k = w.k, nc = w.channels;
  for (let r0 = 0; r0 < rows; r0 += GEMM_CHUNK) {
    const n = Math.min(GEMM_CHUNK, rows - r0);
    if (w.paired) gemmPaired(x, xOff + r0 * k, n, w, scratch);
    else gemmSingle(x, xOff + r0 * k, n, w, scratch);
    requantRows(scratch, n, nc, out, outOff + r0 * nc, q);
  }
}

/** out[r][c] = clamp(zp + requantize(acc[c][r])), channel-outer so each channel's constants stay in locals. */
function requantRows(acc: Float64Array, rows: number, nc: number, out: Out, outOff: number, q: Requant): void {
  for (let c = 0; c < nc; c++) requantRun(acc, c * GEMM_CHUNK, 1, rows, out, outOff + c, nc, q, c);
}

/**
 * Splits the packed accumulators of `rows` rows (pk[2 j], pk[2 j + 1]: channels c..c+3 of row r + j) into the
 * channel-major scratch acc[channel * GEMM_CHUNK + row], channels < nc only. The packed values travel in a typed
 * array: a double passed through a call V8 does not inline is boxed into a new heap number.
 */
function splitPacked(pk: Float64Array, rows: number, acc: Float64Array, r: number, c: number, nc: number): void {
  const full = c + 4 <= nc;
  for (let j = 0; j < rows; j++) {
    const t0 = pk[2 * j]!, t1 = pk[2 * j + 1]!;
    const h0 = Math.floor(t0 * INV_PACK + 0.5), h1 = Math.floor(t1 * INV_PACK + 0.5);
    const o = c * GEMM_CHUNK + r + j;
    if (full) {
      acc[o] = t0 - h0 * PACK; acc[o + GEMM_CHUNK] = h0; acc[o + 2 * GEMM_CHUNK] = t1 - h1 * PACK; acc[o + 3 * GEMM_CHUNK] = h1;
      continue;
    }
    acc[o] = t0 - h0 * PACK;
    if (c + 1 < nc) acc[o + GEMM_CHUNK] = h0;
    if (c + 2 < nc) acc[o + 2 * GEMM_CHUNK] = t1 - h1 * PACK;
    if (c + 3 < nc) acc[o + 3 * GEMM_CHUNK] = h1;
  }
}

/** Raw accumulators of `rows` (<= GEMM_CHUNK) rows into the channel-major scratch acc[channels][GEMM_CHUNK]. */
function gemmPaired(x: Float64Array, xOff: number, rows: number, w: PackedWeights, acc: Float64Array): void {
  const k = w.k, nc = w.channels, pairs = w.pairs, wd = w.data, pk = w.packed;
  let r = 0;
  for (; r + 5 <= rows; r += 5) {
    const x0 = xOff + r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k;
    for (let p = 0; p < pairs; p += 2) {
      const w0 = p * k, w1 = w0 + k;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0, a40 = 0, a41 = 0;
      for (let i = 0; i < k; i++) {
        const u = wd[w0 + i]!, v = wd[w1 + i]!;
        let b = x[x0 + i]!; a00 += b * u; a01 += b * v;
        b = x[x1 + i]!; a10 += b * u; a11 += b * v;
        b = x[x2 + i]!; a20 += b * u; a21 += b * v;
        b = x[x3 + i]!; a30 += b * u; a31 += b * v;
        b = x[x4 + i]!; a40 += b * u; a41 += b * v;
      }
      const c = p * 2;
      if (c >= nc) break;
      pk[0] = a00; pk[1] = a01; pk[2] = a10; pk[3] = a11; pk[4] = a20;
      pk[5] = a21; pk[6] = a30; pk[7] = a31; pk[8] = a40; pk[9] = a41;
      splitPacked(pk, 5, acc, r, c, nc);
    }
  }
  for (; r < rows; r++) {
    const x0 = xOff + r * k;
    for (let p = 0; p < pairs; p += 2) {
      const w0 = p * k, w1 = w0 + k;
      let a0 = 0, a1 = 0;
      for (let i = 0; i < k; i++) {
        const b = x[x0 + i]!;
        a0 += b * wd[w0 + i]!; a1 += b * wd[w1 + i]!;
      }
      const c = p * 2;
      if (c >= nc) break;
      pk[0] = a0; pk[1] = a1;
      splitPacked(pk, 1, acc, r, c, nc);
    }
  }
}

function gemmSingle(x: Float64Array, xOff: number, rows: number, w: PackedWeights, acc: Float64Array): void {
  const k = w.k, nc = w.channels, wd = w.data;
  for (let r = 0; r < rows; r++) {
    const x0 = xOff + r * k;
    for (let c = 0; c < nc; c++) {
      const w0 = c * k;
      let a0 = 0, a1 = 0;
      let i = 0;
      for (; i + 2 <= k; i += 2) { a0 += x[x0 + i]! * wd[w0 + i]!; a1 += x[x0 + i + 1]! * wd[w0 + i + 1]!; }
      if (i < k) a0 += x[x0 + i]! * wd[w0 + i]!;
      acc[c * GEMM_CHUNK + r] = a0 + a1;
    }
  }
}
