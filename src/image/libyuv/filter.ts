/**
 * libyuv's choice of filter and its 16.16 fixed-point stepping, shared by every scaler
 * (libyuv/source/scale_common.cc: ScaleFilterReduce, ScaleSlope, FixedDiv_C, FixedDiv1_C).
 *
 * Positions are kept as JavaScript numbers (exact integers); `fixedInt`/`fixedFrac` split them like `x >> 16` and
 * `x & 0xffff` without 32-bit overflow.
 */

/** libyuv's FilterMode, in its numbering (kFilterNone = 0 ... kFilterBox = 3). */
export const enum FilterMode {
  None = 0,
  Linear = 1,
  Bilinear = 2,
  Box = 3,
}

/** Integer part of a 16.16 position (`x >> 16`). */
export function fixedInt(x: number): number {
  return Math.floor(x / 65536);
}

/** `(x >> 8) & 255`: the 8-bit row fraction. */
export function rowFraction(y: number): number {
  return Math.floor((y - fixedInt(y) * 65536) / 256);
}

/** `(x >> 9) & 0x7f`: the 7-bit column fraction. */
export function colFraction(x: number): number {
  return Math.floor((x - fixedInt(x) * 65536) / 512);
}

/** FixedDiv_C: num / div in 16.16, truncated. */
export function fixedDiv(num: number, div: number): number {
  return Math.trunc((num * 65536) / div);
}

/** FixedDiv1_C: (num - 1) / (div - 1) in 16.16, as libyuv computes it ((num << 16) - 0x00010001) / (div - 1). */
export function fixedDiv1(num: number, div: number): number {
  return Math.trunc((num * 65536 - 0x00010001) / (div - 1));
}

/** ScaleFilterReduce: the filter libyuv actually uses for a size pair (e.g. bilinear -> linear for equal heights). */
export function scaleFilterReduce(sw: number, sh: number, dw: number, dh: number, filtering: FilterMode): FilterMode {
  sw = Math.abs(sw);
  sh = Math.abs(sh);
  let f = filtering;
  if (f === FilterMode.Box && (dw * 2 >= sw || dh * 2 >= sh)) f = FilterMode.Bilinear;
  if (f === FilterMode.Bilinear) {
    if (sh === 1) f = FilterMode.Linear;
    if (dh === sh || dh * 3 === sh) f = FilterMode.Linear;
    if (sw === 1) f = FilterMode.None;
  }
  if (f === FilterMode.Linear) {
    if (sw === 1) f = FilterMode.None;
    if (dw === sw || dw * 3 === sw) f = FilterMode.None;
  }
  return f;
}

export interface Slope {
  x: number;
  y: number;
  dx: number;
  dy: number;
}

function centerStart(d: number, s: number): number {
  return d < 0 ? -((-d >> 1) + s) : (d >> 1) + s;
}

/**
 * ScaleSlope: first source position and step per destination pixel, for non-mirrored sizes. Shrinking (and equal
 * size) samples at pixel centres (`step/2 - 0.5`); enlarging aligns the corners with FixedDiv1.
 */
export function scaleSlope(sw: number, sh: number, dw: number, dh: number, filtering: FilterMode): Slope {
  let x = 0, y = 0, dx = 0, dy = 0;
  if (dw === 1 && sw >= 32768) dw = sw;
  if (dh === 1 && sh >= 32768) dh = sh;
  if (filtering === FilterMode.Box) {
    dx = fixedDiv(sw, dw);
    dy = fixedDiv(sh, dh);
  } else if (filtering === FilterMode.Bilinear || filtering === FilterMode.Linear) {
    if (dw <= sw) {
      dx = fixedDiv(sw, dw);
      x = centerStart(dx, -32768);
    } else if (sw > 1 && dw > 1) {
      dx = fixedDiv1(sw, dw);
    }
    if (filtering === FilterMode.Linear) {
      dy = fixedDiv(sh, dh);
      y = dy >> 1;
    } else if (dh <= sh) {
      dy = fixedDiv(sh, dh);
      y = centerStart(dy, -32768);
    } else if (sh > 1 && dh > 1) {
      dy = fixedDiv1(sh, dh);
    }
  } else {
    dx = fixedDiv(sw, dw);
    dy = fixedDiv(sh, dh);
    x = centerStart(dx, 0);
    y = centerStart(dy, 0);
  }
  return { x, y, dx, dy };
}
