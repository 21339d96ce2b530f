/**
 * ScalePlane with kFilterBilinear (libyuv/source/scale.cc: ScalePlane and its paths), the resize the Task Library
 * runs for GRAY frames and each plane of YV12/YV21 frames (I420Scale), and for the Y plane of NV12/NV21 (NV12Scale).
 *
 * Paths, chosen as ScalePlane chooses them after ScaleFilterReduce:
 * - equal size: copy; equal width: rows only (ScalePlaneVertical);
 * - exact 3/4, 1/2 and 3/8 shrinks: fixed box rows (ScalePlaneDown34, ScalePlaneDown2, ScalePlaneDown38);
 * - exact 2x enlargements: ScalePlaneUp2_Linear (equal height) and ScalePlaneUp2_Bilinear (9:3:3:1 weights);
 * - otherwise ScalePlaneBilinearUp (taller output) or ScalePlaneBilinearDown, with the x86 column blend
 *   `a + ((f7 * (b - a) + 64) >> 7)` (ScaleFilterCols_SSSE3), or point sampling (ScalePlaneSimple).
 */
import { FilterMode, colFraction, fixedDiv, fixedDiv1, fixedInt, rowFraction, scaleFilterReduce, scaleSlope } from './filter.js';
import { interpolate } from './row.js';
import type { PixelView } from './scale_argb.js';

/** Scales one plane of 1-byte samples from sw x sh to dw x dh, bit-exact with libyuv's ScalePlane (bilinear, x86-64). */
export function scalePlane(src: PixelView, sw: number, sh: number, dst: PixelView, dw: number, dh: number): void {
  const filtering = scaleFilterReduce(sw, sh, dw, dh, FilterMode.Bilinear);
  const s = new Plane(src), d = new Plane(dst);
  if (dw === sw && dh === sh) {
    for (let j = 0; j < dh; j++) for (let i = 0; i < dw; i++) d.set(i, j, s.at(i, j));
    return;
  }
  if (dw === sw) {
    let dy = 0, y = 0;
    if (dh <= sh) {
      dy = fixedDiv(sh, dh);
      y = (dy >> 1) - 32768;
    } else if (sh > 1 && dh > 1) {
      dy = fixedDiv1(sh, dh);
    }
    vertical(s, sh, d, dw, dh, y, dy, filtering);
    return;
  }
  if (dw <= sw && dh <= sh) {
    if (4 * dw === 3 * sw && 4 * dh === 3 * sh) return down34(s, d, dw, dh, filtering);
    if (2 * dw === sw && 2 * dh === sh) return down2(s, d, dw, dh, filtering);
    if (8 * dw === 3 * sw && 8 * dh === 3 * sh) return down38(s, d, dw, dh, filtering);
  }
  if (((dw + 1) >> 1) === sw && filtering === FilterMode.Linear) return up2Linear(s, sh, d, dw, dh);
  if (((dh + 1) >> 1) === sh && ((dw + 1) >> 1) === sw && filtering === FilterMode.Bilinear) {
    return up2Bilinear(s, sh, d, dw, dh);
  }
  const { x, y, dx, dy } = scaleSlope(sw, sh, dw, dh, filtering);
  if (filtering !== FilterMode.None && dh > sh) bilinearUp(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering);
  else if (filtering !== FilterMode.None) bilinearDown(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering);
  else simple(s, d, dw, dh, x, dx, y, dy);
}

/** Sample access of a plane view. */
export class Plane {
  readonly data: Uint8Array;
  readonly offset: number;
  readonly rs: number;
  readonly ps: number;
  constructor(v: PixelView) {
    this.data = v.data;
    this.offset = v.offset;
    this.rs = v.rowStride;
    this.ps = v.pixelStride;
  }
  at(x: number, y: number): number {
    return this.data[this.offset + y * this.rs + x * this.ps]!;
  }
  set(x: number, y: number, v: number): void {
    this.data[this.offset + y * this.rs + x * this.ps] = v;
  }
}

/** ScaleFilterCols (x86 BLENDER): 7-bit fraction with rounding, `a + ((f * (b - a) + 64) >> 7)`. */
function blend7(a: number, b: number, f: number): number {
  return a + ((f * (b - a) + 64) >> 7);
}

/** ScalePlaneVertical with bpp 1: rows blended, y clamped one 16.16 step short of the last row. */
function vertical(s: Plane, sh: number, d: Plane, dw: number, dh: number, y: number, dy: number, f: FilterMode): void {
  const maxY = sh > 1 ? (sh - 1) * 65536 - 1 : 0;
  for (let j = 0; j < dh; j++, y += dy) {
    if (y > maxY) y = maxY;
    const yi = fixedInt(y);
    const yf = f !== FilterMode.None ? rowFraction(y) : 0;
    for (let i = 0; i < dw; i++) d.set(i, j, yf === 0 ? s.at(i, yi) : interpolate(s.at(i, yi), s.at(i, yi + 1), yf));
  }
}

/** ScalePlaneDown2 with the box rows (ScaleRowDown2Box): 2x2 means, rounded. */
function down2(s: Plane, d: Plane, dw: number, dh: number, f: FilterMode): void {
  for (let j = 0; j < dh; j++) {
    for (let i = 0; i < dw; i++) {
      const x = 2 * i, y = 2 * j;
      if (f === FilterMode.None) d.set(i, j, s.at(x + 1, y + 1));
      else d.set(i, j, (s.at(x, y) + s.at(x + 1, y) + s.at(x, y + 1) + s.at(x + 1, y + 1) + 2) >> 2);
    }
  }
}

/**
 * One ScaleRowDown34 box row: 4 source columns -> 3 (weights 3:1, 1:1, 1:3), rows s and t weighted 3:1 (kind 0)
 * or 1:1 (kind 1). The C rows filter columns first; the SSSE3 rows (the first `dw - dw % 24` outputs, through
 * the _Any_SSSE3 wrapper) average rows first with pavgb (kind 0: avg(s, avg(s, t))), then filter columns.
 */
function down34Row(s: Plane, rowS: number, rowT: number, d: Plane, j: number, dw: number, kind: 0 | 1): void {
  const simdCols = dw - (dw % 24);
  const avg = (a: number, b: number): number => (a + b + 1) >> 1;
  const cols = (p: [number, number, number, number]): [number, number, number] => [
    (p[0] * 3 + p[1] + 2) >> 2, (p[1] + p[2] + 1) >> 1, (p[2] + p[3] * 3 + 2) >> 2,
  ];
  const row = (r: number, x: number): [number, number, number, number] =>
    [s.at(x, r), s.at(x + 1, r), s.at(x + 2, r), s.at(x + 3, r)];
  for (let i = 0, x = 0; i < dw; i += 3, x += 4) {
    let out: number[];
    if (i < simdCols) {
      const a = row(rowS, x), b = row(rowT, x);
      out = cols(a.map((v, k) => (kind === 0 ? avg(v, avg(b[k]!, v)) : avg(v, b[k]!))) as [number, number, number, number]);
    } else {
      const a = cols(row(rowS, x)), b = cols(row(rowT, x));
      out = a.map((v, k) => (kind === 0 ? (v * 3 + b[k]! + 2) >> 2 : (v + b[k]! + 1) >> 1));
    }
    for (let k = 0; k < 3; k++) d.set(i + k, j, out[k]!);
  }
}

/** ScalePlaneDown34: each 4x4 block gives 3x3 (rows 0+1 at 3:1, rows 1+2 at 1:1, rows 3+2 at 3:1). */
function down34(s: Plane, d: Plane, dw: number, dh: number, f: FilterMode): void {
  if (f === FilterMode.None) {
    for (let j = 0; j < dh; j++) {
      const sy = Math.floor(j / 3) * 4 + [0, 1, 3][j % 3]!;
      for (let i = 0; i < dw; i++) d.set(i, j, s.at(Math.floor(i / 3) * 4 + [0, 1, 3][i % 3]!, sy));
    }
    return;
  }
  const linear = f === FilterMode.Linear;
  let j = 0, r = 0;
  for (; j < dh - 2; j += 3, r += 4) {
    down34Row(s, r, linear ? r : r + 1, d, j, dw, 0);
    down34Row(s, r + 1, linear ? r + 1 : r + 2, d, j + 1, dw, 1);
    down34Row(s, r + 3, linear ? r + 3 : r + 2, d, j + 2, dw, 0);
  }
  if (dh % 3 === 2) {
    down34Row(s, r, linear ? r : r + 1, d, j, dw, 0);
    down34Row(s, r + 1, r + 1, d, j + 1, dw, 1);
  } else if (dh % 3 === 1) {
    down34Row(s, r, r, d, j, dw, 0);
  }
}

/**
 * One ScaleRowDown38 box row over `rows` source rows (3 or 2): boxes 3, 3 and 2 columns wide, means in fixed point
 * (`sum * (65536 / n) >> 16`). The 2-row SSSE3 version (first `dw - dw % 6` outputs) averages the rows with pavgb
 * first and then divides column sums by 3, 3 and 2.
 */
function down38Row(s: Plane, row: number, rows: number, d: Plane, j: number, dw: number): void {
  const simdCols = rows === 2 ? dw - (dw % 6) : 0;
  const div = (n: number): number => Math.trunc(65536 / n);
  const sum = (x: number, w: number): number => {
    let t = 0;
    for (let r = 0; r < rows; r++) for (let k = 0; k < w; k++) t += s.at(x + k, row + r);
    return t;
  };
  const avgSum = (x: number, w: number): number => {
    let t = 0;
    for (let k = 0; k < w; k++) t += (s.at(x + k, row) + s.at(x + k, row + 1) + 1) >> 1;
    return t;
  };
  for (let i = 0, x = 0; i < dw; i += 3, x += 8) {
    if (i < simdCols) {
      d.set(i, j, (avgSum(x, 3) * div(3)) >>> 16);
      d.set(i + 1, j, (avgSum(x + 3, 3) * div(3)) >>> 16);
      d.set(i + 2, j, (avgSum(x + 6, 2) * div(2)) >>> 16);
    } else {
      d.set(i, j, (sum(x, 3) * div(3 * rows)) >>> 16);
      d.set(i + 1, j, (sum(x + 3, 3) * div(3 * rows)) >>> 16);
      d.set(i + 2, j, (sum(x + 6, 2) * div(2 * rows)) >>> 16);
    }
  }
}

/** ScalePlaneDown38: 8x8 -> 3x3 with boxes of 3, 3 and 2 rows; remainder rows unfiltered vertically. */
function down38(s: Plane, d: Plane, dw: number, dh: number, f: FilterMode): void {
  if (f === FilterMode.None) {
    for (let j = 0; j < dh; j++) {
      const sy = Math.floor(j / 3) * 8 + [0, 3, 6][j % 3]!;
      for (let i = 0; i < dw; i++) d.set(i, j, s.at(Math.floor(i / 3) * 8 + [0, 3, 6][i % 3]!, sy));
    }
    return;
  }
  // With kFilterLinear the row stride is 0: the same row counted 3 (or 2) times.
  const box = (row: number, rows: number, j: number): void => {
    if (f === FilterMode.Linear) down38Rows(s, row, rows, d, j, dw);
    else down38Row(s, row, rows, d, j, dw);
  };
  let j = 0, r = 0;
  for (; j < dh - 2; j += 3, r += 8) {
    box(r, 3, j);
    box(r + 3, 3, j + 1);
    box(r + 6, 2, j + 2);
  }
  if (dh % 3 === 2) {
    box(r, 3, j);
    down38Rows(s, r + 3, 3, d, j + 1, dw);
  } else if (dh % 3 === 1) {
    down38Rows(s, r, 3, d, j, dw);
  }
}

/** A ScaleRowDown38 box row called with stride 0: one source row counted `rows` times. */
function down38Rows(s: Plane, row: number, rows: number, d: Plane, j: number, dw: number): void {
  const div = (n: number): number => Math.trunc(65536 / n);
  for (let i = 0, x = 0; i < dw; i += 3, x += 8) {
    const a = s.at(x, row) + s.at(x + 1, row) + s.at(x + 2, row);
    const b = s.at(x + 3, row) + s.at(x + 4, row) + s.at(x + 5, row);
    const c = s.at(x + 6, row) + s.at(x + 7, row);
    d.set(i, j, (a * rows * div(3 * rows)) >>> 16);
    d.set(i + 1, j, (b * rows * div(3 * rows)) >>> 16);
    d.set(i + 2, j, (c * rows * div(2 * rows)) >>> 16);
  }
}

/** ScaleRowUp2_Linear_Any: first and last pixel copied, the rest 3:1 / 1:3 of neighbouring samples. */
function up2LinearRow(s: Plane, row: number, d: Plane, j: number, dw: number): void {
  d.set(0, j, s.at(0, row));
  const work = (dw - 1) & ~1;
  for (let x = 0; x < work / 2; x++) {
    const a = s.at(x, row), b = s.at(x + 1, row);
    d.set(1 + 2 * x, j, (a * 3 + b + 2) >> 2);
    d.set(2 + 2 * x, j, (a + b * 3 + 2) >> 2);
  }
  d.set(dw - 1, j, s.at((dw - 1) >> 1, row));
}

/** ScalePlaneUp2_Linear: 2x wider, rows point-sampled. */
export function up2Linear(s: Plane, sh: number, d: Plane, dw: number, dh: number): void {
  if (dh === 1) {
    up2LinearRow(s, (sh - 1) >> 1, d, 0, dw);
    return;
  }
  const dy = fixedDiv(sh - 1, dh - 1);
  for (let j = 0, y = 32767; j < dh; j++, y += dy) up2LinearRow(s, fixedInt(y), d, j, dw);
}

/**
 * ScaleRowUp2_Bilinear_Any over source rows a and b into output rows ja and jb (ja === jb when libyuv passes a
 * zero stride: the first and, for even heights, the last row).
 */
function up2BilinearRows(s: Plane, a: number, b: number, d: Plane, ja: number, jb: number, dw: number): void {
  const last = (dw - 1) >> 1;
  const put = (x: number, va: number, vb: number): void => {
    d.set(x, ja, va);
    d.set(x, jb, vb);
  };
  put(0, (3 * s.at(0, a) + s.at(0, b) + 2) >> 2, (s.at(0, a) + 3 * s.at(0, b) + 2) >> 2);
  const work = (dw - 1) & ~1;
  for (let x = 0; x < work / 2; x++) {
    const s0 = s.at(x, a), s1 = s.at(x + 1, a), t0 = s.at(x, b), t1 = s.at(x + 1, b);
    put(1 + 2 * x, (s0 * 9 + s1 * 3 + t0 * 3 + t1 + 8) >> 4, (s0 * 3 + s1 + t0 * 9 + t1 * 3 + 8) >> 4);
    put(2 + 2 * x, (s0 * 3 + s1 * 9 + t0 + t1 * 3 + 8) >> 4, (s0 + s1 * 3 + t0 * 3 + t1 * 9 + 8) >> 4);
  }
  put(dw - 1, (3 * s.at(last, a) + s.at(last, b) + 2) >> 2, (s.at(last, a) + 3 * s.at(last, b) + 2) >> 2);
}

/** ScalePlaneUp2_Bilinear: 2x in both axes with 9:3:3:1 weights; outer rows from one source row. */
export function up2Bilinear(s: Plane, sh: number, d: Plane, dw: number, dh: number): void {
  up2BilinearRows(s, 0, 0, d, 0, 0, dw);
  let j = 1;
  for (let r = 0; r < sh - 1; r++, j += 2) up2BilinearRows(s, r, r + 1, d, j, j + 1, dw);
  if ((dh & 1) === 0) up2BilinearRows(s, sh - 1, sh - 1, d, j, j, dw);
}

/** Column positions for ScaleFilterCols: left sample, right sample (clamped) and the 7-bit fraction. */
function columns(sw: number, dw: number, x: number, dx: number): { a: Int32Array; b: Int32Array; f: Int32Array } {
  const a = new Int32Array(dw), b = new Int32Array(dw), f = new Int32Array(dw);
  for (let i = 0; i < dw; i++, x += dx) {
    const xi = fixedInt(x);
    a[i] = xi;
    b[i] = Math.min(xi + 1, sw - 1);
    f[i] = colFraction(x);
  }
  return { a, b, f };
}

/** ScalePlaneBilinearDown: rows blended (8-bit) into a row buffer, then columns (7-bit, rounded). */
function bilinearDown(s: Plane, sw: number, sh: number, d: Plane, dw: number, dh: number, x: number, dx: number,
  y: number, dy: number, f: FilterMode): void {
  const c = columns(sw, dw, x, dx);
  const ca = c.a, cb = c.b, cf = c.f;
  const sd = s.data, sps = s.ps, dd = d.data, dps = d.ps;
  const linear = f === FilterMode.Linear;
  const maxY = (sh - 1) * 65536;
  if (y > maxY) y = maxY;
  for (let j = 0; j < dh; j++) {
    const r0 = s.offset + fixedInt(y) * s.rs, r1 = r0 + s.rs;
    const yf = linear ? 0 : rowFraction(y);
    let o = d.offset + j * d.rs;
    for (let i = 0; i < dw; i++, o += dps) {
      const pa = ca[i]! * sps, pb = cb[i]! * sps;
      const a = yf === 0 ? sd[r0 + pa]! : interpolate(sd[r0 + pa]!, sd[r1 + pa]!, yf);
      const b = yf === 0 ? sd[r0 + pb]! : interpolate(sd[r0 + pb]!, sd[r1 + pb]!, yf);
      dd[o] = blend7(a, b, cf[i]!);
    }
    y += dy;
    if (y > maxY) y = maxY;
  }
}

/** ScalePlaneBilinearUp: columns first into two row buffers (replaying libyuv's row bookkeeping), then rows. */
function bilinearUp(s: Plane, sw: number, sh: number, d: Plane, dw: number, dh: number, x: number, dx: number,
  y: number, dy: number, f: FilterMode): void {
  const c = columns(sw, dw, x, dx);
  const maxY = (sh - 1) * 65536;
  const cache = new Map<number, Uint8Array>();
  const colsOf = (row: number): Uint8Array => {
    let buf = cache.get(row);
    if (buf) return buf;
    buf = new Uint8Array(dw);
    for (let i = 0; i < dw; i++) buf[i] = blend7(s.at(c.a[i]!, row), s.at(c.b[i]!, row), c.f[i]!);
    if (cache.size > 3) cache.delete(cache.keys().next().value!);
    cache.set(row, buf);
    return buf;
  };
  if (y > maxY) y = maxY;
  let yi = fixedInt(y);
  let srcRow = yi;
  let cur = srcRow;
  if (sh > 1) srcRow++;
  let next = srcRow;
  if (sh > 2) srcRow++;
  let lastY = yi;
  for (let j = 0; j < dh; j++, y += dy) {
    yi = fixedInt(y);
    if (yi !== lastY) {
      if (y > maxY) {
        y = maxY;
        yi = fixedInt(y);
        srcRow = yi;
      }
      if (yi !== lastY) {
        cur = next;
        next = srcRow;
        lastY = yi;
        if (y + 65536 < maxY) srcRow++;
      }
    }
    const yf = f === FilterMode.Linear ? 0 : rowFraction(y);
    const top = colsOf(cur);
    const bottom = yf === 0 ? top : colsOf(next);
    for (let i = 0; i < dw; i++) d.set(i, j, interpolate(top[i]!, bottom[i]!, yf));
  }
}

/** ScalePlaneSimple: point sampling. */
function simple(s: Plane, d: Plane, dw: number, dh: number, x: number, dx: number, y: number, dy: number): void {
  for (let j = 0, yy = y; j < dh; j++, yy += dy) {
    for (let i = 0, xx = x; i < dw; i++, xx += dx) d.set(i, j, s.at(fixedInt(xx), fixedInt(yy)));
  }
}
