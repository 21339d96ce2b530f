/**
 * CONV_2D, float32. Mirrors tflite::reference_ops::Conv (kernels/internal/reference/conv.h), computed as
 * im2col + a register-blocked GEMM over weights packed at prepare (optimized_ops::Conv's structure).
 * Grouped convolution (op version 6: filter in-channels = input channels / groups) runs one GEMM per group.
 */
import type { Conv2DOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Tensor } from './tensor.js';
import { ensure, input, type Kernel, type KernelNode } from './kernel.js';
import { floatActivationRange } from './internal/activation.js';
import { prepareWindow, type ConvGeometry } from './internal/conv_geometry.js';
import { allocPackedWeights, gemm, MR, packTransposed, setPackedBias, type PackedWeights } from './internal/gemm.js';
import { refuseHybrid } from './internal/quantization_util.js';

const INPUT = 0, FILTER = 1, BIAS = 2;

/** Target size (floats) of one block of im2col rows: small enough to stay in L1/L2 next to a weight panel. */
const IM2COL_BLOCK_FLOATS = 16 * 1024;

export interface Conv2DData {
  geo: ConvGeometry;
  groups: number;
  /** Input channels and output channels per group. */
  groupIn: number;
  groupOut: number;
  /** im2col row length: filterH * filterW * groupIn. */
  kDim: number;
  /** One packed weight matrix (with bias) per group. */
  weights: PackedWeights[];
  /** 1x1, stride 1, no padding, one group: the NHWC input already is the GEMM's A matrix. */
  direct: boolean;
  /** im2col rows per block, and the block buffer (empty when direct). */
  blockRows: number;
  im2col: Float32Array;
  /** Fused activation clamp [min, max] (a Float64Array: read in the GEMM without boxing doubles). */
  range: Float64Array;
  /** Weights (or bias) computed at run time rather than model constants: repacked on every eval. */
  repack: boolean;
}

/** Refuses a non-float32 weight or bias next to a float32 input (int8/uint8 weights are refused earlier as hybrid). */
export function checkFloatTensors(node: KernelNode<unknown>, what: string, t: Tensor): void {
  ensure(node, t.type === TensorType.FLOAT32, () =>
    `${what} type ${TensorType[t.type]} is not supported with a FLOAT32 input (weights and bias must be FLOAT32)`);
}

function packAll(node: KernelNode<Conv2DOptions>, d: Conv2DData): void {
  const filter = node.inputs[FILTER]!.data as Float32Array;
  const bias = (node.inputs[BIAS]?.data as Float32Array | undefined) ?? null;
  for (let g = 0; g < d.groups; g++) {
    packTransposed(d.weights[g]!, filter, g * d.groupOut * d.kDim, d.kDim);
    setPackedBias(d.weights[g]!, bias, g * d.groupOut);
  }
}

/** What prepare derives from a float CONV_2D node (validated; the output shape is set). */
export interface Conv2DCheck {
  geo: ConvGeometry;
  groups: number;
  /** Filter [outC, fH, fW, fIn]. */
  outC: number;
  fH: number;
  fW: number;
  fIn: number;
  range: { min: number; max: number };
}

/** Validates a float CONV_2D node and sets its output shape (shared by the typed-array and SIMD kernels). */
export function checkConv2DFloat(node: KernelNode<Conv2DOptions>): Conv2DCheck {
  refuseHybrid(node);
  const o = node.options;
  const x = input(node, INPUT), f = input(node, FILTER), bias = node.inputs[BIAS] ?? null;
  ensure(node, !!o && o.kind === 'Conv2DOptions', () => 'missing Conv2DOptions');
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  checkFloatTensors(node, 'filter', f);
  ensure(node, x.rank === 4, () => `input must have rank 4 (NHWC), got [${x.shape.join(',')}]`);
  ensure(node, f.rank === 4, () => `filter must have rank 4 (OHWI), got [${f.shape.join(',')}]`);
  const [outC, fH, fW, fIn] = f.shape as [number, number, number, number];
  const inC = x.shape[3]!;
  ensure(node, fIn > 0 && inC % fIn === 0, () =>
    `input has ${inC} channels, not a multiple of the filter's ${fIn} input channels`);
  const groups = inC / fIn;
  ensure(node, outC % groups === 0, () => `${outC} output channels do not split into ${groups} groups`);
  if (bias) {
    checkFloatTensors(node, 'bias', bias);
    ensure(node, bias.size === outC, () => `bias has ${bias.size} elements, expected ${outC} (output channels)`);
  }
  ensure(node, node.outputs[0]!.type === TensorType.FLOAT32, () => 'output type must be FLOAT32');
  const range = floatActivationRange(o.fusedActivationFunction);
  ensure(node, range !== null, () => `fused activation ${o.fusedActivationFunction} is not supported`);
  const geo = prepareWindow(node, {
    inputShape: x.shape, filterH: fH, filterW: fW, outC, strideH: o.strideH, strideW: o.strideW,
    dilationH: o.dilationHFactor, dilationW: o.dilationWFactor, padding: o.padding,
  });
  return { geo, groups, outC, fH, fW, fIn, range };
}

/** CONV_2D for FLOAT32 input, filter (OHWI) and optional bias; fused NONE/RELU/RELU_N1_TO_1/RELU6. */
export const conv2DFloat: Kernel<Conv2DData, Conv2DOptions> = {
  prepare(node) {
    const { geo, groups, outC, fH, fW, fIn, range } = checkConv2DFloat(node);
    const o = node.options, f = node.inputs[FILTER]!, bias = node.inputs[BIAS] ?? null;
    const kDim = fH * fW * fIn;
    const groupOut = outC / groups;
    const direct = groups === 1 && fH === 1 && fW === 1 && o.strideH === 1 && o.strideW === 1 &&
      geo.padTop === 0 && geo.padLeft === 0;
    const rows = geo.outH * geo.outW;
    let blockRows = Math.max(MR, Math.floor(IM2COL_BLOCK_FLOATS / kDim / MR) * MR);
    blockRows = Math.min(blockRows, rows);
    const d: Conv2DData = {
      geo, groups, groupIn: fIn, groupOut, kDim,
      weights: Array.from({ length: groups }, () => allocPackedWeights(kDim, groupOut)),
      direct, blockRows, im2col: new Float32Array(direct ? 0 : blockRows * kDim),
      range: Float64Array.of(range.min, range.max),
      repack: !f.isConstant || (bias !== null && !bias.isConstant),
    };
    if (!d.repack) packAll(node, d);
    return d;
  },

  eval(node, d) {
    if (d.repack) packAll(node, d);
    const x = node.inputs[INPUT]!.data as Float32Array;
    const y = node.outputs[0]!.data as Float32Array;
    const g = d.geo;
    const rows = g.outH * g.outW;
    const inBatch = g.inH * g.inW * g.inC, outBatch = rows * g.outC;
    for (let b = 0; b < g.batch; b++) {
      if (d.direct) {
        gemm(x, b * inBatch, g.inC, rows, d.weights[0]!, y, b * outBatch, g.outC, d.range);
        continue;
      }
      for (let m0 = 0; m0 < rows; m0 += d.blockRows) {
        const count = Math.min(d.blockRows, rows - m0);
        for (let grp = 0; grp < d.groups; grp++) {
          im2colRows(x, b * inBatch, g, grp * d.groupIn, d.groupIn, m0, count, d.im2col);
          gemm(d.im2col, 0, d.kDim, count, d.weights[grp]!, y, b * outBatch + m0 * g.outC + grp * d.groupOut, g.outC, d.range);
        }
      }
    }
  },
};

/**
 * Writes im2col rows for output pixels m0 .. m0+count-1 of one image: each row lists, for every filter tap
 * (ky, kx) in order, the `cIn` input channels starting at `c0` (zeros where the tap falls in the padding).
 */
function im2colRows(
  x: Float32Array, xOff: number, g: ConvGeometry, c0: number, cIn: number, m0: number, count: number, col: Float32Array,
): void {
  const { inH, inW, inC, filterH, filterW, strideH, strideW, dilationH, dilationW, outW, padTop, padLeft } = g;
  let oy = Math.floor(m0 / outW), ox = m0 - oy * outW;
  let p = 0;
  for (let r = 0; r < count; r++) {
    const iy0 = oy * strideH - padTop, ix0 = ox * strideW - padLeft;
    for (let ky = 0; ky < filterH; ky++) {
      const iy = iy0 + ky * dilationH;
      if (iy < 0 || iy >= inH) {
        col.fill(0, p, p + filterW * cIn);
        p += filterW * cIn;
        continue;
      }
      const rowBase = xOff + iy * inW * inC + c0;
      for (let kx = 0; kx < filterW; kx++) {
        const ix = ix0 + kx * dilationW;
        if (ix < 0 || ix >= inW) {
          col.fill(0, p, p + cIn);
        } else {
          const s = rowBase + ix * inC;
          for (let c = 0; c < cIn; c++) col[p + c] = x[s + c]!;
        }
        p += cIn;
      }
    }
    if (++ox === outW) { ox = 0; oy++; }
  }
}
