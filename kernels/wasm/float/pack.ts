/** Prepare-time packing for the float GEMM/IGEMM kernels, written straight into wasm memory. */
import type { ConvGeometry } from '../../internal/conv_geometry.js';
import type { WasmRuntime } from '../runtime.js';
import { GEMM_NR } from './gemm.js';

/** Rows per micro-kernel block for `m` rows: the largest exported block that `m` fills. */
export function chooseMR(m: number): 1 | 4 | 6 {
  return m >= 6 ? 6 : m >= 2 ? 4 : 1;
}

/**
 * Packs W given as n rows of k values (`src[offset + j * rowStride + kk]`, the layout of OHWI filters and
 * FULLY_CONNECTED weights) and `bias[biasOffset + j]` (zeros when null) into panels of 8 columns:
 * per panel 8 bias values then k x 8 weights. Returns the pointer.
 */
export function packGemmWeights(
  rt: WasmRuntime, n: number, k: number, src: Float32Array, offset: number, rowStride: number,
  bias: Float32Array | null, biasOffset: number,
): number {
  const panels = Math.ceil(n / GEMM_NR);
  const panelFloats = (k + 1) * GEMM_NR;
  const ptr = rt.alloc(panels * panelFloats * 4);
  const dst = rt.f32(ptr, panels * panelFloats);
  for (let p = 0; p < panels; p++) {
    const base = p * panelFloats;
    for (let j = 0; j < GEMM_NR; j++) {
      const col = p * GEMM_NR + j;
      if (col >= n) continue; // stays zero
      if (bias) dst[base + j] = bias[biasOffset + col]!;
      const s = offset + col * rowStride;
      for (let kk = 0; kk < k; kk++) dst[base + GEMM_NR + kk * GEMM_NR + j] = src[s + kk]!;
    }
  }
  return ptr;
}

/**
 * A zero row of `floats` floats for padding taps. The returned pointer is 1 mod 4: indirection entries
 * relative to the input are multiples of 4, so they can never be mistaken for it.
 */
export function allocZeroRow(rt: WasmRuntime, floats: number): number {
  return rt.alloc(floats * 4 + 4) + 1;
}

/**
 * The IGEMM indirection buffer for one image: for each block of `mr` output pixels, for each filter tap
 * (ky, kx), `mr` byte offsets of the tap's input pixel relative to the image start (channel 0), or `zero` for
 * taps in the padding. Rows past the last pixel repeat the last pixel. Returns the pointer.
 */
export function buildIndirection(rt: WasmRuntime, g: ConvGeometry, mr: number, zero: number): number {
  const m = g.outH * g.outW, ks = g.filterH * g.filterW;
  const blocks = Math.ceil(m / mr);
  const ptr = rt.alloc(blocks * ks * mr * 4);
  const ind = rt.i32(ptr, blocks * ks * mr);
  let q = 0;
  for (let b = 0; b < blocks; b++) {
    for (let ky = 0; ky < g.filterH; ky++) {
      for (let kx = 0; kx < g.filterW; kx++) {
        for (let r = 0; r < mr; r++) {
          const pix = Math.min(b * mr + r, m - 1);
          const oy = Math.floor(pix / g.outW), ox = pix - oy * g.outW;
          const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
          const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          ind[q++] = iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW ? zero : (iy * g.inW + ix) * g.inC * 4;
        }
      }
    }
  }
  return ptr;
}
