/**
 * FrameBuffer: the in-memory image of the pipeline, modelled on the TFLite Task Library's `FrameBuffer`
 * (tensorflow_lite_support/cc/task/vision/core/frame_buffer.h): a size, a pixel format, an EXIF-style orientation
 * and one plane per component group, each with its row and pixel strides. Planes are `Uint8Array` views that start
 * at the plane's first pixel, so a crop is a view (no copy).
 */
import { ImageError } from '../../schema/errors.js';

/** Pixel formats, as in the Task Library. YV21 is I420 (planes Y, U, V); YV12 is planes Y, V, U. */
export type PixelFormat = 'RGB' | 'RGBA' | 'GRAY' | 'NV12' | 'NV21' | 'YV12' | 'YV21';

/**
 * EXIF orientation (the Task Library's FrameBuffer::Orientation uses the same numbers): how the stored pixels must
 * be transformed to be displayed upright. 1 top-left (as stored), 2 mirrored horizontally, 3 rotated 180,
 * 4 mirrored vertically, 5 transposed, 6 needs 90 degrees clockwise, 7 transversed, 8 needs 90 counter-clockwise.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface Plane {
  /** Bytes of the plane, starting at its pixel (0, 0). */
  data: Uint8Array;
  /** Bytes from one row to the next. */
  rowStride: number;
  /** Bytes from one pixel to the next within a row (3 for RGB, 2 for the NV12/NV21 chroma plane...). */
  pixelStride: number;
}

export interface FrameBuffer {
  width: number;
  height: number;
  format: PixelFormat;
  orientation: Orientation;
  /** RGB/RGBA/GRAY: one plane. NV12/NV21: Y then interleaved chroma (UV or VU). YV21: Y, U, V. YV12: Y, V, U. */
  planes: Plane[];
}

export const PIXEL_FORMATS: readonly PixelFormat[] = ['RGB', 'RGBA', 'GRAY', 'NV12', 'NV21', 'YV12', 'YV21'];

export function isYuv(format: PixelFormat): boolean {
  return format === 'NV12' || format === 'NV21' || format === 'YV12' || format === 'YV21';
}

/** Bytes per pixel of the single plane of RGB, RGBA and GRAY. */
export function channelsOf(format: 'RGB' | 'RGBA' | 'GRAY'): number {
  return format === 'RGBA' ? 4 : format === 'RGB' ? 3 : 1;
}

/** Size of a chroma plane of a 4:2:0 frame: half the luma size, rounded up. */
export function chromaSize(width: number, height: number): { width: number; height: number } {
  return { width: (width + 1) >> 1, height: (height + 1) >> 1 };
}

/** Bytes of a tightly packed frame in the Task Library's layout (`GetFrameBufferByteSize`). */
export function frameByteSize(width: number, height: number, format: PixelFormat): number {
  if (!isYuv(format)) return width * height * channelsOf(format as 'RGB');
  const c = chromaSize(width, height);
  return width * height + 2 * c.width * c.height;
}

function checkDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(`invalid frame size ${width}x${height}: width and height must be positive integers`);
  }
}

/**
 * A tightly packed frame over `data` (allocated when omitted), in the Task Library's plane layout (`GetPlanes`):
 * NV12/NV21 chroma rows are `2 * ceil(width / 2)` bytes, YV12/YV21 chroma rows `ceil(width / 2)` bytes.
 */
export function createFrameBuffer(
  width: number,
  height: number,
  format: PixelFormat,
  data?: Uint8Array,
  orientation: Orientation = 1,
): FrameBuffer {
  checkDimensions(width, height);
  if (!PIXEL_FORMATS.includes(format)) throw new ImageError(`unknown pixel format ${String(format)} (${PIXEL_FORMATS.join(', ')})`);
  const size = frameByteSize(width, height, format);
  const bytes = data ?? new Uint8Array(size);
  if (bytes.length < size) {
    throw new ImageError(`${format} frame ${width}x${height} needs ${size} bytes, got ${bytes.length}`);
  }
  let planes: Plane[];
  if (!isYuv(format)) {
    const c = channelsOf(format as 'RGB');
    planes = [{ data: bytes.subarray(0, size), rowStride: width * c, pixelStride: c }];
  } else {
    const ySize = width * height;
    const c = chromaSize(width, height);
    const y: Plane = { data: bytes.subarray(0, ySize), rowStride: width, pixelStride: 1 };
    if (format === 'NV12' || format === 'NV21') {
      planes = [y, { data: bytes.subarray(ySize, size), rowStride: 2 * c.width, pixelStride: 2 }];
    } else {
      const cSize = c.width * c.height;
      planes = [
        y,
        { data: bytes.subarray(ySize, ySize + cSize), rowStride: c.width, pixelStride: 1 },
        { data: bytes.subarray(ySize + cSize, size), rowStride: c.width, pixelStride: 1 },
      ];
    }
  }
  return { width, height, format, orientation, planes };
}

/** Chroma access of a 4:2:0 frame: U and V arrays with their start offsets and shared strides. */
export interface YuvView {
  y: Uint8Array;
  yRowStride: number;
  u: Uint8Array;
  uOffset: number;
  v: Uint8Array;
  vOffset: number;
  uvRowStride: number;
  uvPixelStride: number;
}

/** Y, U and V of a YUV frame, as the Task Library's `GetYuvDataFromFrameBuffer` sees them. */
export function yuvView(frame: FrameBuffer): YuvView {
  const [y, p1, p2] = frame.planes;
  if (!y || !p1) throw new ImageError(`${frame.format} frame needs ${frame.format.startsWith('NV') ? 2 : 3} planes`);
  const base = { y: y.data, yRowStride: y.rowStride, uvRowStride: p1.rowStride, uvPixelStride: p1.pixelStride };
  switch (frame.format) {
    case 'NV12': return { ...base, u: p1.data, uOffset: 0, v: p1.data, vOffset: 1 };
    case 'NV21': return { ...base, u: p1.data, uOffset: 1, v: p1.data, vOffset: 0 };
    case 'YV21':
      if (!p2) throw new ImageError('YV21 frame needs 3 planes');
      return { ...base, u: p1.data, uOffset: 0, v: p2.data, vOffset: 0 };
    case 'YV12':
      if (!p2) throw new ImageError('YV12 frame needs 3 planes');
      return { ...base, u: p2.data, uOffset: 0, v: p1.data, vOffset: 0 };
    default:
      throw new ImageError(`${frame.format} is not a YUV format`);
  }
}

function planeSpan(rows: number, cols: number, rowStride: number, pixelStride: number, channels: number): number {
  return (rows - 1) * rowStride + (cols - 1) * pixelStride + channels;
}

/**
 * The pixel budget (decodeImage's `maxPixels`) for frames callers build themselves: a frame is refused when
 * width * height exceeds it, as an encoded image of that size would be.
 */
export function checkPixelBudget(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ImageError(`frame of ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP) exceeds the pixel budget of ` +
      `${(maxPixels / 1e6).toFixed(1)} MP (option maxImagePixels)`);
  }
}

/**
 * Checks a frame's planes: count, strides and that every plane holds all its pixels. Throws ImageError.
 * Frames built by callers (e.g. camera YUV buffers) should pass through this before any pixel loop.
 */
export function validateFrameBuffer(frame: FrameBuffer): void {
  checkDimensions(frame.width, frame.height);
  if (!PIXEL_FORMATS.includes(frame.format)) throw new ImageError(`unknown pixel format ${String(frame.format)}`);
  if (![1, 2, 3, 4, 5, 6, 7, 8].includes(frame.orientation)) {
    throw new ImageError(`invalid orientation ${String(frame.orientation)} (must be 1..8)`);
  }
  const { width, height } = frame;
  const check = (p: Plane | undefined, name: string, w: number, h: number, channels: number): void => {
    if (!p || !(p.data instanceof Uint8Array)) throw new ImageError(`${frame.format} frame: missing ${name} plane`);
    if (!Number.isInteger(p.rowStride) || !Number.isInteger(p.pixelStride) || p.pixelStride < channels ||
        p.rowStride < (w - 1) * p.pixelStride + channels) {
      throw new ImageError(`${frame.format} frame: bad strides for ${name} plane (row ${p.rowStride}, pixel ${p.pixelStride})`);
    }
    const need = planeSpan(h, w, p.rowStride, p.pixelStride, channels);
    if (p.data.length < need) {
      throw new ImageError(`${frame.format} frame: ${name} plane has ${p.data.length} bytes, needs ${need}`);
    }
  };
  if (!isYuv(frame.format)) {
    check(frame.planes[0], 'pixel', width, height, channelsOf(frame.format as 'RGB'));
    return;
  }
  const c = chromaSize(width, height);
  check(frame.planes[0], 'Y', width, height, 1);
  if (frame.format === 'NV12' || frame.format === 'NV21') {
    check(frame.planes[1], 'chroma', c.width, c.height, 2);
  } else {
    check(frame.planes[1], 'first chroma', c.width, c.height, 1);
    check(frame.planes[2], 'second chroma', c.width, c.height, 1);
    if (frame.planes[1]!.rowStride !== frame.planes[2]!.rowStride) {
      throw new ImageError(`${frame.format} frame: both chroma planes must have the same row stride`);
    }
  }
}

/** True when the single-plane frame is stored without padding (row stride = width * channels). */
export function isPacked(frame: FrameBuffer): boolean {
  if (isYuv(frame.format)) return false;
  const p = frame.planes[0]!;
  const c = channelsOf(frame.format as 'RGB');
  return p.pixelStride === c && p.rowStride === frame.width * c;
}

/**
 * The pixels of an RGB, RGBA or GRAY frame as one tightly packed row-major array (a view when already packed,
 * else a copy), e.g. for writing raw files.
 */
export function packedPixels(frame: FrameBuffer): Uint8Array {
  if (isYuv(frame.format)) throw new ImageError(`packedPixels needs RGB, RGBA or GRAY, got ${frame.format}`);
  const c = channelsOf(frame.format as 'RGB');
  const p = frame.planes[0]!;
  const rowBytes = frame.width * c;
  if (isPacked(frame)) return p.data.subarray(0, rowBytes * frame.height);
  const out = new Uint8Array(rowBytes * frame.height);
  for (let y = 0; y < frame.height; y++) {
    const src = y * p.rowStride;
    const dst = y * rowBytes;
    if (p.pixelStride === c) {
      out.set(p.data.subarray(src, src + rowBytes), dst);
      continue;
    }
    for (let x = 0; x < frame.width; x++) {
      for (let k = 0; k < c; k++) out[dst + x * c + k] = p.data[src + x * p.pixelStride + k]!;
    }
  }
  return out;
}
