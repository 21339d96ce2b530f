/**
 * DEPTHWISE_CONV_2D for uint8 (per-tensor) and int8 (per-channel weights on dimension 3, zero point 0).
 * Mirrors reference_ops::DepthwiseConv (uint8, DepthwiseConvOutputRounding::kAwayFromZero, i.e.
 * MultiplyByQuantizedMultiplier) and reference_integer_ops::DepthwiseConvPerChannel (int8):
 *   out[oc = ic * mult + m] = clamp(zp_out + MBQM(bias[oc] + sum (w - zp_w) * (x[ic] - zp_x), M[oc], shift[oc])).
 * The input is copied once per batch as (x - zp_x) doubles into a zero-bordered buffer, so the tap loops need no
 * bounds checks (a zero tap equals TFLite skipping the out-of-image tap); 3x3 with multiplier 1 is unrolled.
 */
import type { DepthwiseConv2DOptions } from '../../schema/builtin_options.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { convGeometry, type ConvGeometry } from '../internal/conv_geometry.js';
import { multiplyByQuantizedMultiplier } from '../internal/quantization_util.js';
import {
  channelRequant, filterScales, fusedActivationRange, perTensorQuant, quantizedType, rankIs, readBias, sameType,
} from './internal/params.js';

interface DepthwiseData {
  g: ConvGeometry;
  mult: number;
  inZeroPoint: number;
  /** Padded image geometry. */
  padW: number;
  padH: number;
  /** (w - zp_w) laid out [tap][oc]. */
  weights: Float64Array;
  /** Element offsets of the taps inside the padded buffer, relative to the window origin. */
  tapOffsets: Int32Array;
  bias: Float64Array;
  multipliers: Int32Array;
  shifts: Int32Array;
  outZeroPoint: number;
  actMin: number;
  actMax: number;
  padded: Float64Array;
}

export const depthwiseConv2DQuantized: Kernel<DepthwiseData, DepthwiseConv2DOptions> = {
  prepare(node: KernelNode<DepthwiseConv2DOptions>): DepthwiseData {
    const x = input(node, 0), filter = input(node, 1), bias = node.inputs[2];
    const out = node.outputs[0]!;
    const opt = node.options;
    ensure(node, !!opt, () => 'missing DepthwiseConv2DOptions');
    quantizedType(node, x, 'input');
    sameType(node, x, filter, 'filter');
    sameType(node, x, out, 'output');
    rankIs(node, x, 4, 'input');
    rankIs(node, filter, 4, 'filter');
    ensure(node, filter.isConstant, () => 'filter must be a constant tensor');
    const [one, fh, fw, outC] = filter.shape as [number, number, number, number];
    ensure(node, one === 1, () => `filter must have shape [1,H,W,C], got [${filter.shape.join(',')}]`);
    const inC = x.shape[3]!;
    ensure(node, outC % inC === 0, () => `filter has ${outC} channels, not a multiple of the ${inC} input channels`);
    const mult = outC / inC;
    ensure(node, opt.depthMultiplier === mult || opt.depthMultiplier === 0 || inC === 1,
      () => `depth_multiplier ${opt.depthMultiplier} does not match ${outC} / ${inC}`);
    const xq = perTensorQuant(node, x, 'input');
    const oq = perTensorQuant(node, out, 'output');
    const fq = filterScales(node, filter, outC, 3);
    const g = convGeometry({
      inputShape: x.shape, filterH: fh, filterW: fw, outC, strideH: opt.strideH, strideW: opt.strideW,
      dilationH: opt.dilationHFactor, dilationW: opt.dilationWFactor, padding: opt.padding,
    });
    ensure(node, g.outH > 0 && g.outW > 0, () => `output would be empty: [${g.batch},${g.outH},${g.outW},${outC}]`);
    out.shape = [g.batch, g.outH, g.outW, outC];

    const w = filter.data as Uint8Array | Int8Array;
    const weights = new Float64Array(fh * fw * outC);
    for (let i = 0; i < weights.length; i++) weights[i] = w[i]! - fq.zeroPoint;
    // The padded buffer covers every window: SAME padding adds exactly what the last window needs.
    const padH = Math.max(g.inH + g.padTop + g.padBottom, (g.outH - 1) * g.strideH + (fh - 1) * g.dilationH + 1);
    const padW = Math.max(g.inW + g.padLeft + g.padRight, (g.outW - 1) * g.strideW + (fw - 1) * g.dilationW + 1);
    const tapOffsets = new Int32Array(fh * fw);
    for (let ky = 0; ky < fh; ky++) {
      for (let kx = 0; kx < fw; kx++) tapOffsets[ky * fw + kx] = (ky * g.dilationH * padW + kx * g.dilationW) * inC;
    }
    const { multipliers, shifts } = channelRequant(xq.scale, fq.scales, oq.scale);
    const act = fusedActivationRange(node, opt.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
    return {
      g, mult, inZeroPoint: xq.zeroPoint, padW, padH, weights, tapOffsets, bias: readBias(node, bias, outC),
      multipliers, shifts, outZeroPoint: oq.zeroPoint, actMin: act.min, actMax: act.max,
      padded: new Float64Array(padH * padW * inC),
    };
  },

  eval(node: KernelNode<DepthwiseConv2DOptions>, d: DepthwiseData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const g = d.g, inC = g.inC, padded = d.padded, zp = d.inZeroPoint;
    for (let b = 0; b < g.batch; b++) {
      // (x - zp) into the interior of the zero-bordered buffer.
      for (let y = 0; y < g.inH; y++) {
        const src = ((b * g.inH + y) * g.inW) * inC;
        const dst = ((y + g.padTop) * d.padW + g.padLeft) * inC;
        for (let i = 0; i < g.inW * inC; i++) padded[dst + i] = x[src + i]! - zp;
      }
      const ob = b * g.outH * g.outW * g.outC;
      if (d.mult === 1 && g.filterH === 3 && g.filterW === 3) eval3x3(d, out, ob);
      else evalGeneric(d, out, ob);
    }
  },
};

function requant(d: DepthwiseData, acc: number, c: number): number {
  const v = multiplyByQuantizedMultiplier(acc + d.bias[c]!, d.multipliers[c]!, d.shifts[c]!) + d.outZeroPoint;
  return v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
}

function eval3x3(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number): void {
  const g = d.g, c = g.inC, p = d.padded, w = d.weights, t = d.tapOffsets;
  const t1 = t[1]!, t2 = t[2]!, t3 = t[3]!, t4 = t[4]!, t5 = t[5]!, t6 = t[6]!, t7 = t[7]!, t8 = t[8]!;
  const c2 = 2 * c, c3 = 3 * c, c4 = 4 * c, c5 = 5 * c, c6 = 6 * c, c7 = 7 * c, c8 = 8 * c;
  let o = ob;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      const base = (oy * g.strideH * d.padW + ox * g.strideW) * c;
      for (let ch = 0; ch < c; ch++) {
        const s = base + ch;
        const acc = p[s]! * w[ch]! + p[s + t1]! * w[c + ch]! + p[s + t2]! * w[c2 + ch]!
          + p[s + t3]! * w[c3 + ch]! + p[s + t4]! * w[c4 + ch]! + p[s + t5]! * w[c5 + ch]!
          + p[s + t6]! * w[c6 + ch]! + p[s + t7]! * w[c7 + ch]! + p[s + t8]! * w[c8 + ch]!;
        out[o++] = requant(d, acc, ch);
      }
    }
  }
}

function evalGeneric(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number): void {
  const g = d.g, inC = g.inC, outC = g.outC, mult = d.mult, p = d.padded, w = d.weights, taps = d.tapOffsets;
  const nt = taps.length;
  let o = ob;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      const base = (oy * g.strideH * d.padW + ox * g.strideW) * inC;
      for (let ic = 0; ic < inC; ic++) {
        for (let m = 0; m < mult; m++) {
          const oc = ic * mult + m;
          let acc = 0;
          for (let t = 0; t < nt; t++) acc += p[base + taps[t]! + ic]! * w[t * outC + oc]!;
          out[o++] = requant(d, acc, oc);
        }
      }
    }
  }
}
