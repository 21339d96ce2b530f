/**
 * Colour conversion of decoded (and upsampled) component rows into packed RGB.
 *
 * - libjpeg-turbo (jdcolor.c): YCbCr -> RGB with 16-bit fixed-point tables (R = Y + round(1.402 Cr'),
 *   G = Y + ((-0.34414 Cb' - 0.71414 Cr' + 1/2) >> 16), B = Y + round(1.772 Cb'), Cb' = Cb - 128), YCCK -> CMYK
 *   through the same tables, and djpeg's CMYK -> RGB for PPM output (cmyk.h: R = round(C * K / 255), computed in
 *   doubles; Adobe files store inverted CMYK, so this is the usual "(1 - c)(1 - k)").
 * - stb_image (stbi__YCbCr_to_RGB_row): Y << 20 with 12-bit coefficients shifted up by 8, the green Cb term
 *   truncated to a multiple of 2^16, a plain clamp; CMYK through stbi__blinn_8x8 (x * k / 255, rounded).
 *
 * Every converter writes `width` RGB pixels at out[o..] from rows a, b, c (and k) at their offsets.
 */

export type ColorConverter = (
  a: Uint8Array, ao: number, b: Uint8Array, bo: number, c: Uint8Array, co: number, k: Uint8Array, ko: number,
  out: Uint8Array, o: number, width: number,
) => void;

/** Clamp table for values -256..767 (libjpeg's sample_range_limit), index v + 256. */
export const CLAMP = ((): Uint8Array => {
  const t = new Uint8Array(1024);
  for (let i = 0; i < 1024; i++) t[i] = Math.min(255, Math.max(0, i - 256));
  return t;
})();

const FIX = (x: number): number => Math.floor(x * 65536 + 0.5);
export const CR_R = new Int32Array(256), CB_B = new Int32Array(256), CR_G = new Int32Array(256), CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (FIX(1.402) * x + 32768) >> 16;
  CB_B[i] = (FIX(1.772) * x + 32768) >> 16;
  CR_G[i] = -FIX(0.71414) * x;
  CB_G[i] = -FIX(0.34414) * x + 32768;
}

/** libjpeg ycc_rgb_convert. */
export const libjpegYccToRgb: ColorConverter = (y, yo, cb, cbo, cr, cro, _k, _ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) {
    const Y = y[yo + i]! + 256, u = cb[cbo + i]!, v = cr[cro + i]!;
    out[o] = CLAMP[Y + CR_R[v]!]!;
    out[o + 1] = CLAMP[Y + ((CB_G[u]! + CR_G[v]!) >> 16)]!;
    out[o + 2] = CLAMP[Y + CB_B[u]!]!;
  }
};

/** Interleaves three full-size planes (RGB JPEGs: Adobe transform 0, or component ids 'R', 'G', 'B'). */
export const interleaveRgb: ColorConverter = (r, ro, g, go, b, bo, _k, _ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) { out[o] = r[ro + i]!; out[o + 1] = g[go + i]!; out[o + 2] = b[bo + i]!; }
};

/** djpeg's cmyk_to_rgb (exact double arithmetic, as in cmyk.h). */
function cmykChannel(c: number, k: number): number {
  return Math.floor((c * k) / 255 + 0.5);
}

/** A CMYK (Adobe transform 0, or no Adobe marker) image as djpeg writes it to PPM. */
export const libjpegCmykToRgb: ColorConverter = (c, co, m, mo, y, yo, k, ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) {
    const K = k[ko + i]!;
    out[o] = cmykChannel(c[co + i]!, K); out[o + 1] = cmykChannel(m[mo + i]!, K); out[o + 2] = cmykChannel(y[yo + i]!, K);
  }
};

/** libjpeg ycck_cmyk_convert followed by djpeg's cmyk_to_rgb. */
export const libjpegYcckToRgb: ColorConverter = (y, yo, cb, cbo, cr, cro, k, ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) {
    const Y = y[yo + i]!, u = cb[cbo + i]!, v = cr[cro + i]!, K = k[ko + i]!;
    const C = CLAMP[255 - (Y + CR_R[v]!) + 256]!;
    const M = CLAMP[255 - (Y + ((CB_G[u]! + CR_G[v]!) >> 16)) + 256]!;
    const Ye = CLAMP[255 - (Y + CB_B[u]!) + 256]!;
    out[o] = cmykChannel(C, K); out[o + 1] = cmykChannel(M, K); out[o + 2] = cmykChannel(Ye, K);
  }
};

// stbi__float2fixed: ((int)(x * 4096 + 0.5)) << 8
const S_CR_R = 5743 << 8, S_CR_G = 2925 << 8, S_CB_G = 1410 << 8, S_CB_B = 7258 << 8;

const clamp255 = (x: number): number => (x < 0 ? 0 : x > 255 ? 255 : x);

/** stbi__YCbCr_to_RGB_row. */
export const stbYccToRgb: ColorConverter = (y, yo, cb, cbo, cr, cro, _k, _ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) {
    const yf = (y[yo + i]! << 20) + (1 << 19);
    const u = cb[cbo + i]! - 128, v = cr[cro + i]! - 128;
    out[o] = clamp255((yf + v * S_CR_R) >> 20);
    out[o + 1] = clamp255((yf - v * S_CR_G + ((-u * S_CB_G) & 0xffff0000)) >> 20);
    out[o + 2] = clamp255((yf + u * S_CB_B) >> 20);
  }
};

/** stbi__blinn_8x8: x * y / 255, rounded. */
const blinn = (x: number, y: number): number => {
  const t = x * y + 128;
  return ((t + (t >>> 8)) >>> 8) & 255;
};

/** stb_image's CMYK (Adobe transform 0). */
export const stbCmykToRgb: ColorConverter = (c, co, m, mo, y, yo, k, ko, out, o, width) => {
  for (let i = 0; i < width; i++, o += 3) {
    const K = k[ko + i]!;
    out[o] = blinn(c[co + i]!, K); out[o + 1] = blinn(m[mo + i]!, K); out[o + 2] = blinn(y[yo + i]!, K);
  }
};

/** stb_image's YCCK (Adobe transform 2): its YCbCr -> RGB, then 255 - x times K. */
export const stbYcckToRgb: ColorConverter = (y, yo, cb, cbo, cr, cro, k, ko, out, o, width) => {
  stbYccToRgb(y, yo, cb, cbo, cr, cro, k, ko, out, o, width);
  for (let i = 0; i < width; i++, o += 3) {
    const K = k[ko + i]!;
    out[o] = blinn(255 - out[o]!, K); out[o + 1] = blinn(255 - out[o + 1]!, K); out[o + 2] = blinn(255 - out[o + 2]!, K);
  }
};
