/**
 * Helpers of the float TRANSPOSE_CONV path (GEMM into a column block, then col2im):
 * - f32_col2im(col, n, count, m0, inW, y, outH, outW, outC, fH, fW, sH, sW, padTop, padLeft, add): for input pixels
 *   m0 .. m0+count-1 (row-major over width inW), column row r holds n = fH*fW*outC values ordered (ky, kx, oc);
 *   each tap's outC values go to output pixel (iy*sH - padTop + ky, ix*sW - padLeft + kx) when inside the output,
 *   added (add = 1) or copied (add = 0: stride equals the filter, every output cell gets exactly one tap).
 * - f32_fill_pixels(y, pixels, outC, bias): every pixel's outC values = bias.
 * - f32_clamp(p, count, clamp): p[i] = min(max(p[i], lo), hi) (NaN kept), [lo, hi] two f32 at `clamp`.
 */
import type { FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

/** dst[0..count) += src[0..count), 4 at a time then one by one (dst, src, count advanced/consumed). */
function addFloats(f: FunctionBuilder, dst: Local, src: Local, count: Local): void {
  f.while(f.i32.ge_u(count, 4), () => {
    f.v128.store(dst, f.f32x4.add(f.v128.load(dst), f.v128.load(src)));
    f.inc(dst, 16); f.inc(src, 16);
    f.set(count, f.i32.sub(count, 4));
  });
  f.while(count, () => {
    f.f32.store(dst, f.f32.add(f.f32.load(dst), f.f32.load(src)));
    f.inc(dst, 4); f.inc(src, 4);
    f.set(count, f.i32.sub(count, 1));
  });
}

function emitCol2im(mb: ModuleBuilder): void {
  const params = {
    col: 'i32', n: 'i32', count: 'i32', m0: 'i32', inW: 'i32', y: 'i32', outH: 'i32', outW: 'i32', outC: 'i32',
    fH: 'i32', fW: 'i32', sH: 'i32', sW: 'i32', padTop: 'i32', padLeft: 'i32', add: 'i32',
  } as const;
  mb.addFunction('f32_col2im', { params }, (f, p) => {
    const iy = f.local('i32', 'iy'), ix = f.local('i32', 'ix'), ky = f.local('i32', 'ky'), kx = f.local('i32', 'kx');
    const oy = f.local('i32', 'oy'), ox = f.local('i32', 'ox'), row = f.local('i32', 'row');
    const dst = f.local('i32', 'dst'), src = f.local('i32', 'src'), cnt = f.local('i32', 'cnt');
    const tapBytes = f.local('i32', 'tapBytes');
    f.set(tapBytes, f.i32.shl(p.outC, 2));
    f.set(iy, f.i32.div_u(p.m0, p.inW));
    f.set(ix, f.i32.sub(p.m0, f.i32.mul(iy, p.inW)));
    f.set(row, p.col);
    f.while(p.count, () => {
      f.for(ky, 0, p.fH, 1, () => {
        f.set(oy, f.i32.add(f.i32.sub(f.i32.mul(iy, p.sH), p.padTop), ky));
        f.if(f.i32.lt_u(oy, p.outH), () => {
          f.for(kx, 0, p.fW, 1, () => {
            f.set(ox, f.i32.add(f.i32.sub(f.i32.mul(ix, p.sW), p.padLeft), kx));
            f.if(f.i32.lt_u(ox, p.outW), () => {
              f.set(dst, f.i32.add(p.y, f.i32.mul(f.i32.add(f.i32.mul(oy, p.outW), ox), tapBytes)));
              f.set(src, f.i32.add(row, f.i32.mul(f.i32.add(f.i32.mul(ky, p.fW), kx), tapBytes)));
              f.if(p.add, () => {
                f.set(cnt, p.outC);
                addFloats(f, dst, src, cnt);
              }, () => f.memoryCopy(dst, src, tapBytes));
            });
          });
        });
      });
      f.set(row, f.i32.add(row, f.i32.shl(p.n, 2)));
      f.inc(ix);
      f.if(f.i32.eq(ix, p.inW), () => {
        f.set(ix, 0);
        f.inc(iy);
      });
      f.set(p.count, f.i32.sub(p.count, 1));
    });
  });
}

function emitFillPixels(mb: ModuleBuilder): void {
  mb.addFunction('f32_fill_pixels', { params: { y: 'i32', pixels: 'i32', outC: 'i32', bias: 'i32' } }, (f, p) => {
    const bytes = f.local('i32', 'bytes');
    f.set(bytes, f.i32.shl(p.outC, 2));
    f.while(p.pixels, () => {
      f.memoryCopy(p.y, p.bias, bytes);
      f.set(p.y, f.i32.add(p.y, bytes));
      f.set(p.pixels, f.i32.sub(p.pixels, 1));
    });
  });
}

function emitClamp(mb: ModuleBuilder): void {
  mb.addFunction('f32_clamp', { params: { p: 'i32', count: 'i32', clamp: 'i32' } }, (f, p) => {
    const lo = f.local('v128', 'lo'), hi = f.local('v128', 'hi'), min = f.local('f32', 'min'), max = f.local('f32', 'max');
    f.set(min, f.f32.load(p.clamp));
    f.set(max, f.f32.load(p.clamp, 4));
    f.set(lo, f.f32x4.splat(min));
    f.set(hi, f.f32x4.splat(max));
    f.while(f.i32.ge_u(p.count, 4), () => {
      f.v128.store(p.p, f.f32x4.pmin(f.f32x4.pmax(f.v128.load(p.p), lo), hi));
      f.inc(p.p, 16);
      f.set(p.count, f.i32.sub(p.count, 4));
    });
    const v = f.local('f32', 'v');
    f.while(p.count, () => {
      f.set(v, f.f32.load(p.p));
      f.f32.store(p.p, f.select(min, f.select(max, v, f.f32.gt(v, max)), f.f32.lt(v, min)));
      f.inc(p.p, 4);
      f.set(p.count, f.i32.sub(p.count, 1));
    });
  });
}

export const f32Col2imSource: KernelSource = (mb) => {
  emitCol2im(mb);
  emitFillPixels(mb);
  emitClamp(mb);
};
