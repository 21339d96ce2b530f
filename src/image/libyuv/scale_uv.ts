/**
 * UVScale with kFilterBilinear (libyuv/source/scale_uv.cc: ScaleUV), the chroma half of NV12Scale: interleaved
 * 2-byte UV (or VU) samples. Its paths mirror ScaleARGB's (scale_argb.ts: 2x2 box for even integer steps, rounded
 * exactly on x86 here; copy; rows only; bilinear up and down with the 7-bit truncating column blend), plus the 2x
 * enlargements of ScaleUVLinearUp2 (taken for any filtering when the width doubles) and ScaleUVBilinearUp2, which
 * blend each channel like ScalePlaneUp2_Linear/Bilinear.
 */
import { FilterMode, scaleFilterReduce, scaleSlope } from './filter.js';
import { bilinearDown, bilinearUp, downBox, simple, vertical, type PixelView, type View } from './scale_argb.js';
import { Plane, up2Bilinear, up2Linear } from './scale_plane.js';

/** Scales interleaved 2-channel samples from sw x sh to dw x dh, bit-exact with libyuv's UVScale (bilinear, x86-64). */
export function scaleUV(src: PixelView, sw: number, sh: number, dst: PixelView, dw: number, dh: number): void {
  let filtering = scaleFilterReduce(sw, sh, dw, dh, FilterMode.Bilinear);
  const { x, y, dx, dy } = scaleSlope(sw, sh, dw, dh, filtering);
  const s: View = { ...src, channels: 2 };
  const d: View = { ...dst, channels: 2 };
  if (dx % 65536 === 0 && dy % 65536 === 0) {
    if (dx === 0 || dy === 0) {
      filtering = FilterMode.None;
    } else if ((dx & 0x10000) === 0 && (dy & 0x10000) === 0) {
      downBox(s, d, dw, dh, x, dx, y, dy, 0);
      return;
    } else if ((dx & 0x10000) !== 0 && (dy & 0x10000) !== 0) {
      filtering = FilterMode.None;
      if (dx === 0x10000 && dy === 0x10000) {
        simple(s, d, dw, dh, x, dx, y, dy);
        return;
      }
    }
  }
  const channel = (v: PixelView, k: number): Plane => new Plane({ ...v, offset: v.offset + k });
  if (dx === 0x10000 && x % 65536 === 0) {
    vertical(s, sh, d, dw, dh, x, y, dy, filtering);
  } else if (filtering !== FilterMode.None && ((dw + 1) >> 1) === sw) {
    for (let k = 0; k < 2; k++) up2Linear(channel(src, k), sh, channel(dst, k), dw, dh);
  } else if (((dh + 1) >> 1) === sh && ((dw + 1) >> 1) === sw && filtering === FilterMode.Bilinear) {
    for (let k = 0; k < 2; k++) up2Bilinear(channel(src, k), sh, channel(dst, k), dw, dh);
  } else if (filtering !== FilterMode.None && dy < 65536) {
    bilinearUp(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering);
  } else if (filtering !== FilterMode.None) {
    bilinearDown(s, sw, sh, d, dw, dh, x, dx, y, dy, filtering);
  } else {
    simple(s, d, dw, dh, x, dx, y, dy);
  }
}
