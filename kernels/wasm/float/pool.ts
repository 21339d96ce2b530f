/**
 * float32 pooling micro-kernels (after XNNPACK's f32-maxpool / f32-avgpool / f32-gavgpool; own code), NHWC,
 * one image per call, channels in tiles of 8 then 4:
 *
 * - `f32_{max,avg}pool(x, y, inH, inW, C, outH, outW, fH, fW, sH, sW, padT, padL, clamp)`: each output
 *   pixel's window is clipped to the input (padding takes no part, as TFLite's reference pools); the maximum
 *   starts from the lowest float, the average divides the float32 sum (taken in the same order as the
 *   typed-array kernel) by the number of cells in the input. Then the fused-activation clamp (min, max: two f32
 *   at `clamp`).
 * - `f32_mean_pixels(x, y, pixels, C, count)`: per channel, the sum over `pixels` pixels taken in float64
 *   (as the typed-array MEAN) divided by `count`: MEAN over the H and W axes of NHWC.
 *
 * Channel tails read up to 12 bytes past a pixel's last channel (never stored): buffers need 16 bytes of slack.
 */
import type { Expr, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { clampF32x4, storePartial } from './depthwise.js';

const LOWEST = -3.4028234663852886e38;

function emitPool(mb: ModuleBuilder, isMax: boolean): void {
  const params = {
    x: 'i32', y: 'i32', inH: 'i32', inW: 'i32', C: 'i32', outH: 'i32', outW: 'i32', fH: 'i32', fW: 'i32',
    sH: 'i32', sW: 'i32', padT: 'i32', padL: 'i32', clamp: 'i32',
  } as const;
  mb.addFunction(isMax ? 'f32_maxpool' : 'f32_avgpool', { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax'), vinit = f.local('v128', 'vinit');
    const vcount = f.local('v128', 'vcount');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    f.set(vinit, f.f32x4.splat(f.f32.const(isMax ? LOWEST : 0)));
    const oy = f.local('i32', 'oy'), ox = f.local('i32', 'ox'), iy0 = f.local('i32', 'iy0'), ix0 = f.local('i32', 'ix0');
    const ky0 = f.local('i32', 'ky0'), ky1 = f.local('i32', 'ky1'), kx0 = f.local('i32', 'kx0'), kx1 = f.local('i32', 'kx1');
    const start = f.local('i32', 'start'), rows = f.local('i32', 'rows'), cols = f.local('i32', 'cols');
    const pixelBytes = f.local('i32', 'pixelBytes'), rowBytes = f.local('i32', 'rowBytes');
    const c = f.local('i32', 'c'), rp = f.local('i32', 'rp'), q = f.local('i32', 'q'), r = f.local('i32', 'r'), k = f.local('i32', 'k');
    const acc0 = f.local('v128', 'acc0'), acc1 = f.local('v128', 'acc1');
    const max = (a: Expr | Local | number, b: Expr | Local): Expr => f.select(a, b, f.i32.gt_s(a, b));
    const min = (a: Expr | Local | number, b: Expr | Local): Expr => f.select(a, b, f.i32.lt_s(a, b));
    const combine = (acc: Local, v: Expr): Expr => (isMax ? f.f32x4.pmax(acc, v) : f.f32x4.add(acc, v));
    const finish = (acc: Local): Expr => clampF32x4(f, isMax ? acc : f.f32x4.div(acc, vcount), vmin, vmax);

    /** acc0 (and acc1) over the window, for the channels at `start + co`. */
    const window = (both: boolean): void => {
      f.set(acc0, vinit);
      if (both) f.set(acc1, vinit);
      f.set(rp, start);
      f.set(r, rows);
      f.while(r, () => {
        f.set(q, rp);
        f.set(k, cols);
        f.while(k, () => {
          f.set(acc0, combine(acc0, f.v128.load(q)));
          if (both) f.set(acc1, combine(acc1, f.v128.load(q, 16)));
          f.inc(q, pixelBytes);
          f.set(k, f.i32.sub(k, 1));
        });
        f.inc(rp, rowBytes);
        f.set(r, f.i32.sub(r, 1));
      });
    };

    f.set(pixelBytes, f.i32.shl(p.C, 2));
    f.set(rowBytes, f.i32.mul(pixelBytes, p.inW));
    f.for(oy, 0, p.outH, 1, () => {
      f.set(iy0, f.i32.sub(f.i32.mul(oy, p.sH), p.padT));
      f.set(ky0, max(0, f.i32.sub(0, iy0)));
      f.set(ky1, min(p.fH, f.i32.sub(p.inH, iy0)));
      f.for(ox, 0, p.outW, 1, () => {
        f.set(ix0, f.i32.sub(f.i32.mul(ox, p.sW), p.padL));
        f.set(kx0, max(0, f.i32.sub(0, ix0)));
        f.set(kx1, min(p.fW, f.i32.sub(p.inW, ix0)));
        f.set(rows, f.i32.sub(ky1, ky0));
        f.set(cols, f.i32.sub(kx1, kx0));
        if (!isMax) f.set(vcount, f.f32x4.splat(f.f32.convert_i32_s(f.i32.mul(rows, cols))));
        f.set(start, f.i32.add(p.x, f.i32.mul(f.i32.add(f.i32.mul(f.i32.add(iy0, ky0), p.inW), f.i32.add(ix0, kx0)), pixelBytes)));
        f.set(c, p.C);
        f.while(f.i32.ge_s(c, 8), () => {
          window(true);
          f.v128.store(p.y, finish(acc0));
          f.v128.store(p.y, finish(acc1), 16);
          f.inc(p.y, 32);
          f.inc(start, 32);
          f.set(c, f.i32.sub(c, 8));
        });
        f.while(f.i32.gt_s(c, 0), () => {
          window(false);
          f.set(acc0, finish(acc0));
          f.if(f.i32.ge_s(c, 4), () => {
            f.v128.store(p.y, acc0);
            f.inc(p.y, 16);
          }, () => storePartial(f, p.y, acc0, c));
          f.inc(start, 16);
          f.set(c, f.i32.sub(c, 4));
        });
      });
    });
  });
}

/** f32_mean_pixels(x, y, pixels, C, count): y[c] = (sum over pixels of x[p][c], in float64) / count. */
function emitMeanPixels(mb: ModuleBuilder): void {
  const params = { x: 'i32', y: 'i32', pixels: 'i32', C: 'i32', count: 'i32' } as const;
  mb.addFunction('f32_mean_pixels', { params }, (f, p) => {
    const lo = f.local('v128', 'lo'), hi = f.local('v128', 'hi'), v = f.local('v128', 'v'), vcount = f.local('v128', 'vcount');
    const c = f.local('i32', 'c'), q = f.local('i32', 'q'), k = f.local('i32', 'k'), pixelBytes = f.local('i32', 'pixelBytes');
    f.set(vcount, f.f64x2.splat(f.f64.convert_i32_s(p.count)));
    f.set(pixelBytes, f.i32.shl(p.C, 2));
    f.set(c, p.C);
    f.while(f.i32.gt_s(c, 0), () => {
      f.set(lo, f.f64x2.splat(f.f64.const(0)));
      f.set(hi, f.f64x2.splat(f.f64.const(0)));
      f.set(q, p.x);
      f.set(k, p.pixels);
      f.while(k, () => {
        f.set(v, f.v128.load(q));
        f.set(lo, f.f64x2.add(lo, f.f64x2.promote_low_f32x4(v)));
        f.set(hi, f.f64x2.add(hi, f.f64x2.promote_low_f32x4(f.i32x4.shuffle(v, v, [2, 3, 2, 3]))));
        f.inc(q, pixelBytes);
        f.set(k, f.i32.sub(k, 1));
      });
      const demote = (acc: Local): Expr => f.f32x4.demote_f64x2_zero(f.f64x2.div(acc, vcount));
      f.set(v, f.i32x4.shuffle(demote(lo), demote(hi), [0, 1, 4, 5]));
      f.if(f.i32.ge_s(c, 4), () => {
        f.v128.store(p.y, v);
        f.inc(p.y, 16);
      }, () => storePartial(f, p.y, v, c));
      f.inc(p.x, 16);
      f.set(c, f.i32.sub(c, 4));
    });
  });
}

export const f32PoolSource: KernelSource = (mb) => {
  emitPool(mb, true);
  emitPool(mb, false);
  emitMeanPixels(mb);
};
