/**
 * CONV_2D and FULLY_CONNECTED, float32, on the SIMD GEMM kernels: 1x1 stride-1 unpadded convolutions and
 * FULLY_CONNECTED run as a plain GEMM over the NHWC input; every other convolution (any filter, stride,
 * dilation, padding, groups) as an IGEMM through an indirection buffer built at prepare.
 * Larger 1x1 convolutions run on the pixel-tile kernels of pixel_tile.ts instead (dense, or sparse for pruned models).
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
import { allocSpmmScratch, countNonZeros, packPixelTileWeights, packSparseWeights, SPMM_MR } from './pixel_tile.js';

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
 * Which kernel a 1x1 stride-1 unpadded convolution (groups 1) takes, measured with bench/sparse_conv.ts (the
 * kernels on the same data, shapes of MobileNet-style models):
 * - the pixel-tile kernels (pixel_tile.ts) from PIXEL_TILE_MIN_PIXELS pixels on: dense, they take 0.62-0.86 of the
 *   register-blocked GEMM's time on every shape (the GEMM splats one input per row and k; these load input
 *   vectors once per channel pair);
 * - the sparse one when at least SPARSE_MIN_ZERO_FRACTION of the weights are zeros: there it takes 0.69-0.83 of
 *   the dense pixel-tile kernel's time, at 70% zeros about half. (Converters' dense models have almost no zero
 *   weights; XNNPACK's own threshold is 2/3.)
 */
export const SPARSE_MIN_ZERO_FRACTION = 0.5;
export const PIXEL_TILE_MIN_PIXELS = 32;
/**
 * Other convolutions (through the indirection buffer) take the pixel-tile form too when an image has at least
 * PIXEL_TILE_MIN_PIXELS output pixels: 0.63-0.78x the IGEMM's time on first layers (3 channels), 3x3 and 5x5
 * filters; up to this many multiply-adds per output value, which keeps its scratch (16 x k floats) at 256 KiB.
 */
export const PIXEL_TILE_MAX_K = 4096;

export interface SimdConvPlan {
  /**
   * 1x1, stride 1, no padding: 'direct' (GEMM over the input), 'pixels' (pixel-tile kernel) or 'sparse' (its SpMM
   * form, mostly zero weights); any other convolution: 'igemm' or 'igemm_pixels' (the pixel-tile form).
   */
  path: 'direct' | 'pixels' | 'sparse' | 'igemm' | 'igemm_pixels';
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
    if (direct && groups === 1 && g.batch * pixels >= PIXEL_TILE_MIN_PIXELS) {
      const [xt, ct] = allocSpmmScratch(rt, k, outC);
      const m = g.batch * pixels;
      if (countNonZeros(outC, k, filter, 0, k) <= (1 - SPARSE_MIN_ZERO_FRACTION) * outC * k) {
        const w = [packSparseWeights(rt, outC, k, filter, 0, k, bias, 0, xt)];
        return { ...common, path: 'sparse', fn: rt.fn('f32_spmm_16'), batch: 1, m, w, xt, ct };
      }
      const w = [packPixelTileWeights(rt, outC, k, filter, 0, k, bias, 0)];
      return { ...common, path: 'pixels', fn: rt.fn('f32_conv1x1_px16'), batch: 1, m, w, xt, ct };
    }
    const m = direct ? g.batch * pixels : pixels;
    if (!direct && pixels >= PIXEL_TILE_MIN_PIXELS && k <= PIXEL_TILE_MAX_K) {
      const [xt, ct] = allocSpmmScratch(rt, k, groupOut);
      const w = Array.from({ length: groups }, (_, grp) =>
        packPixelTileWeights(rt, groupOut, k, filter, grp * groupOut * k, k, bias, grp * groupOut));
      const zero = allocZeroRow(rt, fIn);
      const ind = buildIndirection(rt, g, SPMM_MR, zero);
      return { ...common, path: 'igemm_pixels', fn: rt.fn('f32_igemm_px16'), batch: g.batch, m, w, ind, zero, xt, ct };
    }
    const w = Array.from({ length: groups }, (_, grp) =>
      packGemmWeights(rt, groupOut, k, filter, grp * groupOut * k, k, bias, grp * groupOut));
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
        if (d.path === 'sparse' || d.path === 'pixels') d.fn(d.m, d.groupOut, d.groupIn, a, d.inC * 4, d.w[grp]!, c, d.outC * 4, d.clamp, d.xt, d.ct);
        else if (d.path === 'direct') d.fn(d.m, d.groupOut, d.groupIn, a, d.inC * 4, d.w[grp]!, c, d.outC * 4, d.clamp);
        else if (d.path === 'igemm') d.fn(d.m, d.groupOut, d.groupIn, d.taps, d.ind, a, d.zero, d.w[grp]!, c, d.outC * 4, d.clamp);
        else d.fn(d.m, d.groupOut, d.groupIn, d.taps, d.ind, a, d.zero, d.w[grp]!, c, d.outC * 4, d.clamp, d.xt, d.ct);
      }
    }
  },
};
