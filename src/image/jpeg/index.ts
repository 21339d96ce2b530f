/**
 * embedlite's JPEG decoder (own code, no dependency): baseline, extended and progressive Huffman JPEGs with 1, 3 or
 * 4 components, any sampling factors libjpeg accepts, restart markers, and DCT-domain downscaling by 2, 4 or 8.
 * Pixels equal libjpeg-turbo's `djpeg -dct int` (default) or stb_image's `stbi_load` (`variant: 'stb'`).
 *
 * Stages, each its own module with its variants: huffman.ts + scan.ts (entropy decoding), idct.ts, upsample.ts,
 * color.ts, pipeline.ts (the row pipeline), decoder.ts (markers and control).
 */
import { ImageError } from '../../../schema/errors.js';
import { createFrameBuffer, type FrameBuffer } from '../frame_buffer.js';
import { decodeJpegPixels } from './decoder.js';
import type { JpegVariant } from './pipeline.js';
import type { JpegBackend } from './wasm.js';

export { decodeJpegPixels, type DecodedJpeg, type JpegDecodeOptions } from './decoder.js';
export type { JpegVariant } from './pipeline.js';

export interface JpegInfo {
  width: number;
  height: number;
  components: number;
  progressive: boolean;
  /** Transform code of an Adobe APP14 segment (0 none/CMYK, 1 YCbCr, 2 YCCK), undefined without one. */
  adobeTransform: number | undefined;
}

const SOF_NAMES: Record<number, string> = {
  0xc3: 'lossless', 0xc5: 'differential sequential', 0xc6: 'differential progressive', 0xc7: 'differential lossless',
  0xc9: 'arithmetic-coded sequential', 0xca: 'arithmetic-coded progressive', 0xcb: 'arithmetic-coded lossless',
  0xcd: 'arithmetic-coded differential sequential', 0xce: 'arithmetic-coded differential progressive',
  0xcf: 'arithmetic-coded differential lossless',
};

/** Reads the frame header (SOFn) of a JPEG without decoding; throws ImageError on malformed or unsupported files. */
export function readJpegInfo(bytes: Uint8Array): JpegInfo {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new ImageError('not a JPEG file (no SOI marker)');
  let p = 2;
  let adobeTransform: number | undefined;
  while (p + 4 <= n) {
    if (bytes[p] !== 0xff) { p++; continue; } // libjpeg skips stray bytes between markers
    const marker = bytes[p + 1]!;
    if (marker === 0xff) { p++; continue; }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { p += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) break;
    const len = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (len < 2 || p + 2 + len > n) throw new ImageError('truncated JPEG: a segment runs past the end of the file');
    const b = p + 4;
    if (marker === 0xee && len >= 14 && bytes[b] === 0x41 && bytes[b + 1] === 0x64 && bytes[b + 2] === 0x6f &&
        bytes[b + 3] === 0x62 && bytes[b + 4] === 0x65) {
      adobeTransform = bytes[b + 11];
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (SOF_NAMES[marker]) {
        throw new ImageError(`unsupported JPEG: ${SOF_NAMES[marker]} coding (only baseline, extended and ` +
          'progressive Huffman-coded JPEGs are supported)');
      }
      if (len < 8) throw new ImageError('corrupt JPEG: short frame header');
      const precision = bytes[b]!;
      const height = (bytes[b + 1]! << 8) | bytes[b + 2]!;
      const width = (bytes[b + 3]! << 8) | bytes[b + 4]!;
      const components = bytes[b + 5]!;
      if (precision !== 8) throw new ImageError(`unsupported JPEG: ${precision}-bit samples (only 8-bit JPEGs are supported)`);
      if (len < 8 + 3 * components) throw new ImageError('corrupt JPEG: short frame header');
      return { width, height, components, progressive: marker === 0xc2, adobeTransform };
    }
    p += 2 + len;
  }
  throw new ImageError('corrupt or truncated JPEG: no frame header (SOF) before the image data');
}

export interface JpegFrameOptions {
  maxPixels: number;
  variant?: JpegVariant;
  /** 1, 2, 4 or 8: decode at 1/scaleDenom of the size in the DCT domain. */
  scaleDenom?: 1 | 2 | 4 | 8;
  /** The decoder's stages: WebAssembly SIMD where available ('auto'), typed arrays only ('js'). */
  backend?: JpegBackend;
}

/** Decodes a JPEG into a GRAY (1 component) or RGB frame, with the decoder's warnings (damage it decoded past). */
export function decodeJpeg(bytes: Uint8Array, options: JpegFrameOptions): { frame: FrameBuffer; warnings: string[] } {
  const img = decodeJpegPixels(bytes, {
    maxPixels: options.maxPixels, variant: options.variant, scaleDenom: options.scaleDenom, backend: options.backend,
  });
  if (img.width <= 0 || img.height <= 0) throw new ImageError('corrupt JPEG: empty image');
  return { frame: createFrameBuffer(img.width, img.height, img.channels === 1 ? 'GRAY' : 'RGB', img.data), warnings: img.warnings };
}
