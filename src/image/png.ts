/**
 * PNG: header reading (IHDR, so size limits apply before any allocation) and decoding with pngjs.
 *
 * The only module that imports pngjs. pngjs's main entry (`pngjs`, lib/png.js) and its sync reader need Node's
 * `zlib`, `stream`, `util` and `Buffer` (lib/parser-sync.js, lib/sync-inflate.js), so it cannot run in a browser.
 * We therefore import `pngjs/browser.js`, the package's own self-contained browserify build (same code, bundling
 * a Buffer polyfill and browserify-zlib): it runs in Node, browsers and workers alike, with no Node built-in, at
 * the cost of ~570 kB unminified in a bundle. `PNG.sync.read` of that build expects an instance of its bundled
 * Buffer, which we obtain from the bundle itself (a 1x1 `PNG`'s `data`) and wrap around the input bytes (no copy).
 */
import pngjs from 'pngjs/browser.js';
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

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Reads the IHDR chunk; throws ImageError when it is missing or invalid. */
export function readPngInfo(bytes: Uint8Array): PngInfo {
  if (!isPng(bytes)) throw new ImageError('not a PNG file (bad signature)');
  if (bytes.length < 33) throw new ImageError('truncated PNG: no complete IHDR chunk');
  const u32 = (o: number): number => bytes[o]! * 0x1000000 + ((bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!);
  const isIhdr = bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
  if (!isIhdr || u32(8) !== 13) throw new ImageError('corrupt PNG: the first chunk is not a 13-byte IHDR');
  const bitDepth = bytes[24]!, colorType = bytes[25]!;
  const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  if (!allowed[colorType]?.includes(bitDepth)) {
    throw new ImageError(`corrupt PNG: invalid colour type ${colorType} with bit depth ${bitDepth}`);
  }
  if (bytes[28]! > 1) throw new ImageError(`corrupt PNG: unknown interlace method ${bytes[28]}`);
  return { width: u32(16), height: u32(20), bitDepth, colorType, interlaced: bytes[28] === 1 };
}

type BundleBuffer = { from(a: ArrayBufferLike, offset: number, length: number): Uint8Array };
let bundleBuffer: BundleBuffer | undefined;

function toBundleBuffer(bytes: Uint8Array): Uint8Array {
  if (!bundleBuffer) {
    const probe = new pngjs.PNG({ width: 1, height: 1 }).data;
    const ctor = probe?.constructor as unknown as BundleBuffer | undefined;
    if (!ctor || typeof ctor.from !== 'function') throw new ImageError('pngjs browser build: Buffer class not found');
    bundleBuffer = ctor;
  }
  return bundleBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes a PNG of any bit depth, colour type and interlacing to 8-bit samples (16-bit values v become
 * round(v / 257)): GRAY for grey images, RGB for truecolour and palette images, RGBA when the image has an alpha
 * channel or a tRNS chunk. Gamma (gAMA) is not applied. Pixels matching a grey/RGB tRNS colour keep their
 * colour, with alpha 0.
 */
export function decodePng(bytes: Uint8Array, info: PngInfo): FrameBuffer {
  let meta;
  try {
    meta = pngjs.PNG.sync.read(toBundleBuffer(bytes));
  } catch (e) {
    throw new ImageError(`corrupt or unsupported PNG: ${(e as Error)?.message ?? String(e)}`);
  }
  const { width, height } = meta;
  const n = width * height;
  if (width !== info.width || height !== info.height || !meta.data || meta.data.length < 4 * n) {
    throw new ImageError('corrupt PNG: decoded size does not match the header');
  }
  const rgba = new Uint8Array(meta.data.buffer, meta.data.byteOffset, 4 * n);
  if (meta.alpha) {
    const out = rgba.slice();
    const key = transparentColour(bytes, info);
    // pngjs blanks the pixels that match a grey/RGB tRNS colour to (0,0,0,0); give them back their colour (which
    // is the key, by definition) so that dropping alpha later keeps the picture, as libpng and ImageMagick do.
    if (key) {
      for (let j = 0; j < out.length; j += 4) {
        if (out[j + 3] === 0) { out[j] = key[0]!; out[j + 1] = key[1]!; out[j + 2] = key[2]!; }
      }
    }
    return createFrameBuffer(width, height, 'RGBA', out);
  }
  const grey = info.colorType === 0;
  const out = new Uint8Array(n * (grey ? 1 : 3));
  if (grey) {
    for (let i = 0; i < n; i++) out[i] = rgba[4 * i]!;
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      out[3 * i] = rgba[j]!; out[3 * i + 1] = rgba[j + 1]!; out[3 * i + 2] = rgba[j + 2]!;
    }
  }
  return createFrameBuffer(width, height, grey ? 'GRAY' : 'RGB', out);
}

/**
 * The 8-bit RGB of a grey (colour type 0) or truecolour (type 2) image's tRNS colour key, or null when it has none.
 * Chunks are walked with bounds checks; samples are scaled to 8 bits as the decoder scales pixels
 * (v * 255 / (2^depth - 1), rounded).
 */
function transparentColour(bytes: Uint8Array, info: PngInfo): number[] | null {
  if (info.colorType !== 0 && info.colorType !== 2) return null;
  const u32 = (o: number): number => bytes[o]! * 0x1000000 + ((bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!);
  const max = 2 ** info.bitDepth - 1;
  for (let o = 8; o + 12 <= bytes.length;) {
    const len = u32(o);
    const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
    if (type === 'IDAT' || type === 'IEND' || o + 12 + len > bytes.length) return null;
    if (type === 'tRNS') {
      const samples = info.colorType === 0 ? 1 : 3;
      if (len < samples * 2) return null;
      const v = Array.from({ length: samples }, (_, k) => Math.round((((bytes[o + 8 + 2 * k]! << 8) | bytes[o + 9 + 2 * k]!) & max) * 255 / max));
      return samples === 1 ? [v[0]!, v[0]!, v[0]!] : v;
    }
    o += 12 + len;
  }
  return null;
}
