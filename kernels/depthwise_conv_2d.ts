/**
 * DEPTHWISE_CONV_2D, float32. Mirrors tflite::reference_ops::DepthwiseConv (reference/depthwiseconv_float.h):
 *   out[b, oy, ox, ic*m + q] = bias[ic*m + q] + sum_{ky,kx} in[b, iy, ix, ic] * filter[0, ky, kx, ic*m + q]
 * with iy = oy*strideH - padTop + ky*dilationH (likewise x), taps in the padding contributing nothing, and the
 * depth multiplier m = filter channels / input channels (TFLite derives it from the shapes; the option is redundant).
 * Fast paths: 3x3 with multiplier 1 and no dilation (the MobileNet case) runs its interior channel by channel with the
 * nine weights in registers and, at stride 1, a sliding window of input columns; other filters run their interior
 * channel by channel with per-row accumulators; border pixels use the bounds-checked loops.
 */
import type { DepthwiseConv2DOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import { ensure, input, type Kernel, type KernelNode } from './kernel.js';
import { checkFloatTensors } from './conv_2d.js';
import { floatActivationRange } from './internal/activation.js';
import { prepareWindow, type ConvGeometry } from './internal/conv_geometry.js';
import { refuseHybrid } from './internal/quantization_util.js';

const INPUT = 0, FILTER = 1, BIAS = 2;

export interface DepthwiseConv2DData {
  geo: ConvGeometry;
  multiplier: number;
  /** Filter as [fH*fW][outC] (the model layout without the leading 1), copied at prepare. */
  weights: Float32Array;
  /** Bias per output channel (zeros without a bias input). */
  bias: Float32Array;
  /** Fused activation clamp [min, max] (a Float64Array: no double is boxed in eval). */
  range: Float64Array;
  /** 3x3, multiplier 1, dilation 1: the specialised interior loops apply. */
  fast3x3: boolean;
  /** Per-row accumulators of the channel-by-channel interior loop (one per output column). */
  rowAcc: Float64Array;
  /** Interior output columns [oxLo, oxHi): every tap inside the input. */
  oxLo: number;
  oxHi: number;
  /** Filter or bias computed at run time: copied again on every eval. */
  repack: boolean;
}

function copyWeights(node: KernelNode<DepthwiseConv2DOptions>, d: DepthwiseConv2DData): void {
  d.weights.set(node.inputs[FILTER]!.data as Float32Array);
  const bias = node.inputs[BIAS];
  if (bias) d.bias.set(bias.data as Float32Array);
  else d.bias.fill(0);
}

/** What prepare derives from a float DEPTHWISE_CONV_2D node (validated; the output shape is set). */
export interface DepthwiseCheck {
  geo: ConvGeometry;
  multiplier: number;
  range: { min: number; max: number };
}

/** Validates a float DEPTHWISE_CONV_2D node and sets its output shape (shared by the typed-array and SIMD kernels). */
export function checkDepthwiseFloat(node: KernelNode<DepthwiseConv2DOptions>): DepthwiseCheck {
  refuseHybrid(node);
  const o = node.options;
  const x = input(node, INPUT), f = input(node, FILTER), bias = node.inputs[BIAS] ?? null;
  ensure(node, !!o && o.kind === 'DepthwiseConv2DOptions', () => 'missing DepthwiseConv2DOptions');
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  checkFloatTensors(node, 'filter', f);
  ensure(node, x.rank === 4, () => `input must have rank 4 (NHWC), got [${x.shape.join(',')}]`);
  ensure(node, f.rank === 4 && f.shape[0] === 1, () => `filter must have shape [1,H,W,C], got [${f.shape.join(',')}]`);
  const [, fH, fW, outC] = f.shape as [number, number, number, number];
  const inC = x.shape[3]!;
  ensure(node, inC > 0 && outC % inC === 0, () =>
    `filter has ${outC} channels, not a multiple of the input's ${inC} channels`);
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
  return { geo, multiplier: outC / inC, range };
}

/** DEPTHWISE_CONV_2D for FLOAT32 input, filter [1,H,W,C*m] and optional bias; fused NONE/RELU/RELU_N1_TO_1/RELU6. */
export const depthwiseConv2DFloat: Kernel<DepthwiseConv2DData, DepthwiseConv2DOptions> = {
  prepare(node) {
    const { geo, multiplier, range } = checkDepthwiseFloat(node);
    const f = node.inputs[FILTER]!, bias = node.inputs[BIAS] ?? null;
    const [, fH, fW, outC] = f.shape as [number, number, number, number];
    const d: DepthwiseConv2DData = {
      geo, multiplier, weights: new Float32Array(fH * fW * outC), bias: new Float32Array(outC),
      range: Float64Array.of(range.min, range.max),
      fast3x3: multiplier === 1 && fH === 3 && fW === 3 && geo.dilationH === 1 && geo.dilationW === 1,
      rowAcc: new Float64Array(geo.outW), ...interiorColumns(geo),
      repack: !f.isConstant || (bias !== null && !bias.isConstant),
    };
    if (!d.repack) copyWeights(node, d);
    return d;
  },

  eval(node, d) {
    if (d.repack) copyWeights(node, d);
    const x = node.inputs[INPUT]!.data as Float32Array;
    const y = node.outputs[0]!.data as Float32Array;
    const g = d.geo;
    const inBatch = g.inH * g.inW * g.inC, outBatch = g.outH * g.outW * g.outC;
    // One call per output row (see "Allocation-free eval" in internal/elementwise.ts).
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        if (d.fast3x3) depthwise3x3Row(x, b * inBatch, y, b * outBatch, d, oy);
        else depthwiseGeneralRow(x, b * inBatch, y, b * outBatch, d, oy);
      }
    }
  },
};

/** Output columns whose taps all fall inside the input: ix0 >= 0 and ix0 + (filterW-1)*dilationW < inW. */
function interiorColumns(g: ConvGeometry): { oxLo: number; oxHi: number } {
  const span = (g.filterW - 1) * g.dilationW;
  const oxLo = Math.min(g.outW, Math.ceil(g.padLeft / g.strideW));
  const oxHi = Math.max(oxLo, Math.min(g.outW, Math.floor((g.inW - 1 - span + g.padLeft) / g.strideW) + 1));
  return { oxLo, oxHi };
}

/**
 * Output row `oy` for any filter size, stride, dilation and multiplier. Interior rows run channel by channel:
 * for each filter row the channel's weights of that row are read once and swept along the output row into
 * `rowAcc` (five-tap rows unrolled: the 5x5 filters of MediaPipe's models). Border pixels use depthwiseRow.
 */
function depthwiseGeneralRow(x: Float32Array, xOff: number, y: Float32Array, yOff: number, d: DepthwiseConv2DData, oy: number): void {
  const g = d.geo, w = d.weights, bias = d.bias, m = d.multiplier, lo = d.range[0]!, hi = d.range[1]!, acc = d.rowAcc;
  const { inH, inW, inC, outC, outW, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const { oxLo, oxHi } = d;
  const spanH = (filterH - 1) * dilationH;
  const xStep = strideW * inC, tapStep = dilationW * inC;
  const iy0 = oy * strideH - padTop;
  if (iy0 < 0 || iy0 + spanH >= inH || oxLo >= oxHi) {
    depthwiseRow(x, xOff, y, yOff, d, oy, 0, outW);
    return;
  }
  if (oxLo > 0) depthwiseRow(x, xOff, y, yOff, d, oy, 0, oxLo);
  if (oxHi < outW) depthwiseRow(x, xOff, y, yOff, d, oy, oxHi, outW);
  const colBase = (oxLo * strideW - padLeft) * inC;
  for (let oc = 0; oc < outC; oc++) {
    const ic = m === 1 ? oc : (oc / m) | 0;
    const bc = bias[oc]!;
    for (let ox = oxLo; ox < oxHi; ox++) acc[ox] = bc;
    for (let ky = 0; ky < filterH; ky++) {
      const p0 = xOff + (iy0 + ky * dilationH) * inW * inC + colBase + ic;
      const wb = ky * filterW * outC + oc;
      if (filterW === 5) {
        const w0 = w[wb]!, w1 = w[wb + outC]!, w2 = w[wb + 2 * outC]!, w3 = w[wb + 3 * outC]!, w4 = w[wb + 4 * outC]!;
        for (let ox = oxLo, p = p0; ox < oxHi; ox++, p += xStep) {
          acc[ox] = acc[ox]! + x[p]! * w0 + x[p + tapStep]! * w1 + x[p + 2 * tapStep]! * w2 +
            x[p + 3 * tapStep]! * w3 + x[p + 4 * tapStep]! * w4;
        }
      } else {
        for (let kx = 0; kx < filterW; kx++) {
          const wv = w[wb + kx * outC]!;
          for (let ox = oxLo, p = p0 + kx * tapStep; ox < oxHi; ox++, p += xStep) acc[ox] = acc[ox]! + x[p]! * wv;
        }
      }
    }
    for (let ox = oxLo, q = yOff + (oy * outW + oxLo) * outC + oc; ox < oxHi; ox++, q += outC) {
      const v = acc[ox]!;
      y[q] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}

/** Output pixels (oy, ox0 .. ox1-1) of one image, by the definition (bounds-checked taps). */
function depthwiseRow(
  x: Float32Array, xOff: number, y: Float32Array, yOff: number, d: DepthwiseConv2DData, oy: number, ox0: number, ox1: number,
): void {
  const g = d.geo, w = d.weights, bias = d.bias, m = d.multiplier, lo = d.range[0]!, hi = d.range[1]!;
  const { inH, inW, inC, outC, outW, filterH, filterW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const iy0 = oy * strideH - padTop;
  for (let ox = ox0; ox < ox1; ox++) {
    const ix0 = ox * strideW - padLeft;
    const o = yOff + (oy * outW + ox) * outC;
    for (let c = 0; c < outC; c++) y[o + c] = bias[c]!;
    for (let ky = 0; ky < filterH; ky++) {
      const iy = iy0 + ky * dilationH;
      if (iy < 0 || iy >= inH) continue;
      for (let kx = 0; kx < filterW; kx++) {
        const ix = ix0 + kx * dilationW;
        if (ix < 0 || ix >= inW) continue;
        const i = xOff + (iy * inW + ix) * inC;
        const wb = (ky * filterW + kx) * outC;
        if (m === 1) {
          for (let c = 0; c < outC; c++) y[o + c] += x[i + c]! * w[wb + c]!;
        } else {
          for (let ic = 0, oc = 0; ic < inC; ic++) {
            const v = x[i + ic]!;
            for (let q = 0; q < m; q++, oc++) y[o + oc] += v * w[wb + oc]!;
          }
        }
      }
    }
    for (let c = 0; c < outC; c++) {
      const v = y[o + c]!;
      y[o + c] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}

/**
 * Output row `oy` for 3x3, multiplier 1, no dilation. Pixels whose taps all fall inside the input are computed
 * one channel at a time with the channel's nine weights held in locals; the other pixels go through depthwiseRow.
 */
function depthwise3x3Row(x: Float32Array, xOff: number, y: Float32Array, yOff: number, d: DepthwiseConv2DData, oy: number): void {
  const g = d.geo, w = d.weights, bias = d.bias, lo = d.range[0]!, hi = d.range[1]!;
  const { inH, inW, outW, strideH, strideW, padTop, padLeft } = g;
  const C = g.outC;
  const { oxLo, oxHi } = d;
  const rowStride = inW * C;
  const xStep = strideW * C;
  const iy0 = oy * strideH - padTop;
  if (iy0 < 0 || iy0 + 2 >= inH || oxLo >= oxHi) {
    depthwiseRow(x, xOff, y, yOff, d, oy, 0, outW);
    return;
  }
  if (oxLo > 0) depthwiseRow(x, xOff, y, yOff, d, oy, 0, oxLo);
  if (oxHi < outW) depthwiseRow(x, xOff, y, yOff, d, oy, oxHi, outW);
  const yRow = yOff + (oy * outW) * C;
  const xRow = xOff + iy0 * rowStride + (oxLo * strideW - padLeft) * C;
  for (let c = 0; c < C; c++) {
    const w0 = w[c]!, w1 = w[C + c]!, w2 = w[2 * C + c]!;
    const w3 = w[3 * C + c]!, w4 = w[4 * C + c]!, w5 = w[5 * C + c]!;
    const w6 = w[6 * C + c]!, w7 = w[7 * C + c]!, w8 = w[8 * C + c]!;
    const bc = bias[c]!;
    let p0 = xRow + c, p1 = p0 + rowStride, p2 = p1 + rowStride;
    let q = yRow + oxLo * C + c;
    if (strideW === 1) {
      // Sliding window: columns kx=0,1 of this pixel are columns kx=1,2 of the previous one.
      let a0 = x[p0]!, b0 = x[p1]!, c0 = x[p2]!;
      let a1 = x[p0 + C]!, b1 = x[p1 + C]!, c1 = x[p2 + C]!;
      p0 += 2 * C; p1 += 2 * C; p2 += 2 * C;
      for (let ox = oxLo; ox < oxHi; ox++) {
        const a2 = x[p0]!, b2 = x[p1]!, c2 = x[p2]!;
        const v = bc + a0 * w0 + a1 * w1 + a2 * w2 + b0 * w3 + b1 * w4 + b2 * w5 + c0 * w6 + c1 * w7 + c2 * w8;
        y[q] = v < lo ? lo : v > hi ? hi : v;
        a0 = a1; a1 = a2; b0 = b1; b1 = b2; c0 = c1; c1 = c2;
        p0 += C; p1 += C; p2 += C; q += C;
      }
    } else {
      for (let ox = oxLo; ox < oxHi; ox++) {
        const v = bc +
          x[p0]! * w0 + x[p0 + C]! * w1 + x[p0 + 2 * C]! * w2 +
          x[p1]! * w3 + x[p1 + C]! * w4 + x[p1 + 2 * C]! * w5 +
          x[p2]! * w6 + x[p2 + C]! * w7 + x[p2 + 2 * C]! * w8;
        y[q] = v < lo ? lo : v > hi ? hi : v;
        p0 += xStep; p1 += xStep; p2 += xStep; q += C;
      }
    }
  }
}
