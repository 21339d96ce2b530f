/**
 * DEPTHWISE_CONV_2D, float32, on the SIMD depthwise kernels (depthwise.ts): any filter size, stride, dilation,
 * padding and depth multiplier. Weights, bias, a zero row and the indirection buffer of one image are made at
 * prepare in wasm memory; the indirection is built against a provisional input address and moved to the real
 * one (`f32_dwconv_rebase`) the first time the input's address is seen, so invoke allocates nothing.
 * Filter and bias must be constants (packed once); otherwise the typed-array kernel takes the node.
 */
import type { DepthwiseConv2DOptions } from '../../../schema/builtin_options.js';
import { checkDepthwiseFloat } from '../../depthwise_conv_2d.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { f32Pair } from './params.js';
import { DWCONV_CR, dwconvKernelName } from './depthwise.js';
import {
  dwconvIndirectionLength, dwconvMultWeightFloats, dwconvWeightFloats, fillDwconvIndirection, packDwconvMultWeights,
  packDwconvWeights,
} from './depthwise_pack.js';

const INPUT = 0, FILTER = 1, BIAS = 2;

export interface DepthwisePlan {
  fn: KernelExport;
  rebase: KernelExport;
  /** Multiplier > 1: f32_dwconv_mult. */
  mult: boolean;
  inC: number;
  outC: number;
  m: number;
  taps: number;
  pixels: number;
  batch: number;
  inBatchBytes: number;
  outBatchBytes: number;
  w: number;
  ind: number;
  indCount: number;
  zero: number;
  /** The input address the indirection buffer currently points into. */
  base: number;
  /** Clamp bounds (two f32) in wasm memory. */
  clamp: number;
}

export const depthwiseConv2DSimd: SimdKernel<DepthwisePlan, DepthwiseConv2DOptions> = {
  prepare(node, rt) {
    const { geo: g, multiplier: m, range } = checkDepthwiseFloat(node);
    const f = node.inputs[FILTER]!, bias = node.inputs[BIAS] ?? null;
    if (node.inputs[INPUT]!.isConstant || !f.isConstant || (bias !== null && !bias.isConstant)) return null;
    const K = g.filterH * g.filterW, inC = g.inC, outC = g.outC;
    const filter = f.data as Float32Array, b = (bias?.data as Float32Array | undefined) ?? null;
    const wFloats = m === 1 ? dwconvWeightFloats(outC, K) : dwconvMultWeightFloats(inC, m, K);
    const w = rt.alloc(wFloats * 4);
    if (m === 1) packDwconvWeights(rt.f32(w, wFloats), filter, b, outC, K);
    else packDwconvMultWeights(rt.f32(w, wFloats), filter, b, inC, m, K);
    // A zero input row for padding taps (channel tails read a full tile of it).
    const zeroBytes = Math.ceil(inC / DWCONV_CR) * DWCONV_CR * 4;
    const zero = rt.alloc(zeroBytes);
    const indCount = dwconvIndirectionLength(g);
    const ind = rt.alloc(indCount * 4);
    // Provisional base just past the zero row, so no real tap pointer equals `zero`.
    const base = zero + zeroBytes + 16;
    fillDwconvIndirection(rt.i32(ind, indCount), g, base, zero);
    return {
      fn: rt.fn(m === 1 ? dwconvKernelName(K) : 'f32_dwconv_mult'), rebase: rt.fn('f32_dwconv_rebase'),
      mult: m > 1, inC, outC, m, taps: K, pixels: g.outH * g.outW, batch: g.batch,
      inBatchBytes: g.inH * g.inW * inC * 4, outBatchBytes: g.outH * g.outW * outC * 4,
      w, ind, indCount, zero, base, clamp: f32Pair(rt, range.min, range.max),
    };
  },

  eval(node, d) {
    const x = node.inputs[INPUT]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
    for (let b = 0; b < d.batch; b++) {
      const base = x + b * d.inBatchBytes, out = y + b * d.outBatchBytes;
      if (base !== d.base) {
        d.rebase(d.ind, d.indCount, base - d.base, d.zero);
        d.base = base;
      }
      if (d.mult) d.fn(d.inC, d.m, d.taps, d.pixels, d.ind, d.w, out, d.clamp);
      else d.fn(d.outC, d.pixels, d.ind, d.w, out, d.clamp, d.taps);
    }
  },
};
