/**
 * Sparse float32 1x1 convolution (SpMM) over NHWC tensors, for weights that are mostly zeros (pruned models such
 * as MediaPipe's `*_sparse.tflite`, whose DENSIFY ops are folded at prepare):
 *
 *   C[i][j] = clamp(bias[j] + sum over the non-zero W[j][kk] of W[j][kk] * A[i][kk], min, max)
 *
 * XNNPACK runs such layers in CHW layout (its f32-spmm kernels vectorise over pixels of one channel, which are
 * contiguous there). embedlite keeps NHWC everywhere, so the kernel makes that layout per tile of MR = 16 pixels:
 * 1. transpose the tile's input rows into `xt` (k rows of 16 floats; 4x4 blocks with shuffles);
 * 2. for each output channel j, walk its non-zero weights: acc[0..15] += w * xt[kk][0..15] (4 v128 accumulators),
 *    add nothing for the zeros; clamp; store to `ct` (n rows of 16 floats);
 * 3. transpose `ct` back into the tile's NHWC output rows.
 * The transposes cost about one instruction per element, the products a little under one per non-zero
 * multiply-add; where it beats the dense GEMM: SPARSE_MIN_ZERO_FRACTION in conv_2d.ts.
 *
 * Packed weights (built at prepare by packSparseWeights): per output channel, bias (f32), count (i32), then count
 * pairs (absolute address of xt's row kk as i32, weight as f32). Rows past m alias the last real row, as in the
 * dense GEMM: duplicates compute and store the same values.
 */
import type { FunctionBuilder, Local } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';
import type { WasmRuntime } from '../runtime.js';

export const SPMM_MR = 16;
const ROW_BYTES = SPMM_MR * 4;

/** Transposes the 4x4 block r[0..3] (rows) into t[0..3] (columns). */
function transpose4(f: FunctionBuilder, r: Local[], t: Local[], u: Local[]): void {
  f.set(u[0]!, f.i32x4.shuffle(r[0]!, r[1]!, [0, 4, 1, 5]));
  f.set(u[1]!, f.i32x4.shuffle(r[2]!, r[3]!, [0, 4, 1, 5]));
  f.set(u[2]!, f.i32x4.shuffle(r[0]!, r[1]!, [2, 6, 3, 7]));
  f.set(u[3]!, f.i32x4.shuffle(r[2]!, r[3]!, [2, 6, 3, 7]));
  f.set(t[0]!, f.i32x4.shuffle(u[0]!, u[1]!, [0, 1, 4, 5]));
  f.set(t[1]!, f.i32x4.shuffle(u[0]!, u[1]!, [2, 3, 6, 7]));
  f.set(t[2]!, f.i32x4.shuffle(u[2]!, u[3]!, [0, 1, 4, 5]));
  f.set(t[3]!, f.i32x4.shuffle(u[2]!, u[3]!, [2, 3, 6, 7]));
}

/** Row pointers of a tile: row r = row r-1 + stride while r < mr, else the last real row again. */
function tileRows(f: FunctionBuilder, rows: Local[], base: Local, stride: Local, mr: Local): void {
  f.set(rows[0]!, base);
  for (let r = 1; r < rows.length; r++) {
    f.set(rows[r]!, f.select(f.i32.add(rows[r - 1]!, stride), rows[r - 1]!, f.i32.gt_u(mr, r)));
  }
}

/** f32_spmm_16(m, n, k, a, lda, w, c, ldc, clamp, xt, ct): strides and pointers in bytes. */
export const f32SpmmSource: KernelSource = (mb) => {
  const params = {
    m: 'i32', n: 'i32', k: 'i32', a: 'i32', lda: 'i32', w: 'i32', c: 'i32', ldc: 'i32', clamp: 'i32', xt: 'i32', ct: 'i32',
  } as const;
  mb.addFunction('f32_spmm_16', { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const mr = f.local('i32', 'mr'), ofs = f.local('i32', 'ofs'), end4 = f.local('i32', 'end4'), endAll = f.local('i32', 'endAll');
    const xp = f.local('i32', 'xp'), wp = f.local('i32', 'wp'), cp = f.local('i32', 'cp'), cnt = f.local('i32', 'cnt');
    const j = f.local('i32', 'j'), x0 = f.local('i32', 'x0'), x1 = f.local('i32', 'x1');
    const arow = f.locals('i32', SPMM_MR, 'arow'), crow = f.locals('i32', SPMM_MR, 'crow');
    const r = f.locals('v128', 4, 'r'), t = f.locals('v128', 4, 't'), u = f.locals('v128', 4, 'u');
    const acc = f.locals('v128', 4, 'acc'), w0 = f.local('v128', 'w0'), w1 = f.local('v128', 'w1');

    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(mr, f.select(SPMM_MR, p.m, f.i32.gt_u(p.m, SPMM_MR)));
      tileRows(f, arow, p.a, p.lda, mr);
      tileRows(f, crow, p.c, p.ldc, mr);

      // 1. xt[kk][i] = A[i][kk]: 4 channels at a time by 4x4 transposes, then one channel at a time.
      f.set(endAll, f.i32.shl(p.k, 2));
      f.set(end4, f.i32.and(endAll, ~15));
      f.set(ofs, 0);
      f.set(xp, p.xt);
      f.while(f.i32.lt_u(ofs, end4), () => {
        for (let ib = 0; ib < SPMM_MR / 4; ib++) {
          for (let q = 0; q < 4; q++) f.set(r[q]!, f.v128.load(f.i32.add(arow[4 * ib + q]!, ofs)));
          transpose4(f, r, t, u);
          for (let q = 0; q < 4; q++) f.v128.store(xp, t[q]!, q * ROW_BYTES + ib * 16);
        }
        f.inc(xp, 4 * ROW_BYTES);
        f.inc(ofs, 16);
      });
      f.while(f.i32.lt_u(ofs, endAll), () => {
        arow.forEach((row, i) => f.f32.store(xp, f.f32.load(f.i32.add(row, ofs)), 4 * i));
        f.inc(xp, ROW_BYTES);
        f.inc(ofs, 4);
      });

      // 2. ct[j][0..15] = clamp(bias[j] + sum of w * xt[kk][0..15]), two non-zeros per iteration.
      f.set(wp, p.w);
      f.set(cp, p.ct);
      f.set(j, p.n);
      f.while(j, () => {
        for (const a of acc) f.set(a, f.v128.load32_splat(wp));
        f.set(cnt, f.i32.load(wp, 4));
        f.inc(wp, 8);
        f.while(f.i32.ge_u(cnt, 2), () => {
          f.set(x0, f.i32.load(wp));
          f.set(w0, f.v128.load32_splat(wp, 4));
          f.set(x1, f.i32.load(wp, 8));
          f.set(w1, f.v128.load32_splat(wp, 12));
          acc.forEach((a, q) => f.set(a, f.f32x4.add(a, f.f32x4.mul(w0, f.v128.load(x0, 16 * q)))));
          acc.forEach((a, q) => f.set(a, f.f32x4.add(a, f.f32x4.mul(w1, f.v128.load(x1, 16 * q)))));
          f.inc(wp, 16);
          f.set(cnt, f.i32.sub(cnt, 2));
        });
        f.if(cnt, () => {
          f.set(x0, f.i32.load(wp));
          f.set(w0, f.v128.load32_splat(wp, 4));
          acc.forEach((a, q) => f.set(a, f.f32x4.add(a, f.f32x4.mul(w0, f.v128.load(x0, 16 * q)))));
          f.inc(wp, 8);
        });
        // pmax/pmin as in the dense GEMM's epilogue (one instruction each on x86, NaN kept).
        acc.forEach((a, q) => f.v128.store(cp, f.f32x4.pmin(f.f32x4.pmax(a, vmin), vmax), 16 * q));
        f.inc(cp, ROW_BYTES);
        f.set(j, f.i32.sub(j, 1));
      });

      // 3. C[i][j] = ct[j][i]: 4 channels at a time by 4x4 transposes, then one channel at a time.
      f.set(endAll, f.i32.shl(p.n, 2));
      f.set(end4, f.i32.and(endAll, ~15));
      f.set(ofs, 0);
      f.set(cp, p.ct);
      f.while(f.i32.lt_u(ofs, end4), () => {
        for (let ib = 0; ib < SPMM_MR / 4; ib++) {
          for (let q = 0; q < 4; q++) f.set(r[q]!, f.v128.load(cp, q * ROW_BYTES + ib * 16));
          transpose4(f, r, t, u);
          for (let q = 0; q < 4; q++) f.v128.store(f.i32.add(crow[4 * ib + q]!, ofs), t[q]!);
        }
        f.inc(cp, 4 * ROW_BYTES);
        f.inc(ofs, 16);
      });
      f.while(f.i32.lt_u(ofs, endAll), () => {
        crow.forEach((row, i) => f.f32.store(f.i32.add(row, ofs), f.f32.load(cp, 4 * i)));
        f.inc(cp, ROW_BYTES);
        f.inc(ofs, 4);
      });

      f.set(p.m, f.i32.sub(p.m, mr));
      f.set(p.a, f.i32.add(p.a, f.i32.mul(mr, p.lda)));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(mr, p.ldc)));
    });
  });
};

/** Scratch of the SpMM kernel for k input and n output channels: [xt, ct] pointers. */
export function allocSpmmScratch(rt: WasmRuntime, k: number, n: number): [number, number] {
  return [rt.alloc(k * ROW_BYTES), rt.alloc(n * ROW_BYTES)];
}

/** Non-zero weights among W's n rows of k values (`src[offset + j * rowStride + kk]`). */
export function countNonZeros(n: number, k: number, src: Float32Array, offset: number, rowStride: number): number {
  let nz = 0;
  for (let j = 0; j < n; j++) {
    const s = offset + j * rowStride;
    for (let kk = 0; kk < k; kk++) if (src[s + kk] !== 0) nz++;
  }
  return nz;
}

/**
 * Packs the non-zero weights of W (n rows of k values, as packGemmWeights takes them) and the bias for
 * f32_spmm_16 with scratch `xt`: per channel bias, count, then (xt + kk * 64, W[j][kk]) pairs. Returns the pointer.
 */
export function packSparseWeights(
  rt: WasmRuntime, n: number, k: number, src: Float32Array, offset: number, rowStride: number,
  bias: Float32Array | null, biasOffset: number, xt: number,
): number {
  const words = 2 * n + 2 * countNonZeros(n, k, src, offset, rowStride);
  const ptr = rt.alloc(words * 4);
  const f = rt.f32(ptr, words), i = rt.i32(ptr, words);
  let q = 0;
  for (let j = 0; j < n; j++) {
    f[q] = bias ? bias[biasOffset + j]! : 0;
    const countAt = q + 1;
    q += 2;
    const s = offset + j * rowStride;
    for (let kk = 0; kk < k; kk++) {
      const v = src[s + kk]!;
      if (v === 0) continue;
      i[q] = xt + kk * ROW_BYTES;
      f[q + 1] = v;
      q += 2;
    }
    i[countAt] = (q - countAt - 1) / 2;
  }
  return ptr;
}
