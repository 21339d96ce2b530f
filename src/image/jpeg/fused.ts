/**
 * Fused fast path for the most common JPEG layout (YCbCr with Y full size and Cb, Cr at half width and half height,
 * i.e. 4:2:0): "fancy" h2v2 upsampling of both chroma rows and YCbCr -> RGB in one pass straight into the output
 * row, without the intermediate upsampled chroma rows. Both variants compute exactly what the separate stages
 * (upsample.ts, color.ts) compute:
 * - libjpeg: column sums t = 3 * near + far; left output (3 t[i] + t[i-1] + 8) >> 4, right (3 t[i] + t[i+1] + 7)
 *   >> 4, the edges using t itself as the missing neighbour; then jdcolor.c's tables.
 * - stb: the same filter with bias 8 on both outputs (stbi__resample_row_hv_2), then stbi__YCbCr_to_RGB_row.
 */
import { CB_B, CB_G, CR_G, CR_R } from './color.js';

/**
 * One output row of `width` RGB pixels at out[o..] from the Y row at y[yo..] and the chroma rows near/far (offsets
 * into cb and cr, `dsw` valid samples each). `out` clamps to 0..255 on store, as libjpeg's range-limit table does.
 */
export function libjpegH2v2YccRow(y: Uint8Array, yo: number, cb: Uint8Array, cr: Uint8Array, near: number,
  far: number, dsw: number, out: Uint8ClampedArray, o: number, width: number): void {
  let bPrev = cb[near]! * 3 + cb[far]!, rPrev = cr[near]! * 3 + cr[far]!;
  let bCur = bPrev, rCur = rPrev;
  for (let i = 0, x = 0; i < dsw && x < width; i++) {
    let bNext = bCur, rNext = rCur;
    if (i + 1 < dsw) { bNext = cb[near + i + 1]! * 3 + cb[far + i + 1]!; rNext = cr[near + i + 1]! * 3 + cr[far + i + 1]!; }
    let u = (bCur * 3 + bPrev + 8) >> 4, v = (rCur * 3 + rPrev + 8) >> 4;
    let Y = y[yo + x]!;
    out[o] = Y + CR_R[v]!;
    out[o + 1] = Y + ((CB_G[u]! + CR_G[v]!) >> 16);
    out[o + 2] = Y + CB_B[u]!;
    x++; o += 3;
    if (x < width) {
      u = (bCur * 3 + bNext + 7) >> 4; v = (rCur * 3 + rNext + 7) >> 4;
      Y = y[yo + x]!;
      out[o] = Y + CR_R[v]!;
      out[o + 1] = Y + ((CB_G[u]! + CR_G[v]!) >> 16);
      out[o + 2] = Y + CB_B[u]!;
      x++; o += 3;
    }
    bPrev = bCur; rPrev = rCur; bCur = bNext; rCur = rNext;
  }
}

// stbi__float2fixed: ((int)(x * 4096 + 0.5)) << 8 (as in color.ts)
const S_CR_R = 5743 << 8, S_CR_G = 2925 << 8, S_CB_G = 1410 << 8, S_CB_B = 7258 << 8;

/** The stb twin of libjpegH2v2YccRow: stbi__resample_row_hv_2 then stbi__YCbCr_to_RGB_row. */
export function stbHv2YccRow(y: Uint8Array, yo: number, cb: Uint8Array, cr: Uint8Array, near: number,
  far: number, dsw: number, out: Uint8ClampedArray, o: number, width: number): void {
  let bPrev = cb[near]! * 3 + cb[far]!, rPrev = cr[near]! * 3 + cr[far]!;
  let bCur = bPrev, rCur = rPrev;
  for (let i = 0, x = 0; i < dsw && x < width; i++) {
    let bNext = bCur, rNext = rCur;
    if (i + 1 < dsw) { bNext = cb[near + i + 1]! * 3 + cb[far + i + 1]!; rNext = cr[near + i + 1]! * 3 + cr[far + i + 1]!; }
    let u = ((bCur * 3 + bPrev + 8) >> 4) - 128, v = ((rCur * 3 + rPrev + 8) >> 4) - 128;
    let yf = (y[yo + x]! << 20) + (1 << 19);
    out[o] = (yf + v * S_CR_R) >> 20;
    out[o + 1] = (yf - v * S_CR_G + ((-u * S_CB_G) & 0xffff0000)) >> 20;
    out[o + 2] = (yf + u * S_CB_B) >> 20;
    x++; o += 3;
    if (x < width) {
      u = ((bCur * 3 + bNext + 8) >> 4) - 128; v = ((rCur * 3 + rNext + 8) >> 4) - 128;
      yf = (y[yo + x]! << 20) + (1 << 19);
      out[o] = (yf + v * S_CR_R) >> 20;
      out[o + 1] = (yf - v * S_CR_G + ((-u * S_CB_G) & 0xffff0000)) >> 20;
      out[o + 2] = (yf + u * S_CB_B) >> 20;
      x++; o += 3;
    }
    bPrev = bCur; rPrev = rCur; bCur = bNext; rCur = rNext;
  }
}
