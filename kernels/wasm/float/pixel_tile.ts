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
import type { FunctionBuilder, Local, Operand } from '../asm/index.js';
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

/** Locals shared by the tile stages. */
interface TileLocals {
  vmin: Local; vmax: Local; mr: Local; ofs: Local; end: Local; end4: Local; xp: Local; wp: Local; cp: Local;
  crow: Local[];
  /** 4x4 transpose registers: rows in, columns out, temporaries. */
  r: Local[]; t: Local[]; u: Local[];
}

function tileLocals(f: FunctionBuilder, clamp: Local): TileLocals {
  const l: TileLocals = {
    vmin: f.local('v128', 'vmin'), vmax: f.local('v128', 'vmax'), mr: f.local('i32', 'mr'), ofs: f.local('i32', 'ofs'),
    end: f.local('i32', 'end'), end4: f.local('i32', 'end4'), xp: f.local('i32', 'xp'), wp: f.local('i32', 'wp'),
    cp: f.local('i32', 'cp'), crow: f.locals('i32', SPMM_MR, 'crow'),
    r: f.locals('v128', 4, 'r'), t: f.locals('v128', 4, 't'), u: f.locals('v128', 4, 'u'),
  };
  f.set(l.vmin, f.v128.load32_splat(clamp));
  f.set(l.vmax, f.v128.load32_splat(clamp, 4));
  return l;
}

/**
 * xt rows from 16 pixel pointers `src` (l.xp advanced): `channels` values of each pixel become `channels` rows of
 * 16, 4 channels at a time by 4x4 transposes. With `overread`, a last group of 1-3 channels is also transposed
 * from full vectors (reading up to 12 bytes past the pixel, inside memory's slack) and only its real rows stored;
 * without, the rest goes one channel at a time.
 */
function gatherPixels(f: FunctionBuilder, l: TileLocals, src: Local[], channels: Operand, overread: boolean): void {
  f.set(l.end, f.i32.shl(channels, 2));
  f.set(l.end4, f.i32.and(l.end, ~15));
  f.set(l.ofs, 0);
  const transposeAt = (): void => {
    for (let ib = 0; ib < SPMM_MR / 4; ib++) {
      for (let q = 0; q < 4; q++) f.set(l.r[q]!, f.v128.load(f.i32.add(src[4 * ib + q]!, l.ofs)));
      transpose4(f, l.r, l.t, l.u);
      for (let q = 0; q < 4; q++) f.v128.store(l.xp, l.t[q]!, q * ROW_BYTES + ib * 16);
    }
  };
  f.while(f.i32.lt_u(l.ofs, l.end4), () => {
    transposeAt();
    f.inc(l.xp, 4 * ROW_BYTES);
    f.inc(l.ofs, 16);
  });
  if (overread) {
    // 1-3 channels left: rows 0..left-1 of a full transpose. Rows past them are written too but lie where the
    // next gather (or nothing) goes: xt has 3 spare rows, and l.xp only advances by the real ones.
    f.if(f.i32.lt_u(l.ofs, l.end), () => {
      transposeAt();
      f.set(l.xp, f.i32.add(l.xp, f.i32.shl(f.i32.sub(l.end, l.ofs), 4)));
    });
  } else {
    f.while(f.i32.lt_u(l.ofs, l.end), () => {
      src.forEach((row, i) => f.f32.store(l.xp, f.f32.load(f.i32.add(row, l.ofs)), 4 * i));
      f.inc(l.xp, ROW_BYTES);
      f.inc(l.ofs, 4);
    });
  }
}

/** ct's first n rows (16 pixels each) into the tile's NHWC output rows, 4 channels at a time by transposes. */
function scatterTile(f: FunctionBuilder, l: TileLocals, n: Local, ct: Local): void {
  f.set(l.end, f.i32.shl(n, 2));
  f.set(l.end4, f.i32.and(l.end, ~15));
  f.set(l.ofs, 0);
  f.set(l.cp, ct);
  f.while(f.i32.lt_u(l.ofs, l.end4), () => {
    for (let ib = 0; ib < SPMM_MR / 4; ib++) {
      for (let q = 0; q < 4; q++) f.set(l.r[q]!, f.v128.load(l.cp, q * ROW_BYTES + ib * 16));
      transpose4(f, l.r, l.t, l.u);
      for (let q = 0; q < 4; q++) f.v128.store(f.i32.add(l.crow[4 * ib + q]!, l.ofs), l.t[q]!);
    }
    f.inc(l.cp, 4 * ROW_BYTES);
    f.inc(l.ofs, 16);
  });
  f.while(f.i32.lt_u(l.ofs, l.end), () => {
    l.crow.forEach((row, i) => f.f32.store(f.i32.add(row, l.ofs), f.f32.load(l.cp, 4 * i)));
    f.inc(l.cp, ROW_BYTES);
    f.inc(l.ofs, 4);
  });
}

const TILE_PARAMS = { w: 'i32', c: 'i32', ldc: 'i32', clamp: 'i32', xt: 'i32', ct: 'i32' } as const;

/**
 * `name`(m, n, k, a, lda, w, c, ldc, clamp, xt, ct), strides and pointers in bytes: a 1x1 convolution over the
 * input rows, dense (f32_conv1x1_px16) or sparse (f32_spmm_16).
 */
function emitRowsKernel(mb: Parameters<KernelSource>[0], name: string, dense: boolean): void {
  const params = { m: 'i32', n: 'i32', k: 'i32', a: 'i32', lda: 'i32', ...TILE_PARAMS } as const;
  mb.addFunction(name, { params }, (f, p) => {
    const l = tileLocals(f, p.clamp);
    const arow = f.locals('i32', SPMM_MR, 'arow');
    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(l.mr, f.select(SPMM_MR, p.m, f.i32.gt_u(p.m, SPMM_MR)));
      tileRows(f, arow, p.a, p.lda, l.mr);
      tileRows(f, l.crow, p.c, p.ldc, l.mr);
      f.set(l.xp, p.xt);
      gatherPixels(f, l, arow, p.k, false);
      f.set(l.wp, p.w);
      f.set(l.cp, p.ct);
      if (dense) densePairs(f, p.n, p.k, p.xt, l.wp, l.cp, l.vmin, l.vmax);
      else sparseChannels(f, p.n, l.wp, l.cp, l.vmin, l.vmax);
      scatterTile(f, l, p.n, p.ct);
      f.set(p.m, f.i32.sub(p.m, l.mr));
      f.set(p.a, f.i32.add(p.a, f.i32.mul(l.mr, p.lda)));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(l.mr, p.ldc)));
    });
  });
}

/**
 * f32_igemm_px16(m, n, kc, ks, ind, aOffset, zero, w, c, ldc, clamp, xt, ct): any convolution through the IGEMM
 * indirection buffer built for MR = 16 (per tile, ks taps x 16 pointers relative to the input, or `zero`): xt gets
 * ks * kc rows (tap-major, as the OHWI filter's k), then the dense products and the scatter as above.
 */
function emitIndirectKernel(mb: Parameters<KernelSource>[0]): void {
  const params = { m: 'i32', n: 'i32', kc: 'i32', ks: 'i32', ind: 'i32', aOffset: 'i32', zero: 'i32', ...TILE_PARAMS } as const;
  mb.addFunction('f32_igemm_px16', { params }, (f, p) => {
    const l = tileLocals(f, p.clamp);
    const ap = f.locals('i32', SPMM_MR, 'ap'), tap = f.local('i32', 'tap'), k = f.local('i32', 'k');
    f.set(k, f.i32.mul(p.kc, p.ks));
    f.while(f.i32.gt_s(p.m, 0), () => {
      f.set(l.mr, f.select(SPMM_MR, p.m, f.i32.gt_u(p.m, SPMM_MR)));
      tileRows(f, l.crow, p.c, p.ldc, l.mr);
      f.set(l.xp, p.xt);
      f.set(tap, p.ks);
      f.while(tap, () => {
        ap.forEach((x, i) => {
          f.set(x, f.i32.load(p.ind, 4 * i));
          f.set(x, f.select(p.zero, f.i32.add(x, p.aOffset), f.i32.eq(x, p.zero)));
        });
        f.inc(p.ind, 4 * SPMM_MR);
        gatherPixels(f, l, ap, p.kc, true);
        f.set(tap, f.i32.sub(tap, 1));
      });
      f.set(l.wp, p.w);
      f.set(l.cp, p.ct);
      densePairs(f, p.n, k, p.xt, l.wp, l.cp, l.vmin, l.vmax);
      scatterTile(f, l, p.n, p.ct);
      f.set(p.m, f.i32.sub(p.m, l.mr));
      f.set(p.c, f.i32.add(p.c, f.i32.mul(l.mr, p.ldc)));
    });
  });
}

export const f32PixelTileSource: KernelSource = (mb) => {
  emitRowsKernel(mb, 'f32_spmm_16', false);
  emitRowsKernel(mb, 'f32_conv1x1_px16', true);
  emitIndirectKernel(mb);
};

/** Scratch of the SpMM kernel for k input and n output channels: [xt, ct] pointers. */
export function allocSpmmScratch(rt: WasmRuntime, k: number, n: number): [number, number] {
  // xt: 3 spare rows for the over-reading gather of f32_igemm_px16; ct: a spare row for an odd n's zero channel.
  return [rt.alloc((k + 3) * ROW_BYTES), rt.alloc((n + (n & 1)) * ROW_BYTES)];
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
