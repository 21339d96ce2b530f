/**
 * Uncompressed BMP reader (Windows DIB): BITMAPCOREHEADER, BITMAPINFOHEADER and its V2..V5 extensions;
 * 1/4/8-bit palette, 16/24/32-bit direct colour, BI_RGB and BI_BITFIELDS; bottom-up and top-down rows.
 * RLE, JPEG/PNG-in-BMP and other compressions are refused. Every offset is checked against the file size.
 */
import { ImageError } from '../../schema/errors.js';
import { createFrameBuffer, type FrameBuffer } from './frame_buffer.js';

export interface BmpInfo {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  topDown: boolean;
  headerSize: number;
  dataOffset: number;
}

const BI_RGB = 0, BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}
function i32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

/** Reads the file and DIB headers; throws ImageError when malformed or unsupported. */
export function readBmpInfo(bytes: Uint8Array): BmpInfo {
  if (!isBmp(bytes)) throw new ImageError('not a BMP file (no "BM" signature)');
  if (bytes.length < 26) throw new ImageError('truncated BMP: incomplete header');
  const dataOffset = u32(bytes, 10);
  const headerSize = u32(bytes, 14);
  let width: number, height: number, planes: number, bitsPerPixel: number, compression = BI_RGB;
  if (headerSize === 12) {
    width = u16(bytes, 18); height = u16(bytes, 20); planes = u16(bytes, 22); bitsPerPixel = u16(bytes, 24);
  } else if (headerSize >= 40 && headerSize <= 124) {
    if (bytes.length < 14 + 40) throw new ImageError('truncated BMP: incomplete header');
    width = i32(bytes, 18); height = i32(bytes, 22); planes = u16(bytes, 26); bitsPerPixel = u16(bytes, 28);
    compression = u32(bytes, 30);
  } else {
    throw new ImageError(`unsupported BMP: unknown header size ${headerSize}`);
  }
  if (planes !== 1) throw new ImageError(`corrupt BMP: ${planes} planes (must be 1)`);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw new ImageError(`unsupported BMP: ${bitsPerPixel} bits per pixel`);
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    const names: Record<number, string> = { 1: 'RLE8', 2: 'RLE4', 4: 'JPEG', 5: 'PNG' };
    throw new ImageError(`unsupported BMP: ${names[compression] ?? `compression ${compression}`} (only uncompressed BMPs)`);
  }
  if (compression !== BI_RGB && bitsPerPixel !== 16 && bitsPerPixel !== 32) {
    throw new ImageError(`corrupt BMP: bit-field masks with ${bitsPerPixel} bits per pixel`);
  }
  const topDown = height < 0;
  return { width, height: Math.abs(height), bitsPerPixel, compression, topDown, headerSize, dataOffset };
}

/** One channel of a bit-field pixel: shift and width of a contiguous mask, scaled to 0..255 when decoding. */
interface Field { shift: number; bits: number }

function field(mask: number): Field {
  if (mask === 0) return { shift: 0, bits: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (shift + bits < 32 && ((mask >>> (shift + bits)) & 1) === 1) bits++;
  if (shift + bits < 32 && (mask >>> (shift + bits)) !== 0) throw new ImageError('unsupported BMP: non-contiguous colour mask');
  return { shift, bits };
}

/**
 * A `bits`-wide value scaled to 8 bits: narrower fields repeat their bit pattern (5-bit 0b11000 -> 0b11000110),
 * as ImageMagick and most decoders do, so 0 maps to 0 and all-ones to 255; wider fields keep their top 8 bits.
 */
function scaleTo8(v: number, bits: number): number {
  if (bits >= 8) return v >>> (bits - 8);
  let out = 0, filled = 0;
  while (filled < 8) { out = (out << bits) | v; filled += bits; }
  return out >>> (filled - 8);
}

/**
 * Decodes an uncompressed BMP. Palette images whose palette entries are all grey give GRAY, others RGB; direct
 * colour gives RGB, or RGBA when the header declares a non-zero alpha mask. 32-bit BI_RGB ignores the fourth byte
 * (it is padding in that format).
 */
export function decodeBmp(bytes: Uint8Array, info: BmpInfo): FrameBuffer {
  const { width, height, bitsPerPixel: bpp, compression, headerSize, dataOffset } = info;
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset < 14 + headerSize || dataOffset + rowBytes * (height - 1) + Math.ceil((width * bpp) / 8) > bytes.length) {
    throw new ImageError('truncated BMP: pixel data runs past the end of the file');
  }
  const rowStart = (y: number): number => dataOffset + (info.topDown ? y : height - 1 - y) * rowBytes;

  if (bpp <= 8) {
    const entrySize = headerSize === 12 ? 3 : 4;
    const palStart = 14 + headerSize;
    const declared = headerSize >= 40 ? u32(bytes, 46) : 0;
    const count = declared > 0 && declared <= 1 << bpp ? declared : 1 << bpp;
    const available = Math.floor((dataOffset - palStart) / entrySize);
    const entries = Math.min(count, available);
    if (entries <= 0) throw new ImageError('corrupt BMP: palette image without a palette');
    const pal = new Uint8Array(entries * 3);
    let grey = true;
    for (let i = 0; i < entries; i++) {
      const o = palStart + i * entrySize; // stored B, G, R(, reserved)
      pal[3 * i] = bytes[o + 2]!; pal[3 * i + 1] = bytes[o + 1]!; pal[3 * i + 2] = bytes[o]!;
      if (bytes[o] !== bytes[o + 1] || bytes[o] !== bytes[o + 2]) grey = false;
    }
    const out = new Uint8Array(width * height * (grey ? 1 : 3));
    const perByte = 8 / bpp;
    const mask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const r = rowStart(y);
      for (let x = 0; x < width; x++) {
        const byte = bytes[r + Math.floor(x / perByte)]!;
        const idx = (byte >> (8 - bpp - (x % perByte) * bpp)) & mask;
        if (idx >= entries) throw new ImageError(`corrupt BMP: palette index ${idx} beyond the ${entries}-entry palette`);
        if (grey) out[y * width + x] = pal[3 * idx]!;
        else {
          const o = 3 * (y * width + x);
          out[o] = pal[3 * idx]!; out[o + 1] = pal[3 * idx + 1]!; out[o + 2] = pal[3 * idx + 2]!;
        }
      }
    }
    return createFrameBuffer(width, height, grey ? 'GRAY' : 'RGB', out);
  }

  if (bpp === 24) {
    const out = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      let s = rowStart(y);
      let d = y * width * 3;
      for (let x = 0; x < width; x++, s += 3, d += 3) {
        out[d] = bytes[s + 2]!; out[d + 1] = bytes[s + 1]!; out[d + 2] = bytes[s]!;
      }
    }
    return createFrameBuffer(width, height, 'RGB', out);
  }

  // 16 and 32 bits: masks from the header (V2+ headers hold them at offset 54), after a 40-byte header for
  // BI_BITFIELDS, or the defaults (5-5-5 for 16 bits, 8-8-8 for 32 bits).
  let masks: number[];
  if (compression === BI_RGB) {
    masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, 0];
  } else {
    const n = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3;
    if (14 + 40 + 4 * n > bytes.length) throw new ImageError('truncated BMP: missing colour masks');
    masks = [u32(bytes, 54), u32(bytes, 58), u32(bytes, 62), n === 4 ? u32(bytes, 66) : 0];
  }
  const [fr, fg, fb, fa] = masks.map(field) as [Field, Field, Field, Field];
  const alpha = fa.bits > 0;
  const c = alpha ? 4 : 3;
  const out = new Uint8Array(width * height * c);
  const bytesPer = bpp / 8;
  const take = (v: number, f: Field): number => (f.bits === 0 ? 0 : scaleTo8((v >>> f.shift) & (2 ** f.bits - 1), f.bits));
  for (let y = 0; y < height; y++) {
    let s = rowStart(y);
    let d = y * width * c;
    for (let x = 0; x < width; x++, s += bytesPer, d += c) {
      const v = bpp === 16 ? u16(bytes, s) : u32(bytes, s);
      out[d] = take(v, fr); out[d + 1] = take(v, fg); out[d + 2] = take(v, fb);
      if (alpha) out[d + 3] = take(v, fa);
    }
  }
  return createFrameBuffer(width, height, alpha ? 'RGBA' : 'RGB', out);
}
