/**
 * PNG reader (own code; inflate from fflate): chunks with CRC checks, every colour type and bit depth (1-16),
 * palettes with tRNS, grey/RGB colour keys, Adam7 interlacing. No Node built-ins, so it runs in browsers, workers,
 * Deno and Bun alike. Spec sections are those of the W3C PNG specification (https://www.w3.org/TR/png/).
 */
import { unzlibSync } from 'fflate';
import { ImageError } from '../../schema/errors.js';
import { createFrameBuffer, type FrameBuffer } from './frame_buffer.js';

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel of each colour type (11.2.2 IHDR). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ALLOWED_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

const u32 = (b: Uint8Array, o: number): number => b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);

/** Reads the IHDR chunk; throws ImageError when it is missing or invalid. */
export function readPngInfo(bytes: Uint8Array): PngInfo {
  if (!isPng(bytes)) throw new ImageError('not a PNG file (bad signature)');
  if (bytes.length < 33) throw new ImageError('truncated PNG: no complete IHDR chunk');
  const isIhdr = bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
  if (!isIhdr || u32(bytes, 8) !== 13) throw new ImageError('corrupt PNG: the first chunk is not a 13-byte IHDR');
  const bitDepth = bytes[24]!, colorType = bytes[25]!;
  if (!ALLOWED_DEPTHS[colorType]?.includes(bitDepth)) {
    throw new ImageError(`corrupt PNG: invalid colour type ${colorType} with bit depth ${bitDepth}`);
  }
  if (bytes[26] !== 0) throw new ImageError(`corrupt PNG: unknown compression method ${bytes[26]}`);
  if (bytes[27] !== 0) throw new ImageError(`corrupt PNG: unknown filter method ${bytes[27]}`);
  if (bytes[28]! > 1) throw new ImageError(`corrupt PNG: unknown interlace method ${bytes[28]}`);
  const width = u32(bytes, 16), height = u32(bytes, 20);
  if (width > 0x7fffffff || height > 0x7fffffff) throw new ImageError(`corrupt PNG: size ${width}x${height} out of range`);
  return { width, height, bitDepth, colorType, interlaced: bytes[28] === 1 };
}

const CRC_TABLE = ((): Int32Array => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of bytes [start, end) (5.5 CRC algorithm). */
export function crc32(b: Uint8Array, start = 0, end = b.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]!) & 255]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

interface PngChunks {
  idat: Uint8Array;
  palette: Uint8Array | null;
  trns: Uint8Array | null;
}

/** Walks the chunks after IHDR (5.3 chunk layout): collects IDAT, PLTE and tRNS, checks CRCs and ordering. */
function readChunks(bytes: Uint8Array, info: PngInfo): PngChunks {
  const idatParts: Uint8Array[] = [];
  let palette: Uint8Array | null = null, trns: Uint8Array | null = null;
  let o = 33, sawIend = false, idatDone = false;
  while (o + 12 <= bytes.length) {
    const len = u32(bytes, o);
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
    if (len > 0x7fffffff || o + 12 + len > bytes.length) throw new ImageError(`truncated PNG: chunk ${JSON.stringify(type)} runs past the end of the file`);
    const data = bytes.subarray(o + 8, o + 8 + len);
    const critical = (bytes[o + 4]! & 0x20) === 0;
    if (crc32(bytes, o + 4, o + 8 + len) !== u32(bytes, o + 8 + len)) {
      if (critical) throw new ImageError(`corrupt PNG: checksum (CRC) mismatch in chunk ${JSON.stringify(type)}`);
      o += 12 + len; // a damaged ancillary chunk is dropped, as libpng drops it
      continue;
    }
    if (type !== 'IDAT' && idatParts.length > 0) idatDone = true;
    switch (type) {
      case 'IDAT': // 11.2.4 Image data
        if (idatDone) throw new ImageError('corrupt PNG: image data (IDAT) chunks are not consecutive');
        idatParts.push(data);
        break;
      case 'PLTE': // 11.2.3 Palette
        if (len % 3 !== 0 || len === 0 || len > 768) throw new ImageError(`corrupt PNG: palette of ${len} bytes`);
        palette = data;
        break;
      case 'tRNS': // 11.3.2.1 Transparency
        trns = data;
        break;
      case 'IEND': // 11.2.5 Image trailer
        sawIend = true;
        break;
      case 'IHDR':
        throw new ImageError('corrupt PNG: a second IHDR chunk');
      default:
        if (critical) throw new ImageError(`unsupported PNG: unknown critical chunk ${JSON.stringify(type)}`);
    }
    o += 12 + len;
    if (sawIend) break;
  }
  if (idatParts.length === 0) throw new ImageError('truncated PNG: no image data (IDAT)');
  // libpng ignores a tRNS chunk that does not fit the colour type (or holds more alphas than the palette has colours).
  if (trns) {
    const ct = info.colorType;
    const fits = ct === 3 ? palette !== null && trns.length > 0 && trns.length <= palette.length / 3
      : ct === 0 ? trns.length === 2 : ct === 2 ? trns.length === 6 : false;
    if (!fits) trns = null;
  }
  if (info.colorType === 3 && !palette) throw new ImageError('corrupt PNG: palette image without a PLTE chunk');
  let total = 0;
  for (const p of idatParts) total += p.length;
  const idat = idatParts.length === 1 ? idatParts[0]! : new Uint8Array(total);
  if (idatParts.length > 1) { let p = 0; for (const part of idatParts) { idat.set(part, p); p += part.length; } }
  return { idat, palette, trns };
}

/** The Adam7 passes (8.2): x0, y0, dx, dy. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

interface Pass { x0: number; y0: number; dx: number; dy: number; w: number; h: number }

function passes(info: PngInfo): Pass[] {
  if (!info.interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, w: info.width, h: info.height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    x0, y0, dx, dy, w: Math.ceil((info.width - x0) / dx), h: Math.ceil((info.height - y0) / dy),
  })).filter((p) => p.w > 0 && p.h > 0);
}

function inflateError(e: unknown): ImageError {
  const code = (e as { code?: number })?.code;
  const why = code === 0 ? 'the compressed data ends early' : code === 1 || code === 2 || code === 3
    ? 'the compressed data is invalid' : 'the compressed data cannot be decompressed';
  return new ImageError(`corrupt PNG: ${why}`);
}

/** Reverses the per-row filters in place (9.2 filter types); `bpp` = bytes per complete pixel (at least 1). */
function unfilter(raw: Uint8Array, start: number, rowBytes: number, rows: number, bpp: number): void {
  let prev = -1;
  for (let y = 0, o = start; y < rows; y++, o += rowBytes + 1) {
    const f = raw[o]!, r = o + 1;
    switch (f) {
      case 0: break;
      case 1: for (let i = bpp; i < rowBytes; i++) raw[r + i] = raw[r + i]! + raw[r + i - bpp]!; break;
      case 2: if (prev >= 0) for (let i = 0; i < rowBytes; i++) raw[r + i] = raw[r + i]! + raw[prev + i]!; break;
      case 3:
        for (let i = 0; i < rowBytes; i++) {
          const a = i >= bpp ? raw[r + i - bpp]! : 0, b = prev >= 0 ? raw[prev + i]! : 0;
          raw[r + i] = raw[r + i]! + ((a + b) >> 1);
        }
        break;
      case 4:
        for (let i = 0; i < rowBytes; i++) {
          const a = i >= bpp ? raw[r + i - bpp]! : 0, b = prev >= 0 ? raw[prev + i]! : 0;
          const c = i >= bpp && prev >= 0 ? raw[prev + i - bpp]! : 0;
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          raw[r + i] = raw[r + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        throw new ImageError(`corrupt PNG: unknown row filter type ${f}`);
    }
    prev = r;
  }
}

/**
 * Decodes a PNG of any bit depth, colour type and interlacing to 8-bit samples (16-bit values v become
 * round(v * 255 / 65535), or v >> 8 with `sixteenBit: 'truncate'` as stb_image does; lower depths v * 255 / (2^depth - 1)): GRAY for grey images, RGB for truecolour and
 * palette images, RGBA when the image has an alpha channel or a tRNS chunk. Pixels matching a grey/RGB tRNS colour
 * keep their colour, with alpha 0 (as libpng expands them). Gamma (gAMA) and colour profiles are not applied.
 */
export function decodePng(bytes: Uint8Array, info: PngInfo, sixteenBit: 'round' | 'truncate' = 'round'): FrameBuffer {
  const { width, height, bitDepth: depth, colorType } = info;
  const { idat, palette, trns } = readChunks(bytes, info);
  const spp = CHANNELS[colorType]!;
  const bitsPerPixel = spp * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const ps = passes(info);
  let rawSize = 0;
  for (const p of ps) rawSize += p.h * (Math.ceil((p.w * bitsPerPixel) / 8) + 1);
  let raw: Uint8Array;
  try {
    raw = unzlibSync(idat, { out: new Uint8Array(rawSize) });
  } catch (e) {
    throw inflateError(e);
  }
  if (raw.length < rawSize) throw new ImageError('truncated PNG: the image data holds fewer rows than the header says');

  const alpha = colorType === 4 || colorType === 6 || trns !== null;
  const outCh = alpha ? 4 : colorType === 0 ? 1 : 3;
  const out = new Uint8Array(width * height * outCh);
  // tRNS: palette alphas, or the raw grey / RGB sample values of the transparent colour.
  let key: number[] | null = null;
  let palAlpha: Uint8Array | null = null;
  if (trns) {
    if (colorType === 3) { palAlpha = new Uint8Array(256).fill(255); palAlpha.set(trns.subarray(0, 256)); }
    else if (colorType === 0 && trns.length >= 2) key = [(trns[0]! << 8) | trns[1]!];
    else if (colorType === 2 && trns.length >= 6) key = [0, 2, 4].map((i) => (trns[i]! << 8) | trns[i + 1]!);
  }
  const pal = new Uint8Array(768);
  if (palette) pal.set(palette);
  const maxv = (1 << depth) - 1;
  const scale = depth < 8 ? 255 / maxv : 1;
  const sample = new Int32Array(4);
  const truncate16 = sixteenBit === 'truncate';
  // One sample to 8 bits: 16-bit by rounding (libpng-style) or by its high byte (stb), lower depths scaled up.
  const to8 = (v: number): number => (depth === 16 ? (truncate16 ? v >> 8 : ((v + 128) / 257) | 0) : depth < 8 ? Math.round(v * scale) : v);

  let o = 0;
  for (const p of ps) {
    const rowBytes = Math.ceil((p.w * bitsPerPixel) / 8);
    unfilter(raw, o, rowBytes, p.h, bpp);
    for (let py = 0; py < p.h; py++) {
      const r = o + py * (rowBytes + 1) + 1;
      const y = p.y0 + py * p.dy;
      for (let px = 0; px < p.w; px++) {
        // Raw samples of this pixel.
        if (depth === 8) {
          for (let c = 0; c < spp; c++) sample[c] = raw[r + px * spp + c]!;
        } else if (depth === 16) {
          for (let c = 0; c < spp; c++) { const i = r + 2 * (px * spp + c); sample[c] = (raw[i]! << 8) | raw[i + 1]!; }
        } else {
          const bit = px * depth; // one sample per pixel at depths below 8
          sample[0] = (raw[r + (bit >> 3)]! >> (8 - depth - (bit & 7))) & maxv;
        }
        const d = (y * width + p.x0 + px * p.dx) * outCh;
        switch (colorType) {
          case 0: {
            const g = to8(sample[0]!);
            if (alpha) { out[d] = out[d + 1] = out[d + 2] = g; out[d + 3] = key && sample[0] === key[0] ? 0 : 255; }
            else out[d] = g;
            break;
          }
          case 2:
            out[d] = to8(sample[0]!); out[d + 1] = to8(sample[1]!); out[d + 2] = to8(sample[2]!);
            if (alpha) out[d + 3] = key && sample[0] === key[0] && sample[1] === key[1] && sample[2] === key[2] ? 0 : 255;
            break;
          case 3: {
            const i = sample[0]!;
            out[d] = pal[3 * i]!; out[d + 1] = pal[3 * i + 1]!; out[d + 2] = pal[3 * i + 2]!;
            if (alpha) out[d + 3] = palAlpha![i]!;
            break;
          }
          case 4:
            out[d] = out[d + 1] = out[d + 2] = to8(sample[0]!); out[d + 3] = to8(sample[1]!);
            break;
          default:
            out[d] = to8(sample[0]!); out[d + 1] = to8(sample[1]!); out[d + 2] = to8(sample[2]!); out[d + 3] = to8(sample[3]!);
        }
      }
    }
    o += p.h * (rowBytes + 1);
  }
  return createFrameBuffer(width, height, outCh === 4 ? 'RGBA' : outCh === 1 ? 'GRAY' : 'RGB', out);
}
