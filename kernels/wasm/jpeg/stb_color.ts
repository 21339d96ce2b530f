/**
 * stb_image's other two triangle filters fused with its YCbCr -> RGB conversion (stbi__YCbCr_to_RGB_row) in
 * SIMD128, byte for byte what the typed-array stages compute (src/image/jpeg/upsample.ts stbUpsampler, then
 * color.ts stbYccToRgb). The colour arithmetic and the 16-pixel stores are color.ts's (colorStore).
 *
 * - `jpeg_stb_h2v1_ycc(y, cb, cr, dsw, out, tb, k)`: one RGB row of 4:2:2 (stbi__resample_row_h_2): outputs
 *   (3 s[i] + s[i-1] + 2) >> 2 and (3 s[i] + s[i+1] + 2) >> 2, the edges repeating the first and last sample,
 *   except stb's right edge: for dsw >= 2, output 2 (dsw - 1) is (3 s[dsw-2] + s[dsw-1] + 2) >> 2 (the weights
 *   swapped). The row is color.ts's h2 kernel with these biases, then that one pixel is recomputed in scalar code.
 *   `tb`: a scratch of at least 4 * (dsw + 24) bytes.
 * - `jpeg_stb_v2_ycc(y, cbNear, cbFar, crNear, crFar, width, out, k)`: one RGB row of 4:4:0
 *   (stbi__resample_row_v_2): chroma (3 near + far + 2) >> 2 per sample.
 *
 * Both store 48 bytes per 16 pixels, so a row may write up to 47 bytes past width * 3, and read up to 16 bytes
 * past their last sample (as color.ts's kernels do).
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder, Operand } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { colorStore, colorTemps, type H2Filter, h2Ycc } from './color.js';
import { defineI16, loadConst } from './consts.js';

/** stbi__resample_row_h_2 without its right-edge quirk (fixed by jpeg_stb_h2v1_ycc). */
const STB_H2: H2Filter = { name: 'jpeg_stb_h2_rows', vertical: false, shift: 2, biasEven: 2, biasOdd: 2, stb: true };
defineI16(`${STB_H2.name} even`, STB_H2.biasEven - (128 << STB_H2.shift));
defineI16(`${STB_H2.name} odd`, STB_H2.biasOdd - (128 << STB_H2.shift));
/** stbi__resample_row_v_2's rounding less 128 << 2, so (3 near + far + this) >> 2 is the centred chroma. */
defineI16('stb v2 bias', 2 - (128 << 2));

/** clamp(x, 0, 255) stored as a byte at `addr`. */
function storeClamped(f: FunctionBuilder, addr: Operand, x: Local): void {
  f.i32.store8(addr, f.select(0, f.select(255, x, f.i32.gt_s(x, 255)), f.i32.lt_s(x, 0)));
}

/**
 * stbi__YCbCr_to_RGB_row for one pixel, in scalar code: Y at `yAddr`, centred chroma u = Cb - 128, v = Cr - 128;
 * the 3 bytes at `out`. (yf = (Y << 20) + 2^19 and stb's constants are 12-bit values << 8, so each >> 20 is
 * Y + ((c * chroma + 2048) >> 12); green keeps stb's truncation of the Cb term to 2^16 units: & ~255 here.)
 */
function stbPixel(f: FunctionBuilder, yAddr: Operand, u: Local, v: Local, out: Local, tmp: Local, Y: Local): void {
  const I = f.i32;
  f.set(Y, I.load8_u(yAddr));
  f.set(tmp, I.add(Y, I.shr_s(I.add(I.mul(v, 5743), 2048), 12)));
  storeClamped(f, out, tmp);
  const cbG = I.and(I.mul(u, -1410), ~255);
  f.set(tmp, I.add(Y, I.shr_s(I.add(I.add(I.mul(v, -2925), cbG), 2048), 12)));
  storeClamped(f, I.add(out, 1), tmp);
  f.set(tmp, I.add(Y, I.shr_s(I.add(I.mul(u, 7258), 2048), 12)));
  storeClamped(f, I.add(out, 2), tmp);
}

function stbH2v1(mb: ModuleBuilder): void {
  const rows = h2Ycc(mb, STB_H2);
  mb.addFunction('jpeg_stb_h2v1_ycc', {
    params: { y: 'i32', cb: 'i32', cr: 'i32', dsw: 'i32', out: 'i32', tb: 'i32', k: 'i32' },
  }, (f, p) => {
    const I = f.i32;
    f.call(rows, p.y, p.cb, p.cr, p.dsw, p.out, p.tb, p.k);
    const x = f.local('i32', 'x'), u = f.local('i32', 'u'), v = f.local('i32', 'v');
    const tmp = f.local('i32', 'tmp'), Y = f.local('i32', 'Y'), o = f.local('i32', 'o');
    f.if(I.gt_s(p.dsw, 1), () => {
      // Output 2 (dsw - 1): chroma (3 s[dsw - 2] + s[dsw - 1] + 2) >> 2.
      f.set(x, I.shl(I.sub(p.dsw, 1), 1));
      for (const [s, c] of [[p.cb, u], [p.cr, v]] as const) {
        f.set(tmp, I.add(s, p.dsw)); // s + dsw; the loads subtract first (memory offsets are unsigned)
        f.set(c, I.sub(I.shr_s(I.add(I.add(I.mul(I.load8_u(I.sub(tmp, 2)), 3), I.load8_u(I.sub(tmp, 1))), 2), 2), 128));
      }
      f.set(o, I.add(p.out, I.mul(x, 3)));
      stbPixel(f, I.add(p.y, x), u, v, o, tmp, Y);
    });
  });
}

function stbV2(mb: ModuleBuilder): void {
  mb.addFunction('jpeg_stb_v2_ycc', {
    params: { y: 'i32', cbN: 'i32', cbF: 'i32', crN: 'i32', crF: 'i32', width: 'i32', out: 'i32', k: 'i32' },
  }, (f, p) => {
    const H = f.i16x8;
    const T = colorTemps(f, p.k);
    const u = f.locals('v128', 2, 'u'), v = f.locals('v128', 2, 'v');
    const yv = f.local('v128', 'yv'), n = f.local('v128', 'n'), fa = f.local('v128', 'fa');
    const end = f.local('i32', 'end');
    const c = (name: string): Expr => loadConst(f, p.k, name);
    f.set(end, f.i32.add(p.y, p.width));
    f.while(f.i32.lt_u(p.y, end), () => {
      for (const [near, far, out] of [[p.cbN, p.cbF, u], [p.crN, p.crF, v]] as const) {
        f.set(n, f.v128.load(near, 0, 0));
        f.set(fa, f.v128.load(far, 0, 0));
        // Even samples (low bytes of the i16 lanes) and odd samples (high bytes): (3 near + far + 2) >> 2 - 128.
        const filter = (nn: Expr, ff: Expr): Expr => H.shr_s(H.add(H.add(H.mul(nn, c('color 3')), ff), c('stb v2 bias')), 2);
        f.set(out[0]!, filter(f.v128.and(n, c('color 255')), f.v128.and(fa, c('color 255'))));
        f.set(out[1]!, filter(H.shr_u(n, 8), H.shr_u(fa, 8)));
      }
      f.set(yv, f.v128.load(p.y, 0, 0));
      colorStore(f, yv, u, v, p.out, T, true);
      f.inc(p.y, 16); f.inc(p.out, 48);
      for (const q of [p.cbN, p.cbF, p.crN, p.crF]) f.inc(q, 16);
    });
  });
}

export const jpegStbColorSource: KernelSource = (mb: ModuleBuilder) => {
  stbH2v1(mb);
  stbV2(mb);
};
