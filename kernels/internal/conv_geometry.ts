/**
 * One geometry for CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and the 2-D pools (NHWC).
 * TFLite's rules: SAME gives out = ceil(in / stride); VALID gives out = ceil((in - effFilter + 1) / stride),
 * with effFilter = (filter - 1) * dilation + 1. The total padding is
 * max((out - 1) * stride + effFilter - in, 0), split with the smaller half first (top/left).
 */
import { Padding } from '../../schema/enums.js';

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
