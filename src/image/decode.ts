/**
 * decodeImage: bytes -> FrameBuffer for JPEG, PNG and uncompressed BMP, format detected from the bytes.
 * Dimensions are read from the headers first, so empty and oversized images are refused before any large
 * allocation; every decoder failure becomes an ImageError.
 */
import { ImageError } from '../../schema/errors.js';
import { decodeBmp, isBmp, readBmpInfo } from './bmp.js';
import { readExifOrientation } from './exif.js';
import type { FrameBuffer, Orientation } from './frame_buffer.js';
import { decodeJpeg, readJpegInfo, type JpegInfo } from './jpeg/index.js';
import { orient } from './orientation.js';
import { decodePng, isPng, readPngInfo } from './png.js';

export type ImageFormat = 'jpeg' | 'png' | 'bmp';

/** Default pixel budget: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface DecodeOptions {
  /** Largest width * height accepted; larger images throw ImageError before decoding. Default 100 MP. */
  maxPixels?: number;
  /**
   * What to do with a JPEG's EXIF orientation: 'apply' (default) returns upright pixels; 'ignore' returns the
   * stored pixels, as the Task Library does; 'tag' returns the stored pixels with `frame.orientation` set, so that
   * `preprocess` orients only the small output (a region of interest then refers to the stored pixels).
   */
  exifOrientation?: 'apply' | 'ignore' | 'tag';
  /**
   * Whose JPEG pixels: 'libjpeg' (default) equals libjpeg-turbo's `djpeg -dct int` (what browsers, Pillow, OpenCV
   * and ImageMagick produce); 'stb' equals stb_image's `stbi_load` (what the TFLite Task Library decodes with).
   * PNG and BMP pixels are the same either way, except 16-bit PNG samples: 'stb' keeps their high byte as stb_image
   * does, 'libjpeg' rounds them (round(v * 255 / 65535)) as libpng-based decoders do.
   */
  jpegDecoder?: JpegDecoderName;
  /**
   * JPEG only. 'full' (default) decodes every pixel. 'auto' decodes at 1/2, 1/4 or 1/8 of the size in the DCT domain
   * (libjpeg's scaled IDCTs, equal to `djpeg -dct int -scale 1/N`), picking the largest reduction that keeps the
   * frame at least `minSize`; 2, 4 or 8 force that reduction. Scaled decodes always follow libjpeg's stages.
   * The reduction used is returned in `frame.scaleDenom`.
   */
  decodeScale?: 'full' | 'auto' | 1 | 2 | 4 | 8;
  /** For decodeScale 'auto': the smallest frame wanted, in the orientation of the returned frame. */
  minSize?: { width: number; height: number };
  /**
   * JPEG only: 'auto' (default) runs the decoder's WebAssembly SIMD stages (IDCT, upsampling, colour) where this
   * runtime can compile and run them, else its typed-array stages; 'js' never touches WebAssembly; 'wasm' insists.
   * The pixels are the same.
   */
  backend?: 'auto' | 'wasm' | 'js';
}

export type JpegDecoderName = 'libjpeg' | 'stb';

/** A decoded image: the frame plus how it was decoded. */
export interface DecodedImage extends FrameBuffer {
  /** 1, or the DCT-domain reduction used for a JPEG (decodeScale). */
  scaleDenom: number;
  /** Damage a JPEG decode went past (truncated or corrupt entropy data is decoded as libjpeg does: grey). */
  warnings: string[];
}

/**
 * A region given in pixels of the full-size image, in pixels of a decode reduced by `s` (1, 2, 4, 8): libjpeg's
 * scaled pixel i covers full-size pixels [i * s, (i + 1) * s), so the region keeps every pixel it touches.
 */
export function scaleRegion(r: { x: number; y: number; width: number; height: number }, s: number, width: number,
  height: number): { x: number; y: number; width: number; height: number } {
  if (s === 1) return r;
  const x = Math.min(width - 1, Math.floor(r.x / s)), y = Math.min(height - 1, Math.floor(r.y / s));
  const right = Math.min(width, Math.max(x + 1, Math.ceil((r.x + r.width) / s)));
  const bottom = Math.min(height, Math.max(y + 1, Math.ceil((r.y + r.height) / s)));
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * The largest JPEG reduction (1, 2, 4 or 8) whose decoded size ceil(width / s) x ceil(height / s) stays at least
 * minWidth x minHeight.
 */
export function chooseDecodeScale(width: number, height: number, minWidth: number, minHeight: number): 1 | 2 | 4 | 8 {
  for (const s of [8, 4, 2] as const) {
    if (Math.ceil(width / s) >= minWidth && Math.ceil(height / s) >= minHeight) return s;
  }
  return 1;
}

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** EXIF orientation (JPEG only; 1 otherwise). */
  orientation: Orientation;
}

/** The image format from the first bytes, or undefined. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (isPng(bytes)) return 'png';
  if (isBmp(bytes)) return 'bmp';
  return undefined;
}

function describeUnknown(bytes: Uint8Array): string {
  const ascii = String.fromCharCode(...bytes.subarray(0, 12));
  if (ascii.startsWith('GIF8')) return 'GIF';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'WebP';
  if (ascii.slice(4, 8) === 'ftyp') return 'HEIF/AVIF';
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*')) return 'TIFF';
  return 'unknown';
}

function toBytes(data: Uint8Array | ArrayBuffer): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ImageError('image data must be a Uint8Array or an ArrayBuffer');
}

/** Format, size and orientation from the headers only (no pixel decoding). Throws ImageError. */
export function readImageInfo(data: Uint8Array | ArrayBuffer): ImageInfo {
  const bytes = toBytes(data);
  const format = detectImageFormat(bytes);
  switch (format) {
    case 'jpeg': {
      const i = readJpegInfo(bytes);
      return { format, width: i.width, height: i.height, orientation: readExifOrientation(bytes) };
    }
    case 'png': {
      const i = readPngInfo(bytes);
      return { format, width: i.width, height: i.height, orientation: 1 };
    }
    case 'bmp': {
      const i = readBmpInfo(bytes);
      return { format, width: i.width, height: i.height, orientation: 1 };
    }
    default:
      throw new ImageError(`unsupported image format (${describeUnknown(bytes)}): JPEG, PNG and BMP are supported`);
  }
}

function checkSize(format: ImageFormat, width: number, height: number, maxPixels: number): void {
  if (!(width > 0) || !(height > 0)) throw new ImageError(`${format.toUpperCase()} image has an empty size ${width}x${height}`);
  if (width * height > maxPixels) {
    throw new ImageError(
      `${format.toUpperCase()} image of ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP) exceeds the ` +
      `pixel budget of ${(maxPixels / 1e6).toFixed(1)} MP (option maxPixels)`);
  }
}

/**
 * Decodes a JPEG, PNG or BMP into a packed FrameBuffer: RGB, RGBA (PNG/BMP with alpha) or GRAY (grey PNG/JPEG,
 * grey-palette BMP). JPEG EXIF orientation is applied by default (see DecodeOptions.exifOrientation).
 */
export function decodeImage(data: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedImage {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(maxPixels > 0)) throw new ImageError(`maxPixels must be positive, got ${maxPixels}`);
  const bytes = toBytes(data);
  const format = detectImageFormat(bytes);
  if (format === 'png') {
    const info = readPngInfo(bytes);
    checkSize(format, info.width, info.height, maxPixels);
    // stb_image keeps the high byte of 16-bit samples (stbi__convert_16_to_8); libpng-style decoders round.
    return { ...decodePng(bytes, info, options.jpegDecoder === 'stb' ? 'truncate' : 'round'), scaleDenom: 1, warnings: [] };
  }
  if (format === 'bmp') {
    const info = readBmpInfo(bytes);
    checkSize(format, info.width, info.height, maxPixels);
    return { ...decodeBmp(bytes, info), scaleDenom: 1, warnings: [] };
  }
  if (format !== 'jpeg') {
    throw new ImageError(`unsupported image format (${describeUnknown(bytes)}): JPEG, PNG and BMP are supported`);
  }
  const { mode, orientation: o, scaleDenom, variant } = planJpeg(bytes, options, maxPixels);
  const { frame, warnings } = decodeJpeg(bytes, { maxPixels, variant, scaleDenom, backend: options.backend });
  const extra = { scaleDenom, warnings };
  if (mode === 'ignore') return { ...frame, ...extra };
  if (mode === 'tag') return { ...frame, orientation: o, ...extra };
  return { ...(o === 1 ? frame : orient(frame, o)), ...extra };
}

/** How decodeImage decodes a JPEG, after the checks it makes before decoding (ImageError). */
export interface JpegPlan {
  info: JpegInfo;
  mode: 'apply' | 'ignore' | 'tag';
  /** The EXIF orientation (1 with mode 'ignore'). */
  orientation: Orientation;
  scaleDenom: 1 | 2 | 4 | 8;
  variant: JpegDecoderName;
}

/** The header checks and choices of decodeImage for a JPEG (pixel budget, EXIF, scale, variant). */
export function planJpeg(bytes: Uint8Array, options: DecodeOptions, maxPixels: number): JpegPlan {
  const info = readJpegInfo(bytes);
  checkSize('jpeg', info.width, info.height, maxPixels);
  const mode = options.exifOrientation ?? 'apply';
  const o = mode === 'ignore' ? 1 : readExifOrientation(bytes);
  const scaleDenom = jpegScale(options, info.width, info.height, mode === 'apply' && o >= 5);
  const variant = options.jpegDecoder ?? 'libjpeg';
  if (variant !== 'libjpeg' && variant !== 'stb') throw new ImageError(`jpegDecoder must be 'libjpeg' or 'stb', got ${String(variant)}`);
  return { info, mode, orientation: o, scaleDenom, variant };
}

function jpegScale(options: DecodeOptions, width: number, height: number, swap: boolean): 1 | 2 | 4 | 8 {
  const s = options.decodeScale ?? 'full';
  if (s === 'full' || s === 1) return 1;
  if (s === 2 || s === 4 || s === 8) return s;
  if (s !== 'auto') throw new ImageError(`decodeScale must be 'full', 'auto', 1, 2, 4 or 8, got ${String(s)}`);
  const min = options.minSize;
  if (!min || !(min.width > 0) || !(min.height > 0)) throw new ImageError("decodeScale 'auto' needs minSize {width, height}");
  return swap ? chooseDecodeScale(width, height, min.height, min.width) : chooseDecodeScale(width, height, min.width, min.height);
}
