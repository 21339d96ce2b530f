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

/** Floats of A, and of C, per row block. */
const A_BLOCK_FLOATS = 8192, C_BLOCK_FLOATS = 65536;

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
  /**
   * Rows of A per row block, a multiple of MR: a block of A (rows x k) stays in L1/L2 and the block of C
   * (rows x n) in L2 while every panel of B passes. Computed here so that eval does no double arithmetic.
   */
  readonly rowBlock: number;
}

export function allocPackedWeights(k: number, n: number): PackedWeights {
  const padded = Math.ceil(n / NR) * NR;
  const rowBlock = Math.max(MR, Math.min(256, Math.floor(Math.min(A_BLOCK_FLOATS / k, C_BLOCK_FLOATS / n) / MR) * MR));
  return { k, n, data: new Float32Array(padded * k), bias: new Float32Array(padded), rowBlock };
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
 * C[cOff + i*ldc + j] = clamp(bias[j] + sum_k A[aOff + i*lda + kk] * B[kk][j], range[0], range[1]) for i < m, j < w.n.
 * The clamp range comes in a Float64Array so that no double is boxed on the way in: eval allocates nothing.
 */
export function gemm(
  a: Float32Array, aOff: number, lda: number, m: number,
  w: PackedWeights, c: Float32Array, cOff: number, ldc: number, range: Float64Array,
): void {
  const mc = w.rowBlock;
  for (let i0 = 0; i0 < m; i0 += mc) {
    const rows = mc < m - i0 ? mc : m - i0;
    gemmBlock(a, aOff + i0 * lda, lda, rows, w, c, cOff + i0 * ldc, ldc, range);
  }
}

/**
 * One row block, panel by panel. The stores are written out (no helper calls taking doubles: a call that is not
 * inlined would box its double arguments, allocating on every tile).
 */
function gemmBlock(
  a: Float32Array, aOff: number, lda: number, m: number,
  w: PackedWeights, c: Float32Array, cOff: number, ldc: number, range: Float64Array,
): void {
  const k = w.k, n = w.n, b = w.data, bias = w.bias;
  const lo = range[0]!, hi = range[1]!;
  const panels = Math.ceil(n / NR);
  for (let p = 0; p < panels; p++) {
    const bBase = p * k * NR;
    const n0 = p * NR;
    const cols = Math.min(NR, n - n0);
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
      if (cols === NR) {
        c[cp + 0] = c00 < lo ? lo : c00 > hi ? hi : c00; c[cp + 1] = c01 < lo ? lo : c01 > hi ? hi : c01;
        c[cp + 2] = c02 < lo ? lo : c02 > hi ? hi : c02; c[cp + 3] = c03 < lo ? lo : c03 > hi ? hi : c03;
        c[cp + 4] = c04 < lo ? lo : c04 > hi ? hi : c04; c[cp + 5] = c05 < lo ? lo : c05 > hi ? hi : c05;
        c[cp + 6] = c06 < lo ? lo : c06 > hi ? hi : c06; c[cp + 7] = c07 < lo ? lo : c07 > hi ? hi : c07;
        cp += ldc;
        c[cp + 0] = c10 < lo ? lo : c10 > hi ? hi : c10; c[cp + 1] = c11 < lo ? lo : c11 > hi ? hi : c11;
        c[cp + 2] = c12 < lo ? lo : c12 > hi ? hi : c12; c[cp + 3] = c13 < lo ? lo : c13 > hi ? hi : c13;
        c[cp + 4] = c14 < lo ? lo : c14 > hi ? hi : c14; c[cp + 5] = c15 < lo ? lo : c15 > hi ? hi : c15;
        c[cp + 6] = c16 < lo ? lo : c16 > hi ? hi : c16; c[cp + 7] = c17 < lo ? lo : c17 > hi ? hi : c17;
        cp += ldc;
        c[cp + 0] = c20 < lo ? lo : c20 > hi ? hi : c20; c[cp + 1] = c21 < lo ? lo : c21 > hi ? hi : c21;
        c[cp + 2] = c22 < lo ? lo : c22 > hi ? hi : c22; c[cp + 3] = c23 < lo ? lo : c23 > hi ? hi : c23;
        c[cp + 4] = c24 < lo ? lo : c24 > hi ? hi : c24; c[cp + 5] = c25 < lo ? lo : c25 > hi ? hi : c25;
        c[cp + 6] = c26 < lo ? lo : c26 > hi ? hi : c26; c[cp + 7] = c27 < lo ? lo : c27 > hi ? hi : c27;
        cp += ldc;
        c[cp + 0] = c30 < lo ? lo : c30 > hi ? hi : c30; c[cp + 1] = c31 < lo ? lo : c31 > hi ? hi : c31;
        c[cp + 2] = c32 < lo ? lo : c32 > hi ? hi : c32; c[cp + 3] = c33 < lo ? lo : c33 > hi ? hi : c33;
        c[cp + 4] = c34 < lo ? lo : c34 > hi ? hi : c34; c[cp + 5] = c35 < lo ? lo : c35 > hi ? hi : c35;
        c[cp + 6] = c36 < lo ? lo : c36 > hi ? hi : c36; c[cp + 7] = c37 < lo ? lo : c37 > hi ? hi : c37;
      } else {
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
        edge[4] = c04; edge[5] = c05; edge[6] = c06; edge[7] = c07;
        edge[8] = c10; edge[9] = c11; edge[10] = c12; edge[11] = c13;
        edge[12] = c14; edge[13] = c15; edge[14] = c16; edge[15] = c17;
        edge[16] = c20; edge[17] = c21; edge[18] = c22; edge[19] = c23;
        edge[20] = c24; edge[21] = c25; edge[22] = c26; edge[23] = c27;
        edge[24] = c30; edge[25] = c31; edge[26] = c32; edge[27] = c33;
        edge[28] = c34; edge[29] = c35; edge[30] = c36; edge[31] = c37;
        for (let r = 0; r < MR; r++, cp += ldc) {
          for (let j = 0; j < cols; j++) {
            const v = edge[r * NR + j]!;
            c[cp + j] = v < lo ? lo : v > hi ? hi : v;
          }
        }
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
      if (cols === NR) {
        c[cp + 0] = c00 < lo ? lo : c00 > hi ? hi : c00; c[cp + 1] = c01 < lo ? lo : c01 > hi ? hi : c01;
        c[cp + 2] = c02 < lo ? lo : c02 > hi ? hi : c02; c[cp + 3] = c03 < lo ? lo : c03 > hi ? hi : c03;
        c[cp + 4] = c04 < lo ? lo : c04 > hi ? hi : c04; c[cp + 5] = c05 < lo ? lo : c05 > hi ? hi : c05;
        c[cp + 6] = c06 < lo ? lo : c06 > hi ? hi : c06; c[cp + 7] = c07 < lo ? lo : c07 > hi ? hi : c07;
      } else {
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
        edge[4] = c04; edge[5] = c05; edge[6] = c06; edge[7] = c07;
        for (let j = 0; j < cols; j++) {
          const v = edge[j]!;
          c[cp + j] = v < lo ? lo : v > hi ? hi : v;
        }
      }
    }
  }
}
