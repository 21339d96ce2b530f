/**
 * CONV_2D and FULLY_CONNECTED, float32, on the SIMD GEMM kernels: 1x1 stride-1 unpadded convolutions and
 * FULLY_CONNECTED run as a plain GEMM over the NHWC input; every other convolution (any filter, stride,
 * dilation, padding, groups) as an IGEMM through an indirection buffer built at prepare.
 * 1x1 convolutions whose weights are mostly zeros (pruned models) run on the sparse kernel of spmm.ts instead.
 * Weights and bias must be constants (packed once); otherwise the typed-array kernel takes the node.
 */
import type { Conv2DOptions, FullyConnectedOptions } from '../../../schema/builtin_options.js';
import { checkConv2DFloat } from '../../conv_2d.js';
import { checkFullyConnectedFloat } from '../../fully_connected.js';
import type { KernelNode } from '../../kernel.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { allocZeroRow, buildIndirection, chooseMR, packGemmWeights } from './pack.js';
import { f32Pair } from './params.js';
import { allocSpmmScratch, countNonZeros, packSparseWeights } from './spmm.js';

const INPUT = 0, WEIGHTS = 1, BIAS = 2;

/** Inputs other than weights/bias must be activations (in the arena); weights and bias constants. */
function eligible(node: KernelNode<unknown>): boolean {
  const w = node.inputs[WEIGHTS], b = node.inputs[BIAS];
  return !node.inputs[INPUT]!.isConstant && !!w?.isConstant && (!b || b.isConstant);
}

export interface SimdGemmPlan {
  fn: KernelExport;
  m: number;
  n: number;
  k: number;
  w: number;
  /** [min, max] of the fused activation, two f32 in wasm memory. */
  clamp: number;
}

export const fullyConnectedSimd: SimdKernel<SimdGemmPlan, FullyConnectedOptions> = {
  prepare(node, rt) {
    const { batch, units, inputSize, range } = checkFullyConnectedFloat(node);
    if (!eligible(node)) return null;
    const w = node.inputs[WEIGHTS]!.data as Float32Array;
    const bias = (node.inputs[BIAS]?.data as Float32Array | undefined) ?? null;
    const wp = packGemmWeights(rt, units, inputSize, w, 0, inputSize, bias, 0);
    return {
      fn: rt.fn(`f32_gemm_${chooseMR(batch)}x8`), m: batch, n: units, k: inputSize, w: wp,
      clamp: f32Pair(rt, range.min, range.max),
    };
  },
  eval(node, d) {
    d.fn(d.m, d.n, d.k, node.inputs[INPUT]!.data.byteOffset, d.k * 4, d.w,
      node.outputs[0]!.data.byteOffset, d.n * 4, d.clamp);
  },
};

/**
 * A 1x1 convolution takes the sparse kernel when at least this fraction of its weights are zeros. Measured with
 * bench/sparse_conv.ts (both kernels on the same data, shapes of pruned MobileNet-style models): at 30% zeros the
 * SpMM kernel takes 0.62-0.74 of the dense GEMM's time on every shape, at 70% 0.29-0.48. (Converters' dense
 * models have almost no zero weights, so they keep the GEMM; XNNPACK's own threshold is 2/3.)
 */
export const SPARSE_MIN_ZERO_FRACTION = 0.3;

export interface SimdConvPlan {
  /** 'direct': GEMM over the input (1x1, stride 1, no padding); 'sparse': SpMM for such a 1x1 with mostly zero weights; 'igemm'. */
  path: 'direct' | 'sparse' | 'igemm';
  fn: KernelExport;
  batch: number;
  groups: number;
  /** Pixels per image (direct: all images at once, batch is then 1). */
  m: number;
  groupOut: number;
  groupIn: number;
  taps: number;
  inC: number;
  outC: number;
  inBatchBytes: number;
  outBatchBytes: number;
  /** Packed weights per group. */
  w: number[];
  ind: number;
  zero: number;
  clamp: number;
  /** SpMM scratch (transposed input and output tiles). */
  xt: number;
  ct: number;
}

export const conv2DSimd: SimdKernel<SimdConvPlan, Conv2DOptions> = {
  prepare(node, rt) {
    const { geo: g, groups, outC, fH, fW, fIn, range } = checkConv2DFloat(node);
    if (!eligible(node)) return null;
    const filter = node.inputs[WEIGHTS]!.data as Float32Array;
    const bias = (node.inputs[BIAS]?.data as Float32Array | undefined) ?? null;
    const groupOut = outC / groups, k = fH * fW * fIn;
    const direct = fH === 1 && fW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 &&
      g.outH === g.inH && g.outW === g.inW;
    const pixels = g.outH * g.outW;
    const common = {
      groups, groupOut, groupIn: fIn, taps: fH * fW, inC: g.inC, outC, inBatchBytes: g.inH * g.inW * g.inC * 4,
      outBatchBytes: pixels * outC * 4, clamp: f32Pair(rt, range.min, range.max), ind: 0, zero: 0, xt: 0, ct: 0,
    };
    if (direct && groups === 1 && countNonZeros(outC, k, filter, 0, k) <= (1 - SPARSE_MIN_ZERO_FRACTION) * outC * k) {
      const [xt, ct] = allocSpmmScratch(rt, k, outC);
      const w = [packSparseWeights(rt, outC, k, filter, 0, k, bias, 0, xt)];
      return { ...common, path: 'sparse', fn: rt.fn('f32_spmm_16'), batch: 1, m: g.batch * pixels, w, xt, ct };
    }
    const w = Array.from({ length: groups }, (_, grp) =>
      packGemmWeights(rt, groupOut, k, filter, grp * groupOut * k, k, bias, grp * groupOut));
    const m = direct ? g.batch * pixels : pixels;
    const mr = chooseMR(m);
    if (direct) return { ...common, path: 'direct', fn: rt.fn(`f32_gemm_${mr}x8`), batch: 1, m, w };
    const zero = allocZeroRow(rt, fIn);
    const ind = buildIndirection(rt, g, mr, zero);
    return { ...common, path: 'igemm', fn: rt.fn(`f32_igemm_${mr}x8`), batch: g.batch, m, w, ind, zero };
  },
  eval(node, d) {
    const x = node.inputs[INPUT]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
    for (let b = 0; b < d.batch; b++) {
      for (let grp = 0; grp < d.groups; grp++) {
        const a = x + b * d.inBatchBytes + grp * d.groupIn * 4;
        const c = y + b * d.outBatchBytes + grp * d.groupOut * 4;
        if (d.path === 'sparse') d.fn(d.m, d.groupOut, d.groupIn, a, d.inC * 4, d.w[grp]!, c, d.outC * 4, d.clamp, d.xt, d.ct);
        else if (d.path === 'direct') d.fn(d.m, d.groupOut, d.groupIn, a, d.inC * 4, d.w[grp]!, c, d.outC * 4, d.clamp);
        else d.fn(d.m, d.groupOut, d.groupIn, d.taps, d.ind, a, d.zero, d.w[grp]!, c, d.outC * 4, d.clamp);
      }
    }
  },
};
