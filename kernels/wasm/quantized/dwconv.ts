/**
 * uint8/int8 depthwise convolution micro-kernels, the channel-vectorised layout of XNNPACK's qs8-dwconv
 * wasmsimd kernels (learned from, not copied):
 *
 *   out[p][c] = requant(bias'[c] + sum_t x_t[c] * w[t][c])
 *
 * - Inputs are read through an indirection buffer ([pixel][tap] pointers; a padding tap points at a row of
 *   input zero points), as in the IGEMM; zero points are folded into bias' at prepare, so padding contributes
 *   nothing.
 * - Taps go in pairs (t, t+1): a channel block loads 8 input bytes of each (v128.load8x8_{u,s}), interleaves
 *   the two int16 vectors (channels 0..3, then 4..7) and one i32x4.dot_i16x8_s per half multiplies both taps
 *   into the int32 accumulator (lanes = channels). An odd last tap is paired with itself and a zero weight.
 * - Weights (w - zp_w, int16) are packed per block of 8 channels: 8 int32 bias', the requantization block, then
 *   per tap pair [c0 t, c0 t+1, c1 t, c1 t+1, .. c3 t+1][c4 t .. c7 t+1]. Channels past c are zero (their
 *   input bytes are read but multiplied by 0). The 9- and 25-tap kernels load the tap pointers once per pixel
 *   into locals; the general kernel loads them per channel block.
 * - A depth multiplier > 1 is handled by the caller: `q8_repeat` expands the input so that channel c holds
 *   input channel floor(c / dm).
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { type QMode, type QType, paramBlockBytes, requantizer, storeBytes } from './requant.js';

/** Tap counts with an unrolled kernel; others take the general one (`k0`). */
export const DW_UNROLLED = [9, 25] as const;

export function dwBlockBytes(mode: QMode, ks: number): number {
  return 32 + paramBlockBytes(mode) + 32 * Math.ceil(ks / 2);
}

export function dwconvName(type: QType, mode: QMode, ks: number): string {
  return `q${type}_dwconv_${mode}_k${(DW_UNROLLED as readonly number[]).includes(ks) ? ks : 0}`;
}

const INTERLEAVE_LO = [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23];
const INTERLEAVE_HI = [8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31];

/** acc += taps (p0, p1) of 8 channels times the pair's weights at w + wOff. */
function tapPair(f: FunctionBuilder, type: QType, acc: Local[], p0: Expr, p1: Expr, w: Local, wOff: number, x0: Local, x1: Local): void {
  f.set(x0, type === 'u8' ? f.v128.load8x8_u(p0) : f.v128.load8x8_s(p0));
  f.set(x1, type === 'u8' ? f.v128.load8x8_u(p1) : f.v128.load8x8_s(p1));
  f.set(acc[0]!, f.i32x4.add(acc[0]!, f.i32x4.dot_i16x8_s(f.i8x16.shuffle(x0, x1, INTERLEAVE_LO), f.v128.load(w, wOff))));
  f.set(acc[1]!, f.i32x4.add(acc[1]!, f.i32x4.dot_i16x8_s(f.i8x16.shuffle(x0, x1, INTERLEAVE_HI), f.v128.load(w, wOff + 16))));
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
    const x0 = f.local('v128', 'x0'), x1 = f.local('v128', 'x1'), out = f.local('v128', 'out');
    const tp1 = f.local('i32', 'tp1');
    const acc = [f.local('v128', 'acc0'), f.local('v128', 'acc1')];
    const ptrs = f.locals('i32', KS, 'i');
    // 32 + pb + 32 * ceil(ks / 2)
    f.set(blockBytes, f.i32.add(32 + pb, f.i32.shl(f.i32.shr_u(f.i32.add(p.ks, 1), 1), 5)));
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
          for (let i = 0; i < KS; i += 2) {
            const q1 = ptrs[Math.min(i + 1, KS - 1)]!;
            tapPair(f, type, acc, f.i32.add(ptrs[i]!, coff), f.i32.add(q1, coff), wt, 16 * i, x0, x1);
          }
        } else {
          f.set(ip, p.ind);
          f.set(t, p.ks);
          f.while(f.i32.gt_s(t, 0), () => {
            f.set(tp, f.i32.add(f.i32.load(ip), coff));
            // An odd last tap pairs with itself (its partner's weights are zero).
            f.set(tp1, f.select(f.i32.add(f.i32.load(ip, 4), coff), tp, f.i32.gt_s(t, 1)));
            tapPair(f, type, acc, f.get(tp), f.get(tp1), wt, 0, x0, x1);
            f.inc(ip, 8);
            f.inc(wt, 32);
            f.set(t, f.i32.sub(t, 2));
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
