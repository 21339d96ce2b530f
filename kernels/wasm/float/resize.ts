/**
 * float32 RESIZE_BILINEAR micro-kernel (after XNNPACK's f32-ibilinear; own code), NHWC, one image per call:
 *
 *   f32_ibilinear(x, y, C, outH, outW, ytab, xtab)
 *
 * `ytab` has per output row (12 bytes) the byte offsets in the image of source rows y0 and y1 and the weight dy
 * (f32); `xtab` per output column the byte offsets of source pixels x0 and x1 within a row and dx. Each output
 * is a00*(1-dy)(1-dx) + a10*dy(1-dx) + a01*(1-dy)dx + a11*dy*dx, summed in that order as the typed-array kernel.
 * Tables are built at prepare (the typed-array kernel's `bilinearTable`). Channel tails read up to 12 bytes past
 * a pixel (never stored).
 */
import type { Local } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { storePartial } from './depthwise.js';

/** Bytes per entry of ytab and xtab: two i32 offsets and an f32 weight. */
export const IBILINEAR_ENTRY = 12;

export const f32ResizeSource: KernelSource = (mb) => {
  const params = { x: 'i32', y: 'i32', C: 'i32', outH: 'i32', outW: 'i32', ytab: 'i32', xtab: 'i32' } as const;
  mb.addFunction('f32_ibilinear', { params }, (f, p) => {
    const r0 = f.local('i32', 'r0'), r1 = f.local('i32', 'r1'), xt = f.local('i32', 'xt'), ox = f.local('i32', 'ox');
    const p00 = f.local('i32', 'p00'), p10 = f.local('i32', 'p10'), p01 = f.local('i32', 'p01'), p11 = f.local('i32', 'p11');
    const c = f.local('i32', 'c');
    const dy = f.local('f32', 'dy'), ey = f.local('f32', 'ey'), dx = f.local('f32', 'dx'), ex = f.local('f32', 'ex');
    const w00 = f.local('v128', 'w00'), w10 = f.local('v128', 'w10'), w01 = f.local('v128', 'w01'), w11 = f.local('v128', 'w11');
    const v = f.local('v128', 'v');
    const lerp = (off: number) => f.f32x4.add(f.f32x4.add(f.f32x4.add(
      f.f32x4.mul(f.v128.load(p00, off), w00), f.f32x4.mul(f.v128.load(p10, off), w10)),
    f.f32x4.mul(f.v128.load(p01, off), w01)), f.f32x4.mul(f.v128.load(p11, off), w11));
    const advance = (bytes: number, pts: Local[]) => pts.forEach((q) => f.inc(q, bytes));
    f.while(f.i32.gt_s(p.outH, 0), () => {
      f.set(r0, f.i32.add(p.x, f.i32.load(p.ytab)));
      f.set(r1, f.i32.add(p.x, f.i32.load(p.ytab, 4)));
      f.set(dy, f.f32.load(p.ytab, 8));
      f.set(ey, f.f32.sub(f.f32.const(1), dy));
      f.set(xt, p.xtab);
      f.set(ox, p.outW);
      f.while(ox, () => {
        f.set(p00, f.i32.add(r0, f.i32.load(xt)));
        f.set(p10, f.i32.add(r1, f.i32.load(xt)));
        f.set(p01, f.i32.add(r0, f.i32.load(xt, 4)));
        f.set(p11, f.i32.add(r1, f.i32.load(xt, 4)));
        f.set(dx, f.f32.load(xt, 8));
        f.set(ex, f.f32.sub(f.f32.const(1), dx));
        f.set(w00, f.f32x4.splat(f.f32.mul(ey, ex)));
        f.set(w10, f.f32x4.splat(f.f32.mul(dy, ex)));
        f.set(w01, f.f32x4.splat(f.f32.mul(ey, dx)));
        f.set(w11, f.f32x4.splat(f.f32.mul(dy, dx)));
        f.set(c, p.C);
        f.while(f.i32.ge_s(c, 8), () => {
          f.v128.store(p.y, lerp(0));
          f.v128.store(p.y, lerp(16), 16);
          advance(32, [p00, p10, p01, p11, p.y]);
          f.set(c, f.i32.sub(c, 8));
        });
        f.if(f.i32.ge_s(c, 4), () => {
          f.v128.store(p.y, lerp(0));
          advance(16, [p00, p10, p01, p11, p.y]);
          f.set(c, f.i32.sub(c, 4));
        });
        f.if(c, () => {
          f.set(v, lerp(0));
          storePartial(f, p.y, v, c);
        });
        f.inc(xt, IBILINEAR_ENTRY);
        f.set(ox, f.i32.sub(ox, 1));
      });
      f.inc(p.ytab, IBILINEAR_ENTRY);
      f.set(p.outH, f.i32.sub(p.outH, 1));
    });
  });
};

/**
 * Writes a bilinear table (`lo`/`hi` source indices and weights `w` per output coordinate, from the typed-array
 * kernel's bilinearTable) as IBILINEAR_ENTRY-byte entries: offsets lo*stride, hi*stride, then w.
 */
export function writeBilinearTable(dst: DataView, t: { lo: Int32Array; hi: Int32Array; w: Float64Array }, strideBytes: number): void {
  for (let i = 0; i < t.lo.length; i++) {
    dst.setInt32(i * IBILINEAR_ENTRY, t.lo[i]! * strideBytes, true);
    dst.setInt32(i * IBILINEAR_ENTRY + 4, t.hi[i]! * strideBytes, true);
    dst.setFloat32(i * IBILINEAR_ENTRY + 8, t.w[i]!, true);
  }
}
