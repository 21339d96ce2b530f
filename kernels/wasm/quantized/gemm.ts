/**
 * uint8/int8 indirect GEMM micro-kernels (CONV_2D, FULLY_CONNECTED), the MR x 8 "c2" layout of XNNPACK's
 * qs8-igemm wasmsimd dot16x2 kernels (learned from, not copied):
 *
 *   C[i][j] = requant(bias'[j] + sum_t sum_k A_t[i][k] * W[t][k][j])
 *
 * - Rows of A are read through an indirection buffer: per block of MR output rows and per tap t, MR pointers
 *   (rebased from input-relative offsets by `q8_rebase` when the input moves; a padding tap points at a row
 *   filled with the input zero point). The zero points are folded into bias' at prepare
 *   (bias' = bias - zp_x * sum (w - zp_w)), so A is used as stored and padding contributes (zp_x - zp_x) = 0.
 * - Weights (w - zp_w, int16) are packed once per panel of 8 output channels: 8 int32 bias', the requantization
 *   block (requant.ts), then per tap and per 8 values of k (zero past kc) four pairs (k, k+1) of
 *   [c0k c0k' c1k c1k' c2k c2k' c3k c3k'][c4k .. c7k'] — 8 int16 x 2.
 * - Per 8 values of k a row is loaded once (v128.load8x8_{u,s}), its 32-bit lane p (the pair 2p, 2p+1) is
 *   broadcast and i32x4.dot_i16x8_s multiplies it into both halves of pair p: accumulator lanes are channels.
 *   A row may read up to 7 bytes past kc (multiplied by zero weights).
 * - Row remainder: rows past m alias the last real row (the indirection repeats it, C rows alias); column
 *   remainder: 4, 2, 1 bytes stored with lane stores.
 */
import type { FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import { type QMode, type QType, paramBlockBytes, requantizer, storeBytes } from './requant.js';

export const QGEMM_NR = 8;
export const QGEMM_MRS = [1, 2, 3, 4] as const;

/** Rows per block for m rows. */
export function chooseQMR(m: number): number {
  return Math.min(4, Math.max(1, m));
}

/** Bytes of one packed panel: bias, requantization block, ks * kc8 * (8 k x 8 channels int16). */
export function panelBytes(mode: QMode, ks: number, kc8: number): number {
  return 32 + paramBlockBytes(mode) + ks * kc8 * 128;
}

export function igemmName(type: QType, mode: QMode, mr: number): string {
  return `q${type}_igemm_${mode}_${mr}x8`;
}

/** acc[r] += A_r[0..7] x W[0..7][0..7], A_r advanced by 8, w by 128. */
function kBlock(f: FunctionBuilder, type: QType, acc: Local[][], ap: Local[], va: Local[], w: Local, wlo: Local, whi: Local): void {
  ap.forEach((p, r) => f.set(va[r]!, type === 'u8' ? f.v128.load8x8_u(p) : f.v128.load8x8_s(p)));
  for (let pair = 0; pair < 4; pair++) {
    f.set(wlo, f.v128.load(w, 32 * pair));
    f.set(whi, f.v128.load(w, 32 * pair + 16));
    va.forEach((v, r) => {
      const s = f.i32x4.shuffle(v, v, [pair, pair, pair, pair]);
      f.set(acc[r]![0]!, f.i32x4.add(acc[r]![0]!, f.i32x4.dot_i16x8_s(s, wlo)));
      f.set(acc[r]![1]!, f.i32x4.add(acc[r]![1]!, f.i32x4.dot_i16x8_s(s, whi)));
    });
  }
  for (const p of ap) f.inc(p, 8);
  f.inc(w, 128);
}

/**
 * q{u8,s8}_igemm_{mode}_{MR}x8(m, n, kc8, ks, ind, w, c, ldc, zp, lo, hi): m output rows written with
 * row stride ldc bytes, n channels; ind holds ceil(m / MR) * ks * MR pointers.
 */
function emitIgemm(mb: ModuleBuilder, type: QType, mode: QMode, MR: number): void {
  const params = {
    m: 'i32', n: 'i32', kc8: 'i32', ks: 'i32', ind: 'i32', w: 'i32', c: 'i32', ldc: 'i32',
    zp: 'i32', lo: 'i32', hi: 'i32',
  } as const;
  mb.addFunction(igemmName(type, mode, MR), { params }, (f, p) => {
    const rq = requantizer(f, mode, type, p);
    const mr = f.local('i32', 'mr'), nc = f.local('i32', 'nc'), wp = f.local('i32', 'wp'), pp = f.local('i32', 'pp');
    const t = f.local('i32', 't'), ip = f.local('i32', 'ip'), kk = f.local('i32', 'kk'), col = f.local('i32', 'col');
    const op = f.local('i32', 'op');
    const crow = f.locals('i32', MR, 'crow'), ap = f.locals('i32', MR, 'ap');
    const va = f.locals('v128', MR, 'va');
    const wlo = f.local('v128', 'wlo'), whi = f.local('v128', 'whi'), out = f.local('v128', 'out');
    const acc = Array.from({ length: MR }, (_, r) => [f.local('v128', `acc${r}a`), f.local('v128', `acc${r}b`)]);
    const panel = 32 + paramBlockBytes(mode);
    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(mr, f.select(MR, p.m, f.i32.gt_u(p.m, MR)));
      f.set(crow[0]!, p.c);
      for (let r = 1; r < MR; r++) {
        f.set(crow[r]!, f.select(f.i32.add(crow[r - 1]!, p.ldc), crow[r - 1]!, f.i32.gt_u(mr, r)));
      }
      f.set(nc, p.n);
      f.set(wp, p.w);
      f.set(col, 0);
      f.while(f.i32.gt_s(nc, 0), () => {
        for (const row of acc) {
          f.set(row[0]!, f.v128.load(wp));
          f.set(row[1]!, f.v128.load(wp, 16));
        }
        f.set(pp, f.i32.add(wp, 32));
        f.inc(wp, panel);
        f.set(ip, p.ind);
        f.set(t, p.ks);
        f.while(t, () => {
          ap.forEach((x, r) => f.set(x, f.i32.load(ip, 4 * r)));
          f.inc(ip, 4 * MR);
          f.set(kk, p.kc8);
          f.while(kk, () => {
            kBlock(f, type, acc, ap, va, wp, wlo, whi);
            f.set(kk, f.i32.sub(kk, 1));
          });
          f.set(t, f.i32.sub(t, 1));
        });
        for (let r = MR - 1; r >= 0; r--) {
          f.set(out, rq.finish(acc[r]![0]!, acc[r]![1]!, pp));
          f.set(op, f.i32.add(crow[r]!, col));
          storeBytes(f, op, out, nc);
        }
        f.inc(col, 8);
        f.set(nc, f.i32.sub(nc, 8));
      });
      f.set(p.ind, f.i32.add(p.ind, f.i32.mul(p.ks, 4 * MR)));
      f.set(p.m, f.i32.sub(p.m, mr));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(mr, p.ldc)));
    });
  });
}

export const qGemmSource: KernelSource = (mb) => {
  for (const type of ['u8', 's8'] as const) {
    for (const mode of ['fp32', 'ref'] as const) {
      for (const mr of QGEMM_MRS) emitIgemm(mb, type, mode, mr);
    }
  }
  emitIm2col(mb);
  emitRebase(mb);
};

/** q8_rebase(src, dst, n, a, zero): dst[i] = src[i] == -1 ? zero : a + src[i] (indirection offsets → pointers). */
function emitRebase(mb: ModuleBuilder): void {
  const params = { src: 'i32', dst: 'i32', n: 'i32', a: 'i32', zero: 'i32' } as const;
  mb.addFunction('q8_rebase', { params }, (f, p) => {
    const v = f.local('i32', 'v');
    f.while(p.n, () => {
      f.set(v, f.i32.load(p.src));
      f.i32.store(p.dst, f.select(p.zero, f.i32.add(v, p.a), f.i32.eq(v, -1)));
      f.inc(p.src, 4);
      f.inc(p.dst, 4);
      f.set(p.n, f.i32.sub(p.n, 1));
    });
  });
}

/**
 * q8_im2col(rows, ks, kc, ind, dst, kpad): row r of dst (kpad bytes apart) = the kc bytes of each of its
 * ks taps (ind as for a depthwise: [row][tap] pointers), back to back. Copies 8 bytes at a time: a tap may
 * write up to 7 bytes past its end, which the next tap (or row) overwrites; dst needs 8 bytes of slack.
 */
function emitIm2col(mb: ModuleBuilder): void {
  const params = { rows: 'i32', ks: 'i32', kc: 'i32', ind: 'i32', dst: 'i32', kpad: 'i32' } as const;
  mb.addFunction('q8_im2col', { params }, (f, p) => {
    const t = f.local('i32', 't'), src = f.local('i32', 'src'), d = f.local('i32', 'd'), row = f.local('i32', 'row');
    const n = f.local('i32', 'n');
    f.set(row, p.dst);
    f.while(p.rows, () => {
      f.set(d, row);
      f.set(t, p.ks);
      f.while(t, () => {
        f.set(src, f.i32.load(p.ind));
        f.set(n, p.kc);
        f.while(f.i32.gt_s(n, 0), () => {
          f.i64.store(d, f.i64.load(src, 0, 0), 0, 0);
          f.inc(d, 8);
          f.inc(src, 8);
          f.set(n, f.i32.sub(n, 8));
        });
        f.set(d, f.i32.add(d, n)); // n <= 0: back to the tap's end
        f.inc(p.ind, 4);
        f.set(t, f.i32.sub(t, 1));
      });
      f.set(row, f.i32.add(row, p.kpad));
      f.set(p.rows, f.i32.sub(p.rows, 1));
    });
  });
}
