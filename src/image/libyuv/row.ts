/**
 * libyuv's row arithmetic, one sample at a time. The x86-64 SIMD row functions (what a desktop Task Library runs;
 * Debian's libyuv picks them at run time) compute the same values as the C ones, except the 2x2 box rows, where
 * SSE2 averages with two rounds of `pavgb`; see `box2`.
 */

/** InterpolateRow_C / _SSSE3 / _AVX2: blend of two rows with an 8-bit fraction f of the second (0 and 128 special). */
export function interpolate(a: number, b: number, f: number): number {
  if (f === 0) return a;
  if (f === 128) return (a + b + 1) >> 1;
  return (a * (256 - f) + b * f + 128) >> 8;
}

/** The BLENDER of ScaleARGBFilterCols_C (mimicking ScaleARGBFilterCols_SSSE3): 7-bit weights (127 - f, f), truncated. */
export function blendCols(a: number, b: number, f: number): number {
  return (a * (127 - f) + b * f) >> 7;
}

/** Exact 2x2 box average (ScaleARGBRowDown2Box_C, ScaleARGBRowDownEvenBox_C). */
export function box2Exact(a: number, b: number, c: number, d: number): number {
  return (a + b + c + d + 2) >> 2;
}

/** 2x2 box of the SSE2 rows: pavgb of the two rows, then pavgb of the two columns. a, b top row; c, d bottom row. */
export function box2Pavg(a: number, b: number, c: number, d: number): number {
  return (((a + c + 1) >> 1) + ((b + d + 1) >> 1) + 1) >> 1;
}
