/**
 * Bilinear resize, bit-exact with the Task Library's (libyuv, kFilterBilinear, as Debian's x86-64 build computes it;
 * see src/image/libyuv/). The aspect ratio is not kept: the Task Library stretches to the model's input size.
 *
 * - RGB and RGBA: ARGBScale (the Task Library widens RGB to ARGB, scales and narrows back; the channels never mix,
 *   so scaling 3-byte pixels directly gives the same bytes).
 * - GRAY: ScalePlane.
 * - YV12/YV21: I420Scale (ScalePlane on Y, U and V; chroma planes are ceil(w/2) x ceil(h/2)).
 * - NV12/NV21: NV12Scale (ScalePlane on Y, UVScale on the interleaved chroma).
 *
 * libyuv refuses sources wider or taller than 32768 pixels; so does this (ImageError).
 */
import { ImageError } from '../../schema/errors.js';
import { channelsOf, chromaSize, createFrameBuffer, isYuv, validateFrameBuffer, type FrameBuffer, type Orientation, type Plane } from './frame_buffer.js';
import { ARGB_SCALE_MAX, argbScale, type PixelView } from './libyuv/scale_argb.js';
import { scalePlane } from './libyuv/scale_plane.js';
import { scaleUV } from './libyuv/scale_uv.js';

function view(p: Plane, offset = 0): PixelView {
  return { data: p.data, offset, rowStride: p.rowStride, pixelStride: p.pixelStride };
}

/** Resize of any frame to width x height in the same format (a new packed frame, orientation kept). */
export function resize(frame: FrameBuffer, width: number, height: number): FrameBuffer {
  validateFrameBuffer(frame);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(`resize target must be positive integers, got ${width}x${height}`);
  }
  const { width: sw, height: sh, format } = frame;
  if (sw > ARGB_SCALE_MAX || sh > ARGB_SCALE_MAX) {
    throw new ImageError(`cannot resize a ${sw}x${sh} image: libyuv (as in the Task Library) scales at most ` +
      `${ARGB_SCALE_MAX} pixels per side; crop it first (region of interest)`);
  }
  const out = createFrameBuffer(width, height, format, undefined, frame.orientation);
  const src = frame.planes, dst = out.planes;
  if (format === 'RGB' || format === 'RGBA') {
    argbScale(view(src[0]!), sw, sh, view(dst[0]!), width, height, channelsOf(format));
  } else if (format === 'GRAY') {
    scalePlane(view(src[0]!), sw, sh, view(dst[0]!), width, height);
  } else if (isYuv(format)) {
    scalePlane(view(src[0]!), sw, sh, view(dst[0]!), width, height);
    const sc = chromaSize(sw, sh), dc = chromaSize(width, height);
    if (format === 'NV12' || format === 'NV21') {
      // The interleaved plane is scaled as pairs whatever their order (NV21: VU).
      scaleUV(view(src[1]!), sc.width, sc.height, view(dst[1]!), dc.width, dc.height);
    } else {
      for (const i of [1, 2]) scalePlane(view(src[i]!), sc.width, sc.height, view(dst[i]!), dc.width, dc.height);
    }
  }
  return out;
}

/** A source whose rows come in increasing order (a JPEG decoding into a band; see jpeg/rows.ts). */
export interface RowStream {
  width: number;
  height: number;
  /** 3: RGB. */
  channels: number;
  data: Uint8Array;
  rowStride: number;
  /** Makes rows y0..y1 (at most 2) available; returns the offset of row y0. Never called below an earlier y0. */
  rows(y0: number, y1: number): number;
}

/**
 * `resize(crop(frame, roi), width, height)` for an RGB frame streamed in rows, when the result is no taller than the
 * region (libyuv's shrinking paths read rows in increasing order, at most two at a time). Same bytes.
 */
export function resizeRows(src: RowStream, roi: { x: number; y: number; width: number; height: number }, width: number,
  height: number, orientation: Orientation = 1): FrameBuffer {
  if (src.channels !== 3) throw new Error('internal: resizeRows takes RGB rows');
  if (height > roi.height) throw new Error('internal: resizeRows shrinks or keeps the height');
  const x0 = roi.x * 3, y0 = roi.y;
  return resizeView({
    data: src.data, offset: 0, rowStride: src.rowStride, pixelStride: 3,
    rows: (a, b) => src.rows(y0 + a, y0 + b) + x0,
  }, roi.width, roi.height, width, height, orientation);
}

/**
 * `resize` of the RGB pixels of a view (any strides, negative ones included: e.g. an upright view of a stored frame
 * with an EXIF turn, see orientedView) of sw x sh pixels to width x height. Same bytes as resizing a packed copy.
 */
export function resizeView(src: PixelView, sw: number, sh: number, width: number, height: number,
  orientation: Orientation = 1): FrameBuffer {
  if (sw > ARGB_SCALE_MAX || sh > ARGB_SCALE_MAX) {
    throw new ImageError(`cannot resize a ${sw}x${sh} image: libyuv (as in the Task Library) scales at most ` +
      `${ARGB_SCALE_MAX} pixels per side; crop it first (region of interest)`);
  }
  const out = createFrameBuffer(width, height, 'RGB', undefined, orientation);
  argbScale(src, sw, sh, view(out.planes[0]!), width, height, 3);
  return out;
}
