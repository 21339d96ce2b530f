/**
 * uint8/int8 element-wise SIMD kernels: XNNPACK's ADD/SUB ('tflite-cpu', kernels/quantized/internal/xnnpack.ts
 * xnnAdd) and the data movement of PAD.
 *
 * ADD: out = clamp(((bias + a * aMul + b * bMul) >> shift) + zp, lo, hi), 16 elements per step: the bytes are
 * widened to int32 lanes (i16x8.extend, i32x4.extend), multiplied and summed in int32 (XNNPACK keeps the sum
 * in int32 too), shifted arithmetically, narrowed with saturation and clamped. The tail loads a full vector
 * (reading up to 15 bytes past the inputs) and stores 8/4/2/1 bytes.
 *
 * PAD: `q8_fill` (memory.fill) then `q8_copy3d`, which copies n1 x n2 runs of `bytes` bytes between strided
 * layouts with memory.copy (bulk memory, 0xfc 10 / 0xfc 11). TRANSPOSE of 8-bit tensors: `q8_copy4`.
 */
import { Expr, type FunctionBuilder, type Local, type ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { type QType, requantizer, storeBytes, storeTail } from './requant.js';

export function addName(type: QType): string {
  return `q${type}_add_xnn`;
}

/** memory.fill(dst, value, n) */
export function memoryFill(f: FunctionBuilder, dst: Local, value: Local, n: Local): void {
  f.exec(new Expr(null, (w) => {
    f.get(dst).emit(w); f.get(value).emit(w); f.get(n).emit(w);
    w.bytes([0xfc, 0x0b, 0x00]);
  }));
}

/** memory.copy(dst, src, n) */
export function memoryCopy(f: FunctionBuilder, dst: Local, src: Local, n: Local): void {
  f.exec(new Expr(null, (w) => {
    f.get(dst).emit(w); f.get(src).emit(w); f.get(n).emit(w);
    w.bytes([0xfc, 0x0a, 0x00, 0x00]);
  }));
}

/** q{u8,s8}_add_xnn(n, a, b, out, aMul, bMul, bias, shift, zp, lo, hi) */
function emitAdd(mb: ModuleBuilder, type: QType): void {
  const params = {
    n: 'i32', a: 'i32', b: 'i32', out: 'i32', aMul: 'i32', bMul: 'i32', bias: 'i32', shift: 'i32',
    zp: 'i32', lo: 'i32', hi: 'i32',
  } as const;
  mb.addFunction(addName(type), { params }, (f, p) => {
    const u = type === 'u8';
    const vam = f.local('v128', 'vam'), vbm = f.local('v128', 'vbm'), vbias = f.local('v128', 'vbias');
    const vzp = f.local('v128', 'vzp'), vlo = f.local('v128', 'vlo'), vhi = f.local('v128', 'vhi');
    const va = f.local('v128', 'va'), vb = f.local('v128', 'vb'), out = f.local('v128', 'out');
    const a16 = f.local('v128', 'a16'), b16 = f.local('v128', 'b16');
    const r = f.locals('v128', 4, 'r');
    f.set(vam, f.i32x4.splat(p.aMul));
    f.set(vbm, f.i32x4.splat(p.bMul));
    f.set(vbias, f.i32x4.splat(p.bias));
    f.set(vzp, f.i16x8.splat(p.zp));
    f.set(vlo, f.i8x16.splat(p.lo));
    f.set(vhi, f.i8x16.splat(p.hi));
    const ext16 = (v: Local, high: boolean): Expr => (u
      ? (high ? f.i16x8.extend_high_i8x16_u(v) : f.i16x8.extend_low_i8x16_u(v))
      : (high ? f.i16x8.extend_high_i8x16_s(v) : f.i16x8.extend_low_i8x16_s(v)));
    // int16 lanes hold values < 2^8 in magnitude: the signed int16 -> int32 extends are right for both types.
    const lane = (x16: Local, y16: Local, high: boolean): Expr => {
      const x = high ? f.i32x4.extend_high_i16x8_s(x16) : f.i32x4.extend_low_i16x8_s(x16);
      const y = high ? f.i32x4.extend_high_i16x8_s(y16) : f.i32x4.extend_low_i16x8_s(y16);
      return f.i32x4.shr_s(f.i32x4.add(f.i32x4.add(vbias, f.i32x4.mul(x, vam)), f.i32x4.mul(y, vbm)), p.shift);
    };
    const step = (): void => {
      f.set(va, f.v128.load(p.a));
      f.set(vb, f.v128.load(p.b));
      for (const half of [0, 1]) {
        f.set(a16, ext16(va, half === 1));
        f.set(b16, ext16(vb, half === 1));
        f.set(r[2 * half]!, lane(a16, b16, false));
        f.set(r[2 * half + 1]!, lane(a16, b16, true));
      }
      const lo = f.i16x8.add_sat_s(f.i16x8.narrow_i32x4_s(r[0]!, r[1]!), vzp);
      const hi = f.i16x8.add_sat_s(f.i16x8.narrow_i32x4_s(r[2]!, r[3]!), vzp);
      const v = u ? f.i8x16.narrow_i16x8_u(lo, hi) : f.i8x16.narrow_i16x8_s(lo, hi);
      f.set(out, u ? f.i8x16.min_u(f.i8x16.max_u(v, vlo), vhi) : f.i8x16.min_s(f.i8x16.max_s(v, vlo), vhi));
    };
    f.while(f.i32.ge_s(p.n, 16), () => {
      step();
      f.v128.store(p.out, out);
      f.inc(p.a, 16); f.inc(p.b, 16); f.inc(p.out, 16);
      f.set(p.n, f.i32.sub(p.n, 16));
    });
    f.if(f.i32.gt_s(p.n, 0), () => {
      step();
      storeTail(f, p.out, out, p.n);
    });
  });
}

/** q8_fill(dst, value, n) */
function emitFill(mb: ModuleBuilder): void {
  mb.addFunction('q8_fill', { params: { dst: 'i32', value: 'i32', n: 'i32' } }, (f, p) => memoryFill(f, p.dst, p.value, p.n));
}

/** q8_copy3d(src, dst, n1, n2, bytes, s1, s2, d1, d2): for i < n1, j < n2: copy `bytes` from src + i s1 + j s2 to dst + i d1 + j d2. */
function emitCopy3d(mb: ModuleBuilder): void {
  const params = {
    src: 'i32', dst: 'i32', n1: 'i32', n2: 'i32', bytes: 'i32', s1: 'i32', s2: 'i32', d1: 'i32', d2: 'i32',
  } as const;
  mb.addFunction('q8_copy3d', { params }, (f, p) => {
    const j = f.local('i32', 'j'), s = f.local('i32', 's'), d = f.local('i32', 'd');
    f.while(p.n1, () => {
      f.set(s, p.src);
      f.set(d, p.dst);
      f.set(j, p.n2);
      f.while(j, () => {
        memoryCopy(f, d, s, p.bytes);
        f.set(s, f.i32.add(s, p.s2));
        f.set(d, f.i32.add(d, p.d2));
        f.set(j, f.i32.sub(j, 1));
      });
      f.set(p.src, f.i32.add(p.src, p.s1));
      f.set(p.dst, f.i32.add(p.dst, p.d1));
      f.set(p.n1, f.i32.sub(p.n1, 1));
    });
  });
}

export const qElementwiseSource: KernelSource = (mb) => {
  emitAdd(mb, 'u8');
  emitAdd(mb, 's8');
  emitFill(mb);
  emitCopy3d(mb);
  emitCopy4(mb);
  emitGlobalAverage(mb, 'u8');
  emitGlobalAverage(mb, 's8');
};

/**
 * q8_copy4(src, dst, c0, c1, c2, c3, s0, s1, s2, s3, d0, d1, d2, d3): dst[i . d] = src[i . s] for the byte index
 * vectors i < c (a planned strided copy of rank <= 4: TRANSPOSE of 8-bit tensors), one byte at a time.
 */
function emitCopy4(mb: ModuleBuilder): void {
  const params = {
    src: 'i32', dst: 'i32', c0: 'i32', c1: 'i32', c2: 'i32', c3: 'i32',
    s0: 'i32', s1: 'i32', s2: 'i32', s3: 'i32', d0: 'i32', d1: 'i32', d2: 'i32', d3: 'i32',
  } as const;
  mb.addFunction('q8_copy4', { params }, (f, p) => {
    const i = f.locals('i32', 4, 'i'), sp = f.locals('i32', 4, 'sp'), dp = f.locals('i32', 4, 'dp');
    const c = [p.c0, p.c1, p.c2, p.c3], s = [p.s0, p.s1, p.s2, p.s3], d = [p.d0, p.d1, p.d2, p.d3];
    const level = (k: number, srcBase: Local, dstBase: Local): void => {
      f.set(sp[k]!, srcBase);
      f.set(dp[k]!, dstBase);
      f.set(i[k]!, c[k]!);
      f.while(i[k]!, () => {
        if (k === 3) f.i32.store8(dp[k]!, f.i32.load8_u(sp[k]!));
        else level(k + 1, sp[k]!, dp[k]!);
        f.set(sp[k]!, f.i32.add(sp[k]!, s[k]!));
        f.set(dp[k]!, f.i32.add(dp[k]!, d[k]!));
        f.set(i[k]!, f.i32.sub(i[k]!, 1));
      });
    };
    level(0, p.src, p.dst);
  });
}

/**
 * q{u8,s8}_gavg_fp32(pixels, c, x, out, init, pp, zp, lo, hi): MEAN over the pixels of one NHWC image in
 * 'tflite-cpu' mode (XNNPACK's global average pooling, kernels/quantized/mean.ts): per channel
 * acc = init + sum_p x[p][c] with init = -zp_in * pixels, then the fp32 epilogue (requant.ts) with the
 * parameter block `pp` (the one scale in all 8 lanes). 8 channels per step; the last step stores c % 8 bytes.
 */
function emitGlobalAverage(mb: ModuleBuilder, type: QType): void {
  const params = {
    pixels: 'i32', c: 'i32', x: 'i32', out: 'i32', init: 'i32', pp: 'i32', zp: 'i32', lo: 'i32', hi: 'i32',
  } as const;
  mb.addFunction(`q${type}_gavg_fp32`, { params }, (f, p) => {
    const rq = requantizer(f, 'fp32', type, p);
    const acc = [f.local('v128', 'acc0'), f.local('v128', 'acc1')];
    const v = f.local('v128', 'v'), out = f.local('v128', 'out');
    const xp = f.local('i32', 'xp'), k = f.local('i32', 'k'), nc = f.local('i32', 'nc'), op = f.local('i32', 'op');
    f.set(nc, p.c);
    f.while(f.i32.gt_s(nc, 0), () => {
      f.set(acc[0]!, f.i32x4.splat(p.init));
      f.set(acc[1]!, f.i32x4.splat(p.init));
      f.set(xp, p.x);
      f.set(k, p.pixels);
      f.while(k, () => {
        f.set(v, type === 'u8' ? f.v128.load8x8_u(xp) : f.v128.load8x8_s(xp));
        f.set(acc[0]!, f.i32x4.add(acc[0]!, f.i32x4.extend_low_i16x8_s(v)));
        f.set(acc[1]!, f.i32x4.add(acc[1]!, f.i32x4.extend_high_i16x8_s(v)));
        f.set(xp, f.i32.add(xp, p.c));
        f.set(k, f.i32.sub(k, 1));
      });
      f.set(out, rq.finish(acc[0]!, acc[1]!, p.pp));
      f.set(op, p.out);
      storeBytes(f, op, out, nc);
      f.inc(p.x, 8);
      f.inc(p.out, 8);
      f.set(nc, f.i32.sub(nc, 8));
    });
  });
}

export function gavgName(type: QType): string {
  return `q${type}_gavg_fp32`;
}
