/**
 * float32 1x1 convolutions over NHWC tensors vectorised over pixels instead of channels, dense and sparse (SpMM):
 *
 *   C[i][j] = clamp(bias[j] + sum over kk of W[j][kk] * A[i][kk], min, max)
 *
 * XNNPACK runs sparse layers in CHW layout (its f32-spmm kernels vectorise over the pixels of one channel, which
 * are contiguous there). embedlite keeps NHWC everywhere, so these kernels make that layout per tile of MR = 16
 * pixels:
 * 1. transpose the tile's input rows into `xt` (k rows of 16 floats; 4x4 blocks with shuffles);
 * 2. per output channel, acc[0..15] += w * xt[kk][0..15] (4 v128 accumulators):
 *    - f32_conv1x1_px16: every kk, two channels at a time so each xt row is loaded once for both;
 *    - f32_spmm_16: only the channel's non-zero weights (pruned models, e.g. MediaPipe's `*_sparse.tflite`,
 *      whose DENSIFY ops are folded at prepare);
 *    then clamp and store to `ct` (n rows of 16 floats);
 * 3. transpose `ct` back into the tile's NHWC output rows.
 * The transposes cost about one instruction per element; in exchange each input vector is loaded once per channel
 * (pair) and no splat per input element is needed, which beats the register-blocked GEMM (numbers in conv_2d.ts).
 *
 * Packed weights (built at prepare): dense, per pair of channels the two biases then the pair's two weights per
 * kk; sparse, per channel bias (f32), count (i32), then count pairs (absolute address of xt's row kk as i32,
 * weight as f32). Rows past m alias the last real row, as in the GEMM: duplicates compute and store the same
 * values.
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

/** Clamps the accumulators and stores them as ct's next row (cp advanced). */
function storeTileRow(f: FunctionBuilder, acc: Local[], cp: Local, vmin: Local, vmax: Local): void {
  // pmax/pmin as in the dense GEMM's epilogue (one instruction each on x86, NaN kept).
  acc.forEach((a, q) => f.v128.store(cp, f.f32x4.pmin(f.f32x4.pmax(a, vmin), vmax), 16 * q));
  f.inc(cp, ROW_BYTES);
}

/** Sparse products: per channel bias, count, then (xt row address, weight) pairs, two per iteration. */
function sparseChannels(f: FunctionBuilder, n: Local, wp: Local, cp: Local, vmin: Local, vmax: Local): void {
  const j = f.local('i32', 'j'), cnt = f.local('i32', 'cnt'), x0 = f.local('i32', 'x0'), x1 = f.local('i32', 'x1');
  const acc = f.locals('v128', 4, 'acc'), w0 = f.local('v128', 'w0'), w1 = f.local('v128', 'w1');
  f.set(j, n);
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
    storeTileRow(f, acc, cp, vmin, vmax);
    f.set(j, f.i32.sub(j, 1));
  });
}

/**
 * Dense products, two channels at a time (each xt row loaded once for both): per pair the two biases, then for
 * each kk the pair's two weights. An odd n has a zero last channel, stored to ct's spare row.
 */
function densePairs(f: FunctionBuilder, n: Local, k: Local, xt: Local, wp: Local, cp: Local, vmin: Local, vmax: Local): void {
  const j = f.local('i32', 'j'), kk = f.local('i32', 'kk'), xp = f.local('i32', 'xq');
  const acc0 = f.locals('v128', 4, 'accA'), acc1 = f.locals('v128', 4, 'accB'), x = f.locals('v128', 4, 'x');
  const w0 = f.local('v128', 'wA'), w1 = f.local('v128', 'wB');
  f.set(j, n);
  f.while(f.i32.gt_s(j, 0), () => {
    for (const a of acc0) f.set(a, f.v128.load32_splat(wp));
    for (const a of acc1) f.set(a, f.v128.load32_splat(wp, 4));
    f.inc(wp, 8);
    f.set(xp, xt);
    f.set(kk, k);
    f.while(kk, () => {
      f.set(w0, f.v128.load32_splat(wp));
      f.set(w1, f.v128.load32_splat(wp, 4));
      x.forEach((v, q) => f.set(v, f.v128.load(xp, 16 * q)));
      acc0.forEach((a, q) => f.set(a, f.f32x4.add(a, f.f32x4.mul(w0, x[q]!))));
      acc1.forEach((a, q) => f.set(a, f.f32x4.add(a, f.f32x4.mul(w1, x[q]!))));
      f.inc(wp, 8);
      f.inc(xp, ROW_BYTES);
      f.set(kk, f.i32.sub(kk, 1));
    });
    storeTileRow(f, acc0, cp, vmin, vmax);
    storeTileRow(f, acc1, cp, vmin, vmax);
    f.set(j, f.i32.sub(j, 2));
  });
}

/**
 * `name`(m, n, k, a, lda, w, c, ldc, clamp, xt, ct), strides and pointers in bytes: the tile loop with its two
 * transposes around `dense` (f32_conv1x1_px16) or sparse (f32_spmm_16) products.
 */
function emitPixelTileKernel(mb: Parameters<KernelSource>[0], name: string, dense: boolean): void {
  const params = {
    m: 'i32', n: 'i32', k: 'i32', a: 'i32', lda: 'i32', w: 'i32', c: 'i32', ldc: 'i32', clamp: 'i32', xt: 'i32', ct: 'i32',
  } as const;
  mb.addFunction(name, { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const mr = f.local('i32', 'mr'), ofs = f.local('i32', 'ofs'), end4 = f.local('i32', 'end4'), endAll = f.local('i32', 'endAll');
    const xp = f.local('i32', 'xp'), wp = f.local('i32', 'wp'), cp = f.local('i32', 'cp');
    const arow = f.locals('i32', SPMM_MR, 'arow'), crow = f.locals('i32', SPMM_MR, 'crow');
    const r = f.locals('v128', 4, 'r'), t = f.locals('v128', 4, 't'), u = f.locals('v128', 4, 'u');

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

      // 2. ct[j][0..15] = clamp(bias[j] + sum of w * xt[kk][0..15]).
      f.set(wp, p.w);
      f.set(cp, p.ct);
      if (dense) densePairs(f, p.n, p.k, p.xt, wp, cp, vmin, vmax);
      else sparseChannels(f, p.n, wp, cp, vmin, vmax);

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

export const f32SpmmSource: KernelSource = (mb) => {
  emitPixelTileKernel(mb, 'f32_spmm_16', false);
  emitPixelTileKernel(mb, 'f32_conv1x1_px16', true);
};

/** Scratch of the SpMM kernel for k input and n output channels: [xt, ct] pointers. */
export function allocSpmmScratch(rt: WasmRuntime, k: number, n: number): [number, number] {
  return [rt.alloc(k * ROW_BYTES), rt.alloc((n + (n & 1)) * ROW_BYTES)];
}

/**
 * Packs W (n rows of k values, as packGemmWeights takes them) and the bias for f32_conv1x1_px16: per pair of
 * channels the two biases, then for each kk the pair's two weights (a zero channel completes an odd n).
 */
export function packPixelTileWeights(
  rt: WasmRuntime, n: number, k: number, src: Float32Array, offset: number, rowStride: number,
  bias: Float32Array | null, biasOffset: number,
): number {
  const pairs = (n + 1) >> 1, floats = pairs * (2 + 2 * k);
  const ptr = rt.alloc(floats * 4);
  const dst = rt.f32(ptr, floats);
  for (let pr = 0; pr < pairs; pr++) {
    const base = pr * (2 + 2 * k);
    for (let h = 0; h < 2; h++) {
      const j = 2 * pr + h;
      if (j >= n) continue; // stays zero
      if (bias) dst[base + h] = bias[biasOffset + j]!;
      for (let kk = 0; kk < k; kk++) dst[base + 2 + 2 * kk + h] = src[offset + j * rowStride + kk]!;
    }
  }
  return ptr;
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
