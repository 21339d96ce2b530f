/**
 * Fancy chroma upsampling fused with YCbCr -> RGB in SIMD128, byte for byte what the typed-array stages compute
 * (src/image/jpeg/{upsample,color,fused}.ts): libjpeg-turbo's (jdsample.c, jdcolor.c) and stb_image's.
 *
 * - `jpeg_h2v2_ycc(y, cbNear, cbFar, crNear, crFar, dsw, out, tb, k)`: one RGB row of 4:2:0: column sums
 *   t = 3 * near + far, then outputs (3 t[i] + t[i-1] + 8) >> 4 and (3 t[i] + t[i+1] + 7) >> 4 (h2v2_fancy).
 * - `jpeg_h2v1_ycc(y, cb, cr, dsw, out, tb, k)`: one RGB row of 4:2:2: (3 s[i] + s[i-1] + 1) >> 2 and
 *   (3 s[i] + s[i+1] + 2) >> 2 (h2v1_fancy).
 * - `jpeg_ycc_rgb(y, cb, cr, out, width, k)`: one RGB row from full-size planes (ycc_rgb_convert).
 * - `jpeg_stb_h2v2_ycc` and `jpeg_stb_ycc_rgb`: stb's twins (stbi__resample_row_hv_2: bias 8 on both sides;
 *   stbi__YCbCr_to_RGB_row).
 * `dsw` is the number of chroma samples in the row; `tb` a scratch of at least 4 * (dsw + 24) bytes; `k` the
 * constants table (consts.ts). The edges repeat the first and last sample (t[-1] = t[0], t[dsw] = t[dsw - 1]),
 * which gives libjpeg's and stb's edge outputs.
 *
 * libjpeg's colour, per pixel, from Cb' = Cb - 128 and Cr' = Cr - 128 (the tables of jdcolor.c, computed exactly):
 * - R = Y + ((91881 Cr' + 32768) >> 16) = Y + Cr' + q15mulr(Cr', 13173) (checked for all 256 values),
 * - B = Y + ((116130 Cb' + 32768) >> 16) = Y + Cb' + q15mulr(Cb', 25297) (exact: 116130 - 65536 is even),
 * - G = Y + ((-22554 Cb' - 46802 Cr' + 32768) >> 16): i32 dot products of (Cb', 2 Cr') pairs, whose high halves
 *   are the shifted result,
 * clamped to 0..255 by the saturating narrow, as libjpeg's range-limit table clamps. stb's: see colorStore.
 *
 * Pixels are handled 16 at a time as two i16x8 halves, even pixels and odd pixels (which is what the h2
 * filters produce naturally); swizzles interleave them into RGB order. Each step stores 48 bytes, so a row may
 * write up to 47 bytes past width * 3 (the caller's rows are consecutive with slack after the last); sources are
 * read up to 16 bytes past their last sample.
 */
import type { Expr, FuncRef, FunctionBuilder, Local, ModuleBuilder, ValType } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { defineConst, defineI16, defineI32, loadConst } from './consts.js';

/** i8x16 lane of pixel j (0..15) in a vector narrowed from (even pixels, odd pixels). */
const lane = (j: number): number => (j & 1 ? 8 + (j >> 1) : j >> 1);

/** i16 lanes 0..3 (LO) or 4..7 (HI) of a and b, interleaved. */
const INTERLEAVE_LO = [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23];
const INTERLEAVE_HI = INTERLEAVE_LO.map((i) => i + 8);

/** Per output vector k: swizzle masks placing R, G and B bytes (0x80: a zero byte, as pshufb and swizzle agree). */
const RGB_SWIZZLES = [0, 1, 2].map((k) => [0, 1, 2].map((ch) => {
  const m: number[] = [];
  for (let i = 0; i < 16; i++) {
    const b = 16 * k + i;
    m.push(b % 3 === ch ? lane(Math.floor(b / 3)) : 0x80);
  }
  return m;
}));

RGB_SWIZZLES.forEach((ms, k) => ms.forEach((m, ch) => defineConst(`rgb ${k} ${ch}`, m)));
defineI16('color 255', 255);
defineI16('color g', -22554, -23401, -22554, -23401, -22554, -23401, -22554, -23401);
defineI32('color 1/2', 32768);
defineI16('color r', 13173);
defineI16('color b', 25297);
defineI16('color 128', 128);
defineI16('color 3', 3);
defineI16('stb r', 5743);
defineI16('stb b', 7258);
defineI16('stb cb g', -1410);
defineI16('stb cr g', -2925);
defineI32('stb ~255', ~255);
defineI32('stb 2048', 2048);

export interface ColorTemps {
  r: Local[]; g: Local[]; b: Local[];
  v2: Local;
  rb: Local; gb: Local; bb: Local;
  s: Local;
  /** The constants table. */
  k: Local;
}

export function colorTemps(f: FunctionBuilder, k: Local): ColorTemps {
  return {
    r: f.locals('v128', 2, 'r'), g: f.locals('v128', 2, 'g'), b: f.locals('v128', 2, 'b'), v2: f.local('v128', 'v2'),
    rb: f.local('v128', 'rb'), gb: f.local('v128', 'gb'), bb: f.local('v128', 'bb'), s: f.local('v128', 's'), k,
  };
}

/**
 * 16 pixels: Y in `yv` (16 bytes), centred chroma u = Cb - 128, v = Cr - 128 as i16x8 for the even (index 0)
 * and odd (index 1) pixels. Stores 48 bytes of RGB at `out`.
 */
export function colorStore(f: FunctionBuilder, yv: Local, u: readonly Local[], v: readonly Local[], out: Local, T: ColorTemps,
  stb: boolean): void {
  const H = f.i16x8, I = f.i32x4;
  const c = (name: string): Expr => loadConst(f, T.k, name);
  for (let par = 0; par < 2; par++) {
    const yp: Expr = par === 0 ? f.v128.and(yv, c('color 255')) : H.shr_u(yv, 8);
    const uu = u[par]!, vv = v[par]!;
    f.set(T.s, yp);
    if (stb) {
      // stbi__YCbCr_to_RGB_row: R = Y + ((5743 Cr' + 2048) >> 12) = Y + q15mulr(8 Cr', 5743), B likewise with
      // 7258; G = Y + ((2048 - 2925 Cr' + ((-1410 Cb') & ~255)) >> 12) (stb truncates the Cb term to 2^16 units).
      const g = (half: 'low' | 'high'): Expr => {
        const mul = half === 'low' ? I.extmul_low_i16x8_s : I.extmul_high_i16x8_s;
        const cb = f.v128.and(mul(uu, c('stb cb g')), c('stb ~255'));
        return I.shr_s(I.add(I.add(cb, mul(vv, c('stb cr g'))), c('stb 2048')), 12);
      };
      f.set(T.g[par]!, H.add(T.s, H.narrow_i32x4_s(g('low'), g('high'))));
      f.set(T.r[par]!, H.add(T.s, H.q15mulr_sat_s(H.shl(vv, 3), c('stb r'))));
      f.set(T.b[par]!, H.add(T.s, H.q15mulr_sat_s(H.shl(uu, 3), c('stb b'))));
      continue;
    }
    // G: pairs (Cb', 2 Cr') times (-22554, -23401) summed per i32 lane (dot), + 1/2, the high i16 halves.
    f.set(T.v2, H.shl(vv, 1));
    const gLo = I.add(I.dot_i16x8_s(f.i8x16.shuffle(uu, T.v2, INTERLEAVE_LO), c('color g')), c('color 1/2'));
    const gHi = I.add(I.dot_i16x8_s(f.i8x16.shuffle(uu, T.v2, INTERLEAVE_HI), c('color g')), c('color 1/2'));
    f.set(T.g[par]!, f.i8x16.shuffle(gLo, gHi, [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31]));
    f.set(T.g[par]!, H.add(T.s, T.g[par]!));
    f.set(T.r[par]!, H.add(T.s, H.add(vv, H.q15mulr_sat_s(vv, c('color r')))));
    f.set(T.b[par]!, H.add(T.s, H.add(uu, H.q15mulr_sat_s(uu, c('color b')))));
  }
  f.set(T.rb, f.i8x16.narrow_i16x8_u(T.r[0]!, T.r[1]!));
  f.set(T.gb, f.i8x16.narrow_i16x8_u(T.g[0]!, T.g[1]!));
  f.set(T.bb, f.i8x16.narrow_i16x8_u(T.b[0]!, T.b[1]!));
  // Output vector k: the R, G and B bytes each placed by a swizzle (other bytes zero), or-ed.
  for (let k = 0; k < 3; k++) {
    const rg = f.v128.or(f.i8x16.swizzle(T.rb, c(`rgb ${k} 0`)), f.i8x16.swizzle(T.gb, c(`rgb ${k} 1`)));
    f.v128.store(out, f.v128.or(rg, f.i8x16.swizzle(T.bb, c(`rgb ${k} 2`))), 16 * k);
  }
}

/** Which h2 filter: the vertical column sums (h2v2) or the samples themselves (h2v1). */
export interface H2Filter { name: string; vertical: boolean; shift: number; biasEven: number; biasOdd: number; stb: boolean }

const H2V2: H2Filter = { name: 'jpeg_h2v2_ycc', vertical: true, shift: 4, biasEven: 8, biasOdd: 7, stb: false };
const H2V1: H2Filter = { name: 'jpeg_h2v1_ycc', vertical: false, shift: 2, biasEven: 1, biasOdd: 2, stb: false };
/** stbi__resample_row_hv_2: the same filter with bias 8 on both sides (its edges are the repeated-sample ones too). */
const STB_HV2: H2Filter = { name: 'jpeg_stb_h2v2_ycc', vertical: true, shift: 4, biasEven: 8, biasOdd: 8, stb: true };
for (const flt of [H2V2, H2V1, STB_HV2]) {
  // The filter's rounding biases less 128 << shift, so the shifted result is the centred chroma value.
  defineI16(`${flt.name} even`, flt.biasEven - (128 << flt.shift));
  defineI16(`${flt.name} odd`, flt.biasOdd - (128 << flt.shift));
}

export function h2Ycc(mb: ModuleBuilder, flt: H2Filter): FuncRef {
  const names = flt.vertical ? ['y', 'cbN', 'cbF', 'crN', 'crF', 'dsw', 'out', 'tb', 'k'] : ['y', 'cbN', 'crN', 'dsw', 'out', 'tb', 'k'];
  const params: Record<string, ValType> = Object.fromEntries(names.map((n) => [n, 'i32']));
  return mb.addFunction(flt.name, { params }, (f, p) => {
    const H = f.i16x8;
    const i = f.local('i32', 'i'), tcb = f.local('i32', 'tcb'), tcr = f.local('i32', 'tcr');
    const a = f.local('i32', 'a'), b = f.local('i32', 'b');
    // t rows: element -1 at tcb / tcr, element k at + 2 (k + 1).
    f.set(tcb, p.tb!);
    f.set(tcr, f.i32.add(p.tb!, f.i32.add(f.i32.shl(p.dsw!, 1), 48)));
    // Pass A: t = 3 * near + far (h2v2) or the samples (h2v1), as i16, with the edge samples repeated.
    const t = (near: Local, far: Local | null, off: Local): Expr => (far
      ? H.add(H.mul(f.v128.load8x8_u(f.i32.add(near, off)), loadConst(f, p.k!, 'color 3')), f.v128.load8x8_u(f.i32.add(far, off)))
      : f.v128.load8x8_u(f.i32.add(near, off)));
    f.set(i, 0);
    f.while(f.i32.lt_s(i, p.dsw!), () => {
      f.set(a, f.i32.shl(i, 1));
      f.v128.store(f.i32.add(tcb, a), t(p.cbN!, flt.vertical ? p.cbF! : null, i), 2, 1);
      f.v128.store(f.i32.add(tcr, a), t(p.crN!, flt.vertical ? p.crF! : null, i), 2, 1);
      f.inc(i, 8);
    });
    f.set(a, f.i32.shl(p.dsw!, 1));
    for (const tp of [tcb, tcr]) {
      f.i32.store16(tp, f.i32.load16_u(tp, 2));
      f.i32.store16(f.i32.add(tp, a), f.i32.load16_u(f.i32.add(tp, a)), 2);
    }
    // Pass B: 8 samples -> 16 pixels.
    const T = colorTemps(f, p.k!);
    const u = f.locals('v128', 2, 'u'), v = f.locals('v128', 2, 'v');
    const c3 = f.local('v128', 'c3'), yv = f.local('v128', 'yv');
    const kEven = loadConst(f, p.k!, `${flt.name} even`), kOdd = loadConst(f, p.k!, `${flt.name} odd`);
    f.set(b, f.i32.add(tcb, a)); // end of the cb t row (its element dsw - 1)
    f.while(f.i32.lt_u(tcb, b), () => {
      for (const [tp, out] of [[tcb, u], [tcr, v]] as const) {
        f.set(c3, H.mul(f.v128.load(tp, 2, 1), loadConst(f, p.k!, 'color 3')));
        f.set(out[0]!, H.shr_s(H.add(c3, H.add(f.v128.load(tp, 0, 1), kEven)), flt.shift));
        f.set(out[1]!, H.shr_s(H.add(c3, H.add(f.v128.load(tp, 4, 1), kOdd)), flt.shift));
      }
      f.set(yv, f.v128.load(p.y!, 0, 0));
      colorStore(f, yv, u, v, p.out!, T, flt.stb);
      f.inc(tcb, 16); f.inc(tcr, 16);
      f.inc(p.y!, 16); f.inc(p.out!, 48);
    });
  });
}

function yccRgb(mb: ModuleBuilder, stb: boolean): void {
  mb.addFunction(stb ? 'jpeg_stb_ycc_rgb' : 'jpeg_ycc_rgb', { params: { y: 'i32', cb: 'i32', cr: 'i32', out: 'i32', width: 'i32', k: 'i32' } }, (f, p) => {
    const H = f.i16x8;
    const T = colorTemps(f, p.k);
    const u = f.locals('v128', 2, 'u'), v = f.locals('v128', 2, 'v');
    const yv = f.local('v128', 'yv'), s = f.local('v128', 'src'), end = f.local('i32', 'end');
    const k128 = loadConst(f, p.k, 'color 128');
    f.set(end, f.i32.add(p.y, p.width));
    f.while(f.i32.lt_u(p.y, end), () => {
      for (const [src, out] of [[p.cb, u], [p.cr, v]] as const) {
        f.set(s, f.v128.load(src, 0, 0));
        f.set(out[0]!, H.sub(f.v128.and(s, loadConst(f, p.k, 'color 255')), k128));
        f.set(out[1]!, H.sub(H.shr_u(s, 8), k128));
      }
      f.set(yv, f.v128.load(p.y, 0, 0));
      colorStore(f, yv, u, v, p.out, T, stb);
      f.inc(p.y, 16); f.inc(p.cb, 16); f.inc(p.cr, 16); f.inc(p.out, 48);
    });
  });
}

export const jpegColorSource: KernelSource = (mb: ModuleBuilder) => {
  h2Ycc(mb, H2V2);
  h2Ycc(mb, H2V1);
  h2Ycc(mb, STB_HV2);
  yccRgb(mb, false);
  yccRgb(mb, true);
};
