/** Crop to a region of interest, as a view (no pixel copy). */
import { ImageError } from '../../schema/errors.js';
import { isYuv, validateFrameBuffer, type FrameBuffer, type Plane } from './frame_buffer.js';

/** A rectangle in pixels: top-left corner (x, y), width and height. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Throws ImageError unless `roi` lies inside a width x height image with a positive size. The Task Library refuses
 * such crops too (`ValidateCropBufferInputs`: "Invalid crop coordinates").
 */
export function validateRoi(roi: Rect, width: number, height: number): void {
  const { x, y, width: w, height: h } = roi;
  if (![x, y, w, h].every((v) => Number.isInteger(v))) {
    throw new ImageError(`region of interest must have integer coordinates, got ${x},${y},${w},${h}`);
  }
  if (w <= 0 || h <= 0) throw new ImageError(`region of interest has an empty size ${w}x${h}`);
  if (x < 0 || y < 0 || x + w > width || y + h > height) {
    throw new ImageError(`region of interest ${x},${y},${w}x${h} is out of bounds of the ${width}x${height} image`);
  }
}

function shifted(p: Plane, offset: number): Plane {
  return { data: p.data.subarray(offset), rowStride: p.rowStride, pixelStride: p.pixelStride };
}

/**
 * The pixels of `roi` (in the stored, unrotated coordinates of `frame`) as a view sharing `frame`'s memory.
 * For 4:2:0 YUV the chroma planes start at (x >> 1, y >> 1), as libyuv-based crops do: an odd origin shifts chroma
 * by half a chroma sample.
 */
export function crop(frame: FrameBuffer, roi: Rect): FrameBuffer {
  validateFrameBuffer(frame);
  validateRoi(roi, frame.width, frame.height);
  const { x, y } = roi;
  const planes = frame.planes.map((p, i) => {
    const chroma = isYuv(frame.format) && i > 0;
    const px = chroma ? x >> 1 : x;
    const py = chroma ? y >> 1 : y;
    return shifted(p, py * p.rowStride + px * p.pixelStride);
  });
  return { width: roi.width, height: roi.height, format: frame.format, orientation: frame.orientation, planes };
}
