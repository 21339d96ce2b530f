/**
 * Bilinear resize, aspect ratio not kept (the Task Library stretches to the model's input size).
 *
 * Pixel-centre convention: the one of libyuv's `kFilterBilinear` (`ScaleSlope` in libyuv/source/scale_common.cc),
 * which the Task Library uses for every resize, per axis in 16.16 fixed point:
 * - shrinking or same size (dst <= src): step = src/dst, first sample at step/2 - 0.5, i.e. half-pixel centres
 *   (`src = (dst + 0.5) * src/dst - 0.5`, the convention of OpenCV INTER_LINEAR and TF `half_pixel_centers`);
 *   a 2x shrink averages each 2x2 block, same size is the identity;
 * - enlarging (dst > src > 1): step = ((src << 16) - 65537) / (dst - 1) from 0 (libyuv's FixedDiv1), i.e. corners
 *   aligned: the first pixel is the first source pixel and the last one lands a hair before the last source pixel
 *   (127/128 of the way with the 7-bit blend), so enlarged images never extrapolate past the edges.
 * Positions are clamped to the image. The blend uses libyuv's fractions: 8 bits between rows
 * (`(a*(256-f) + b*f + 128) >> 8`) and 7 bits between columns (`a + ((f*(b-a) + 64) >> 7)`), rows first when
 * shrinking and columns first when enlarging, as libyuv's BilinearDown/BilinearUp. Agreement with libyuv's SIMD
 * paths (and its special cases such as 2x box downscaling) is expected within 1 level, not bit-exact; the 7-bit
 * column blend is libyuv's x86 variant (its ARM build blends with 16-bit fractions).
 */
import { ImageError } from '../../schema/errors.js';
import {
  chromaSize, channelsOf, createFrameBuffer, isYuv, validateFrameBuffer, yuvView, type FrameBuffer,
} from './frame_buffer.js';

/** Per-axis sample table: integer index, next index (clamped) and fraction for each destination coordinate. */
interface Axis { i0: Int32Array; i1: Int32Array; f: Int32Array }

/** Source positions in 16.16 fixed point for `dst` samples over `src`, following libyuv's ScaleSlope. */
function axisPositions(src: number, dst: number): Int32Array {
  const pos = new Int32Array(dst);
  if (src === 1) return pos;
  let start: number, step: number;
  if (dst <= src) {
    step = Math.floor((src * 65536) / dst);
    start = (step >> 1) - 32768;
  } else {
    step = Math.floor((src * 65536 - 65537) / (dst - 1));
    start = 0;
  }
  const max = (src - 1) * 65536;
  for (let i = 0; i < dst; i++) {
    const p = start + i * step;
    pos[i] = p < 0 ? 0 : p > max ? max : p;
  }
  return pos;
}

function makeAxis(src: number, dst: number, fracShift: number, fracMask: number): Axis {
  const pos = axisPositions(src, dst);
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), f = new Int32Array(dst);
  for (let i = 0; i < dst; i++) {
    const p = pos[i]!;
    const idx = p >> 16;
    i0[i] = idx;
    i1[i] = idx + 1 < src ? idx + 1 : src - 1;
    f[i] = (p >> fracShift) & fracMask;
  }
  return { i0, i1, f };
}

/**
 * Resizes one plane of `channels` interleaved samples per pixel from sw x sh to dw x dh.
 * Strides and offsets are in bytes; `*Ps` is the pixel stride.
 */
export function resizePlane(
  src: Uint8Array, srcOff: number, srcRs: number, srcPs: number, sw: number, sh: number,
  dst: Uint8Array, dstOff: number, dstRs: number, dstPs: number, dw: number, dh: number, channels: number,
): void {
  const xs = makeAxis(sw, dw, 9, 0x7f); // 7-bit column fraction
  const ys = makeAxis(sh, dh, 8, 0xff); // 8-bit row fraction
  const rowsFirst = dh <= sh;
  const { i0: x0s, i1: x1s, f: xf } = xs;
  for (let y = 0; y < dh; y++) {
    const r0 = srcOff + ys.i0[y]! * srcRs;
    const r1 = srcOff + ys.i1[y]! * srcRs;
    const fy = ys.f[y]!;
    const gy = 256 - fy;
    let d = dstOff + y * dstRs;
    for (let x = 0; x < dw; x++, d += dstPs) {
      const c0 = x0s[x]! * srcPs;
      const c1 = x1s[x]! * srcPs;
      const fx = xf[x]!;
      for (let k = 0; k < channels; k++) {
        const a = src[r0 + c0 + k]!, b = src[r0 + c1 + k]!;
        const c = src[r1 + c0 + k]!, e = src[r1 + c1 + k]!;
        let v: number;
        if (rowsFirst) {
          const left = (a * gy + c * fy + 128) >> 8;
          const right = (b * gy + e * fy + 128) >> 8;
          v = left + ((fx * (right - left) + 64) >> 7);
        } else {
          const top = a + ((fx * (b - a) + 64) >> 7);
          const bottom = c + ((fx * (e - c) + 64) >> 7);
          v = (top * gy + bottom * fy + 128) >> 8;
        }
        dst[d + k] = v;
      }
    }
  }
}

/**
 * Bilinear resize of any frame to width x height in the same format (a new packed frame). YUV 4:2:0 frames are
 * resized plane by plane (luma to width x height, chroma to half that), like libyuv's I420Scale.
 */
export function resize(frame: FrameBuffer, width: number, height: number): FrameBuffer {
  validateFrameBuffer(frame);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(`resize target must be positive integers, got ${width}x${height}`);
  }
  const out = createFrameBuffer(width, height, frame.format, undefined, frame.orientation);
  if (!isYuv(frame.format)) {
    const p = frame.planes[0]!, q = out.planes[0]!;
    resizePlane(p.data, 0, p.rowStride, p.pixelStride, frame.width, frame.height,
      q.data, 0, q.rowStride, q.pixelStride, width, height, channelsOf(frame.format as 'RGB'));
    return out;
  }
  const yp = frame.planes[0]!, yq = out.planes[0]!;
  resizePlane(yp.data, 0, yp.rowStride, 1, frame.width, frame.height, yq.data, 0, yq.rowStride, 1, width, height, 1);
  const sc = chromaSize(frame.width, frame.height);
  const dc = chromaSize(width, height);
  const s = yuvView(frame), d = yuvView(out);
  resizePlane(s.u, s.uOffset, s.uvRowStride, s.uvPixelStride, sc.width, sc.height,
    d.u, d.uOffset, d.uvRowStride, d.uvPixelStride, dc.width, dc.height, 1);
  resizePlane(s.v, s.vOffset, s.uvRowStride, s.uvPixelStride, sc.width, sc.height,
    d.v, d.vOffset, d.uvRowStride, d.uvPixelStride, dc.width, dc.height, 1);
  return out;
}
