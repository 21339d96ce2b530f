/**
 * The integer IDCTs of the JPEG decoder in SIMD128, byte for byte what the typed-array idctIslow8 and idctStb8
 * (src/image/jpeg/idct.ts) compute:
 *
 * - `jpeg_idct_islow(coef, quant, out, stride, n, k)`: libjpeg-turbo's "islow" (jidctint.c): n blocks of 64 int16
 *   coefficients (natural order) at `coef`, dequantized by the 64 int32 at `quant`, each to 8x8 samples at
 *   out + 8 * block, rows `stride` bytes apart. `k`: the constants table (consts.ts).
 * - `jpeg_idct_stb(coef, quant, out, stride, n, k)`: stb_image's stbi__idct_block, `quant` as 64 int16 (stb keeps
 *   coefficient * quant in shorts, so the product wraps to 16 bits: i16x8.mul).
 *
 * Both are the same butterfly (their constants and fixed-point layouts differ) in 32-bit wrapping arithmetic, as
 * the C code's int arithmetic wraps: every product and sum is an i32x4 op.
 * - Pass 1 works on columns: a vector holds one coefficient row of 4 columns (two halves per block), so the
 *   butterfly combines whole vectors. libjpeg's shortcut for a column whose AC terms are all zero (output
 *   DC << 2 for the column) equals the full butterfly unless |DC * quant| >= 2^18, where the full one wraps at
 *   << 13: blocks with such a DC take a fix-up that applies the shortcut per column, as libjpeg does. (stb's
 *   shortcut always equals its butterfly.)
 * - The 8x8 intermediate is transposed (four 4x4 i32 transposes) and pass 2 works on rows, 4 rows per vector.
 *   libjpeg's row shortcut (all AC zero) always equals the full computation, so it needs no special case.
 * - libjpeg's range limit indexes a 1024-entry table by (x >> 18) & 1023: that is sign-extending those 10 bits
 *   (((x << 4) >> 22)), adding 128 and clamping to 0..255 (the saturating narrows). stb clamps (x >> 17).
 * - Blocks whose coefficients are all in the top-left 4x4 (most blocks of most photos) evaluate the same
 *   polynomials without the zero terms (equal modulo 2^32), about half the work; DC-only blocks are one splat.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder, Operand } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { defineConst, defineI16, defineI32, loadConst } from './consts.js';

/** The multipliers of the islow butterfly (their magnitudes) and the fixed-point layout of one IDCT. */
interface IdctVariant {
  name: string;
  /** c0_541 = round(0.541196100 * 2^bits), and so on. */
  c: Record<'c0_298' | 'c0_390' | 'c0_541' | 'c0_765' | 'c0_899' | 'c1_175' | 'c1_501' | 'c1_847' | 'c1_961' | 'c2_053' | 'c2_562' | 'c3_072', number>;
  /** Fixed-point bits of the constants (the even part's DC/x4 terms are shifted by this). */
  bits: number;
  bias1: number; shift1: number;
  bias2: number; shift2: number;
  /** libjpeg: coefficient * quant in 32 bits, output through its 1024-entry range-limit table, and its zero-AC
   *  column shortcut where it differs; stb: the product wrapped to 16 bits (stb stores shorts), a plain clamp. */
  libjpeg: boolean;
}

/** libjpeg-turbo jidctint.c: FIX(x) = round(x * 2^13), CONST_BITS 13, PASS1_BITS 2. */
const ISLOW: IdctVariant = {
  name: 'jpeg_idct_islow',
  c: {
    c0_298: 2446, c0_390: 3196, c0_541: 4433, c0_765: 6270, c0_899: 7373, c1_175: 9633, c1_501: 12299, c1_847: 15137,
    c1_961: 16069, c2_053: 16819, c2_562: 20995, c3_072: 25172,
  },
  bits: 13, bias1: 1 << 10, shift1: 11, bias2: 1 << 17, shift2: 18, libjpeg: true,
};

/** stb_image stbi__idct_block: stbi__f2f(x) = (int)(x * 4096 + 0.5) (negative ones truncated towards zero). */
const STB: IdctVariant = {
  name: 'jpeg_idct_stb',
  c: {
    c0_298: 1223, c0_390: 1597, c0_541: 2217, c0_765: 3135, c0_899: 3685, c1_175: 4816, c1_501: 6149, c1_847: 7567,
    c1_961: 8034, c2_053: 8410, c2_562: 10497, c3_072: 12586,
  },
  bits: 12, bias1: 512, shift1: 10, bias2: 65536 + (128 << 17), shift2: 17, libjpeg: false,
};

/** The i32x4 constants a variant's butterflies use (both biases), in the constants table. */
function butterflyConstants(v: IdctVariant): number[] {
  const c = v.c;
  return [
    c.c0_541, c.c1_847, c.c0_765, c.c0_541 + c.c0_765, c.c1_175, -c.c1_961, -c.c0_390, -c.c0_899, -c.c2_562, c.c0_298,
    c.c2_053, c.c3_072, c.c1_501, c.c3_072 - c.c2_562 - c.c1_961, c.c1_501 - c.c0_899 - c.c0_390, v.bias1, v.bias2,
  ];
}
for (const v of [ISLOW, STB]) for (const c of butterflyConstants(v)) defineI32(`idct ${c}`, c);
defineI32('idct |dc| >= 2^18', 0xfffc0000 | 0);
defineI16('idct 128', 128);
defineI16('idct not dc', 0, -1, -1, -1, -1, -1, -1, -1);
defineI16('idct columns 4..7', 0, 0, 0, 0, -1, -1, -1, -1);
/** Bytes of 4 columns x 4 rows (column-major, as narrowed) to row-major. */
defineConst('idct transpose 4x4 bytes', [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]);

/** splat(c), loaded from the constants table. */
type Consts = (c: number) => Expr;

interface Temps {
  z1: Local; z2: Local; z3: Local; z4: Local; z5: Local;
  t0: Local; t1: Local; t2: Local; t3: Local;
  e0: Local; e1: Local; e2: Local; e3: Local;
}

/**
 * The 1-D islow butterfly on 8 inputs (vectors of 4 lanes). Writes the 8 undescaled outputs to `out` (out[k] is
 * output k before the final shift), with `bias` (the rounding of the descale) already added. `low`: inputs 4..7
 * are zero, and the same polynomials are evaluated without them (equal modulo 2^32, as every step is a sum of
 * products by constants).
 */
function butterfly(f: FunctionBuilder, v: IdctVariant, k: Consts, x: readonly Operand[], bias: number, T: Temps, out: readonly Local[],
  low = false): void {
  const I = f.i32x4;
  const { c0_298: F0_298, c0_390: F0_390, c0_541: F0_541, c0_765: F0_765, c0_899: F0_899, c1_175: F1_175, c1_501: F1_501,
    c1_847: F1_847, c1_961: F1_961, c2_053: F2_053, c2_562: F2_562, c3_072: F3_072 } = v.c;
  // Even part.
  if (low) {
    f.set(T.t2, I.mul(x[2]!, k(F0_541)));
    f.set(T.t3, I.mul(x[2]!, k(F0_541 + F0_765)));
    f.set(T.t0, I.add(I.shl(x[0]!, v.bits), k(bias)));
    f.set(T.e0, I.add(T.t0, T.t3)); // tmp10
    f.set(T.e3, I.sub(T.t0, T.t3)); // tmp13
    f.set(T.e1, I.add(T.t0, T.t2)); // tmp11
    f.set(T.e2, I.sub(T.t0, T.t2)); // tmp12
    // Odd part with tmp0 = x7 = 0 and tmp1 = x5 = 0: z1 = z4 = x1, z2 = z3 = x3.
    f.set(T.z5, I.mul(I.add(x[3]!, x[1]!), k(F1_175)));
    f.set(T.t0, I.add(I.add(I.mul(x[1]!, k(-F0_899)), I.mul(x[3]!, k(-F1_961))), T.z5));
    f.set(T.t1, I.add(I.add(I.mul(x[3]!, k(-F2_562)), I.mul(x[1]!, k(-F0_390))), T.z5));
    f.set(T.t2, I.add(I.mul(x[3]!, k(F3_072 - F2_562 - F1_961)), T.z5));
    f.set(T.t3, I.add(I.mul(x[1]!, k(F1_501 - F0_899 - F0_390)), T.z5));
  } else {
    f.set(T.z1, I.mul(I.add(x[2]!, x[6]!), k(F0_541)));
    f.set(T.t2, I.sub(T.z1, I.mul(x[6]!, k(F1_847))));
    f.set(T.t3, I.add(T.z1, I.mul(x[2]!, k(F0_765))));
    f.set(T.t0, I.add(I.shl(I.add(x[0]!, x[4]!), v.bits), k(bias)));
    f.set(T.t1, I.add(I.shl(I.sub(x[0]!, x[4]!), v.bits), k(bias)));
    f.set(T.e0, I.add(T.t0, T.t3)); // tmp10
    f.set(T.e3, I.sub(T.t0, T.t3)); // tmp13
    f.set(T.e1, I.add(T.t1, T.t2)); // tmp11
    f.set(T.e2, I.sub(T.t1, T.t2)); // tmp12
    // Odd part: tmp0..tmp3 = x7, x5, x3, x1.
    f.set(T.z3, I.add(x[7]!, x[3]!));
    f.set(T.z4, I.add(x[5]!, x[1]!));
    f.set(T.z5, I.mul(I.add(T.z3, T.z4), k(F1_175)));
    f.set(T.z3, I.add(I.mul(T.z3, k(-F1_961)), T.z5));
    f.set(T.z4, I.add(I.mul(T.z4, k(-F0_390)), T.z5));
    f.set(T.z1, I.mul(I.add(x[7]!, x[1]!), k(-F0_899)));
    f.set(T.z2, I.mul(I.add(x[5]!, x[3]!), k(-F2_562)));
    f.set(T.t0, I.add(I.mul(x[7]!, k(F0_298)), I.add(T.z1, T.z3)));
    f.set(T.t1, I.add(I.mul(x[5]!, k(F2_053)), I.add(T.z2, T.z4)));
    f.set(T.t2, I.add(I.mul(x[3]!, k(F3_072)), I.add(T.z2, T.z3)));
    f.set(T.t3, I.add(I.mul(x[1]!, k(F1_501)), I.add(T.z1, T.z4)));
  }
  f.set(out[0]!, I.add(T.e0, T.t3)); f.set(out[7]!, I.sub(T.e0, T.t3));
  f.set(out[1]!, I.add(T.e1, T.t2)); f.set(out[6]!, I.sub(T.e1, T.t2));
  f.set(out[2]!, I.add(T.e2, T.t1)); f.set(out[5]!, I.sub(T.e2, T.t1));
  f.set(out[3]!, I.add(T.e3, T.t0)); f.set(out[4]!, I.sub(T.e3, T.t0));
}

/** 4x4 transpose of the i32 vectors a..d into out[0..3] (out must not alias the inputs). */
function transpose4(f: FunctionBuilder, a: Local, b: Local, c: Local, d: Local, tmp: readonly Local[], out: readonly Local[]): void {
  const I = f.i32x4;
  f.set(tmp[0]!, I.shuffle(a, b, [0, 4, 1, 5]));
  f.set(tmp[1]!, I.shuffle(a, b, [2, 6, 3, 7]));
  f.set(tmp[2]!, I.shuffle(c, d, [0, 4, 1, 5]));
  f.set(tmp[3]!, I.shuffle(c, d, [2, 6, 3, 7]));
  f.set(out[0]!, I.shuffle(tmp[0]!, tmp[2]!, [0, 1, 4, 5]));
  f.set(out[1]!, I.shuffle(tmp[0]!, tmp[2]!, [2, 3, 6, 7]));
  f.set(out[2]!, I.shuffle(tmp[1]!, tmp[3]!, [0, 1, 4, 5]));
  f.set(out[3]!, I.shuffle(tmp[1]!, tmp[3]!, [2, 3, 6, 7]));
}

function idctKernel(mb: ModuleBuilder, v: IdctVariant): void {
  mb.addFunction(v.name, {
    params: { coef: 'i32', quant: 'i32', out: 'i32', stride: 'i32', n: 'i32', k: 'i32' },
  }, (f, p) => {
    const I = f.i32x4;
    const c = f.locals('v128', 8, 'c');
    const o = f.locals('v128', 8, 'o');
    const w = [f.locals('v128', 8, 'wl'), f.locals('v128', 8, 'wr')]; // pass-1 output, columns 0..3 / 4..7
    const tr = f.locals('v128', 4, 'tr');
    const T: Temps = {
      z1: f.local('v128', 'z1'), z2: f.local('v128', 'z2'), z3: f.local('v128', 'z3'), z4: f.local('v128', 'z4'),
      z5: f.local('v128', 'z5'), t0: f.local('v128', 't0'), t1: f.local('v128', 't1'), t2: f.local('v128', 't2'),
      t3: f.local('v128', 't3'), e0: f.local('v128', 'e0'), e1: f.local('v128', 'e1'), e2: f.local('v128', 'e2'),
      e3: f.local('v128', 'e3'),
    };
    const mask = f.local('v128', 'mask');
    const raw = f.locals('v128', 8, 'raw'); // the block's coefficient rows (i16x8)
    const lo = f.local('v128', 'lo'), hi = f.local('v128', 'hi');
    const dc = f.local('i32', 'dc');
    const rowOff = f.locals('i32', 8, 'row');
    for (let r = 1; r < 8; r++) f.set(rowOff[r]!, f.i32.mul(p.stride, r));
    const at = (r: number): Operand => (r === 0 ? p.out : f.i32.add(p.out, rowOff[r]!));
    const K: Consts = (c) => loadConst(f, p.k, `idct ${c}`);
    const named = (name: string): Expr => loadConst(f, p.k, `idct ${name}`);

    /** Pass 1 on columns 4h..4h+3 (rows 0..3 only when `low`) into w[h], descaled. */
    const pass1 = (h: number, low: boolean): void => {
      const ext = (x: Operand): Expr => (h ? I.extend_high_i16x8_s(x) : I.extend_low_i16x8_s(x));
      for (let r = 0; r < (low ? 4 : 8); r++) {
        // stb: raw[r] already holds the 16-bit products.
        f.set(c[r]!, v.libjpeg ? I.mul(ext(raw[r]!), f.v128.load(p.quant, r * 32 + h * 16)) : ext(raw[r]!));
      }
      butterfly(f, v, K, c, v.bias1, T, w[h]!, low);
      for (let r = 0; r < 8; r++) f.set(w[h]![r]!, I.shr_s(w[h]![r]!, v.shift1));
      // libjpeg's all-zero-AC column shortcut, where it differs from the butterfly (|DC| >= 2^18). (stb's equals
      // the butterfly always: its 16-bit products cannot wrap at << 12.)
      if (v.libjpeg) f.if(f.v128.any_true(f.v128.and(I.abs(c[0]!), named('|dc| >= 2^18'))), () => {
        f.set(mask, I.eq(ext(f.v128.or(lo, hi)), I.splat(0)));
        f.set(T.z1, I.shl(c[0]!, 2));
        for (let r = 0; r < 8; r++) f.set(w[h]![r]!, f.v128.bitselect(T.z1, w[h]![r]!, mask));
      });
    };

    /** Pass 2 on rows 4g..4g+3 (columns 0..3 only when `low`) and the stores. */
    const pass2 = (g: number, low: boolean): void => {
      const r0 = 4 * g;
      transpose4(f, w[0]![r0]!, w[0]![r0 + 1]!, w[0]![r0 + 2]!, w[0]![r0 + 3]!, tr, c.slice(0, 4));
      if (!low) transpose4(f, w[1]![r0]!, w[1]![r0 + 1]!, w[1]![r0 + 2]!, w[1]![r0 + 3]!, tr, c.slice(4, 8));
      butterfly(f, v, K, c, v.bias2, T, o, low);
      // libjpeg: sign-extend the 10 bits its table indexes, + 128; stb: the bias holds the 128 (clamped below).
      const lim = (x: Local): Expr => (v.libjpeg ? I.shr_s(I.shl(x, 32 - 10 - v.shift2), 22) : I.shr_s(x, v.shift2));
      const pair = (a: number): Expr => {
        const n = f.i16x8.narrow_i32x4_s(lim(o[a]!), lim(o[a + 1]!));
        return v.libjpeg ? f.i16x8.add(n, named('128')) : n;
      };
      // Bytes of columns 0..3 and 4..7 (column-major) made row-major, then rows 0, 1 and 2, 3 interleaved.
      f.set(T.t0, f.i8x16.swizzle(f.i8x16.narrow_i16x8_u(pair(0), pair(2)), named('transpose 4x4 bytes')));
      f.set(T.t1, f.i8x16.swizzle(f.i8x16.narrow_i16x8_u(pair(4), pair(6)), named('transpose 4x4 bytes')));
      f.set(T.t2, I.shuffle(T.t0, T.t1, [0, 4, 1, 5]));
      f.set(T.t3, I.shuffle(T.t0, T.t1, [2, 6, 3, 7]));
      f.v128.store64_lane(at(r0), T.t2, 0);
      f.v128.store64_lane(at(r0 + 1), T.t2, 1);
      f.v128.store64_lane(at(r0 + 2), T.t3, 0);
      f.v128.store64_lane(at(r0 + 3), T.t3, 1);
    };

    const H = f.i16x8;
    f.while(p.n, () => {
      for (let r = 0; r < 8; r++) {
        f.set(raw[r]!, v.libjpeg ? f.v128.load(p.coef, r * 16) : H.mul(f.v128.load(p.coef, r * 16), f.v128.load(p.quant, r * 16)));
      }
      f.set(lo, f.v128.or(f.v128.or(raw[1]!, raw[2]!), raw[3]!));
      f.set(hi, f.v128.or(f.v128.or(raw[4]!, raw[5]!), f.v128.or(raw[6]!, raw[7]!)));
      const acInRow0 = f.v128.and(raw[0]!, named('not dc'));
      f.if(f.i32.eqz(f.v128.any_true(f.v128.or(f.v128.or(lo, hi), acInRow0))), () => {
        if (v.libjpeg) {
          // DC only: every sample is RANGE_LIMIT[((DC << 2) + 16) >> 5] (libjpeg's column then row shortcuts).
          f.set(dc, f.i32.shr_s(f.i32.add(f.i32.shl(f.i32.mul(f.i32.load16_s(p.coef), f.i32.load(p.quant)), 2), 16), 5));
          f.set(dc, f.i32.add(f.i32.shr_s(f.i32.shl(dc, 22), 22), 128));
        } else {
          // DC only: every sample is clamp(((DC << 2) << 12 + bias) >> 17), DC the 16-bit product.
          f.set(dc, f.i32.shr_s(f.i32.add(f.i32.shl(f.i16x8.extract_lane_s(raw[0]!, 0), 14), v.bias2), v.shift2));
        }
        f.set(T.t0, f.i8x16.splat(f.select(0, f.select(255, dc, f.i32.gt_s(dc, 255)), f.i32.lt_s(dc, 0))));
        for (let r = 0; r < 8; r++) f.v128.store64_lane(at(r), T.t0, 0);
      }, () => {
        // Coefficients only in rows 0..3 and columns 0..3 (most blocks of most photos): half the work.
        f.if(f.i32.eqz(f.v128.any_true(f.v128.or(hi, f.v128.and(f.v128.or(raw[0]!, lo), named('columns 4..7'))))), () => {
          pass1(0, true);
          pass2(0, true); pass2(1, true);
        }, () => {
          pass1(0, false); pass1(1, false);
          pass2(0, false); pass2(1, false);
        });
      });
      f.inc(p.coef, 128);
      f.inc(p.out, 8);
      f.set(p.n, f.i32.sub(p.n, 1));
    });
  });
}

export const jpegIdctSource: KernelSource = (mb: ModuleBuilder) => {
  idctKernel(mb, ISLOW);
  idctKernel(mb, STB);
};
