/**
 * ARGBScale with kFilterBilinear (libyuv/source/scale_argb.cc: ScaleARGB and its paths), the resize the Task Library
 * runs for RGB and RGBA frames. libyuv scales 4-byte pixels channel by channel, so this works on any number of
 * interleaved channels: RGB frames need not be widened to ARGB (the Task Library does, the result is the same).
 *
 * Paths, chosen as ScaleARGB chooses them after ScaleFilterReduce and ScaleSlope:
 * - integer even steps in both axes: 2x2 box rows (ScaleARGBDown2, ScaleARGBDownEven), with the x86 SIMD rounding
 *   for the first `dst_width & ~3` columns and the C rounding for the rest (the `_Any_SSE2` wrappers);
 * - equal size: a copy; integer odd steps: point sampling (ScaleARGBSimple);
 * - equal width: rows only (ScalePlaneVertical, which clamps one 16.16 step short of the last row);
 * - taller output: ScaleARGBBilinearUp (columns filtered first, then rows); otherwise ScaleARGBBilinearDown (rows,
 *   then columns). Rows blend with 8-bit fractions (rounded), columns with 7-bit weights (127 - f, f), truncated.
 */
import { ImageError } from '../../../schema/errors.js';
import { FilterMode, colFraction, fixedInt, rowFraction, scaleFilterReduce, scaleSlope } from './filter.js';
import { blendCols, box2Exact, box2Pavg, interpolate } from './row.js';

/** Where pixels live: byte offset of pixel (0, 0), bytes per row and per pixel. */
export interface PixelView {
  data: Uint8Array;
  offset: number;
  rowStride: number;
  pixelStride: number;
  /**
   * Sources streamed in rows (a decoder's band): makes rows y0..y1 available and returns the byte offset of row
   * y0 (row y0 + 1 follows at rowStride). Requests never go back below an earlier y0. Without it, row y is at
   * offset + y * rowStride. Only the shrinking paths take it (not ScaleARGBBilinearUp).
   */
  rows?: (y0: number, y1: number) => number;
}

/** Byte offset of row y (with row y1 >= y available after it at rowStride). */
function rowAt(s: PixelView, y: number, y1: number): number {
  return s.rows ? s.rows(y, y1) : s.offset + y * s.rowStride;
}

/** ARGBScale's limits (it returns -1 beyond them, and the Task Library reports a failure). */
export const ARGB_SCALE_MAX = 32768;

/**
 * Scales `channels`-byte pixels from sw x sh (`src`) to dw x dh (`dst`), bit-exact with libyuv's ARGBScale
 * (kFilterBilinear) as built for x86-64.
 */
export function argbScale(
  src: PixelView, sw: number, sh: number, dst: PixelView, dw: number, dh: number, channels: number,
): void {
  if (sw > ARGB_SCALE_MAX || sh > ARGB_SCALE_MAX) {
    throw new ImageError(`cannot resize a ${sw}x${sh} image: libyuv's ARGBScale (as in the Task Library) takes at most ` +
      `${ARGB_SCALE_MAX} pixels per side; crop it first (regionOfInterest)`);
  }
  const { path, filtering, x, y, dx, dy } = argbScalePlan(sw, sh, dw, dh);
  const s = { ...src, channels };
  const d = { ...dst, channels };
  switch (path) {
    case 'box': downBox(s, d, dw, dh, x, dx, y, dy, dw - (dw & 3)); break;
    case 'vertical': vertical(s, sh, d, dw, dh, x, y, dy, filtering); break;
    case 'up': bilinearUp(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering); break;
    case 'down': bilinearDown(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering); break;
    default: simple(s, d, dw, dh, x, dx, y, dy);
  }
}

/** The path ScaleARGB takes for a size pair, with its filter and 16.16 start and steps. */
export function argbScalePlan(sw: number, sh: number, dw: number, dh: number):
  { path: 'box' | 'simple' | 'vertical' | 'up' | 'down'; filtering: FilterMode; x: number; y: number; dx: number; dy: number } {
  let filtering = scaleFilterReduce(sw, sh, dw, dh, FilterMode.Bilinear);
  const { x, y, dx, dy } = scaleSlope(sw, sh, dw, dh, filtering);
  const plan = (path: 'box' | 'simple' | 'vertical' | 'up' | 'down') => ({ path, filtering, x, y, dx, dy });
  if (dx % 65536 === 0 && dy % 65536 === 0) {
    if (dx === 0 || dy === 0) {
      filtering = FilterMode.None;
    } else if ((dx & 0x10000) === 0 && (dy & 0x10000) === 0) {
      return plan('box');
    } else if ((dx & 0x10000) !== 0 && (dy & 0x10000) !== 0) {
      filtering = FilterMode.None;
      if (dx === 0x10000 && dy === 0x10000) return plan('simple');
    }
  }
  if (dx === 0x10000 && x % 65536 === 0) return plan('vertical');
  if (filtering !== FilterMode.None && dy < 65536) return plan('up');
  if (filtering !== FilterMode.None) return plan('down');
  return plan('simple');
}

/** Where one column of a source that arrives column by column lives: its first pixel's offset and the step to the next. */
export interface ColumnView {
  data: Uint8Array;
  offset: number;
  step: number;
}

/**
 * ScaleARGBBilinearDown (the 'down' path of argbScalePlan) over a source read column by column, e.g. an EXIF-turned
 * JPEG, whose stored rows are the upright image's columns. `column(x)` is called once per column the filter reads,
 * in increasing x (or decreasing with `descending`); each output pixel gets the same arithmetic as bilinearDown:
 * the 8-bit row blend of each of its two columns, then the 7-bit column blend.
 */
export function bilinearDownByColumns(sw: number, sh: number, dst: PixelView, dw: number, dh: number, channels: number,
  column: (x: number) => ColumnView, descending: boolean): void {
  const { path, filtering, x, y: y0, dx, dy } = argbScalePlan(sw, sh, dw, dh);
  if (path !== 'down') throw new Error(`internal: bilinearDownByColumns on the ${path} path`);
  const c = channels, dd = dst.data, dps = dst.pixelStride;
  const xa = new Int32Array(dw), xb = new Int32Array(dw), xf = new Int32Array(dw);
  for (let i = 0, xx = x; i < dw; i++, xx += dx) {
    xa[i] = fixedInt(xx); xb[i] = Math.min(xa[i]! + 1, sw - 1); xf[i] = colFraction(xx);
  }
  // Rows of each output row (bilinearDown's clamping), and its blend: 0 one row, -1 the pavgb half, else w1.
  const linear = filtering === FilterMode.Linear;
  const maxY = (sh - 1) * 65536;
  const yi = new Int32Array(dh), w = new Int32Array(dh);
  for (let j = 0, y = Math.min(y0, maxY); j < dh; j++) {
    const yf = linear ? 0 : rowFraction(y);
    yi[j] = fixedInt(y); w[j] = yf === 128 ? -1 : yf;
    y += dy;
    if (y > maxY) y = maxY;
  }
  // The columns read, each blended over the rows once: col[x] = its slot in `v` (dh pixels per slot).
  const slot = new Int32Array(sw).fill(-1);
  const cols: number[] = [];
  for (let i = 0; i < dw; i++) for (const cx of [xa[i]!, xb[i]!]) if (slot[cx] === -1) { slot[cx] = 0; cols.push(cx); }
  cols.sort((a, b) => (descending ? b - a : a - b));
  cols.forEach((cx, k) => { slot[cx] = k; });
  const v = new Uint8Array(cols.length * dh * c);
  for (let k = 0; k < cols.length; k++) {
    const { data: sd, offset, step } = column(cols[k]!);
    for (let j = 0, o = k * dh * c; j < dh; j++, o += c) {
      const p = offset + yi[j]! * step, w1 = w[j]!;
      if (w1 === 0) for (let ch = 0; ch < c; ch++) v[o + ch] = sd[p + ch]!;
      else if (w1 < 0) for (let ch = 0; ch < c; ch++) v[o + ch] = (sd[p + ch]! + sd[p + step + ch]! + 1) >> 1;
      else for (let ch = 0; ch < c; ch++) v[o + ch] = (sd[p + ch]! * (256 - w1) + sd[p + step + ch]! * w1 + 128) >> 8;
    }
  }
  for (let j = 0; j < dh; j++) {
    let o = dst.offset + j * dst.rowStride;
    for (let i = 0; i < dw; i++, o += dps) {
      const a = (slot[xa[i]!]! * dh + j) * c, b = (slot[xb[i]!]! * dh + j) * c, f = xf[i]!, g = 127 - f;
      for (let ch = 0; ch < c; ch++) dd[o + ch] = (v[a + ch]! * g + v[b + ch]! * f) >> 7;
    }
  }
}

export interface View extends PixelView {
  channels: number;
}

/**
 * ScaleARGBDown2 and ScaleARGBDownEven (even integer steps; also ScaleUVDown2/DownEven). Only reached with bilinear
 * filtering, which selects the box rows: 2x2 pixels at (xi, yi) and (xi + 1, yi + 1) for each step. The first
 * `pavgCols` outputs use the SSE2 rounding (the _Any_SSE2 wrappers run SSE2 on multiples of 4 pixels, C on the rest).
 */
export function downBox(s: View, d: View, dw: number, dh: number, x: number, dx: number, y: number, dy: number,
  pavgCols: number): void {
  const c = s.channels, sd = s.data, dd = d.data, sps = s.pixelStride, srs = s.rowStride, dps = d.pixelStride;
  const stepX = fixedInt(dx) * sps;
  const x0 = fixedInt(x) * sps;
  for (let j = 0, yi = fixedInt(y); j < dh; j++, yi += fixedInt(dy)) {
    let p = rowAt(s, yi, yi + 1) + x0;
    let o = d.offset + j * d.rowStride;
    for (let i = 0; i < dw; i++, p += stepX, o += dps) {
      const q = p + sps, r = p + srs, t = r + sps;
      if (i < pavgCols) {
        for (let k = 0; k < c; k++) dd[o + k] = box2Pavg(sd[p + k]!, sd[q + k]!, sd[r + k]!, sd[t + k]!);
      } else {
        for (let k = 0; k < c; k++) dd[o + k] = box2Exact(sd[p + k]!, sd[q + k]!, sd[r + k]!, sd[t + k]!);
      }
    }
  }
}

/** ScaleARGBSimple / ARGBCopy: point sampling at (x >> 16, y >> 16). */
export function simple(s: View, d: View, dw: number, dh: number, x: number, dx: number, y: number, dy: number): void {
  const c = s.channels, sd = s.data, dd = d.data, dps = d.pixelStride;
  const cols = new Int32Array(dw);
  for (let i = 0, xx = x; i < dw; i++, xx += dx) cols[i] = fixedInt(xx) * s.pixelStride;
  for (let j = 0, yy = y; j < dh; j++, yy += dy) {
    const row = rowAt(s, fixedInt(yy), fixedInt(yy));
    let o = d.offset + j * d.rowStride;
    for (let i = 0; i < dw; i++, o += dps) {
      const p = row + cols[i]!;
      for (let k = 0; k < c; k++) dd[o + k] = sd[p + k]!;
    }
  }
}

/** ScalePlaneVertical (bpp = channels): equal width, rows blended; y is clamped to one step before the last row. */
export function vertical(s: View, sh: number, d: View, dw: number, dh: number, x: number, y: number, dy: number,
  filtering: FilterMode): void {
  const c = s.channels, sd = s.data, dd = d.data, sps = s.pixelStride, dps = d.pixelStride;
  const maxY = sh > 1 ? (sh - 1) * 65536 - 1 : 0;
  const x0 = fixedInt(x) * sps;
  const filter = filtering !== FilterMode.None;
  for (let j = 0; j < dh; j++, y += dy) {
    if (y > maxY) y = maxY;
    const f = filter ? rowFraction(y) : 0;
    const r0 = rowAt(s, fixedInt(y), f === 0 ? fixedInt(y) : fixedInt(y) + 1) + x0;
    const r1 = r0 + s.rowStride;
    let o = d.offset + j * d.rowStride;
    for (let i = 0, p = 0; i < dw; i++, o += dps, p += sps) {
      if (f === 0) for (let k = 0; k < c; k++) dd[o + k] = sd[r0 + p + k]!;
      else for (let k = 0; k < c; k++) dd[o + k] = interpolate(sd[r0 + p + k]!, sd[r1 + p + k]!, f);
    }
  }
}

/** Column positions of ScaleARGBFilterCols: byte offsets of the left and right pixel and the 7-bit fraction. */
function columnTable(sps: number, dw: number, x: number, dx: number, sw: number): { a: Int32Array; b: Int32Array; f: Int32Array } {
  const a = new Int32Array(dw), b = new Int32Array(dw), f = new Int32Array(dw);
  for (let i = 0; i < dw; i++, x += dx) {
    const xi = fixedInt(x);
    a[i] = xi * sps;
    b[i] = Math.min(xi + 1, sw - 1) * sps; // libyuv reads xi + 1 only with a non-zero weight in range
    f[i] = colFraction(x);
  }
  return { a, b, f };
}

/** ScaleARGBBilinearDown: each output row blends two source rows (8-bit), then two columns (7-bit). */
export function bilinearDown(s: View, sw: number, sh: number, d: View, dw: number, dh: number, x: number, dx: number,
  y: number, dy: number, filtering: FilterMode): void {
  const c = s.channels, sd = s.data, dd = d.data, dps = d.pixelStride;
  const { a: ca, b: cb, f: cf } = columnTable(s.pixelStride, dw, x, dx, sw);
  const linear = filtering === FilterMode.Linear;
  const maxY = (sh - 1) * 65536;
  if (y > maxY) y = maxY;
  for (let j = 0; j < dh; j++) {
    const yf = linear ? 0 : rowFraction(y);
    const r0 = rowAt(s, fixedInt(y), yf === 0 ? fixedInt(y) : fixedInt(y) + 1);
    const r1 = r0 + s.rowStride;
    // InterpolateRow's three cases (copy, pavgb, 8-bit blend), chosen once per row.
    const mode = yf === 0 ? 0 : yf === 128 ? 1 : 2;
    const w1 = yf;
    const o = d.offset + j * d.rowStride;
    if (mode === 0) blendRow1(sd, r0, ca, cb, cf, dd, o, dps, dw, c);
    else blendRow2(sd, r0, r1, mode === 1 ? -1 : w1, ca, cb, cf, dd, o, dps, dw, c);
    y += dy;
    if (y > maxY) y = maxY;
  }
}

/** One output row from one source row: the 7-bit column blend (ScaleARGBFilterCols). */
function blendRow1(sd: Uint8Array, r0: number, ca: Int32Array, cb: Int32Array, cf: Int32Array, dd: Uint8Array,
  o: number, dps: number, dw: number, c: number): void {
  for (let i = 0; i < dw; i++, o += dps) {
    const pa = r0 + ca[i]!, pb = r0 + cb[i]!;
    const xf = cf[i]!, xg = 127 - xf;
    for (let k = 0; k < c; k++) dd[o + k] = (sd[pa + k]! * xg + sd[pb + k]! * xf) >> 7;
  }
}

/**
 * One output row from two source rows: InterpolateRow (8-bit fraction w1, or w1 = -1 for the pavgb half case), then
 * the 7-bit column blend.
 */
function blendRow2(sd: Uint8Array, r0: number, r1: number, w1: number, ca: Int32Array, cb: Int32Array, cf: Int32Array,
  dd: Uint8Array, o: number, dps: number, dw: number, c: number): void {
  const half = w1 < 0;
  const w0 = 256 - w1;
  for (let i = 0; i < dw; i++, o += dps) {
    const pa = r0 + ca[i]!, pb = r0 + cb[i]!, qa = r1 + ca[i]!, qb = r1 + cb[i]!;
    const xf = cf[i]!, xg = 127 - xf;
    for (let k = 0; k < c; k++) {
      const a = half ? (sd[pa + k]! + sd[qa + k]! + 1) >> 1 : (sd[pa + k]! * w0 + sd[qa + k]! * w1 + 128) >> 8;
      const b = half ? (sd[pb + k]! + sd[qb + k]! + 1) >> 1 : (sd[pb + k]! * w0 + sd[qb + k]! * w1 + 128) >> 8;
      dd[o + k] = (a * xg + b * xf) >> 7;
    }
  }
}

/**
 * ScaleARGBBilinearUp: source rows are column-filtered into two row buffers as y advances, and each output row blends
 * the two buffers. The row bookkeeping (which source row each buffer holds) is replayed exactly, including libyuv's
 * habit of not advancing past the last row.
 */
export function bilinearUp(s: View, sw: number, sh: number, d: View, dw: number, dh: number, x: number, dx: number,
  y: number, dy: number, filtering: FilterMode): void {
  if (s.rows) throw new Error('internal: ScaleARGBBilinearUp reads whole frames, not streamed rows');
  const c = s.channels, sd = s.data, dd = d.data, dps = d.pixelStride;
  const { a: ca, b: cb, f: cf } = columnTable(s.pixelStride, dw, x, dx, sw);
  const maxY = (sh - 1) * 65536;
  // Two column-filtered rows, tagged with their source row.
  const bufs = [new Uint8Array(dw * c), new Uint8Array(dw * c)];
  const tags = [-1, -1];
  const colsOf = (row: number): Uint8Array => {
    const hit = tags[0] === row ? 0 : tags[1] === row ? 1 : -1;
    if (hit >= 0) return bufs[hit]!;
    const slot = tags[0] === lastUsed ? 1 : 0; // keep the buffer the current output row also needs
    const buf = bufs[slot]!;
    tags[slot] = row;
    const r = s.offset + row * s.rowStride;
    for (let i = 0, o = 0; i < dw; i++, o += c) {
      const pa = r + ca[i]!, pb = r + cb[i]!, xf = cf[i]!;
      for (let k = 0; k < c; k++) buf[o + k] = blendCols(sd[pa + k]!, sd[pb + k]!, xf);
    }
    return buf;
  };
  let lastUsed = -1;
  if (y > maxY) y = maxY;
  let yi = fixedInt(y);
  let srcRow = yi;
  let cur = srcRow;
  if (sh > 1) srcRow++;
  let next = srcRow;
  if (sh > 2) srcRow++;
  let lastY = yi;
  const linear = filtering === FilterMode.Linear;
  for (let j = 0; j < dh; j++, y += dy) {
    yi = fixedInt(y);
    if (yi !== lastY) {
      if (y > maxY) {
        y = maxY;
        yi = fixedInt(y);
        srcRow = yi;
      }
      if (yi !== lastY) {
        // The buffer of `cur` is refilled from srcRow and becomes `next`; the old `next` becomes `cur`.
        cur = next;
        next = srcRow;
        lastY = yi;
        if (y + 65536 < maxY) srcRow++;
      }
    }
    const yf = linear ? 0 : rowFraction(y);
    const top = colsOf(cur);
    lastUsed = cur;
    const bottom = yf === 0 ? top : colsOf(next);
    let o = d.offset + j * d.rowStride;
    for (let i = 0, p = 0; i < dw; i++, o += dps, p += c) {
      for (let k = 0; k < c; k++) dd[o + k] = interpolate(top[p + k]!, bottom[p + k]!, yf);
    }
  }
}
