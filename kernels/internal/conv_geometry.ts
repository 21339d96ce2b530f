/**
 * One geometry for CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and the 2-D pools (NHWC).
 * TFLite's rules: SAME gives out = ceil(in / stride); VALID gives out = ceil((in - effFilter + 1) / stride),
 * with effFilter = (filter - 1) * dilation + 1. The total padding is
 * max((out - 1) * stride + effFilter - in, 0), split with the smaller half first (top/left).
 */
import { Padding } from '../../schema/enums.js';
import type { KernelNode } from '../kernel.js';
import { ensure } from '../kernel.js';

export interface Axis2D {
  /** Output size along the axis. */
  out: number;
  /** Padding before (top or left); the padding after is `padAfter`. */
  padBefore: number;
  padAfter: number;
}

export function outputSize(padding: Padding, inSize: number, filter: number, stride: number, dilation = 1): number {
  const eff = (filter - 1) * dilation + 1;
  if (padding === Padding.SAME) return Math.floor((inSize + stride - 1) / stride);
  return Math.floor((inSize - eff + stride) / stride);
}

export function axisGeometry(padding: Padding, inSize: number, filter: number, stride: number, dilation = 1): Axis2D {
  const out = outputSize(padding, inSize, filter, stride, dilation);
  const eff = (filter - 1) * dilation + 1;
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  const padBefore = Math.floor(total / 2);
  return { out, padBefore, padAfter: total - padBefore };
}

export interface ConvGeometry {
  batch: number;
  inH: number; inW: number; inC: number;
  filterH: number; filterW: number;
  strideH: number; strideW: number;
  dilationH: number; dilationW: number;
  outH: number; outW: number; outC: number;
  padTop: number; padLeft: number; padBottom: number; padRight: number;
}

export function convGeometry(p: {
  inputShape: readonly number[]; filterH: number; filterW: number; outC: number;
  strideH: number; strideW: number; dilationH?: number; dilationW?: number; padding: Padding;
}): ConvGeometry {
  const [batch, inH, inW, inC] = p.inputShape as [number, number, number, number];
  const dilationH = p.dilationH ?? 1, dilationW = p.dilationW ?? 1;
  const h = axisGeometry(p.padding, inH, p.filterH, p.strideH, dilationH);
  const w = axisGeometry(p.padding, inW, p.filterW, p.strideW, dilationW);
  return {
    batch, inH, inW, inC, filterH: p.filterH, filterW: p.filterW,
    strideH: p.strideH, strideW: p.strideW, dilationH, dilationW,
    outH: h.out, outW: w.out, outC: p.outC,
    padTop: h.padBefore, padLeft: w.padBefore, padBottom: h.padAfter, padRight: w.padAfter,
  };
}

/**
 * The geometry of a VALID window over the input padded by [top, bottom, left, right] (a PAD folded into the
 * convolution): out = floor((in + before + after - effFilter) / stride) + 1.
 */
export function paddedGeometry(p: {
  inputShape: readonly number[]; filterH: number; filterW: number; outC: number;
  strideH: number; strideW: number; dilationH: number; dilationW: number;
}, [top, bottom, left, right]: readonly [number, number, number, number]): ConvGeometry {
  const [batch, inH, inW, inC] = p.inputShape as [number, number, number, number];
  const effH = (p.filterH - 1) * p.dilationH + 1, effW = (p.filterW - 1) * p.dilationW + 1;
  return {
    batch, inH, inW, inC, filterH: p.filterH, filterW: p.filterW, strideH: p.strideH, strideW: p.strideW,
    dilationH: p.dilationH, dilationW: p.dilationW,
    outH: Math.floor((inH + top + bottom - effH) / p.strideH) + 1, outW: Math.floor((inW + left + right - effW) / p.strideW) + 1,
    outC: p.outC, padTop: top, padLeft: left, padBottom: bottom, padRight: right,
  };
}

/**
 * The prepare step every windowed op shares (CONV_2D, DEPTHWISE_CONV_2D, the pools, float and quantized):
 * validates the window (sizes, strides and dilations >= 1, a known padding), computes the geometry, refuses an
 * empty output and sets output 0's shape to [batch, outH, outW, outC].
 */
export function prepareWindow(node: KernelNode<unknown>, p: {
  inputShape: readonly number[]; filterH: number; filterW: number; outC: number;
  strideH: number; strideW: number; dilationH?: number; dilationW?: number; padding: Padding;
}): ConvGeometry {
  const dh = p.dilationH ?? 1, dw = p.dilationW ?? 1;
  ensure(node, p.inputShape.length === 4, () => `input must have rank 4 (NHWC), got [${p.inputShape.join(',')}]`);
  ensure(node, p.filterH >= 1 && p.filterW >= 1, () => `window must be at least 1x1, got ${p.filterH}x${p.filterW}`);
  ensure(node, p.strideH >= 1 && p.strideW >= 1, () => `strides must be >= 1, got ${p.strideH}x${p.strideW}`);
  ensure(node, dh >= 1 && dw >= 1, () => `dilation factors must be >= 1, got ${dh}x${dw}`);
  ensure(node, p.padding === Padding.SAME || p.padding === Padding.VALID, () => `padding ${p.padding} is neither SAME nor VALID`);
  const explicit = (node as KernelNode<unknown>).inputPadding;
  ensure(node, !explicit || p.padding === Padding.VALID, () => 'explicit input padding needs VALID padding');
  const geo = explicit ? paddedGeometry({ ...p, dilationH: dh, dilationW: dw }, explicit) : convGeometry({ ...p, dilationH: dh, dilationW: dw });
  ensure(node, geo.outH > 0 && geo.outW > 0, () =>
    `output would be empty: input ${geo.inH}x${geo.inW}, effective window ${(p.filterH - 1) * dh + 1}x${(p.filterW - 1) * dw + 1} larger than the padded input`);
  node.outputs[0]!.shape = [geo.batch, geo.outH, geo.outW, p.outC];
  return geo;
}
