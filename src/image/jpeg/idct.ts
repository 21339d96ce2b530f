/**
 * Inverse DCTs: one 8x8 block of quantized coefficients (natural order) -> an NxN block of samples.
 *
 * - libjpeg-turbo's "islow" integer IDCT (jidctint.c) at 8x8 and its reduced-size IDCTs (jidctred.c) at 4x4, 2x2
 *   and 1x1 for DCT-domain downscaling: 13-bit fixed-point constants, 2 extra bits between the passes, and the
 *   results wrapped through libjpeg's 1024-entry range-limit table (`RANGE_LIMIT`), so overflowing garbage wraps
 *   exactly as libjpeg's does.
 * - stb_image's integer IDCT (stbi__idct_block): 12-bit constants, its own rounding biases and a plain clamp.
 *
 * All functions write `size` rows of `size` samples at out[o + row * stride + col].
 */

export type IdctFunction = (
  coef: Int16Array, c: number, quant: Int32Array, out: Uint8Array, o: number, stride: number, ws: Int32Array,
) => void;

/**
 * libjpeg's post-IDCT range limit: index (value & 1023) of a value centred on 0. -128..127 map to 0..255, larger
 * values saturate up to 511 / down to -512, and beyond that they wrap (as in libjpeg's prepare_range_limit_table).
 */
export const RANGE_LIMIT = ((): Uint8Array => {
  const t = new Uint8Array(1024);
  for (let i = 0; i < 1024; i++) {
    if (i < 128) t[i] = i + 128;
    else if (i < 512) t[i] = 255;
    else if (i < 896) t[i] = 0;
    else t[i] = i - 896;
  }
  return t;
})();

// FIX(x) = round(x * 2^13)
const F0_298 = 2446, F0_390 = 3196, F0_541 = 4433, F0_765 = 6270, F0_899 = 7373, F1_175 = 9633, F1_501 = 12299;
const F1_847 = 15137, F1_961 = 16069, F2_053 = 16819, F2_562 = 20995, F3_072 = 25172;
const F0_211 = 1730, F0_509 = 4176, F0_601 = 4926, F0_720 = 5906, F0_850 = 6967, F1_061 = 8697, F1_272 = 10426;
const F1_451 = 11893, F2_172 = 17799, F3_624 = 29692;

/** libjpeg jpeg_idct_islow: 8x8 output. `ws` needs 64 entries. */
export function idctIslow8(coef: Int16Array, c: number, q: Int32Array, out: Uint8Array, o: number, stride: number,
  ws: Int32Array): void {
  const R = RANGE_LIMIT;
  // Pass 1: columns -> ws, scaled up by 2^2 (PASS1_BITS).
  for (let col = 0; col < 8; col++) {
    const i = c + col;
    if (coef[i + 8] === 0 && coef[i + 16] === 0 && coef[i + 24] === 0 && coef[i + 32] === 0 &&
        coef[i + 40] === 0 && coef[i + 48] === 0 && coef[i + 56] === 0) {
      const dc = (coef[i] * q[col]) << 2;
      ws[col] = dc; ws[col + 8] = dc; ws[col + 16] = dc; ws[col + 24] = dc;
      ws[col + 32] = dc; ws[col + 40] = dc; ws[col + 48] = dc; ws[col + 56] = dc;
      continue;
    }
    let z2 = coef[i + 16] * q[col + 16], z3 = coef[i + 48] * q[col + 48];
    let z1 = (z2 + z3) * F0_541;
    let tmp2 = z1 - z3 * F1_847;
    let tmp3 = z1 + z2 * F0_765;
    z2 = coef[i] * q[col]; z3 = coef[i + 32] * q[col + 32];
    let tmp0 = (z2 + z3) << 13;
    let tmp1 = (z2 - z3) << 13;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    tmp0 = coef[i + 56] * q[col + 56]; tmp1 = coef[i + 40] * q[col + 40];
    tmp2 = coef[i + 24] * q[col + 24]; tmp3 = coef[i + 8] * q[col + 8];
    z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F1_175;
    tmp0 *= F0_298; tmp1 *= F2_053; tmp2 *= F3_072; tmp3 *= F1_501;
    z1 *= -F0_899; z2 *= -F2_562; z3 = z3 * -F1_961 + z5; z4 = z4 * -F0_390 + z5;
    tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
    ws[col] = (tmp10 + tmp3 + 1024) >> 11; ws[col + 56] = (tmp10 - tmp3 + 1024) >> 11;
    ws[col + 8] = (tmp11 + tmp2 + 1024) >> 11; ws[col + 48] = (tmp11 - tmp2 + 1024) >> 11;
    ws[col + 16] = (tmp12 + tmp1 + 1024) >> 11; ws[col + 40] = (tmp12 - tmp1 + 1024) >> 11;
    ws[col + 24] = (tmp13 + tmp0 + 1024) >> 11; ws[col + 32] = (tmp13 - tmp0 + 1024) >> 11;
  }
  // Pass 2: rows -> samples, descaled by 2^(13 + 2 + 3).
  for (let row = 0, w = 0; row < 8; row++, w += 8, o += stride) {
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 4] === 0 && ws[w + 5] === 0 &&
        ws[w + 6] === 0 && ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[o] = v; out[o + 1] = v; out[o + 2] = v; out[o + 3] = v;
      out[o + 4] = v; out[o + 5] = v; out[o + 6] = v; out[o + 7] = v;
      continue;
    }
    let z2 = ws[w + 2], z3 = ws[w + 6];
    let z1 = (z2 + z3) * F0_541;
    let tmp2 = z1 - z3 * F1_847;
    let tmp3 = z1 + z2 * F0_765;
    let tmp0 = (ws[w] + ws[w + 4]) << 13;
    let tmp1 = (ws[w] - ws[w + 4]) << 13;
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    tmp0 = ws[w + 7]; tmp1 = ws[w + 5]; tmp2 = ws[w + 3]; tmp3 = ws[w + 1];
    z1 = tmp0 + tmp3; z2 = tmp1 + tmp2; z3 = tmp0 + tmp2; let z4 = tmp1 + tmp3;
    const z5 = (z3 + z4) * F1_175;
    tmp0 *= F0_298; tmp1 *= F2_053; tmp2 *= F3_072; tmp3 *= F1_501;
    z1 *= -F0_899; z2 *= -F2_562; z3 = z3 * -F1_961 + z5; z4 = z4 * -F0_390 + z5;
    tmp0 += z1 + z3; tmp1 += z2 + z4; tmp2 += z2 + z3; tmp3 += z1 + z4;
    out[o] = R[((tmp10 + tmp3 + 131072) >> 18) & 1023]; out[o + 7] = R[((tmp10 - tmp3 + 131072) >> 18) & 1023];
    out[o + 1] = R[((tmp11 + tmp2 + 131072) >> 18) & 1023]; out[o + 6] = R[((tmp11 - tmp2 + 131072) >> 18) & 1023];
    out[o + 2] = R[((tmp12 + tmp1 + 131072) >> 18) & 1023]; out[o + 5] = R[((tmp12 - tmp1 + 131072) >> 18) & 1023];
    out[o + 3] = R[((tmp13 + tmp0 + 131072) >> 18) & 1023]; out[o + 4] = R[((tmp13 - tmp0 + 131072) >> 18) & 1023];
  }
}

/** libjpeg jpeg_idct_4x4 (jidctred.c): 4x4 output, ignoring coefficient row/column 4. */
export function idctReduced4(coef: Int16Array, c: number, q: Int32Array, out: Uint8Array, o: number, stride: number,
  ws: Int32Array): void {
  const R = RANGE_LIMIT;
  for (let col = 0; col < 8; col++) {
    if (col === 4) continue;
    const i = c + col;
    if (coef[i + 8] === 0 && coef[i + 16] === 0 && coef[i + 24] === 0 && coef[i + 40] === 0 &&
        coef[i + 48] === 0 && coef[i + 56] === 0) {
      const dc = (coef[i] * q[col]) << 2;
      ws[col] = dc; ws[col + 8] = dc; ws[col + 16] = dc; ws[col + 24] = dc;
      continue;
    }
    const t0 = (coef[i] * q[col]) * 16384; // << (13 + 1)
    const tmp2 = coef[i + 16] * q[col + 16] * F1_847 - coef[i + 48] * q[col + 48] * F0_765;
    const tmp10 = t0 + tmp2, tmp12 = t0 - tmp2;
    const z1 = coef[i + 56] * q[col + 56], z2 = coef[i + 40] * q[col + 40];
    const z3 = coef[i + 24] * q[col + 24], z4 = coef[i + 8] * q[col + 8];
    const tmp0 = -z1 * F0_211 + z2 * F1_451 - z3 * F2_172 + z4 * F1_061;
    const tmp2b = -z1 * F0_509 - z2 * F0_601 + z3 * F0_899 + z4 * F2_562;
    ws[col] = (tmp10 + tmp2b + 2048) >> 12; ws[col + 24] = (tmp10 - tmp2b + 2048) >> 12;
    ws[col + 8] = (tmp12 + tmp0 + 2048) >> 12; ws[col + 16] = (tmp12 - tmp0 + 2048) >> 12;
  }
  for (let row = 0, w = 0; row < 4; row++, w += 8, o += stride) {
    if (ws[w + 1] === 0 && ws[w + 2] === 0 && ws[w + 3] === 0 && ws[w + 5] === 0 && ws[w + 6] === 0 &&
        ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[o] = v; out[o + 1] = v; out[o + 2] = v; out[o + 3] = v;
      continue;
    }
    const t0 = ws[w] * 16384;
    const tmp2 = ws[w + 2] * F1_847 - ws[w + 6] * F0_765;
    const tmp10 = t0 + tmp2, tmp12 = t0 - tmp2;
    const z1 = ws[w + 7], z2 = ws[w + 5], z3 = ws[w + 3], z4 = ws[w + 1];
    const tmp0 = -z1 * F0_211 + z2 * F1_451 - z3 * F2_172 + z4 * F1_061;
    const tmp2b = -z1 * F0_509 - z2 * F0_601 + z3 * F0_899 + z4 * F2_562;
    out[o] = R[((tmp10 + tmp2b + 262144) >> 19) & 1023]; out[o + 3] = R[((tmp10 - tmp2b + 262144) >> 19) & 1023];
    out[o + 1] = R[((tmp12 + tmp0 + 262144) >> 19) & 1023]; out[o + 2] = R[((tmp12 - tmp0 + 262144) >> 19) & 1023];
  }
}

/** libjpeg jpeg_idct_2x2 (jidctred.c): 2x2 output from coefficients 0, 1, 3, 5, 7 of each row and column. */
export function idctReduced2(coef: Int16Array, c: number, q: Int32Array, out: Uint8Array, o: number, stride: number,
  ws: Int32Array): void {
  const R = RANGE_LIMIT;
  for (let col = 0; col < 8; col++) {
    if (col === 2 || col === 4 || col === 6) continue;
    const i = c + col;
    if (coef[i + 8] === 0 && coef[i + 24] === 0 && coef[i + 40] === 0 && coef[i + 56] === 0) {
      const dc = (coef[i] * q[col]) << 2;
      ws[col] = dc; ws[col + 8] = dc;
      continue;
    }
    const tmp10 = coef[i] * q[col] * 32768; // << (13 + 2)
    const tmp0 = -coef[i + 56] * q[col + 56] * F0_720 + coef[i + 40] * q[col + 40] * F0_850 -
      coef[i + 24] * q[col + 24] * F1_272 + coef[i + 8] * q[col + 8] * F3_624;
    ws[col] = (tmp10 + tmp0 + 4096) >> 13; ws[col + 8] = (tmp10 - tmp0 + 4096) >> 13;
  }
  for (let row = 0, w = 0; row < 2; row++, w += 8, o += stride) {
    if (ws[w + 1] === 0 && ws[w + 3] === 0 && ws[w + 5] === 0 && ws[w + 7] === 0) {
      const v = R[((ws[w] + 16) >> 5) & 1023];
      out[o] = v; out[o + 1] = v;
      continue;
    }
    const tmp10 = ws[w] * 32768;
    const tmp0 = -ws[w + 7] * F0_720 + ws[w + 5] * F0_850 - ws[w + 3] * F1_272 + ws[w + 1] * F3_624;
    out[o] = R[((tmp10 + tmp0 + 524288) >> 20) & 1023]; out[o + 1] = R[((tmp10 - tmp0 + 524288) >> 20) & 1023];
  }
}

/** libjpeg jpeg_idct_1x1: the block's mean, DC / 8. */
export function idctReduced1(coef: Int16Array, c: number, q: Int32Array, out: Uint8Array, o: number): void {
  out[o] = RANGE_LIMIT[((coef[c] * q[0] + 4) >> 3) & 1023];
}

/** The libjpeg IDCT for an output block size of 8, 4, 2 or 1. */
export function libjpegIdct(size: number): IdctFunction {
  switch (size) {
    case 8: return idctIslow8;
    case 4: return idctReduced4;
    case 2: return idctReduced2;
    default: return idctReduced1;
  }
}

// stbi__f2f(x) = (int)(x * 4096 + 0.5), truncated towards zero (so the negative ones round differently).
const S0_541 = 2217, SM1_847 = -7567, S0_765 = 3135, S1_175 = 4816, S0_298 = 1223, S2_053 = 8410, S3_072 = 12586;
const S1_501 = 6149, SM0_899 = -3685, SM2_562 = -10497, SM1_961 = -8034, SM0_390 = -1597;

/**
 * stb_image's stbi__idct_block (its SSE2 twin gives the same bytes). stb stores coefficients already multiplied
 * by the quantizer as 16-bit shorts, so the product is wrapped to 16 bits first.
 */
export function idctStb8(coef: Int16Array, c: number, q: Int32Array, out: Uint8Array, o: number, stride: number,
  ws: Int32Array): void {
  const d = ws; // d[64 + i]: dequantized shorts; ws[i]: pass-1 output
  for (let i = 0; i < 64; i++) d[64 + i] = ((coef[c + i]! * q[i]!) << 16) >> 16;
  for (let col = 0; col < 8; col++) {
    const i = 64 + col;
    if (d[i + 8] === 0 && d[i + 16] === 0 && d[i + 24] === 0 && d[i + 32] === 0 && d[i + 40] === 0 &&
        d[i + 48] === 0 && d[i + 56] === 0) {
      const dc = d[i]! * 4;
      ws[col] = dc; ws[col + 8] = dc; ws[col + 16] = dc; ws[col + 24] = dc;
      ws[col + 32] = dc; ws[col + 40] = dc; ws[col + 48] = dc; ws[col + 56] = dc;
      continue;
    }
    let p2 = d[i + 16]!, p3 = d[i + 48]!;
    let p1 = (p2 + p3) * S0_541;
    let t2 = p1 + p3 * SM1_847, t3 = p1 + p2 * S0_765;
    p2 = d[i]!; p3 = d[i + 32]!;
    let t0 = (p2 + p3) * 4096, t1 = (p2 - p3) * 4096;
    const x0 = t0 + t3 + 512, x3 = t0 - t3 + 512, x1 = t1 + t2 + 512, x2 = t1 - t2 + 512;
    t0 = d[i + 56]!; t1 = d[i + 40]!; t2 = d[i + 24]!; t3 = d[i + 8]!;
    p3 = t0 + t2; let p4 = t1 + t3; p1 = t0 + t3; p2 = t1 + t2;
    const p5 = (p3 + p4) * S1_175;
    t0 *= S0_298; t1 *= S2_053; t2 *= S3_072; t3 *= S1_501;
    p1 = p5 + p1 * SM0_899; p2 = p5 + p2 * SM2_562; p3 *= SM1_961; p4 *= SM0_390;
    t3 += p1 + p4; t2 += p2 + p3; t1 += p2 + p4; t0 += p1 + p3;
    ws[col] = (x0 + t3) >> 10; ws[col + 56] = (x0 - t3) >> 10;
    ws[col + 8] = (x1 + t2) >> 10; ws[col + 48] = (x1 - t2) >> 10;
    ws[col + 16] = (x2 + t1) >> 10; ws[col + 40] = (x2 - t1) >> 10;
    ws[col + 24] = (x3 + t0) >> 10; ws[col + 32] = (x3 - t0) >> 10;
  }
  const bias = 65536 + (128 << 17);
  for (let row = 0, w = 0; row < 8; row++, w += 8, o += stride) {
    let p2 = ws[w + 2]!, p3 = ws[w + 6]!;
    let p1 = (p2 + p3) * S0_541;
    let t2 = p1 + p3 * SM1_847, t3 = p1 + p2 * S0_765;
    p2 = ws[w]!; p3 = ws[w + 4]!;
    let t0 = (p2 + p3) * 4096, t1 = (p2 - p3) * 4096;
    const x0 = t0 + t3 + bias, x3 = t0 - t3 + bias, x1 = t1 + t2 + bias, x2 = t1 - t2 + bias;
    t0 = ws[w + 7]!; t1 = ws[w + 5]!; t2 = ws[w + 3]!; t3 = ws[w + 1]!;
    p3 = t0 + t2; let p4 = t1 + t3; p1 = t0 + t3; p2 = t1 + t2;
    const p5 = (p3 + p4) * S1_175;
    t0 *= S0_298; t1 *= S2_053; t2 *= S3_072; t3 *= S1_501;
    p1 = p5 + p1 * SM0_899; p2 = p5 + p2 * SM2_562; p3 *= SM1_961; p4 *= SM0_390;
    t3 += p1 + p4; t2 += p2 + p3; t1 += p2 + p4; t0 += p1 + p3;
    out[o] = clampByte((x0 + t3) >> 17); out[o + 7] = clampByte((x0 - t3) >> 17);
    out[o + 1] = clampByte((x1 + t2) >> 17); out[o + 6] = clampByte((x1 - t2) >> 17);
    out[o + 2] = clampByte((x2 + t1) >> 17); out[o + 5] = clampByte((x2 - t1) >> 17);
    out[o + 3] = clampByte((x3 + t0) >> 17); out[o + 4] = clampByte((x3 - t0) >> 17);
  }
}

function clampByte(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : x;
}
