/**
 * Orientation maths and the orient operation (rotations by multiples of 90 degrees and flips, i.e. the 8 EXIF
 * orientations). Mirrors what the Task Library's `FrameBufferUtils::Orient` does with libyuv (rotate + flip), done
 * here as one index walk per plane.
 */
import { ImageError } from '../../schema/errors.js';
import {
  chromaSize, createFrameBuffer, isYuv, validateFrameBuffer, yuvView, channelsOf,
  type FrameBuffer, type Orientation,
} from './frame_buffer.js';

/**
 * Each orientation as the map from a displayed (upright) pixel (dx, dy) to the stored pixel (sx, sy):
 * (u, v) = swap ? (dy, dx) : (dx, dy); sx = flipX ? W-1-u : u; sy = flipY ? H-1-v : v, with W x H the stored size.
 */
interface OrientMap { swap: boolean; flipX: boolean; flipY: boolean }

const MAPS: Record<Orientation, OrientMap> = {
  1: { swap: false, flipX: false, flipY: false },
  2: { swap: false, flipX: true, flipY: false },
  3: { swap: false, flipX: true, flipY: true },
  4: { swap: false, flipX: false, flipY: true },
  5: { swap: true, flipX: false, flipY: false },
  6: { swap: true, flipX: false, flipY: true },
  7: { swap: true, flipX: true, flipY: true },
  8: { swap: true, flipX: true, flipY: false },
};

export function isOrientation(x: unknown): x is Orientation {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 8;
}

/** True when the orientation swaps width and height (5..8). */
export function swapsDimensions(o: Orientation): boolean {
  return MAPS[o].swap;
}

/** Stored pixel for displayed pixel (dx, dy) of a stored W x H image with orientation `o`. */
export function storedCoordinates(o: Orientation, dx: number, dy: number, width: number, height: number): [number, number] {
  const m = MAPS[o];
  const u = m.swap ? dy : dx;
  const v = m.swap ? dx : dy;
  return [m.flipX ? width - 1 - u : u, m.flipY ? height - 1 - v : v];
}

/**
 * The orientation equal to applying `first` and then `second` to an image (e.g. the frame's EXIF orientation, then
 * a user rotation). Found by matching the composed coordinate map on a non-square probe.
 */
export function composeOrientations(first: Orientation, second: Orientation): Orientation {
  const W = 2, H = 3;
  const mid = swapsDimensions(first) ? [H, W] : [W, H];
  const out = swapsDimensions(second) ? [mid[1]!, mid[0]!] : mid;
  for (let c = 1 as Orientation; c <= 8; c = (c + 1) as Orientation) {
    let same = true;
    for (let y = 0; y < out[1]! && same; y++) {
      for (let x = 0; x < out[0]! && same; x++) {
        const [ix, iy] = storedCoordinates(second, x, y, mid[0]!, mid[1]!);
        const [sx, sy] = storedCoordinates(first, ix, iy, W, H);
        const [cx, cy] = storedCoordinates(c, x, y, W, H);
        same = sx === cx && sy === cy;
      }
    }
    if (same) return c;
  }
  throw new ImageError(`cannot compose orientations ${first} and ${second}`);
}

/**
 * The orientation that rotates an upright image by `degrees` clockwise (any multiple of 90, negative allowed):
 * 90 -> 6, 180 -> 3, 270 -> 8.
 */
export function rotationToOrientation(degrees: number): Orientation {
  if (!Number.isInteger(degrees) || degrees % 90 !== 0) {
    throw new ImageError(`rotation must be a multiple of 90 degrees, got ${degrees}`);
  }
  const q = (((degrees / 90) % 4) + 4) % 4;
  return ([1, 6, 3, 8] as const)[q]!;
}

/**
 * The upright image of a stored W x H grid (pixel stride `ps`, row stride `rs`) as a view of the same memory: the
 * offset of upright pixel (0, 0) and the (possibly negative) steps to the next upright pixel and row.
 */
export function orientedView(o: Orientation, W: number, H: number, rs: number, ps: number):
  { offset: number; pixelStride: number; rowStride: number } {
  const m = MAPS[o];
  return {
    offset: (m.flipX ? (W - 1) * ps : 0) + (m.flipY ? (H - 1) * rs : 0),
    pixelStride: m.swap ? (m.flipY ? -rs : rs) : (m.flipX ? -ps : ps),
    rowStride: m.swap ? (m.flipX ? -ps : ps) : (m.flipY ? -rs : rs),
  };
}

/**
 * Writes the upright version of one plane: `src` holds a W x H grid of `channels`-byte samples (pixel stride
 * `srcPs`, row stride `srcRs`), `dst` receives the (possibly transposed) grid.
 */
function orientPlane(
  src: Uint8Array, srcOff: number, srcRs: number, srcPs: number, channels: number, W: number, H: number,
  o: Orientation, dst: Uint8Array, dstOff: number, dstRs: number, dstPs: number,
): void {
  const m = MAPS[o];
  const outW = m.swap ? H : W;
  const outH = m.swap ? W : H;
  // Source step for one output column (ddx) and one output row (ddy).
  const view = orientedView(o, W, H, srcRs, srcPs);
  const origin = srcOff + view.offset, ddx = view.pixelStride, ddy = view.rowStride;
  for (let y = 0; y < outH; y++) {
    let s = origin + y * ddy;
    let d = dstOff + y * dstRs;
    if (channels === 1) {
      for (let x = 0; x < outW; x++, s += ddx, d += dstPs) dst[d] = src[s]!;
    } else if (channels === 3) {
      for (let x = 0; x < outW; x++, s += ddx, d += dstPs) {
        dst[d] = src[s]!; dst[d + 1] = src[s + 1]!; dst[d + 2] = src[s + 2]!;
      }
    } else {
      for (let x = 0; x < outW; x++, s += ddx, d += dstPs) {
        for (let k = 0; k < channels; k++) dst[d + k] = src[s + k]!;
      }
    }
  }
}

/**
 * Applies orientation `o` to the pixels: returns a new packed frame, upright (orientation 1), in the same format.
 * Size is swapped for 5..8. For YUV 4:2:0 each plane is transformed on its own grid (like libyuv's I420Rotate);
 * with odd sizes and flips, chroma then shifts by half a chroma sample.
 */
export function orient(frame: FrameBuffer, o: Orientation): FrameBuffer {
  validateFrameBuffer(frame);
  if (!isOrientation(o)) throw new ImageError(`invalid orientation ${String(o)} (must be 1..8)`);
  const sw = swapsDimensions(o);
  const outW = sw ? frame.height : frame.width;
  const outH = sw ? frame.width : frame.height;
  const out = createFrameBuffer(outW, outH, frame.format);
  if (!isYuv(frame.format)) {
    const p = frame.planes[0]!;
    const q = out.planes[0]!;
    orientPlane(p.data, 0, p.rowStride, p.pixelStride, channelsOf(frame.format as 'RGB'), frame.width, frame.height,
      o, q.data, 0, q.rowStride, q.pixelStride);
    return out;
  }
  const yp = frame.planes[0]!;
  orientPlane(yp.data, 0, yp.rowStride, 1, 1, frame.width, frame.height, o,
    out.planes[0]!.data, 0, out.planes[0]!.rowStride, 1);
  const c = chromaSize(frame.width, frame.height);
  const src = yuvView(frame);
  const dst = yuvView(out);
  orientPlane(src.u, src.uOffset, src.uvRowStride, src.uvPixelStride, 1, c.width, c.height, o,
    dst.u, dst.uOffset, dst.uvRowStride, dst.uvPixelStride);
  orientPlane(src.v, src.vOffset, src.uvRowStride, src.uvPixelStride, 1, c.width, c.height, o,
    dst.v, dst.vOffset, dst.uvRowStride, dst.uvPixelStride);
  return out;
}

/** Rotates the pixels by `degrees` clockwise (a multiple of 90); a new packed frame. */
export function rotate(frame: FrameBuffer, degrees: number): FrameBuffer {
  return orient(frame, rotationToOrientation(degrees));
}

/** Mirrors the pixels left-right (`horizontal`) or top-bottom; a new packed frame. */
export function flip(frame: FrameBuffer, direction: 'horizontal' | 'vertical'): FrameBuffer {
  return orient(frame, direction === 'horizontal' ? 2 : 4);
}
