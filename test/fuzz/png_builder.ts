/**
 * PNG from fields: an IHDR (size, bit depth, colour type, interlace), PLTE/tRNS, filtered scanlines (Adam7 passes
 * when interlaced) deflated by node:zlib into IDAT chunks. The fuzzer draws a valid image, then breaks fields:
 * IHDR values, palette and tRNS sizes, chunk order, chunk lengths and CRCs, the zlib stream (header, block types,
 * truncation, trailing data, Adam7 with 1–3 pixel sizes). PNG spec (W3C, 2nd ed.) sections are cited inline.
 */
import { crc32 } from '../../src/image/png.js';
import zlib from 'node:zlib';
import { type Rand, int, pick } from './model_mutator.js';

interface Chunk {
  type: string;
  data: Uint8Array;
  /** A length field that lies, and a CRC that does not match. */
  lengthOverride?: number;
  badCrc?: boolean;
}

function writePng(chunks: readonly Chunk[]): Uint8Array {
  const size = 8 + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let p = 8;
  for (const c of chunks) {
    view.setUint32(p, c.lengthOverride ?? c.data.length);
    const typed = new Uint8Array(4 + c.data.length);
    for (let i = 0; i < 4; i++) typed[i] = c.type.charCodeAt(i) & 255;
    typed.set(c.data, 4);
    out.set(typed, p + 4);
    view.setUint32(p + 8 + c.data.length, c.badCrc ? crc32(typed) ^ 1 : crc32(typed));
    p += 12 + c.data.length;
  }
  return out;
}

/** Allowed bit depths per colour type (11.2.2 Table 11.1). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: x0, y0, dx, dy (8.2). */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

interface Header { width: number; height: number; depth: number; colorType: number; interlace: number }

/** Scanlines with random filter types (0–4) and random sample bytes, for every pass. */
function rawImage(h: Header, r: Rand, paletteSize: number): Uint8Array {
  const bitsPerPixel = h.depth * (CHANNELS[h.colorType] ?? 1);
  const passes = h.interlace ? ADAM7.map(([x0, y0, dx, dy]) => [Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy)])
    : [[h.width, h.height]];
  const rows: number[] = [];
  for (const [w, hh] of passes) {
    if (w! <= 0 || hh! <= 0) continue;
    const rowBytes = Math.ceil((w! * bitsPerPixel) / 8);
    for (let y = 0; y < hh!; y++) {
      rows.push(int(r, 5));
      for (let i = 0; i < rowBytes; i++) rows.push(h.colorType === 3 && h.depth === 8 ? int(r, Math.max(1, paletteSize)) : int(r, 256));
    }
  }
  return new Uint8Array(rows);
}

function ihdr(h: Header, compression = 0, filter = 0): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, h.width >>> 0);
  v.setUint32(4, h.height >>> 0);
  d.set([h.depth, h.colorType, compression, filter, h.interlace], 8);
  return d;
}

type Mutation = (chunks: Chunk[], h: Header, r: Rand) => string;

const find = (chunks: Chunk[], type: string): Chunk | undefined => chunks.find((c) => c.type === type);

const MUTATIONS: Record<string, Mutation> = {
  ihdrField(chunks, _h, r) {
    const c = find(chunks, 'IHDR');
    if (!c || c.data.length < 13) return 'IHDR: none';
    const d = c.data.slice();
    const v = new DataView(d.buffer);
    const field = int(r, 7);
    if (field < 2) v.setUint32(field * 4, pick(r, [0, 1, 2, 3, 8, 65535, 100000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]));
    else d[6 + field] = field === 2 ? pick(r, [0, 1, 2, 3, 4, 5, 7, 8, 16, 32, 255]) : field === 3 ? pick(r, [0, 1, 2, 3, 4, 5, 6, 7, 255]) : pick(r, [0, 1, 2, 255]);
    c.data = d;
    return `IHDR: ${Array.from(d)}`;
  },
  ihdrLength(chunks, _h, r) {
    const c = find(chunks, 'IHDR');
    if (!c) return 'IHDR length: none';
    c.data = r() < 0.5 ? c.data.slice(0, int(r, 13)) : new Uint8Array([...c.data, 0, 0, 0]);
    return `IHDR length: ${c.data.length}`;
  },
  palette(chunks, h, r) {
    const entries = pick(r, [0, 1, 2, 15, 16, 255, 256, 257, 300]);
    const extra = r() < 0.2 ? 1 + int(r, 2) : 0; // not a multiple of 3
    const data = new Uint8Array(entries * 3 + extra).map(() => int(r, 256));
    const c = find(chunks, 'PLTE');
    if (c) c.data = data;
    else chunks.splice(1, 0, { type: 'PLTE', data });
    return `palette: ${entries} entries (+${extra}) for colour type ${h.colorType}`;
  },
  transparency(chunks, h, r) {
    const data = new Uint8Array(pick(r, [0, 1, 2, 5, 6, 7, 255, 256, 300])).map(() => int(r, 256));
    const c = find(chunks, 'tRNS');
    if (c) c.data = data;
    else chunks.splice(Math.max(1, chunks.findIndex((x) => x.type === 'IDAT')), 0, { type: 'tRNS', data });
    return `tRNS: ${data.length} bytes for colour type ${h.colorType}`;
  },
  chunkOrder(chunks, _h, r) {
    const x = r();
    const i = int(r, chunks.length), j = int(r, chunks.length);
    if (x < 0.35) [chunks[i], chunks[j]] = [chunks[j]!, chunks[i]!];
    else if (x < 0.55) chunks.splice(i, 1);
    else if (x < 0.75) chunks.splice(j, 0, { ...chunks[i]! });
    else chunks.splice(int(r, chunks.length + 1), 0, { type: pick(r, ['gAMA', 'tEXt', 'iCCP', 'acTL', 'aBcD', 'IDAT', 'IEND', 'IHDR']), data: new Uint8Array(int(r, 20)) });
    return `chunk order: ${chunks.map((c) => c.type).join(' ')}`;
  },
  chunkLength(chunks, _h, r) {
    const c = pick(r, chunks);
    if (!c) return 'chunk length: none';
    c.lengthOverride = pick(r, [0, 1, c.data.length + 1, c.data.length + 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]);
    return `chunk length: ${c.type} says ${c.lengthOverride}`;
  },
  crc(chunks, _h, r) {
    const c = pick(r, chunks);
    if (c) c.badCrc = true;
    return `crc: ${c?.type}`;
  },
  zlibStream(chunks, _h, r) {
    const idats = chunks.filter((c) => c.type === 'IDAT');
    if (idats.length === 0) return 'zlib: no IDAT';
    const all = new Uint8Array(idats.reduce((n, c) => n + c.data.length, 0));
    let p = 0;
    for (const c of idats) { all.set(c.data, p); p += c.data.length; }
    let z = all.slice();
    const x = r();
    let what: string;
    if (x < 0.15) { z[0] = pick(r, [0x78, 0x08, 0x88, 0x79, 0x00, 0xff]); z[1] = pick(r, [0x9c, 0x01, 0xda, 0x00, 0x20, 0xff]); what = 'header'; }
    else if (x < 0.35) { z = z.slice(0, int(r, z.length)); what = 'truncated'; }
    else if (x < 0.5) { z = new Uint8Array([...z, ...new Uint8Array(1 + int(r, 64)).map(() => int(r, 256))]); what = 'trailing data'; }
    else if (x < 0.7 && z.length > 4) { for (let k = 0; k < 1 + int(r, 4); k++) z[2 + int(r, z.length - 2)] ^= 1 << int(r, 8); what = 'flipped bits'; }
    else if (x < 0.85 && z.length > 6) { z[z.length - 1 - int(r, 4)] ^= 0xff; what = 'adler32'; }
    else { z = new Uint8Array([0x78, 0x01, 0x01, ...[int(r, 256), int(r, 256), int(r, 256), int(r, 256)]]); what = 'stored block with a bad LEN/NLEN'; }
    const split = Math.max(1, int(r, 4));
    const step = Math.ceil(z.length / split);
    const first = chunks.indexOf(idats[0]!);
    const rest = chunks.filter((c) => c.type !== 'IDAT');
    const pieces = Array.from({ length: split }, (_, k) => ({ type: 'IDAT', data: z.slice(k * step, (k + 1) * step) }));
    chunks.splice(0, chunks.length, ...rest.slice(0, first), ...pieces, ...rest.slice(first));
    return `zlib: ${what}, ${split} IDAT(s)`;
  },
  inflatedSize(chunks, h, r) {
    const idat = find(chunks, 'IDAT');
    if (!idat) return 'inflated size: no IDAT';
    const raw = rawImage(h, r, 256);
    const n = pick(r, [0, 1, Math.max(0, raw.length - 1), raw.length + 1, raw.length * 4 + 100]);
    const data = new Uint8Array(n);
    data.set(raw.subarray(0, Math.min(n, raw.length)));
    for (let i = 0; i < data.length; i++) if (r() < 0.05) data[i] = pick(r, [5, 6, 255]); // bad filter types
    chunks.splice(0, chunks.length, ...chunks.filter((c) => c.type !== 'IDAT' || c === idat));
    idat.data = new Uint8Array(zlib.deflateSync(data, { level: int(r, 10) }));
    return `inflated size: ${n} of ${raw.length}`;
  },
};

const NAMES = Object.keys(MUTATIONS);

/** A valid PNG of random small size and format, then 0–3 field mutations. */
export function fuzzPng(r: Rand): { bytes: Uint8Array; mutations: string[] } {
  const colorType = pick(r, [0, 2, 3, 4, 6]);
  const h: Header = {
    width: r() < 0.3 ? 1 + int(r, 3) : 1 + int(r, 40), height: r() < 0.3 ? 1 + int(r, 3) : 1 + int(r, 40),
    depth: pick(r, DEPTHS[colorType]!), colorType, interlace: r() < 0.4 ? 1 : 0,
  };
  const paletteSize = 1 + int(r, 256);
  const chunks: Chunk[] = [{ type: 'IHDR', data: ihdr(h) }];
  if (colorType === 3) chunks.push({ type: 'PLTE', data: new Uint8Array(paletteSize * 3).map(() => int(r, 256)) });
  if (r() < 0.2) {
    const n = colorType === 3 ? int(r, paletteSize + 1) : colorType === 0 ? 2 : colorType === 2 ? 6 : 0;
    if (n > 0) chunks.push({ type: 'tRNS', data: new Uint8Array(n).map(() => int(r, 256)) });
  }
  chunks.push({ type: 'IDAT', data: new Uint8Array(zlib.deflateSync(rawImage(h, r, paletteSize), { level: int(r, 10) })) });
  chunks.push({ type: 'IEND', data: new Uint8Array(0) });
  const mutations: string[] = [`${h.width}x${h.height} depth ${h.depth} type ${colorType}${h.interlace ? ' Adam7' : ''}`];
  for (let k = 0, n = r() < 0.05 ? 0 : 1 + int(r, 3); k < n; k++) mutations.push(MUTATIONS[pick(r, NAMES)]!(chunks, h, r));
  return { bytes: writePng(chunks), mutations };
}
