/**
 * TRANSPOSE_CONV and MediaPipe's Convolution2DTransposeBias, float32, on the SIMD GEMM: per block of input
 * pixels, a GEMM (K = input channels, N = taps x output channels, weights packed at prepare) into a column block in
 * wasm memory, then `f32_col2im` places each tap's values on the output. When the stride equals the filter size
 * (and the taps reach every output cell) each cell receives exactly one tap: bias and clamp are then fused into the GEMM and col2im copies;
 * otherwise the output is first filled with the bias, col2im adds, and a clamp pass follows when fused.
 * Filter and bias must be constants; otherwise the typed-array kernel takes the node.
 */
import type { KernelNode } from '../../kernel.js';
import { checkTransposeConvCore, type TransposeConvLayout } from '../../transpose_conv.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { chooseMR, packGemmWeights } from './pack.js';
import { f32Pair } from './params.js';

/** Floats of one column block (pixels x taps*outC). */
const COL_BLOCK_FLOATS = 64 * 1024;

export interface SimdTransposeConvPlan {
  L: TransposeConvLayout;
  gemm: KernelExport; col2im: KernelExport; fill: KernelExport; clamp: KernelExport;
  batch: number; pixels: number; inW: number; inC: number; outC: number; fH: number; fW: number; n: number;
  /** Stride equals the filter: one tap per output cell, bias and clamp in the GEMM. */
  exact: boolean;
  w: number; col: number; bias: number; blockRows: number;
  /** Clamp of the GEMM (the fused activation when exact, else none) and of the clamp pass: f32 pairs in wasm memory. */
  gemmClamp: number; actClamp: number;
  /** A separate clamp pass is needed (not exact, activation fused). */
  clampPass: boolean;
  inBatchBytes: number; outBatchBytes: number;
}

export function transposeConvSimd<O>(layoutOf: (node: KernelNode<O>) => TransposeConvLayout): SimdKernel<SimdTransposeConvPlan, O> {
  return {
    prepare(node, rt) {
      const L = layoutOf(node);
      const s = checkTransposeConvCore(node, L);
      const x = node.inputs[L.input]!, f = node.inputs[L.filter]!, b = node.inputs[L.bias] ?? null;
      if (x.isConstant || !f.isConstant || (b !== null && !b.isConstant)) return null;
      const { inC, outC, filterH: fH, filterW: fW } = s;
      const taps = fH * fW, n = taps * outC;
      // filter[oc][tap][ic] -> rows tap*outC + oc of [n][inC].
      const filter = f.data as Float32Array, reordered = new Float32Array(n * inC);
      for (let oc = 0; oc < outC; oc++) {
        for (let t = 0; t < taps; t++) reordered.set(filter.subarray((oc * taps + t) * inC, (oc * taps + t + 1) * inC), (t * outC + oc) * inC);
      }
      // Every output cell gets exactly one tap when the stride equals the filter and the taps reach every cell.
      const exact = L.strideH === fH && L.strideW === fW && L.outH + L.padTop <= s.inH * fH && L.outW + L.padLeft <= s.inW * fW;
      const biasData = (b?.data as Float32Array | undefined) ?? new Float32Array(outC);
      let colBias: Float32Array | null = null;
      if (exact) {
        colBias = new Float32Array(n);
        for (let t = 0; t < taps; t++) colBias.set(biasData, t * outC);
      }
      const w = packGemmWeights(rt, n, inC, reordered, 0, inC, colBias, 0);
      const pixels = s.inH * s.inW;
      const blockRows = Math.max(1, Math.min(pixels, Math.floor(COL_BLOCK_FLOATS / n)));
      const col = rt.alloc(blockRows * n * 4);
      const bias = rt.put(biasData);
      const fused = L.lo !== -Infinity || L.hi !== Infinity;
      return {
        L, gemm: rt.fn(`f32_gemm_${chooseMR(blockRows)}x8`), col2im: rt.fn('f32_col2im'), fill: rt.fn('f32_fill_pixels'),
        clamp: rt.fn('f32_clamp'), batch: s.batch, pixels, inW: s.inW, inC, outC, fH, fW, n, exact, w, col, bias, blockRows,
        gemmClamp: exact ? f32Pair(rt, L.lo, L.hi) : f32Pair(rt, -Infinity, Infinity), actClamp: f32Pair(rt, L.lo, L.hi), clampPass: !exact && fused,
        inBatchBytes: pixels * inC * 4, outBatchBytes: L.outH * L.outW * outC * 4,
      };
    },
    eval(node, d) {
      const L = d.L;
      const x = node.inputs[L.input]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
      const outPixels = L.outH * L.outW;
      for (let b = 0; b < d.batch; b++) {
        const yb = y + b * d.outBatchBytes;
        if (!d.exact) d.fill(yb, outPixels, d.outC, d.bias);
        for (let m0 = 0; m0 < d.pixels; m0 += d.blockRows) {
          const count = Math.min(d.blockRows, d.pixels - m0);
          d.gemm(count, d.n, d.inC, x + b * d.inBatchBytes + m0 * d.inC * 4, d.inC * 4, d.w, d.col, d.n * 4, d.gemmClamp);
          d.col2im(d.col, d.n, count, m0, d.inW, yb, L.outH, L.outW, d.outC, d.fH, d.fW,
            L.strideH, L.strideW, L.padTop, L.padLeft, d.exact ? 0 : 1);
        }
        if (d.clampPass) d.clamp(yb, outPixels * d.outC, d.actClamp);
      }
    },
  };
}

