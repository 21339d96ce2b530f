/**
 * A small PNG writer (8-bit greyscale, RGB or RGBA; filter type 0 on every row), for `embedlite preprocess` and
 * tests. The zlib stream comes from `deflate` (e.g. node:zlib's deflateSync, or fflate's zlibSync); by default the
 * data is stored uncompressed, which every PNG reader accepts.
 * Chunk layout: https://www.w3.org/TR/png/#5Chunk-layout; zlib: RFC 1950; stored deflate blocks: RFC 1951 3.2.4.
 */
import { crc32 } from './png.js';

export interface PngImage {
  width: number;
  height: number;
  /** 1 (grey), 3 (RGB) or 4 (RGBA). */
  channels: 1 | 3 | 4;
  /** Packed rows, width * channels bytes each. */
  data: Uint8Array;
}

export type Deflate = (raw: Uint8Array) => Uint8Array;

/** A zlib stream of stored (uncompressed) deflate blocks of up to 65535 bytes. */
export function storedZlib(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78; out[1] = 0x01; // deflate, 32 KB window, no preset dictionary, check bits
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535, len = Math.min(65535, raw.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00
    out[o++] = len & 0xff; out[o++] = len >>> 8;
    out[o++] = ~len & 0xff; out[o++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), o);
    o += len;
  }
  let a = 1, s = 0; // Adler-32
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]!) % 65521;
    s = (s + a) % 65521;
  }
  const adler = ((s << 16) | a) >>> 0;
  out[o++] = adler >>> 24; out[o++] = (adler >>> 16) & 0xff; out[o++] = (adler >>> 8) & 0xff; out[o++] = adler & 0xff;
  return out;
}

const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** Encodes `image` as a PNG file. */
export function encodePng(image: PngImage, deflate: Deflate = storedZlib): Uint8Array {
  const { width, height, channels, data } = image;
  const stride = width * channels;
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height))) throw new RangeError(`PNG size ${width}x${height} is not positive`);
  if (data.length !== stride * height) throw new RangeError(`PNG data has ${data.length} bytes, ${width}x${height}x${channels} needs ${stride * height}`);
  const raw = new Uint8Array((stride + 1) * height); // each row: filter byte 0, then the pixels
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const idat = deflate(raw);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width); v.setUint32(4, height);
  ihdr[8] = 8; ihdr[9] = COLOR_TYPE[channels]; // bit depth 8; compression, filter, interlace 0
  const chunks: [string, Uint8Array][] = [['IHDR', ihdr], ['IDAT', idat], ['IEND', new Uint8Array(0)]];
  const out = new Uint8Array(8 + chunks.reduce((n, [, d]) => n + 12 + d.length, 0));
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ov = new DataView(out.buffer);
  let o = 8;
  for (const [type, d] of chunks) {
    ov.setUint32(o, d.length);
    for (let i = 0; i < 4; i++) out[o + 4 + i] = type.charCodeAt(i);
    out.set(d, o + 8);
    ov.setUint32(o + 8 + d.length, crc32(out, o + 4, o + 8 + d.length));
    o += 12 + d.length;
  }
  return out;
}
