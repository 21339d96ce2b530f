/**
 * BMP from fields: file header (BITMAPFILEHEADER), a DIB header of 12, 40, 52, 56, 108 or 124 bytes, palette,
 * bit-field masks and pixel rows, or an RLE8/RLE4 stream. The fuzzer draws a valid file and then breaks header
 * fields (offsets, sizes, planes, depth, compression, palette count, masks) or the RLE escapes.
 */
import { type Rand, int, pick } from './model_mutator.js';

interface Fields {
  dataOffsetDelta: number;
  headerSize: number;
  /** A header-size field that lies (the layout keeps `headerSize`). */
  headerSizeField?: number;
  width: number;
  height: number;
  planes: number;
  bpp: number;
  compression: number;
  colorsUsed: number;
  masks: [number, number, number, number];
  /** Pixel bytes after the headers and palette (rows or an RLE stream). */
  pixels: Uint8Array;
  paletteEntries: number;
}

const MASKS_565: Fields['masks'] = [0xf800, 0x07e0, 0x001f, 0];
const MASKS_8888: Fields['masks'] = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];

function rle(r: Rand, width: number, height: number, four: boolean): Uint8Array {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    let x = 0;
    while (x < width) {
      const n = 1 + int(r, Math.min(255, width - x));
      if (r() < 0.5) out.push(n, int(r, 256)); // encoded run
      else if (n >= 3) { // absolute run, padded to 16 bits
        out.push(0, n);
        const bytes = four ? Math.ceil(n / 2) : n;
        for (let i = 0; i < bytes; i++) out.push(int(r, 256));
        if (bytes % 2) out.push(0);
      } else out.push(n, int(r, 256));
      x += n;
    }
    out.push(0, 0); // end of line
  }
  out.push(0, 1); // end of bitmap
  return new Uint8Array(out);
}

function write(f: Fields): Uint8Array {
  const paletteBytes = f.headerSize === 12 ? 3 * f.paletteEntries : 4 * f.paletteEntries;
  const headerEnd = 14 + f.headerSize;
  const maskBytes = f.headerSize === 40 && (f.compression === 3 || f.compression === 6) ? (f.compression === 6 ? 16 : 12) : 0;
  const dataOffset = headerEnd + maskBytes + paletteBytes;
  const out = new Uint8Array(dataOffset + f.pixels.length);
  const v = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d;
  v.setUint32(2, out.length, true);
  v.setUint32(10, (dataOffset + f.dataOffsetDelta) >>> 0, true);
  v.setUint32(14, (f.headerSizeField ?? f.headerSize) >>> 0, true);
  if (f.headerSize === 12) {
    v.setUint16(18, f.width & 0xffff, true); v.setUint16(20, f.height & 0xffff, true);
    v.setUint16(22, f.planes, true); v.setUint16(24, f.bpp, true);
  } else if (f.headerSize >= 40) {
    v.setInt32(18, f.width | 0, true); v.setInt32(22, f.height | 0, true);
    v.setUint16(26, f.planes, true); v.setUint16(28, f.bpp, true);
    v.setUint32(30, f.compression >>> 0, true);
    v.setUint32(34, f.pixels.length, true);
    v.setUint32(46, f.colorsUsed >>> 0, true);
    if (f.headerSize >= 52 || maskBytes) f.masks.forEach((m, i) => { if (54 + 4 * i + 4 <= dataOffset && (i < 3 || f.headerSize >= 56 || maskBytes === 16)) v.setUint32(54 + 4 * i, m >>> 0, true); });
  }
  const pal = headerEnd + maskBytes;
  for (let i = 0; i < paletteBytes; i++) out[pal + i] = (i * 53) & 255;
  out.set(f.pixels, dataOffset);
  return out;
}

type Mutation = (f: Fields, r: Rand) => string;

const MUTATIONS: Record<string, Mutation> = {
  offset(f, r) { f.dataOffsetDelta = pick(r, [-100, -14, -1, 1, 4, 1000, 2 ** 31, 2 ** 32 - 1]); return `offset: ${f.dataOffsetDelta}`; },
  headerSize(f, r) {
    if (r() < 0.5) f.headerSize = pick(r, [12, 40, 52, 56, 108, 124]); // a consistent layout of another version
    else f.headerSizeField = pick(r, [0, 12, 16, 39, 40, 52, 56, 64, 108, 124, 125, 2 ** 31]);
    return `header size: ${f.headerSizeField ?? f.headerSize}`;
  },
  size(f, r) {
    const v = (): number => pick(r, [0, 1, -1, 2, 65535, 65536, 2 ** 31 - 1, -(2 ** 31), 100000, -3]);
    if (r() < 0.5) f.width = v(); else f.height = v();
    return `size: ${f.width}x${f.height}`;
  },
  planes(f, r) { f.planes = pick(r, [0, 2, 65535]); return `planes: ${f.planes}`; },
  depth(f, r) { f.bpp = pick(r, [0, 1, 2, 4, 8, 15, 16, 24, 32, 48, 64, 65535]); return `depth: ${f.bpp}`; },
  compression(f, r) { f.compression = pick(r, [0, 1, 2, 3, 4, 5, 6, 11, 2 ** 31]); return `compression: ${f.compression}`; },
  colorsUsed(f, r) { f.colorsUsed = pick(r, [0, 1, 2, 255, 256, 257, 65536, 2 ** 31, 2 ** 32 - 1]); return `colours used: ${f.colorsUsed}`; },
  palette(f, r) { f.paletteEntries = pick(r, [0, 1, 2, 16, 256, 300]); return `palette entries: ${f.paletteEntries}`; },
  masks(f, r) {
    const k = int(r, 4);
    f.masks[k] = pick(r, [0, 1, 0xffffffff, 0x0f0f0f0f, 0x80000001, 0xff00, 0x00ff0000, 0x7fffffff, 0x3]);
    return `masks: [${f.masks.map((m) => m.toString(16))}]`;
  },
  pixels(f, r) {
    const x = r();
    if (x < 0.4) f.pixels = f.pixels.slice(0, int(r, f.pixels.length));
    else if (x < 0.8) { f.pixels = f.pixels.slice(); for (let k = 0; k < 1 + int(r, 8); k++) f.pixels[int(r, f.pixels.length)] = pick(r, [0, 1, 2, 255, int(r, 256)]); }
    else f.pixels = new Uint8Array([...f.pixels, ...new Uint8Array(int(r, 64))]);
    return `pixels: ${f.pixels.length} bytes`;
  },
};

const NAMES = Object.keys(MUTATIONS);

/** A valid BMP (palette, 16/24/32-bit, bit fields, or RLE), then 0–3 field mutations. */
export function fuzzBmp(r: Rand): { bytes: Uint8Array; mutations: string[] } {
  const width = 1 + int(r, 24), height = 1 + int(r, 24);
  const bpp = pick(r, [1, 4, 8, 16, 24, 32]);
  const headerSize = bpp <= 8 && r() < 0.2 ? 12 : pick(r, [40, 40, 40, 56, 108, 124]);
  let compression = 0;
  if ((bpp === 16 || bpp === 32) && headerSize >= 40 && r() < 0.5) compression = 3;
  if ((bpp === 8 || bpp === 4) && headerSize >= 40 && r() < 0.3) compression = bpp === 8 ? 1 : 2;
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  const pixels = compression === 1 || compression === 2 ? rle(r, width, height, compression === 2)
    : new Uint8Array(rowBytes * height).map(() => int(r, 256));
  const f: Fields = {
    dataOffsetDelta: 0, headerSize, width, height: r() < 0.2 ? -height : height, planes: 1, bpp, compression,
    colorsUsed: 0, masks: bpp === 16 ? [...MASKS_565] : [...MASKS_8888], pixels, paletteEntries: bpp <= 8 ? 1 << bpp : 0,
  };
  const mutations = [`${width}x${height} ${bpp} bpp header ${headerSize} compression ${compression}`];
  for (let k = 0, n = r() < 0.05 ? 0 : 1 + int(r, 3); k < n; k++) mutations.push(MUTATIONS[pick(r, NAMES)]!(f, r));
  return { bytes: write(f), mutations };
}
