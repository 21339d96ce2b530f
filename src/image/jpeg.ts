/**
 * JPEG: header reading (our own marker walk, so size limits apply before any allocation) and decoding with jpeg-js
 * (baseline and progressive Huffman; 1, 3 or 4 components). jpeg-js runs unchanged in browsers with
 * `useTArray: true`.
 */
import { decode as jpegDecode } from 'jpeg-js';
import { ImageError } from '../../schema/errors.js';
import { createFrameBuffer, type FrameBuffer } from './frame_buffer.js';

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
  0xcd: 'arithmetic differential sequential', 0xce: 'arithmetic differential progressive',
  0xcf: 'arithmetic differential lossless',
};

/** Reads the frame header (SOFn) of a JPEG without decoding; throws ImageError on malformed or unsupported files. */
export function readJpegInfo(bytes: Uint8Array): JpegInfo {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new ImageError('not a JPEG file (no SOI marker)');
  let p = 2;
  let adobeTransform: number | undefined;
  while (p + 4 <= n) {
    if (bytes[p] !== 0xff) throw new ImageError(`corrupt JPEG: expected a marker at byte ${p}`);
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
      if (SOF_NAMES[marker]) throw new ImageError(`unsupported JPEG: ${SOF_NAMES[marker]} coding (only baseline and progressive Huffman JPEGs are supported)`);
      if (len < 8) throw new ImageError('corrupt JPEG: short frame header');
      const precision = bytes[b]!;
      const height = (bytes[b + 1]! << 8) | bytes[b + 2]!;
      const width = (bytes[b + 3]! << 8) | bytes[b + 4]!;
      const components = bytes[b + 5]!;
      if (precision !== 8) throw new ImageError(`unsupported JPEG: ${precision}-bit samples (only 8-bit)`);
      if (len < 8 + 3 * components) throw new ImageError('corrupt JPEG: short frame header');
      return { width, height, components, progressive: marker === 0xc2, adobeTransform };
    }
    p += 2 + len;
  }
  throw new ImageError('corrupt or truncated JPEG: no frame header (SOF) before the image data');
}

/**
 * Decodes a JPEG to RGB (GRAY for 1-component files). 4-component files need an Adobe APP14 segment (Adobe CMYK or
 * YCCK, as Photoshop writes them) and are converted to RGB by jpeg-js's plain CMYK formula (no ICC profile);
 * other component counts are refused. `maxPixels` is checked by the caller against the header.
 */
export function decodeJpeg(bytes: Uint8Array, info: JpegInfo, maxPixels: number): FrameBuffer {
  if (info.components !== 1 && info.components !== 3 && info.components !== 4) {
    throw new ImageError(`unsupported JPEG: ${info.components} colour components (1, 3 or 4 supported)`);
  }
  if (info.components === 4 && info.adobeTransform === undefined) {
    throw new ImageError('unsupported JPEG: 4-component (CMYK) image without an Adobe marker; its colour space is unknown');
  }
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpegDecode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: true,
      maxResolutionInMP: Math.max(1, maxPixels / 1e6),
      // jpeg-js counts its coefficient blocks, component lines and output: about 20 bytes per pixel at most.
      maxMemoryUsageInMB: Math.max(64, Math.ceil((maxPixels * 20) / (1 << 20))),
    });
  } catch (e) {
    throw new ImageError(`corrupt or unsupported JPEG: ${(e as Error)?.message ?? String(e)}`);
  }
  if (img.width !== info.width || img.height !== info.height || img.data.length !== info.width * info.height * 3) {
    throw new ImageError('corrupt JPEG: decoded size does not match the header');
  }
  if (info.components !== 1) return createFrameBuffer(img.width, img.height, 'RGB', img.data);
  // jpeg-js replicates grey into R, G and B: keep one channel.
  const n = img.width * img.height;
  const gray = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) gray[i] = img.data[j]!;
  return createFrameBuffer(img.width, img.height, 'GRAY', gray);
}
