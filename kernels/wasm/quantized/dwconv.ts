/**
 * uint8/int8 depthwise convolution micro-kernels, the channel-vectorised layout of XNNPACK's qs8-dwconv
 * wasmsimd kernels (learned from, not copied):
 *
 *   out[p][c] = requant(bias'[c] + sum_t x_t[c] * w[t][c])
 *
 * - Inputs are read through an indirection buffer ([pixel][tap] pointers; a padding tap points at a row of
 *   input zero points), as in the IGEMM; zero points are folded into bias' at prepare, so padding contributes
 *   nothing.
 * - Weights (w - zp_w, int16) are packed per block of 8 channels: 8 int32 bias', the requantization block, then
 *   per tap 8 int16. Channels past c are zero (their input bytes are read but multiplied by 0).
 * - A channel block loads 8 input bytes per tap (v128.load8x8_{u,s}) and multiplies them into two int32x4
 *   accumulators (i32x4.extmul_{low,high}_i16x8_s). The 9- and 25-tap kernels load the tap pointers once per
 *   pixel into locals; the general kernel loads them per channel block.
 * - A depth multiplier > 1 is handled by the caller: `q8_repeat` expands the input so that channel c holds
 *   input channel floor(c / dm).
 */
import type { FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { type QMode, type QType, paramBlockBytes, requantizer, storeBytes } from './requant.js';

/** Tap counts with an unrolled kernel; others take the general one (`k0`). */
export const DW_UNROLLED = [9, 25] as const;

export function dwBlockBytes(mode: QMode, ks: number): number {
  return 32 + paramBlockBytes(mode) + 16 * ks;
}

export function dwconvName(type: QType, mode: QMode, ks: number): string {
  return `q${type}_dwconv_${mode}_k${(DW_UNROLLED as readonly number[]).includes(ks) ? ks : 0}`;
}

/** acc += widen(load8x8(ptr)) * w (one tap). */
function tap(f: FunctionBuilder, type: QType, acc: Local[], ptr: Local | ReturnType<FunctionBuilder['get']>, w: Local, wOff: number, x: Local, wv: Local): void {
  f.set(x, type === 'u8' ? f.v128.load8x8_u(ptr) : f.v128.load8x8_s(ptr));
  f.set(wv, f.v128.load(w, wOff));
  f.set(acc[0]!, f.i32x4.add(acc[0]!, f.i32x4.extmul_low_i16x8_s(x, wv)));
  f.set(acc[1]!, f.i32x4.add(acc[1]!, f.i32x4.extmul_high_i16x8_s(x, wv)));
}

/**
 * q{u8,s8}_dwconv_{mode}_k{KS}(pixels, c, ks, ind, w, out, zp, lo, hi): `pixels` output pixels of `c`
 * channels written contiguously from `out`; ind holds pixels * ks pointers. KS = 0: any ks.
 */
function emitDwconv(mb: ModuleBuilder, type: QType, mode: QMode, KS: number): void {
  const params = {
    pixels: 'i32', c: 'i32', ks: 'i32', ind: 'i32', w: 'i32', out: 'i32',
    zp: 'i32', lo: 'i32', hi: 'i32',
  } as const;
  mb.addFunction(`q${type}_dwconv_${mode}_k${KS}`, { params }, (f, p) => {
    const rq = requantizer(f, mode, type, p);
    const pb = paramBlockBytes(mode);
    const nc = f.local('i32', 'nc'), wb = f.local('i32', 'wb'), pp = f.local('i32', 'pp'), coff = f.local('i32', 'coff');
    const t = f.local('i32', 't'), ip = f.local('i32', 'ip'), tp = f.local('i32', 'tp'), wt = f.local('i32', 'wt');
    const blockBytes = f.local('i32', 'blockBytes');
    const x = f.local('v128', 'x'), wv = f.local('v128', 'wv'), out = f.local('v128', 'out');
    const acc = [f.local('v128', 'acc0'), f.local('v128', 'acc1')];
    const ptrs = f.locals('i32', KS, 'i');
    f.set(blockBytes, f.i32.add(32 + pb, f.i32.shl(p.ks, 4)));
    f.while(f.i32.gt_s(p.pixels, 0), () => {
      ptrs.forEach((q, i) => f.set(q, f.i32.load(p.ind, 4 * i)));
      f.set(nc, p.c);
      f.set(wb, p.w);
      f.set(coff, 0);
      f.while(f.i32.gt_s(nc, 0), () => {
        f.set(acc[0]!, f.v128.load(wb));
        f.set(acc[1]!, f.v128.load(wb, 16));
        f.set(pp, f.i32.add(wb, 32));
        f.set(wt, f.i32.add(wb, 32 + pb));
        if (KS > 0) {
          ptrs.forEach((q, i) => tap(f, type, acc, f.i32.add(q, coff), wt, 16 * i, x, wv));
        } else {
          f.set(ip, p.ind);
          f.set(t, p.ks);
          f.while(t, () => {
            f.set(tp, f.i32.add(f.i32.load(ip), coff));
            tap(f, type, acc, tp, wt, 0, x, wv);
            f.inc(ip, 4);
            f.inc(wt, 16);
            f.set(t, f.i32.sub(t, 1));
          });
        }
        f.set(out, rq.finish(acc[0]!, acc[1]!, pp));
        f.set(tp, f.i32.add(p.out, coff));
        storeBytes(f, tp, out, nc);
        f.set(wb, f.i32.add(wb, blockBytes));
        f.inc(coff, 8);
        f.set(nc, f.i32.sub(nc, 8));
      });
      f.set(p.ind, f.i32.add(p.ind, f.i32.shl(p.ks, 2)));
      f.set(p.out, f.i32.add(p.out, p.c));
      f.set(p.pixels, f.i32.sub(p.pixels, 1));
    });
  });
}

/** q8_repeat(src, dst, pixels, c, dm): dst[p][c * dm + j] = src[p][c] (the depth multiplier's input). */
function emitRepeat(mb: ModuleBuilder): void {
  const params = { src: 'i32', dst: 'i32', pixels: 'i32', c: 'i32', dm: 'i32' } as const;
  mb.addFunction('q8_repeat', { params }, (f, p) => {
    const end = f.local('i32', 'end'), j = f.local('i32', 'j'), v = f.local('i32', 'v');
    f.set(end, f.i32.add(p.src, f.i32.mul(p.pixels, p.c)));
    f.while(f.i32.lt_u(p.src, end), () => {
      f.set(v, f.i32.load8_u(p.src));
      f.set(j, p.dm);
      f.while(j, () => {
        f.i32.store8(p.dst, v);
        f.inc(p.dst, 1);
        f.set(j, f.i32.sub(j, 1));
      });
      f.inc(p.src, 1);
    });
  });
}

export const qDwconvSource: KernelSource = (mb) => {
  for (const type of ['u8', 's8'] as const) {
    for (const mode of ['fp32', 'ref'] as const) {
      for (const ks of [0, ...DW_UNROLLED]) emitDwconv(mb, type, mode, ks);
    }
  }
  emitRepeat(mb);
};
