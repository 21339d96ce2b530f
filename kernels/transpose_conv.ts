/**
 * TRANSPOSE_CONV, float32. Mirrors tflite::reference_ops::TransposeConv (reference/transpose_conv.h): every input
 * pixel scatters input[b, iy, ix, :] . filter[oc, ky, kx, :] onto out[b, iy*strideH - padTop + ky, ix*strideW - padLeft + kx, oc]
 * (cells outside the output dropped), then the optional bias (op version 3+) is added and the fused activation
 * (version 4+) clamps. Inputs: output_shape (INT32 [4], constant), filter OHWI, input NHWC, optional bias.
 * The padding is the conv padding of a conv from the output size back to the input (TFLite's
 * ComputePaddingHeightWidth with in = output size).
 * Computed as a GEMM (input pixels x [inC, taps*outC] packed weights) into a column block, then col2im.
 * `Convolution2DTransposeBias` (convolution_2d_transpose_bias.ts) reuses the same core.
 */
import type { TransposeConvOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Tensor } from './tensor.js';
import { ensure, input, type Kernel, type KernelNode } from './kernel.js';
import { checkFloatTensors } from './conv_2d.js';
import { floatActivationRange } from './internal/activation.js';
import { axisGeometry } from './internal/conv_geometry.js';
import { allocPackedWeights, gemm, MR, packTransposed, type PackedWeights } from './internal/gemm.js';
import { refuseHybrid } from './internal/quantization_util.js';

const OUTPUT_SHAPE = 0, FILTER = 1, INPUT = 2, BIAS = 3;

/** Target size (floats) of one column block (input pixels x taps*outC). */
const COL_BLOCK_FLOATS = 16 * 1024;

/** Where the core finds its tensors and how the output is placed. */
export interface TransposeConvLayout {
  input: number; filter: number; bias: number;
  outH: number; outW: number; padTop: number; padLeft: number; strideH: number; strideW: number;
  lo: number; hi: number;
}

export interface TransposeConvData {
  layout: TransposeConvLayout;
  batch: number; inH: number; inW: number; inC: number; outC: number; filterH: number; filterW: number;
  /** B = [inC, taps*outC] with column j = tap*outC + oc, packed. */
  weights: PackedWeights;
  /** Filter reordered to [taps][outC][inC] before packing. */
  reordered: Float32Array;
  bias: Float32Array;
  blockRows: number;
  col: Float32Array;
  /** [-inf, +inf] for the GEMM into the column block, then the fused activation [min, max]. */
  ranges: Float64Array;
  /** The fused activation clamps (range not [-inf, +inf]). */
  clamp: boolean;
  repack: boolean;
}

/** Shapes of a checked transpose convolution. */
export interface TransposeConvShape {
  batch: number; inH: number; inW: number; inC: number; outC: number; filterH: number; filterW: number;
}

/**
 * Checks the filter/input/bias of a float transpose convolution and sets the output shape (shared by the
 * typed-array and SIMD kernels).
 */
export function checkTransposeConvCore(node: KernelNode<unknown>, layout: TransposeConvLayout): TransposeConvShape {
  const x = input(node, layout.input), f = input(node, layout.filter);
  const bias: Tensor | null = node.inputs[layout.bias] ?? null;
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  checkFloatTensors(node, 'filter', f);
  ensure(node, x.rank === 4, () => `input must have rank 4 (NHWC), got [${x.shape.join(',')}]`);
  ensure(node, f.rank === 4, () => `filter must have rank 4 (OHWI), got [${f.shape.join(',')}]`);
  const [outC, fH, fW, fIn] = f.shape as [number, number, number, number];
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  ensure(node, fIn === inC, () => `input has ${inC} channels but the filter expects ${fIn}`);
  if (bias) {
    checkFloatTensors(node, 'bias', bias);
    ensure(node, bias.rank === 1 && bias.size === outC, () =>
      `bias must be [${outC}] (filter output channels), got [${bias.shape.join(',')}]`);
  }
  ensure(node, node.outputs[0]!.type === TensorType.FLOAT32, () => 'output type must be FLOAT32');
  ensure(node, layout.strideH >= 1 && layout.strideW >= 1, () =>
    `strides must be >= 1, got ${layout.strideH}x${layout.strideW}`);
  ensure(node, layout.outH > 0 && layout.outW > 0, () => `output size ${layout.outH}x${layout.outW} is empty`);
  node.outputs[0]!.shape = [batch, layout.outH, layout.outW, outC];
  return { batch, inH, inW, inC, outC, filterH: fH, filterW: fW };
}

/** Checks a float transpose convolution and builds the GEMM data. */
export function prepareTransposeConvCore(node: KernelNode<unknown>, layout: TransposeConvLayout): TransposeConvData {
  const { batch, inH, inW, inC, outC, filterH: fH, filterW: fW } = checkTransposeConvCore(node, layout);
  const f = node.inputs[layout.filter]!, bias: Tensor | null = node.inputs[layout.bias] ?? null;
  const n = fH * fW * outC;
  const blockRows = Math.min(Math.max(MR, Math.floor(COL_BLOCK_FLOATS / n / MR) * MR), Math.max(1, inH * inW));
  const d: TransposeConvData = {
    layout, batch, inH, inW, inC, outC, filterH: fH, filterW: fW,
    weights: allocPackedWeights(inC, n), reordered: new Float32Array(n * inC), bias: new Float32Array(outC),
    blockRows, col: new Float32Array(blockRows * n),
    ranges: Float64Array.of(-Infinity, Infinity, layout.lo, layout.hi),
    clamp: layout.lo !== -Infinity || layout.hi !== Infinity,
    repack: !f.isConstant || (bias !== null && !bias.isConstant),
  };
  if (!d.repack) packTransposeConv(node, d);
  return d;
}

function packTransposeConv(node: KernelNode<unknown>, d: TransposeConvData): void {
  const f = node.inputs[d.layout.filter]!.data as Float32Array;
  const taps = d.filterH * d.filterW, outC = d.outC, inC = d.inC, r = d.reordered;
  // filter[oc][tap][ic] -> reordered[tap][oc][ic]: row tap*outC + oc of B transposed.
  for (let oc = 0; oc < outC; oc++) {
    for (let t = 0; t < taps; t++) {
      const s = (oc * taps + t) * inC, o = (t * outC + oc) * inC;
      for (let ic = 0; ic < inC; ic++) r[o + ic] = f[s + ic]!;
    }
  }
  packTransposed(d.weights, r, 0, inC);
  const bias = node.inputs[d.layout.bias];
  if (bias) d.bias.set(bias.data as Float32Array);
  else d.bias.fill(0);
}

/**
 * Runs the transpose convolution prepared by prepareTransposeConvCore: per block of input pixels, a GEMM into the
 * column block and one scatter call; bias and clamp per output row (see "Allocation-free eval" in internal/elementwise.ts).
 */
export function evalTransposeConvCore(node: KernelNode<unknown>, d: TransposeConvData): void {
  if (d.repack) packTransposeConv(node, d);
  const L = d.layout;
  const x = node.inputs[L.input]!.data as Float32Array;
  const y = node.outputs[0]!.data as Float32Array;
  const pixels = d.inH * d.inW, outRows = L.outH, outBatch = L.outH * L.outW * d.outC, n = d.weights.n;
  for (let b = 0; b < d.batch; b++) {
    const yb = b * outBatch;
    for (let oy = 0; oy < outRows; oy++) fillBiasRow(y, yb, d, oy);
    for (let m0 = 0; m0 < pixels; m0 += d.blockRows) {
      const count = Math.min(d.blockRows, pixels - m0);
      gemm(x, (b * pixels + m0) * d.inC, d.inC, count, d.weights, d.col, 0, n, d.ranges);
      scatterBlock(y, yb, d, m0, count);
    }
    if (d.clamp) for (let oy = 0; oy < outRows; oy++) clampRow(y, yb, d, oy);
  }
}

/** Output row `oy` = bias. */
function fillBiasRow(y: Float32Array, yb: number, d: TransposeConvData, oy: number): void {
  const outW = d.layout.outW, outC = d.outC, bias = d.bias;
  for (let o = yb + oy * outW * outC, ox = 0; ox < outW; ox++, o += outC) {
    for (let oc = 0; oc < outC; oc++) y[o + oc] = bias[oc]!;
  }
}

/** col2im: adds the column block of input pixels m0 .. m0+count-1 onto the output cells their taps reach. */
function scatterBlock(y: Float32Array, yb: number, d: TransposeConvData, m0: number, count: number): void {
  const { inW, outC, filterH, filterW, col } = d;
  const { outH, outW, padTop, padLeft, strideH, strideW } = d.layout;
  const n = d.weights.n;
  let iy = (m0 / inW) | 0, ix = m0 - iy * inW;
  for (let r = 0; r < count; r++) {
    const oy0 = iy * strideH - padTop, ox0 = ix * strideW - padLeft;
    for (let ky = 0; ky < filterH; ky++) {
      const oy = oy0 + ky;
      if (oy < 0 || oy >= outH) continue;
      for (let kx = 0; kx < filterW; kx++) {
        const ox = ox0 + kx;
        if (ox < 0 || ox >= outW) continue;
        const o = yb + (oy * outW + ox) * outC;
        const c = r * n + (ky * filterW + kx) * outC;
        for (let oc = 0; oc < outC; oc++) y[o + oc] += col[c + oc]!;
      }
    }
    if (++ix === inW) { ix = 0; iy++; }
  }
}

/** Fused activation clamp of output row `oy` (ranges[2], ranges[3]). */
function clampRow(y: Float32Array, yb: number, d: TransposeConvData, oy: number): void {
  const lo = d.ranges[2]!, hi = d.ranges[3]!, len = d.layout.outW * d.outC;
  for (let i = yb + oy * len, end = i + len; i < end; i++) {
    const v = y[i]!;
    y[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** Validates TRANSPOSE_CONV's options and output_shape; the layout the core runs. */
export function transposeConvLayout(node: KernelNode<TransposeConvOptions>): TransposeConvLayout {
  refuseHybrid(node);
  const o = node.options;
  ensure(node, !!o && o.kind === 'TransposeConvOptions', () => 'missing TransposeConvOptions');
  const shape = input(node, OUTPUT_SHAPE);
  ensure(node, shape.type === TensorType.INT32 && shape.rank === 1 && shape.size === 4, () =>
    `output_shape must be an INT32 tensor of shape [4], got ${TensorType[shape.type]}[${shape.shape.join(',')}]`);
  ensure(node, shape.isConstant, () => 'output_shape must be a constant tensor');
  const [ob, oh, ow, oc] = Array.from(shape.data as Int32Array);
  const x = input(node, INPUT), f = input(node, FILTER);
  ensure(node, x.rank === 4 && ob === x.shape[0], () =>
    `output_shape batch ${ob} does not match the input [${x.shape.join(',')}]`);
  ensure(node, oc === f.shape[0], () =>
    `output_shape depth ${oc} does not match the filter's ${f.shape[0]} output channels`);
  ensure(node, f.rank === 4, () => `filter must have rank 4 (OHWI), got [${f.shape.join(',')}]`);
  const range = floatActivationRange(o.fusedActivationFunction);
  ensure(node, range !== null, () => `fused activation ${o.fusedActivationFunction} is not supported`);
  const h = axisGeometry(o.padding, oh!, f.shape[1]!, o.strideH);
  const w = axisGeometry(o.padding, ow!, f.shape[2]!, o.strideW);
  return {
    input: INPUT, filter: FILTER, bias: BIAS, outH: oh!, outW: ow!, padTop: h.padBefore, padLeft: w.padBefore,
    strideH: o.strideH, strideW: o.strideW, lo: range.min, hi: range.max,
  };
}

/** TRANSPOSE_CONV for FLOAT32 input, filter OHWI and optional bias (v3+); fused NONE/RELU/RELU_N1_TO_1/RELU6 (v4+). */
export const transposeConvFloat: Kernel<TransposeConvData, TransposeConvOptions> = {
  prepare(node) {
    return prepareTransposeConvCore(node, transposeConvLayout(node));
  },
  eval: evalTransposeConvCore,
};
