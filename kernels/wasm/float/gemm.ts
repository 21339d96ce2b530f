/**
 * float32 GEMM and indirect GEMM (IGEMM) micro-kernels, the register-blocked MR x 8 layout of XNNPACK's
 * f32-gemm / f32-igemm wasmsimd kernels (learned from, not copied):
 *
 *   C[i][j] = clamp(bias[j] + sum_k A[i][k] * W[k][j], min, max)
 *
 * - Weights are packed once at prepare into panels of NR = 8 columns: per panel 8 bias values, then for each k
 *   the 8 weights W[k][p*8 .. p*8+7] (zero past n). One panel is (k + 1) * 8 floats.
 * - The kernel keeps MR x 8 accumulators (2 v128 per row) in locals, splats one A value per row per k
 *   (`v128.load32_splat`) and multiplies it into the two weight vectors; k is unrolled by 4.
 * - Row remainder: rows past m alias the last real row (same A, same C), and rows are stored from last to
 *   first, so duplicates write the same values. Column remainder: 4, 2, 1 lanes stored with lane stores.
 * - IGEMM reads A through an indirection buffer (no im2col): for each block of MR output pixels and each of the
 *   `ks` filter taps, MR pointers to `kc` input channels. Pointers are relative to the input tensor (`aOffset` is
 *   added at run time, so the buffer is built at prepare before the arena is placed), except those equal to
 *   `zero`, an absolute pointer to a zero row used for padding taps.
 *
 * Pointers and strides are in bytes; `k`, `kc`, `n`, `m` count elements.
 */
import type { Expr, FunctionBuilder, Local } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

export const GEMM_NR = 8;
/** Row blocks exported; the kernels choose MR per call. */
export const GEMM_MRS = [1, 4, 6] as const;

/** acc[r][0..1] += splat(A_r[k]) * (W[k][0..3], W[k][4..7]) for u = 0..unroll-1. */
function kStep(f: FunctionBuilder, acc: Local[][], ap: Local[], w: Local, va: Local, vb0: Local, vb1: Local, unroll: number): void {
  for (let u = 0; u < unroll; u++) {
    f.set(vb0, f.v128.load(w, 32 * u));
    f.set(vb1, f.v128.load(w, 32 * u + 16));
    ap.forEach((p, r) => {
      f.set(va, f.v128.load32_splat(p, 4 * u));
      f.set(acc[r]![0]!, f.f32x4.add(acc[r]![0]!, f.f32x4.mul(va, vb0)));
      f.set(acc[r]![1]!, f.f32x4.add(acc[r]![1]!, f.f32x4.mul(va, vb1)));
    });
  }
}

/** The k loop over `kc` values of each row pointer `ap` (advanced) and the packed weights `w` (advanced). */
function kLoop(f: FunctionBuilder, acc: Local[][], ap: Local[], w: Local, kc: Expr | Local, kk: Local): void {
  const va = f.local('v128', 'va'), vb0 = f.local('v128', 'vb0'), vb1 = f.local('v128', 'vb1');
  f.set(kk, kc);
  f.while(f.i32.ge_u(kk, 4), () => {
    kStep(f, acc, ap, w, va, vb0, vb1, 4);
    for (const p of ap) f.inc(p, 16);
    f.inc(w, 128);
    f.set(kk, f.i32.sub(kk, 4));
  });
  f.while(kk, () => {
    kStep(f, acc, ap, w, va, vb0, vb1, 1);
    for (const p of ap) f.inc(p, 4);
    f.inc(w, 32);
    f.set(kk, f.i32.sub(kk, 1));
  });
}

/** Accumulators from the panel's bias (w advanced past it). */
function loadBias(f: FunctionBuilder, acc: Local[][], w: Local): void {
  for (const row of acc) {
    f.set(row[0]!, f.v128.load(w));
    f.set(row[1]!, f.v128.load(w, 16));
  }
  f.inc(w, 32);
}

/**
 * Clamps and stores the MR x 8 block at c[r] (rows last to first); for nc < 8 stores 4/2/1 lanes. Advances
 * c[r] by 32 bytes for a full panel. Returns nothing; nc is the columns left (>= 1).
 */
export function storeBlock(f: FunctionBuilder, acc: Local[][], c: Local[], nc: Local, vmin: Local, vmax: Local): void {
  for (const row of acc) {
    // pmax(v, lo) = v < lo ? lo : v, then pmin(v, hi) = hi < v ? hi : v: one instruction each on x86, NaN kept.
    for (const v of row) f.set(v, f.f32x4.pmin(f.f32x4.pmax(v, vmin), vmax));
  }
  const rows = [...acc.keys()].reverse();
  f.if(f.i32.ge_u(nc, 8), () => {
    for (const r of rows) {
      f.v128.store(c[r]!, acc[r]![0]!);
      f.v128.store(c[r]!, acc[r]![1]!, 16);
      f.inc(c[r]!, 32);
    }
  }, () => {
    f.if(f.i32.and(nc, 4), () => {
      for (const r of rows) {
        f.v128.store(c[r]!, acc[r]![0]!);
        f.set(acc[r]![0]!, acc[r]![1]!);
        f.inc(c[r]!, 16);
      }
    });
    f.if(f.i32.and(nc, 2), () => {
      for (const r of rows) {
        f.v128.store64_lane(c[r]!, acc[r]![0]!, 0);
        f.set(acc[r]![0]!, f.i32x4.shuffle(acc[r]![0]!, acc[r]![0]!, [2, 3, 2, 3]));
        f.inc(c[r]!, 8);
      }
    });
    f.if(f.i32.and(nc, 1), () => {
      for (const r of rows) f.v128.store32_lane(c[r]!, acc[r]![0]!, 0);
    });
  });
}

/** Row pointers for a block of `mr` real rows: row r = row r-1 + stride, or row r-1 itself when r >= mr. */
function aliasRows(f: FunctionBuilder, ptrs: Local[], base: Operand0, stride: Local, mr: Local): void {
  f.set(ptrs[0]!, base);
  for (let r = 1; r < ptrs.length; r++) {
    f.set(ptrs[r]!, f.select(f.i32.add(ptrs[r - 1]!, stride), ptrs[r - 1]!, f.i32.gt_u(mr, r)));
  }
}
type Operand0 = Local | Expr;

function makeAcc(f: FunctionBuilder, mr: number): Local[][] {
  return Array.from({ length: mr }, (_, r) => [f.local('v128', `acc${r}a`), f.local('v128', `acc${r}b`)]);
}

/** f32_gemm_{MR}x8(m, n, k, a, lda, w, c, ldc, clamp): clamp points to [min, max] as two f32 (see params.ts). */
function emitGemm(mb: Parameters<KernelSource>[0], MR: number): void {
  const params = {
    m: 'i32', n: 'i32', k: 'i32', a: 'i32', lda: 'i32', w: 'i32', c: 'i32', ldc: 'i32', clamp: 'i32',
  } as const;
  mb.addFunction(`f32_gemm_${MR}x8`, { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const mr = f.local('i32', 'mr'), nc = f.local('i32', 'nc'), wp = f.local('i32', 'wp'), kk = f.local('i32', 'kk');
    const arow = f.locals('i32', MR, 'arow'), crow = f.locals('i32', MR, 'crow'), ap = f.locals('i32', MR, 'ap');
    const acc = makeAcc(f, MR);
    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(mr, f.select(MR, p.m, f.i32.gt_u(p.m, MR)));
      aliasRows(f, arow, f.get(p.a), p.lda, mr);
      aliasRows(f, crow, f.get(p.c), p.ldc, mr);
      f.set(nc, p.n);
      f.set(wp, p.w);
      f.while(f.i32.gt_s(nc, 0), () => {
        loadBias(f, acc, wp);
        ap.forEach((x, r) => f.set(x, arow[r]!));
        kLoop(f, acc, ap, wp, p.k, kk);
        storeBlock(f, acc, crow, nc, vmin, vmax);
        f.set(nc, f.i32.sub(nc, 8));
      });
      f.set(p.m, f.i32.sub(p.m, mr));
      f.set(p.a, f.i32.add(p.a, f.i32.mul(mr, p.lda)));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(mr, p.ldc)));
    });
  });
}

/**
 * f32_igemm_{MR}x8(m, n, kc, ks, ind, aOffset, zero, w, c, ldc, clamp): m output rows (pixels), written
 * contiguously with row stride ldc; ind holds ceil(m / MR) * ks * MR pointers.
 */
function emitIgemm(mb: Parameters<KernelSource>[0], MR: number): void {
  const params = {
    m: 'i32', n: 'i32', kc: 'i32', ks: 'i32', ind: 'i32', aOffset: 'i32', zero: 'i32', w: 'i32', c: 'i32', ldc: 'i32',
    clamp: 'i32',
  } as const;
  mb.addFunction(`f32_igemm_${MR}x8`, { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const mr = f.local('i32', 'mr'), nc = f.local('i32', 'nc'), wp = f.local('i32', 'wp'), kk = f.local('i32', 'kk');
    const t = f.local('i32', 't'), ip = f.local('i32', 'ip');
    const crow = f.locals('i32', MR, 'crow'), ap = f.locals('i32', MR, 'ap');
    const acc = makeAcc(f, MR);
    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(mr, f.select(MR, p.m, f.i32.gt_u(p.m, MR)));
      aliasRows(f, crow, f.get(p.c), p.ldc, mr);
      f.set(nc, p.n);
      f.set(wp, p.w);
      f.while(f.i32.gt_s(nc, 0), () => {
        loadBias(f, acc, wp);
        f.set(ip, p.ind);
        f.set(t, p.ks);
        f.while(t, () => {
          ap.forEach((x, r) => {
            f.set(x, f.i32.load(ip, 4 * r));
            f.set(x, f.select(p.zero, f.i32.add(x, p.aOffset), f.i32.eq(x, p.zero)));
          });
          f.inc(ip, 4 * MR);
          kLoop(f, acc, ap, wp, p.kc, kk);
          f.set(t, f.i32.sub(t, 1));
        });
        storeBlock(f, acc, crow, nc, vmin, vmax);
        f.set(nc, f.i32.sub(nc, 8));
      });
      f.set(p.ind, f.i32.add(p.ind, f.i32.mul(p.ks, 4 * MR)));
      f.set(p.m, f.i32.sub(p.m, mr));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(mr, p.ldc)));
    });
  });
}

export const f32GemmSource: KernelSource = (mb) => {
  for (const mr of GEMM_MRS) emitGemm(mb, mr);
  for (const mr of GEMM_MRS) emitIgemm(mb, mr);
};
