/**
 * Prepare-time layouts of the depthwise SIMD kernels (see depthwise.ts): packed weights and the indirection
 * buffer. Plain functions over typed arrays, so they are testable without a runtime.
 */
import type { ConvGeometry } from '../../internal/conv_geometry.js';
import { DWCONV_CR } from './depthwise.js';

/** Floats of the packed weights for C channels (multiplier 1) and K taps. */
export function dwconvWeightFloats(C: number, K: number): number {
  return Math.ceil(C / DWCONV_CR) * (K + 1) * DWCONV_CR;
}

/**
 * Packs a [K][C] filter (the model's [1, fH, fW, C]) and its bias (zeros when null) into groups of 8 channels:
 * 8 bias values, then 8 weights per tap. `dst` must be zero-filled (lanes past C stay zero).
 */
export function packDwconvWeights(dst: Float32Array, filter: Float32Array, bias: Float32Array | null, C: number, K: number): void {
  const group = (K + 1) * DWCONV_CR;
  for (let c = 0; c < C; c++) {
    const base = Math.floor(c / DWCONV_CR) * group + (c % DWCONV_CR);
    dst[base] = bias ? bias[c]! : 0;
    for (let k = 0; k < K; k++) dst[base + (k + 1) * DWCONV_CR] = filter[k * C + c]!;
  }
}

/** Floats of the packed weights for multiplier m > 1: per input channel, ceil(m/4) groups of (K+1)*4. */
export function dwconvMultWeightFloats(inC: number, m: number, K: number): number {
  return inC * Math.ceil(m / 4) * (K + 1) * 4;
}

/** Packs a [K][inC*m] filter and bias for `f32_dwconv_mult`. `dst` must be zero-filled. */
export function packDwconvMultWeights(dst: Float32Array, filter: Float32Array, bias: Float32Array | null, inC: number, m: number, K: number): void {
  const outC = inC * m, groups = Math.ceil(m / 4), group = (K + 1) * 4;
  for (let ic = 0; ic < inC; ic++) {
    for (let q = 0; q < m; q++) {
      const oc = ic * m + q;
      const base = (ic * groups + Math.floor(q / 4)) * group + (q % 4);
      dst[base] = bias ? bias[oc]! : 0;
      for (let k = 0; k < K; k++) dst[base + (k + 1) * 4] = filter[k * outC + oc]!;
    }
  }
}

/** Entries of the indirection buffer of one image: K pointers per output pixel. */
export function dwconvIndirectionLength(g: ConvGeometry): number {
  return g.outH * g.outW * g.filterH * g.filterW;
}

/**
 * Fills the indirection buffer of one image whose channel 0 of pixel (0, 0) is at byte address `base`: per
 * output pixel (row-major), per tap (ky, kx), the address of the tap's input pixel, or `zero` in the padding.
 */
export function fillDwconvIndirection(ind: Int32Array, g: ConvGeometry, base: number, zero: number): void {
  const pixelBytes = g.inC * 4;
  let q = 0;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let ky = 0; ky < g.filterH; ky++) {
        const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
        for (let kx = 0; kx < g.filterW; kx++) {
          const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          ind[q++] = iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW ? zero : base + (iy * g.inW + ix) * pixelBytes;
        }
      }
    }
  }
}
