/**
 * TRANSPOSE_CONV for uint8 (per-tensor) and int8 (per-channel on dimension 0, zero point 0); inputs
 * (output_shape, weights OHWI, input, optional int32 bias). Mirrors reference_ops::TransposeConv (uint8) and
 * reference_integer_ops::TransposeConv: every input pixel scatters (x - zp_x) * (w - zp_w) into an accumulator,
 * then out = clamp(zp_out + MBQM(acc + bias[oc], M[oc], s[oc])). Padding is that of a convolution from the output
 * size (ComputePaddingHeightWidth with the output as the conv input).
 * 'tflite-cpu' mode with per-tensor weights (what XNNPACK's QS8/QU8 deconvolution takes): the same accumulators
 * requantized with XNNPACK's fp32 scheme (internal/xnnpack.ts fp32RequantScale, requantizeFp32); per-channel int8
 * weights stay with TFLite's own kernel (the reference arithmetic).
 */
import type { TransposeConvOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { axisGeometry } from '../internal/conv_geometry.js';
import { multiplyByQuantizedMultiplier } from '../internal/quantization_util.js';
import {
  channelRequant, filterScales, fusedActivationRange, perTensorQuant, quantizedType, rankIs, readBias, sameType, typeName,
} from './internal/params.js';
import { fp32ChannelScales, xnnActivationRange } from './internal/xnnpack.js';

interface TransposeConvData {
  batch: number; inH: number; inW: number; inC: number; outH: number; outW: number; outC: number;
  fh: number; fw: number; strideH: number; strideW: number; padTop: number; padLeft: number;
  inZeroPoint: number;
  /** (w - zp_w) laid out [ky][kx][ic][oc] for the scatter loop. */
  weights: Float64Array;
  bias: Float64Array; multipliers: Int32Array; shifts: Int32Array;
  outZeroPoint: number; actMin: number; actMax: number;
  /** 'tflite-cpu' with per-tensor weights: XNNPACK's float32 scale per channel; null otherwise. */
  fp32Scales: Float32Array | null;
  acc: Float64Array;
}

export const transposeConvQuantized: Kernel<TransposeConvData, TransposeConvOptions> = {
  prepare(node: KernelNode<TransposeConvOptions>): TransposeConvData {
    const shapeT = input(node, 0), filter = input(node, 1), x = input(node, 2), bias = node.inputs[3];
    const out = node.outputs[0]!;
    const opt = node.options;
    ensure(node, !!opt, () => 'missing TransposeConvOptions');
    ensure(node, shapeT.type === TensorType.INT32 && shapeT.isConstant && shapeT.size === 4,
      () => `output_shape must be a constant INT32 tensor of 4 elements, got ${typeName(shapeT.type)}[${shapeT.shape.join(',')}]`);
    quantizedType(node, x, 'input');
    sameType(node, x, filter, 'filter');
    sameType(node, x, out, 'output');
    rankIs(node, x, 4, 'input');
    rankIs(node, filter, 4, 'filter');
    ensure(node, filter.isConstant, () => 'filter must be a constant tensor');
    const [batch, outH, outW, outC] = Array.from(shapeT.data as Int32Array) as [number, number, number, number];
    const [fOut, fh, fw, fIn] = filter.shape as [number, number, number, number];
    const [xb, inH, inW, inC] = x.shape as [number, number, number, number];
    ensure(node, fOut === outC && fIn === inC && xb === batch,
      () => `filter [${filter.shape.join(',')}] does not fit input [${x.shape.join(',')}] and output_shape [${batch},${outH},${outW},${outC}]`);
    out.shape = [batch, outH, outW, outC];
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    const fq = filterScales(node, filter, outC, 0);
    const h = axisGeometry(opt.padding, outH, fh, opt.strideH), w = axisGeometry(opt.padding, outW, fw, opt.strideW);
    const wd = filter.data as Uint8Array | Int8Array;
    const weights = new Float64Array(fh * fw * inC * outC);
    for (let oc = 0; oc < outC; oc++) for (let ky = 0; ky < fh; ky++) for (let kx = 0; kx < fw; kx++) for (let ic = 0; ic < inC; ic++) {
      weights[((ky * fw + kx) * inC + ic) * outC + oc] = wd[((oc * fh + ky) * fw + kx) * inC + ic]! - fq.zeroPoint;
    }
    const { multipliers, shifts } = channelRequant(xq.scale, fq.scales, oq.scale);
    const xnn = node.context.quantizedArithmetic === 'tflite-cpu' && filter.quant!.scale.length === 1;
    const act = xnn ? xnnActivationRange(opt.fusedActivationFunction, out.type, oq.scale, oq.zeroPoint)
      : fusedActivationRange(node, opt.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
    ensure(node, !!act, () => `fused activation ${opt.fusedActivationFunction} is not supported`);
    return {
      fp32Scales: xnn ? fp32ChannelScales(xq.scale, fq.scales, oq.scale) : null,
      batch, inH, inW, inC, outH, outW, outC, fh, fw, strideH: opt.strideH, strideW: opt.strideW,
      padTop: h.padBefore, padLeft: w.padBefore, inZeroPoint: xq.zeroPoint, weights,
      bias: readBias(node, bias, outC), multipliers, shifts, outZeroPoint: oq.zeroPoint, actMin: act.min, actMax: act.max,
      acc: new Float64Array(batch * outH * outW * outC),
    };
  },

  eval(node: KernelNode<TransposeConvOptions>, d: TransposeConvData): void {
    const x = node.inputs[2]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const acc = d.acc, w = d.weights, inC = d.inC, outC = d.outC;
    acc.fill(0);
    for (let b = 0; b < d.batch; b++) {
      for (let iy = 0; iy < d.inH; iy++) {
        for (let ix = 0; ix < d.inW; ix++) {
          const oy0 = iy * d.strideH - d.padTop, ox0 = ix * d.strideW - d.padLeft;
          const xi = ((b * d.inH + iy) * d.inW + ix) * inC;
          for (let ky = 0; ky < d.fh; ky++) {
            const oy = oy0 + ky;
            if (oy < 0 || oy >= d.outH) continue;
            for (let kx = 0; kx < d.fw; kx++) {
              const ox = ox0 + kx;
              if (ox < 0 || ox >= d.outW) continue;
              const ao = ((b * d.outH + oy) * d.outW + ox) * outC;
              const wo = (ky * d.fw + kx) * inC * outC;
              for (let ic = 0; ic < inC; ic++) {
                const v = x[xi + ic]! - d.inZeroPoint;
                const wr = wo + ic * outC;
                for (let oc = 0; oc < outC; oc++) acc[ao + oc] += v * w[wr + oc]!;
              }
            }
          }
        }
      }
    }
    const fs = d.fp32Scales;
    if (fs) {
      // XNNPACK's fp32 requantization (internal/xnnpack.ts requantizeFp32), inline.
      const fround = Math.fround;
      for (let i = 0; i < acc.length; i++) {
        const oc = i % outC;
        const v = ((fround(fround(acc[i]! + d.bias[oc]!) * fs[oc]!) + 6755399441055744) - 6755399441055744) + d.outZeroPoint;
        out[i] = v < d.actMin ? d.actMin : v > d.actMax ? d.actMax : v;
      }
      return;
    }
    for (let i = 0; i < acc.length; i++) {
      const oc = i % outC;
      let v = multiplyByQuantizedMultiplier(acc[i]! + d.bias[oc]!, d.multipliers[oc]!, d.shifts[oc]!) + d.outZeroPoint;
      if (v < d.actMin) v = d.actMin;
      else if (v > d.actMax) v = d.actMax;
      out[i] = v;
    }
  },
};
