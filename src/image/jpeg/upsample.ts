/**
 * Chroma upsampling: one output row of a component from one or two of its sample rows.
 *
 * Variants:
 * - libjpeg-turbo (jdsample.c): "fancy" triangle filters for 2:1 horizontal (h2v1), 2:1 vertical (h1v2) and both
 *   (h2v2), whose rounding alternates between neighbouring outputs; box replication for other integer ratios, for
 *   rows of at most 2 samples and at scale 1/8 (where libjpeg turns fancy upsampling off).
 * - stb_image (stbi__resample_row_*): its own triangle filters for h2, v2 and hv2 (note its right edge for h2,
 *   which weights the second-to-last sample by 3) and nearest-neighbour replication for everything else.
 *
 * `near` and `far` are offsets of the nearest and the next-nearest sample rows in `src` (the caller clamps `far`
 * to the component's rows); `dsw` is the number of valid samples in a row; outputs cover at least `outWidth`.
 */

/** How the caller picks the source rows for output row y: 'nearest' = row floor(y / vx); 'pair' = y >> 1 and its
 *  neighbour above (even y) or below (odd y). */
export type VerticalMode = 'nearest' | 'pair';

export interface Upsampler {
  name: string;
  vertical: VerticalMode;
  /** Vertical factor for 'nearest'. */
  vx: number;
  /** null: the source row is used as it is (no horizontal change). */
  row: ((src: Uint8Array, near: number, far: number, dst: Uint8Array, dsw: number, outWidth: number,
    lower: boolean) => void) | null;
}

/** libjpeg h2v1_fancy_upsample: outputs 3/4 nearer + 1/4 further sample, rounding biases 1 and 2 alternating. */
function libjpegH2v1(src: Uint8Array, near: number, _far: number, dst: Uint8Array, dsw: number): void {
  let s = near, d = 0;
  let v = src[s++]!;
  dst[d++] = v;
  dst[d++] = (v * 3 + src[s]! + 2) >> 2;
  for (let n = dsw - 2; n > 0; n--, s++) {
    v = src[s]! * 3;
    dst[d++] = (v + src[s - 1]! + 1) >> 2;
    dst[d++] = (v + src[s + 1]! + 2) >> 2;
  }
  v = src[s]!;
  dst[d++] = (v * 3 + src[s - 1]! + 1) >> 2;
  dst[d] = v;
}

/** libjpeg h1v2_fancy_upsample: 3/4 nearer row + 1/4 further row, bias 1 for the upper output, 2 for the lower. */
function libjpegH1v2(src: Uint8Array, near: number, far: number, dst: Uint8Array, dsw: number, _w: number,
  lower: boolean): void {
  const bias = lower ? 2 : 1;
  for (let i = 0; i < dsw; i++) dst[i] = (src[near + i]! * 3 + src[far + i]! + bias) >> 2;
}

/** libjpeg h2v2_fancy_upsample: column sums 3*near + far, then the h2v1 filter on them with biases 8 and 7. */
function libjpegH2v2(src: Uint8Array, near: number, far: number, dst: Uint8Array, dsw: number): void {
  let a = near, b = far, d = 0;
  let cur = src[a++]! * 3 + src[b++]!;
  let next = src[a++]! * 3 + src[b++]!;
  dst[d++] = (cur * 4 + 8) >> 4;
  dst[d++] = (cur * 3 + next + 7) >> 4;
  let last = cur; cur = next;
  for (let n = dsw - 2; n > 0; n--) {
    next = src[a++]! * 3 + src[b++]!;
    dst[d++] = (cur * 3 + last + 8) >> 4;
    dst[d++] = (cur * 3 + next + 7) >> 4;
    last = cur; cur = next;
  }
  dst[d++] = (cur * 3 + last + 8) >> 4;
  dst[d] = (cur * 4 + 7) >> 4;
}

/** Box replication by an integer horizontal factor (libjpeg int_upsample / h2v1_upsample, stb generic). */
function replicator(hx: number): (src: Uint8Array, near: number, far: number, dst: Uint8Array, dsw: number,
  outWidth: number) => void {
  if (hx === 2) {
    return (src, near, _far, dst, _dsw, outWidth) => {
      for (let x = 0, s = near; x < outWidth; x += 2, s++) { const v = src[s]!; dst[x] = v; dst[x + 1] = v; }
    };
  }
  return (src, near, _far, dst, _dsw, outWidth) => {
    for (let x = 0, s = near; x < outWidth; s++) {
      const v = src[s]!;
      for (let k = 0; k < hx; k++) dst[x++] = v;
    }
  };
}

/**
 * libjpeg-turbo's choice (jinit_upsampler) for a component whose row group of hIn x vIn samples becomes
 * hOut x vOut pixels. Returns null for fractional ratios, which libjpeg refuses too.
 */
export function libjpegUpsampler(hIn: number, vIn: number, hOut: number, vOut: number, dsw: number,
  fancy: boolean): Upsampler | null {
  if (hIn === hOut && vIn === vOut) return { name: 'fullsize', vertical: 'nearest', vx: 1, row: null };
  if (hIn * 2 === hOut && vIn === vOut) {
    return fancy && dsw > 2
      ? { name: 'h2v1 fancy', vertical: 'nearest', vx: 1, row: libjpegH2v1 }
      : { name: 'h2v1 box', vertical: 'nearest', vx: 1, row: replicator(2) };
  }
  if (hIn === hOut && vIn * 2 === vOut && fancy) return { name: 'h1v2 fancy', vertical: 'pair', vx: 2, row: libjpegH1v2 };
  if (hIn * 2 === hOut && vIn * 2 === vOut) {
    return fancy && dsw > 2
      ? { name: 'h2v2 fancy', vertical: 'pair', vx: 2, row: libjpegH2v2 }
      : { name: 'h2v2 box', vertical: 'nearest', vx: 2, row: replicator(2) };
  }
  if (hOut % hIn === 0 && vOut % vIn === 0) {
    const hx = hOut / hIn, vx = vOut / vIn;
    return { name: `int ${hx}x${vx}`, vertical: 'nearest', vx, row: hx === 1 ? null : replicator(hx) };
  }
  return null;
}

const div4 = (x: number): number => (x >> 2) & 255;

/** stbi__resample_row_v_2. */
function stbV2(src: Uint8Array, near: number, far: number, dst: Uint8Array, dsw: number): void {
  for (let i = 0; i < dsw; i++) dst[i] = div4(3 * src[near + i]! + src[far + i]! + 2);
}

/** stbi__resample_row_h_2, including its right edge (3 * second-to-last + last). */
function stbH2(src: Uint8Array, near: number, _far: number, dst: Uint8Array, w: number): void {
  if (w === 1) { dst[0] = dst[1] = src[near]!; return; }
  dst[0] = src[near]!;
  dst[1] = div4(src[near]! * 3 + src[near + 1]! + 2);
  let i = 1;
  for (; i < w - 1; i++) {
    const n = 3 * src[near + i]! + 2;
    dst[i * 2] = div4(n + src[near + i - 1]!);
    dst[i * 2 + 1] = div4(n + src[near + i + 1]!);
  }
  dst[i * 2] = div4(src[near + w - 2]! * 3 + src[near + w - 1]! + 2);
  dst[i * 2 + 1] = src[near + w - 1]!;
}

/** stbi__resample_row_hv_2 (its SSE2 twin gives the same bytes). */
function stbHv2(src: Uint8Array, near: number, far: number, dst: Uint8Array, w: number): void {
  if (w === 1) { dst[0] = dst[1] = div4(3 * src[near]! + src[far]! + 2); return; }
  let t1 = 3 * src[near]! + src[far]!;
  dst[0] = div4(t1 + 2);
  for (let i = 1; i < w; i++) {
    const t0 = t1;
    t1 = 3 * src[near + i]! + src[far + i]!;
    dst[i * 2 - 1] = ((3 * t0 + t1 + 8) >> 4) & 255;
    dst[i * 2] = ((3 * t1 + t0 + 8) >> 4) & 255;
  }
  dst[w * 2 - 1] = div4(t1 + 2);
}

/** stb_image's choice (load_jpeg_image) for horizontal/vertical expansion factors hs, vs. */
export function stbUpsampler(hs: number, vs: number): Upsampler {
  if (hs === 1 && vs === 1) return { name: 'stb 1', vertical: 'nearest', vx: 1, row: null };
  if (hs === 1 && vs === 2) return { name: 'stb v2', vertical: 'pair', vx: 2, row: stbV2 };
  if (hs === 2 && vs === 1) return { name: 'stb h2', vertical: 'nearest', vx: 1, row: stbH2 };
  if (hs === 2 && vs === 2) return { name: 'stb hv2', vertical: 'pair', vx: 2, row: stbHv2 };
  return { name: `stb generic ${hs}x${vs}`, vertical: 'nearest', vx: vs, row: hs === 1 ? null : replicator(hs) };
}
