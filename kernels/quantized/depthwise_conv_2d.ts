/**
 * DEPTHWISE_CONV_2D for uint8 (per-tensor) and int8 (per-channel weights on dimension 3, zero point 0).
 * Mirrors reference_ops::DepthwiseConv (uint8, DepthwiseConvOutputRounding::kAwayFromZero, i.e.
 * MultiplyByQuantizedMultiplier) and reference_integer_ops::DepthwiseConvPerChannel (int8):
 *   out[oc = ic * mult + m] = clamp(zp_out + MBQM(bias[oc] + sum (w - zp_w) * (x[ic] - zp_x), M[oc], shift[oc])).
 *
 * Layout: each eval copies the input once, as (x - zp_x) doubles, into a zero-bordered channel-major buffer
 * [inC][rows][cols], so the tap loops need no bounds checks (a zero tap equals TFLite skipping the out-of-image tap)
 * and each channel's filter taps and requantization constants stay in locals over the whole image.
 * Two output rows share one double: buffer row yy holds v(yy) + v(yy + rowShift) * 2^27 where rowShift = H2 * strideH,
 * H2 = ceil(outH / 2), so one pass over output rows 0..H2-1 computes rows oy and oy + H2 together (every partial sum
 * is bounded by maxAbsInput * sum |w| < 2^26, checked at prepare, so the two fields split back exactly).
 * 3x3 filters with column stride 1 (2) reuse two (one) of the three window columns between neighbouring outputs.
 */
import type { DepthwiseConv2DOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import type { ConvGeometry } from '../internal/conv_geometry.js';
import { convRequant, readBias } from './internal/params.js';
import { quantizedDepthwiseSetup } from './internal/setup.js';
import { requantRun, type Requant } from './internal/requant.js';

const PACK = 134217728; // 2^27
const INV_PACK = 1 / PACK;
const PACK_LIMIT = 67108864; // 2^26

interface DepthwiseData {
  g: ConvGeometry;
  mult: number;
  inZeroPoint: number;
  /** true: rows oy and oy + half are computed together. */
  paired: boolean;
  /** Output rows computed per pass (ceil(outH / 2) when paired, else outH). */
  half: number;
  /** Buffer geometry: `plane` = bufH * bufW doubles per input channel. */
  bufH: number;
  bufW: number;
  plane: number;
  /** (w - zp_w) laid out [oc][tap]. */
  weights: Float64Array;
  /** Tap offsets inside a channel plane, relative to the window origin. */
  tapOffsets: Int32Array;
  q: Requant;
  buf: Float64Array;
  /** Raw accumulators of one (pair of) output row(s). */
  acc: Float64Array;
}

export const depthwiseConv2DQuantized: Kernel<DepthwiseData, DepthwiseConv2DOptions> = {
  prepare(node: KernelNode<DepthwiseConv2DOptions>): DepthwiseData {
    const { filter, bias, out, opt, type, outC, fh, fw, inC, mult, xq, oq, fq, g } = quantizedDepthwiseSetup(node);

    const taps = fh * fw;
    const w = filter.data as Uint8Array | Int8Array;
    const weights = new Float64Array(outC * taps);
    const maxAbsX = Math.max(Math.abs((type === TensorType.UINT8 ? 0 : -128) - xq.zeroPoint),
      Math.abs((type === TensorType.UINT8 ? 255 : 127) - xq.zeroPoint));
    let paired = g.outH > 1;
    for (let oc = 0; oc < outC; oc++) {
      let s = 0;
      for (let t = 0; t < taps; t++) {
        const v = w[t * outC + oc]! - fq.zeroPoint;
        weights[oc * taps + t] = v;
        s += Math.abs(v);
      }
      if (s * maxAbsX >= PACK_LIMIT) paired = false;
    }
    const half = paired ? Math.ceil(g.outH / 2) : g.outH;
    // Rows and columns of the zero-bordered buffer: every window of the first `half` output rows fits.
    const bufH = (half - 1) * g.strideH + (fh - 1) * g.dilationH + 1;
    const bufW = Math.max(g.padLeft + g.inW, (g.outW - 1) * g.strideW + (fw - 1) * g.dilationW + 1);
    const tapOffsets = new Int32Array(taps);
    for (let ky = 0; ky < fh; ky++) {
      for (let kx = 0; kx < fw; kx++) tapOffsets[ky * fw + kx] = ky * g.dilationH * bufW + kx * g.dilationW;
    }
    return {
      g, mult, inZeroPoint: xq.zeroPoint, paired, half, bufH, bufW, plane: bufH * bufW, weights, tapOffsets,
      q: convRequant(node, readBias(node, bias, outC), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint, opt.fusedActivationFunction),
      buf: new Float64Array(inC * bufH * bufW),
      acc: new Float64Array(2 * g.outW),
    };
  },

  eval(node: KernelNode<DepthwiseConv2DOptions>, d: DepthwiseData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const g = d.g;
    for (let b = 0; b < g.batch; b++) {
      fillBuffer(d, x, b * g.inH * g.inW * g.inC);
      const ob = b * g.outH * g.outW * g.outC;
      for (let oc = 0; oc < g.outC; oc++) {
        if (g.filterH === 3 && g.filterW === 3 && g.dilationW === 1 && g.strideW === 1) channel3x3s1(d, out, ob, oc);
        else if (g.filterH === 3 && g.filterW === 3 && g.dilationW === 1 && g.strideW === 2) channel3x3s2(d, out, ob, oc);
        else channelGeneric(d, out, ob, oc);
      }
    }
  },
};

/**
 * Buffer cell (c, yy, xx) = v(yy) + v(yy + rowShift) * 2^27 (the second term only when paired), with
 * v(y) = x[y - padTop][xx - padLeft][c] - zp inside the image. Cells outside the image are never written (they
 * stay 0 from allocation: which cells are written depends only on the geometry).
 */
function fillBuffer(d: DepthwiseData, x: Uint8Array | Int8Array, xb: number): void {
  for (let yy = 0; yy < d.bufH; yy++) fillRow(d, x, xb, yy);
}

/** Buffer row yy (one call per row, so this function is optimized early and its doubles stay unboxed). */
function fillRow(d: DepthwiseData, x: Uint8Array | Int8Array, xb: number, yy: number): void {
  const g = d.g, C = g.inC, buf = d.buf, plane = d.plane, zp = d.inZeroPoint;
  const rowShift = d.paired ? d.half * g.strideH : 0;
  const rowLen = g.inW * C;
  const y0 = yy - g.padTop, y1 = y0 + rowShift;
  const in0 = y0 >= 0 && y0 < g.inH, in1 = d.paired && y1 >= 0 && y1 < g.inH;
  const dst = yy * d.bufW + g.padLeft;
  const s0 = xb + y0 * rowLen, s1 = xb + y1 * rowLen;
  if (in0 && in1) {
    for (let xs = 0, i = 0; xs < g.inW; xs++) {
      for (let c = 0, o = dst + xs; c < C; c++, i++, o += plane) buf[o] = x[s0 + i]! - zp + (x[s1 + i]! - zp) * PACK;
    }
  } else if (in0) {
    for (let xs = 0, i = 0; xs < g.inW; xs++) {
      for (let c = 0, o = dst + xs; c < C; c++, i++, o += plane) buf[o] = x[s0 + i]! - zp;
    }
  } else if (in1) {
    for (let xs = 0, i = 0; xs < g.inW; xs++) {
      for (let c = 0, o = dst + xs; c < C; c++, i++, o += plane) buf[o] = (x[s1 + i]! - zp) * PACK;
    }
  } else {
    for (let xs = 0; xs < g.inW; xs++) {
      for (let c = 0, o = dst + xs; c < C; c++, o += plane) buf[o] = 0;
    }
  }
}

/**
 * Raw accumulators of output rows oy (acc[0..outW)) and, when paired, oy + half (acc[outW..2 outW)) of channel oc,
 * then their requantization.
 */
function finishRows(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number, oc: number, oy: number): void {
  const g = d.g, outW = g.outW, outC = g.outC, acc = d.acc, q = d.q;
  const rowStep = outW * outC;
  requantRun(acc, 0, 1, outW, out, ob + oy * rowStep + oc, outC, q, oc);
  if (d.paired && oy + d.half < g.outH) requantRun(acc, outW, 1, outW, out, ob + (oy + d.half) * rowStep + oc, outC, q, oc);
}

/** 3x3, stride-1 columns (any row stride), dilation 1 horizontally: two window columns carried between outputs. */
function channel3x3s1(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number, oc: number): void {
  const g = d.g, buf = d.buf, bw = d.bufW, outW = g.outW, acc = d.acc, paired = d.paired;
  const wo = oc * 9, w = d.weights;
  const w0 = w[wo]!, w1 = w[wo + 1]!, w2 = w[wo + 2]!, w3 = w[wo + 3]!, w4 = w[wo + 4]!, w5 = w[wo + 5]!;
  const w6 = w[wo + 6]!, w7 = w[wo + 7]!, w8 = w[wo + 8]!;
  const dy = g.dilationH * bw;
  const cb = ((oc / d.mult) | 0) * d.plane;
  for (let oy = 0; oy < d.half; oy++) {
    const r0 = cb + oy * g.strideH * bw, r1 = r0 + dy, r2 = r1 + dy;
    let a0 = buf[r0]!, a1 = buf[r0 + 1]!, b0 = buf[r1]!, b1 = buf[r1 + 1]!, c0 = buf[r2]!, c1 = buf[r2 + 1]!;
    for (let ox = 0; ox < outW; ox++) {
      const a2 = buf[r0 + ox + 2]!, b2 = buf[r1 + ox + 2]!, c2 = buf[r2 + ox + 2]!;
      const t = a0 * w0 + a1 * w1 + a2 * w2 + b0 * w3 + b1 * w4 + b2 * w5 + c0 * w6 + c1 * w7 + c2 * w8;
      a0 = a1; a1 = a2; b0 = b1; b1 = b2; c0 = c1; c1 = c2;
      // Split rows oy (low field) and oy + half (high field), inline: a double passed to a call may be boxed.
      if (paired) {
        const h = Math.floor(t * INV_PACK + 0.5);
        acc[ox] = t - h * PACK;
        acc[outW + ox] = h;
      } else {
        acc[ox] = t;
      }
    }
    finishRows(d, out, ob, oc, oy);
  }
}

/** 3x3, stride-2 columns (any row stride), dilation 1 horizontally: the last window column is carried over. */
function channel3x3s2(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number, oc: number): void {
  const g = d.g, buf = d.buf, bw = d.bufW, outW = g.outW, acc = d.acc, paired = d.paired;
  const wo = oc * 9, w = d.weights;
  const w0 = w[wo]!, w1 = w[wo + 1]!, w2 = w[wo + 2]!, w3 = w[wo + 3]!, w4 = w[wo + 4]!, w5 = w[wo + 5]!;
  const w6 = w[wo + 6]!, w7 = w[wo + 7]!, w8 = w[wo + 8]!;
  const dy = g.dilationH * bw;
  const cb = ((oc / d.mult) | 0) * d.plane;
  for (let oy = 0; oy < d.half; oy++) {
    const r0 = cb + oy * g.strideH * bw, r1 = r0 + dy, r2 = r1 + dy;
    let a0 = buf[r0]!, b0 = buf[r1]!, c0 = buf[r2]!;
    for (let ox = 0, col = 1; ox < outW; ox++, col += 2) {
      const a1 = buf[r0 + col]!, b1 = buf[r1 + col]!, c1 = buf[r2 + col]!;
      const a2 = buf[r0 + col + 1]!, b2 = buf[r1 + col + 1]!, c2 = buf[r2 + col + 1]!;
      const t = a0 * w0 + a1 * w1 + a2 * w2 + b0 * w3 + b1 * w4 + b2 * w5 + c0 * w6 + c1 * w7 + c2 * w8;
      a0 = a2; b0 = b2; c0 = c2;
      // Split rows oy (low field) and oy + half (high field), inline: a double passed to a call may be boxed.
      if (paired) {
        const h = Math.floor(t * INV_PACK + 0.5);
        acc[ox] = t - h * PACK;
        acc[outW + ox] = h;
      } else {
        acc[ox] = t;
      }
    }
    finishRows(d, out, ob, oc, oy);
  }
}

/** Any filter size, stride and dilation: a loop over the tap offsets. */
function channelGeneric(d: DepthwiseData, out: Uint8Array | Int8Array, ob: number, oc: number): void {
  const g = d.g, buf = d.buf, bw = d.bufW, outW = g.outW, acc = d.acc, paired = d.paired, sw = g.strideW;
  const taps = d.tapOffsets, nt = taps.length, w = d.weights, wo = oc * nt;
  const cb = ((oc / d.mult) | 0) * d.plane;
  for (let oy = 0; oy < d.half; oy++) {
    const r0 = cb + oy * g.strideH * bw;
    for (let ox = 0; ox < outW; ox++) {
      const s = r0 + ox * sw;
      let t = 0;
      for (let k = 0; k < nt; k++) t += buf[s + taps[k]!]! * w[wo + k]!;
      // Split rows oy (low field) and oy + half (high field), inline: a double passed to a call may be boxed.
      if (paired) {
        const h = Math.floor(t * INV_PACK + 0.5);
        acc[ox] = t - h * PACK;
        acc[outW + ox] = h;
      } else {
        acc[ox] = t;
      }
    }
    finishRows(d, out, ob, oc, oy);
  }
}
