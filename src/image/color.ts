/**
 * Colour conversion between FrameBuffer formats, with the arithmetic of the libyuv functions the Task Library calls
 * (libyuv_frame_buffer_utils.cc: NV12ToRAW, I420ToRAW, RAWToJ400, ARGBToJ400, ARGBToRGB24, RAWToI420...).
 *
 * YUV range: YUV frames are BT.601 **limited range** (Y 16..235, U/V 16..240), because the Task Library converts
 * them with libyuv's default I601 constants (`kYuvI601Constants`), which are limited-range BT.601, the range of
 * camera (Android NV21, iOS 420v) buffers. YUV -> RGB:
 *   R = 1.164 (Y-16) + 1.596 (V-128);  G = 1.164 (Y-16) - 0.391 (U-128) - 0.813 (V-128);  B = 1.164 (Y-16) + 2.018 (U-128)
 * in libyuv's 6-bit fixed point (its YuvPixel: YG = 18997 applied to Y*0x0101, UG = 25, VG = 52, VR = 102, bias -1160
 * which folds in the rounding) with UB = 128: libyuv's default build caps round(2.018 * 64) = 129 at 128 (only builds
 * with LIBYUV_UNLIMITED_DATA use 129), and Debian's x86-64 library, the oracle of the tests, computes with 128.
 * These are the NV12ToRAW / NV21ToRAW / I420ToRAW rows the Task Library calls (the x86 SIMD rows equal the C ones).
 * RGB -> YUV (not on the Task Library's embedding path; used to make YUV frames) is exact limited-range BT.601
 * rounded to nearest: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255, U = 128 + (-37.797 R - 74.203 G + 112 B) / 255,
 * V = 128 + (112 R - 93.786 G - 18.214 B) / 255, chroma from the mean RGB of each 2x2 block. A round trip
 * RGB -> YUV -> RGB of a colour constant over 2x2 blocks is then within 2 levels for every 8-bit colour.
 * RGB -> GRAY is full-range JPEG luma (libyuv RGBToYJ): (77R + 150G + 29B + 128) >> 8.
 * YUV -> GRAY copies the Y plane (libyuv CopyPlane), so it keeps the limited range.
 * RGBA -> RGB drops alpha (no blending), as libyuv ARGBToRGB24 does.
 */
import {
  chromaSize, createFrameBuffer, isYuv, validateFrameBuffer, yuvView,
  type FrameBuffer, type PixelFormat,
} from './frame_buffer.js';

// libyuv's kYuvI601Constants as Debian builds it (without LIBYUV_UNLIMITED_DATA: UB capped at 128).
const YG = 18997, YB = -1160, UB = 128, UG = 25, VG = 52, VR = 102;

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Writes the RGB of one limited-range BT.601 YUV sample at out[o..o+2] (libyuv YuvPixel arithmetic). */
export function yuvToRgbPixel(y: number, u: number, v: number, out: Uint8Array | number[], o: number): void {
  const y1 = ((y * 0x0101 * YG) >>> 16) + YB;
  const du = u - 128, dv = v - 128;
  out[o] = clamp255((y1 + VR * dv) >> 6);
  out[o + 1] = clamp255((y1 - UG * du - VG * dv) >> 6);
  out[o + 2] = clamp255((y1 + UB * du) >> 6);
}

/** Full-range luma of an RGB pixel (libyuv RGBToYJ). */
export function rgbToGray(r: number, g: number, b: number): number {
  return (77 * r + 150 * g + 29 * b + 128) >> 8;
}

/** Limited-range BT.601 Y, U and V of an RGB colour (components may be fractional means), rounded. */
export function rgbToY(r: number, g: number, b: number): number {
  return Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
}
export function rgbToU(r: number, g: number, b: number): number {
  return Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
}
export function rgbToV(r: number, g: number, b: number): number {
  return Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
}

/** Any YUV -> RGB, RGBA or GRAY. */
function fromYuv(frame: FrameBuffer, out: FrameBuffer): void {
  const s = yuvView(frame);
  const { width, height } = frame;
  const q = out.planes[0]!;
  const c = q.pixelStride;
  const dst = q.data;
  if (out.format === 'GRAY') {
    for (let y = 0; y < height; y++) {
      dst.set(s.y.subarray(y * s.yRowStride, y * s.yRowStride + width), y * q.rowStride);
    }
    return;
  }
  const ys = s.y, us = s.u, vs = s.v, uo = s.uOffset, vo = s.vOffset, yrs = s.yRowStride, crs = s.uvRowStride;
  const cps = s.uvPixelStride, drs = q.rowStride;
  for (let y = 0; y < height; y++) {
    const yRow = y * yrs;
    const cRow = (y >> 1) * crs;
    let d = y * drs;
    for (let x = 0; x < width; x++, d += c) {
      const ci = cRow + (x >> 1) * cps;
      const y1 = ((ys[yRow + x]! * 0x0101 * YG) >>> 16) + YB;
      const du = us[uo + ci]! - 128;
      const dv = vs[vo + ci]! - 128;
      const r = (y1 + VR * dv) >> 6, g = (y1 - UG * du - VG * dv) >> 6, b = (y1 + UB * du) >> 6;
      dst[d] = r < 0 ? 0 : r > 255 ? 255 : r;
      dst[d + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
      dst[d + 2] = b < 0 ? 0 : b > 255 ? 255 : b;
      if (c === 4) dst[d + 3] = 255;
    }
  }
}

/** RGB, RGBA or GRAY -> RGB, RGBA or GRAY. */
function betweenInterleaved(frame: FrameBuffer, out: FrameBuffer): void {
  const p = frame.planes[0]!, q = out.planes[0]!;
  const sc = p.pixelStride, dc = q.pixelStride;
  const inGray = frame.format === 'GRAY', inAlpha = frame.format === 'RGBA';
  const src = p.data, dst = q.data;
  const { width, height } = frame;
  for (let y = 0; y < height; y++) {
    let s = y * p.rowStride;
    let d = y * q.rowStride;
    if (out.format === 'GRAY') {
      if (inGray) {
        for (let x = 0; x < width; x++, s += sc, d++) dst[d] = src[s]!;
      } else {
        for (let x = 0; x < width; x++, s += sc, d++) dst[d] = (77 * src[s]! + 150 * src[s + 1]! + 29 * src[s + 2]! + 128) >> 8;
      }
      continue;
    }
    for (let x = 0; x < width; x++, s += sc, d += dc) {
      if (inGray) {
        const g = src[s]!;
        dst[d] = g; dst[d + 1] = g; dst[d + 2] = g;
      } else {
        dst[d] = src[s]!; dst[d + 1] = src[s + 1]!; dst[d + 2] = src[s + 2]!;
      }
      if (dc === 4) dst[d + 3] = inAlpha ? src[s + 3]! : 255;
    }
  }
}

/** RGB, RGBA or GRAY -> any 4:2:0 YUV. */
function toYuv(frame: FrameBuffer, out: FrameBuffer): void {
  const p = frame.planes[0]!;
  const sc = p.pixelStride;
  const gray = frame.format === 'GRAY';
  const src = p.data;
  const { width, height } = frame;
  const d = yuvView(out);
  for (let y = 0; y < height; y++) {
    let s = y * p.rowStride;
    const o = y * d.yRowStride;
    for (let x = 0; x < width; x++, s += sc) {
      const r = src[s]!, g = gray ? r : src[s + 1]!, b = gray ? r : src[s + 2]!;
      d.y[o + x] = rgbToY(r, g, b);
    }
  }
  const cs = chromaSize(width, height);
  for (let cy = 0; cy < cs.height; cy++) {
    for (let cx = 0; cx < cs.width; cx++) {
      let r = 0, g = 0, b = 0, n = 0;
      for (let dy = 0; dy < 2; dy++) {
        const y = 2 * cy + dy;
        if (y >= height) continue;
        for (let dx = 0; dx < 2; dx++) {
          const x = 2 * cx + dx;
          if (x >= width) continue;
          const s = y * p.rowStride + x * sc;
          const rr = src[s]!;
          r += rr; g += gray ? rr : src[s + 1]!; b += gray ? rr : src[s + 2]!;
          n++;
        }
      }
      r /= n; g /= n; b /= n; // mean of the (up to) 4 pixels of the block
      const ci = cy * d.uvRowStride + cx * d.uvPixelStride;
      d.u[d.uOffset + ci] = rgbToU(r, g, b);
      d.v[d.vOffset + ci] = rgbToV(r, g, b);
    }
  }
}

/** YUV -> YUV of another layout (plane copy and U/V swap; no arithmetic). */
function betweenYuv(frame: FrameBuffer, out: FrameBuffer): void {
  const s = yuvView(frame), d = yuvView(out);
  const { width, height } = frame;
  for (let y = 0; y < height; y++) d.y.set(s.y.subarray(y * s.yRowStride, y * s.yRowStride + width), y * d.yRowStride);
  const cs = chromaSize(width, height);
  for (let cy = 0; cy < cs.height; cy++) {
    for (let cx = 0; cx < cs.width; cx++) {
      const si = cy * s.uvRowStride + cx * s.uvPixelStride;
      const di = cy * d.uvRowStride + cx * d.uvPixelStride;
      d.u[d.uOffset + di] = s.u[s.uOffset + si]!;
      d.v[d.vOffset + di] = s.v[s.vOffset + si]!;
    }
  }
}

/**
 * Converts a frame to another pixel format: a new packed frame (orientation kept). Every format converts to RGB,
 * RGBA and GRAY; RGB, RGBA and GRAY convert to the YUV formats; YUV formats convert into each other.
 */
export function convertFormat(frame: FrameBuffer, to: PixelFormat): FrameBuffer {
  validateFrameBuffer(frame);
  const out = createFrameBuffer(frame.width, frame.height, to, undefined, frame.orientation);
  const fromYuvFormat = isYuv(frame.format);
  if (fromYuvFormat && isYuv(to)) betweenYuv(frame, out);
  else if (fromYuvFormat) fromYuv(frame, out);
  else if (isYuv(to)) toYuv(frame, out);
  else betweenInterleaved(frame, out);
  return out;
}
