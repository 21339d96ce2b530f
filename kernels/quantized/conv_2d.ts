/**
 * CONV_2D for uint8 (per-tensor, asymmetric weights) and int8 (per-channel weights on dimension 0, zero point 0).
 * Mirrors reference_ops::Conv (uint8) and reference_integer_ops::ConvPerChannel (int8):
 *   acc = bias[oc] + sum (w - zp_w) * (x - zp_x) over in-image taps (padding contributes nothing),
 *   out = clamp(zp_out + MultiplyByQuantizedMultiplier(acc, M[oc], shift[oc]), act_min, act_max).
 * Implementation: im2col of (x - zp_x) in chunks of rows (1x1 stride-1 convolutions skip the gather) and the
 * paired-channel double GEMM of internal/gemm.ts; requantization once per output element.
 */
import type { Conv2DOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import type { ConvGeometry } from '../internal/conv_geometry.js';
import { gemmRequant, gemmScratch, packWeights, type PackedWeights, type Requant } from './internal/gemm.js';
import { convRequant, readBias } from './internal/params.js';
import { quantizedConvSetup } from './internal/setup.js';

/** Rows of the im2col buffer filled per GEMM call (a multiple of 4). */
const CHUNK_ROWS = 256;

interface ConvData {
  g: ConvGeometry;
  k: number;
  inZeroPoint: number;
  weights: PackedWeights;
  q: Requant;
  pointwise: boolean;
  cols: Float64Array;
  scratch: Float64Array;
}

export const conv2DQuantized: Kernel<ConvData, Conv2DOptions> = {
  prepare(node: KernelNode<Conv2DOptions>): ConvData {
    const { filter, bias, out, opt, type, outC, fh, fw, inC, xq, oq, fq, g } = quantizedConvSetup(node);

    const k = fh * fw * inC;
    const w = filter.data as Uint8Array | Int8Array;
    const wzp = fq.zeroPoint;
    const maxAbsX = Math.max(Math.abs((type === TensorType.UINT8 ? 0 : -128) - xq.zeroPoint),
      Math.abs((type === TensorType.UINT8 ? 255 : 127) - xq.zeroPoint));
    // OHWI: row c of the GEMM weight matrix is filter[c] flattened (ky, kx, ic), matching the im2col order.
    const weights = packWeights(outC, k, (c, i) => w[c * k + i]! - wzp, maxAbsX);
    const pointwise = fh === 1 && fw === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
    const rows = g.outH * g.outW;
    return {
      g, k, inZeroPoint: xq.zeroPoint, weights, pointwise,
      q: convRequant(node, readBias(node, bias, outC), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint, opt.fusedActivationFunction),
      scratch: gemmScratch(outC),
      cols: new Float64Array((pointwise ? rows : Math.min(rows, CHUNK_ROWS)) * k),
    };
  },

  eval(node: KernelNode<Conv2DOptions>, d: ConvData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const g = d.g, k = d.k, cols = d.cols, zp = d.inZeroPoint;
    const rows = g.outH * g.outW;
    const inImage = g.inH * g.inW * g.inC;
    for (let b = 0; b < g.batch; b++) {
      const xb = b * inImage, ob = b * rows * g.outC;
      if (d.pointwise) {
        for (let i = 0; i < inImage; i++) cols[i] = x[xb + i]! - zp;
        gemmRequant(cols, 0, rows, d.weights, out, ob, d.q, d.scratch);
        continue;
      }
      for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows - r0);
        im2col(x, xb, zp, g, r0, n, cols);
        gemmRequant(cols, 0, n, d.weights, out, ob + r0 * g.outC, d.q, d.scratch);
      }
    }
  },
};

/**
 * Rows r0..r0+n-1 (output pixels) of the im2col matrix of (x - zp); taps outside the image are 0. With dilation 1
 * a filter row's taps are one contiguous run of filterW * inC input values, copied in one loop when fully inside.
 */
function im2col(x: Uint8Array | Int8Array, xb: number, zp: number, g: ConvGeometry, r0: number, n: number, cols: Float64Array): void {
  const inC = g.inC, fw = g.filterW, rowRun = fw * inC, inW = g.inW;
  let o = 0;
  for (let r = r0; r < r0 + n; r++) {
    const oy = (r / g.outW) | 0, ox = r - oy * g.outW;
    const iy0 = oy * g.strideH - g.padTop, ix0 = ox * g.strideW - g.padLeft;
    const inside = g.dilationW === 1 && ix0 >= 0 && ix0 + fw <= inW;
    for (let ky = 0; ky < g.filterH; ky++) {
      const iy = iy0 + ky * g.dilationH;
      if (iy < 0 || iy >= g.inH) {
        cols.fill(0, o, o + rowRun);
        o += rowRun;
        continue;
      }
      if (inside) {
        const s = xb + (iy * inW + ix0) * inC;
        for (let i = 0; i < rowRun; i++) cols[o + i] = x[s + i]! - zp;
        o += rowRun;
        continue;
      }
      for (let kx = 0; kx < fw; kx++) {
        const ix = ix0 + kx * g.dilationW;
        if (ix < 0 || ix >= inW) {
          cols.fill(0, o, o + inC);
        } else {
          const s = xb + (iy * inW + ix) * inC;
          for (let c = 0; c < inC; c++) cols[o + c] = x[s + c]! - zp;
        }
        o += inC;
      }
    }
  }
}
