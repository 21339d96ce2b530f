/**
 * A register-blocked float32 GEMM over pre-packed weights, with bias and clamp fused into the store:
 *   C[i][n] = clamp(bias[n] + sum_k A[i][k] * B[k][n], lo, hi)
 * A is row-major with any row stride (an im2col buffer, or the NHWC input itself for 1x1 convolutions);
 * B is packed once (at prepare) into panels of NR columns: panel p holds, for each k, the NR values
 * B[k][p*NR .. p*NR+NR-1] contiguously, zero-padded past n. C is row-major with any row stride, so a
 * grouped convolution can write its group's channel slice of the NHWC output.
 * The micro-kernel keeps an MR x NR block of C in local (double) accumulators, reading MR values of A
 * and NR values of B per k step: the XNNPACK / GotoBLAS layout, in scalar JavaScript.
 */

/** Columns per packed panel (output channels per micro-kernel). */
export const NR = 8;
/** Rows of A per micro-kernel call. */
export const MR = 4;

export interface PackedWeights {
  /** Inner (reduction) dimension. */
  readonly k: number;
  /** Number of columns (output channels). */
  readonly n: number;
  /** ceil(n / NR) panels of k * NR floats. */
  readonly data: Float32Array;
  /** Bias per column, zero-padded to a multiple of NR (zeros when the op has no bias). */
  readonly bias: Float32Array;
}

export function allocPackedWeights(k: number, n: number): PackedWeights {
  const padded = Math.ceil(n / NR) * NR;
  return { k, n, data: new Float32Array(padded * k), bias: new Float32Array(padded) };
}

/**
 * Packs a row-major [n][k] matrix (B transposed: one row per output channel, as OHWI filters and
 * FULLY_CONNECTED [out, in] weights are stored) read from `src` at `offset` with row stride `rowStride`.
 */
export function packTransposed(dst: PackedWeights, src: Float32Array, offset: number, rowStride: number): void {
  const { k, n, data } = dst;
  const panels = Math.ceil(n / NR);
  for (let p = 0; p < panels; p++) {
    const base = p * k * NR;
    for (let j = 0; j < NR; j++) {
      const col = p * NR + j;
      if (col < n) {
        const s = offset + col * rowStride;
        for (let kk = 0; kk < k; kk++) data[base + kk * NR + j] = src[s + kk]!;
      } else {
        for (let kk = 0; kk < k; kk++) data[base + kk * NR + j] = 0;
      }
    }
  }
}

/** Copies `n` bias values from `src` at `offset` (or zeros when `src` is null). */
export function setPackedBias(dst: PackedWeights, src: Float32Array | null, offset: number): void {
  dst.bias.fill(0);
  if (src) for (let j = 0; j < dst.n; j++) dst.bias[j] = src[offset + j]!;
}

/** Staging block for partial panels (last panel when n is not a multiple of NR). Allocated once. */
const edge = new Float64Array(MR * NR);

/**
 * C[cOff + i*ldc + j] = clamp(bias[j] + sum_k A[aOff + i*lda + kk] * B[kk][j]) for i < m, j < w.n.
 */
export function gemm(
  a: Float32Array, aOff: number, lda: number, m: number,
  w: PackedWeights, c: Float32Array, cOff: number, ldc: number, lo: number, hi: number,
): void {
  // Row blocks: a block of A (mc x k) stays in L1/L2 and the block of C (mc x n) in L2 while every panel of B passes.
  const mc = Math.max(MR, Math.min(256, Math.floor(Math.min(A_BLOCK_FLOATS / w.k, C_BLOCK_FLOATS / w.n) / MR) * MR));
  for (let i0 = 0; i0 < m; i0 += mc) {
    const rows = Math.min(mc, m - i0);
    gemmBlock(a, aOff + i0 * lda, lda, rows, w, c, cOff + i0 * ldc, ldc, lo, hi);
  }
}

/** Floats of A, and of C, per row block. */
const A_BLOCK_FLOATS = 8192, C_BLOCK_FLOATS = 65536;

function gemmBlock(
  a: Float32Array, aOff: number, lda: number, m: number,
  w: PackedWeights, c: Float32Array, cOff: number, ldc: number, lo: number, hi: number,
): void {
  const k = w.k, n = w.n, b = w.data, bias = w.bias;
  const panels = Math.ceil(n / NR);
  for (let p = 0; p < panels; p++) {
    const bBase = p * k * NR;
    const n0 = p * NR;
    const full = n - n0 >= NR;
    const z0 = bias[n0]!, z1 = bias[n0 + 1]!, z2 = bias[n0 + 2]!, z3 = bias[n0 + 3]!;
    const z4 = bias[n0 + 4]!, z5 = bias[n0 + 5]!, z6 = bias[n0 + 6]!, z7 = bias[n0 + 7]!;
    let i = 0;
    for (; i + MR <= m; i += MR) {
      const a0p = aOff + i * lda, a1p = a0p + lda, a2p = a1p + lda, a3p = a2p + lda;
      let c00 = z0, c01 = z1, c02 = z2, c03 = z3, c04 = z4, c05 = z5, c06 = z6, c07 = z7;
      let c10 = z0, c11 = z1, c12 = z2, c13 = z3, c14 = z4, c15 = z5, c16 = z6, c17 = z7;
      let c20 = z0, c21 = z1, c22 = z2, c23 = z3, c24 = z4, c25 = z5, c26 = z6, c27 = z7;
      let c30 = z0, c31 = z1, c32 = z2, c33 = z3, c34 = z4, c35 = z5, c36 = z6, c37 = z7;
      let bp = bBase;
      for (let kk = 0; kk < k; kk++, bp += NR) {
        const a0 = a[a0p + kk]!, a1 = a[a1p + kk]!, a2 = a[a2p + kk]!, a3 = a[a3p + kk]!;
        let bv = b[bp]!;
        c00 += a0 * bv; c10 += a1 * bv; c20 += a2 * bv; c30 += a3 * bv;
        bv = b[bp + 1]!;
        c01 += a0 * bv; c11 += a1 * bv; c21 += a2 * bv; c31 += a3 * bv;
        bv = b[bp + 2]!;
        c02 += a0 * bv; c12 += a1 * bv; c22 += a2 * bv; c32 += a3 * bv;
        bv = b[bp + 3]!;
        c03 += a0 * bv; c13 += a1 * bv; c23 += a2 * bv; c33 += a3 * bv;
        bv = b[bp + 4]!;
        c04 += a0 * bv; c14 += a1 * bv; c24 += a2 * bv; c34 += a3 * bv;
        bv = b[bp + 5]!;
        c05 += a0 * bv; c15 += a1 * bv; c25 += a2 * bv; c35 += a3 * bv;
        bv = b[bp + 6]!;
        c06 += a0 * bv; c16 += a1 * bv; c26 += a2 * bv; c36 += a3 * bv;
        bv = b[bp + 7]!;
        c07 += a0 * bv; c17 += a1 * bv; c27 += a2 * bv; c37 += a3 * bv;
      }
      let cp = cOff + i * ldc + n0;
      if (full) {
        store8(c, cp, lo, hi, c00, c01, c02, c03, c04, c05, c06, c07); cp += ldc;
        store8(c, cp, lo, hi, c10, c11, c12, c13, c14, c15, c16, c17); cp += ldc;
        store8(c, cp, lo, hi, c20, c21, c22, c23, c24, c25, c26, c27); cp += ldc;
        store8(c, cp, lo, hi, c30, c31, c32, c33, c34, c35, c36, c37);
      } else {
        stage8(0, c00, c01, c02, c03, c04, c05, c06, c07);
        stage8(1, c10, c11, c12, c13, c14, c15, c16, c17);
        stage8(2, c20, c21, c22, c23, c24, c25, c26, c27);
        stage8(3, c30, c31, c32, c33, c34, c35, c36, c37);
        storeEdge(c, cp, ldc, MR, n - n0, lo, hi);
      }
    }
    for (; i < m; i++) {
      const a0p = aOff + i * lda;
      let c00 = z0, c01 = z1, c02 = z2, c03 = z3, c04 = z4, c05 = z5, c06 = z6, c07 = z7;
      let bp = bBase;
      for (let kk = 0; kk < k; kk++, bp += NR) {
        const a0 = a[a0p + kk]!;
        c00 += a0 * b[bp]!; c01 += a0 * b[bp + 1]!; c02 += a0 * b[bp + 2]!; c03 += a0 * b[bp + 3]!;
        c04 += a0 * b[bp + 4]!; c05 += a0 * b[bp + 5]!; c06 += a0 * b[bp + 6]!; c07 += a0 * b[bp + 7]!;
      }
      const cp = cOff + i * ldc + n0;
      if (full) {
        store8(c, cp, lo, hi, c00, c01, c02, c03, c04, c05, c06, c07);
      } else {
        stage8(0, c00, c01, c02, c03, c04, c05, c06, c07);
        storeEdge(c, cp, ldc, 1, n - n0, lo, hi);
      }
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function store8(
  c: Float32Array, p: number, lo: number, hi: number,
  v0: number, v1: number, v2: number, v3: number, v4: number, v5: number, v6: number, v7: number,
): void {
  c[p] = clamp(v0, lo, hi); c[p + 1] = clamp(v1, lo, hi); c[p + 2] = clamp(v2, lo, hi); c[p + 3] = clamp(v3, lo, hi);
  c[p + 4] = clamp(v4, lo, hi); c[p + 5] = clamp(v5, lo, hi); c[p + 6] = clamp(v6, lo, hi); c[p + 7] = clamp(v7, lo, hi);
}

function stage8(
  row: number, v0: number, v1: number, v2: number, v3: number, v4: number, v5: number, v6: number, v7: number,
): void {
  const o = row * NR;
  edge[o] = v0; edge[o + 1] = v1; edge[o + 2] = v2; edge[o + 3] = v3;
  edge[o + 4] = v4; edge[o + 5] = v5; edge[o + 6] = v6; edge[o + 7] = v7;
}

function storeEdge(c: Float32Array, p: number, ldc: number, rows: number, cols: number, lo: number, hi: number): void {
  for (let r = 0; r < rows; r++, p += ldc) {
    for (let j = 0; j < cols; j++) c[p + j] = clamp(edge[r * NR + j]!, lo, hi);
  }
}
