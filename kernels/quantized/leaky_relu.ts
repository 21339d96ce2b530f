/**
 * LEAKY_RELU for uint8 / int8 (leaky_relu.cc Prepare + reference_ops::QuantizeLeakyRelu):
 *   d = x - zp_in; out = clamp(zp_out + MBQM(d, d >= 0 ? identity : alpha)) over the type range, with
 *   identity = float(scale_in / scale_out), alpha = float(scale_in * alpha / scale_out) (float32 expressions).
 * 'tflite-cpu' mode: XNNPACK's Q15 leaky ReLU (internal/xnnpack.ts xnnLeakyReluMultipliers, xnnQ15Requantize),
 * tabulated for the 256 input values at prepare.
 */
import type { LeakyReluOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { perTensorQuant, quantizedType, sameType } from './internal/params.js';
import { xnnLeakyReluMultipliers, xnnQ15Requantize } from './internal/xnnpack.js';

interface LeakyData {
  inZeroPoint: number; outZeroPoint: number;
  idMul: number; idShift: number; alphaMul: number; alphaShift: number; min: number; max: number;
  /** 'tflite-cpu': the output for every input value (index x - min); null in reference mode. */
  lut: Int16Array | null;
}

export const leakyReluQuantized: Kernel<LeakyData, LeakyReluOptions> = {
  prepare(node: KernelNode<LeakyReluOptions>): LeakyData {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, !!node.options, () => 'missing LeakyReluOptions');
    const type = quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    out.shape = [...x.shape];
    const f = Math.fround;
    const alpha = f(node.options.alpha);
    const a = quantizeMultiplier(f(f(xq.scale * alpha) / oq.scale));
    const id = quantizeMultiplier(f(xq.scale / oq.scale));
    const min = type === TensorType.UINT8 ? 0 : -128;
    let lut: Int16Array | null = null;
    if (node.context.quantizedArithmetic === 'tflite-cpu') {
      const m = xnnLeakyReluMultipliers(xq.scale, oq.scale, alpha);
      lut = new Int16Array(256);
      for (let i = 0; i < 256; i++) {
        const v = min + i;
        lut[i] = xnnQ15Requantize(v, xq.zeroPoint, v > xq.zeroPoint ? m.positive : m.negative, oq.zeroPoint, type);
      }
    }
    return {
      lut,
      inZeroPoint: xq.zeroPoint, outZeroPoint: oq.zeroPoint, idMul: id.multiplier, idShift: id.shift,
      alphaMul: a.multiplier, alphaShift: a.shift,
      min: type === TensorType.UINT8 ? 0 : -128, max: type === TensorType.UINT8 ? 255 : 127,
    };
  },
  eval(node: KernelNode<LeakyReluOptions>, d: LeakyData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const lut = d.lut;
    if (lut) {
      for (let i = 0; i < x.length; i++) out[i] = lut[x[i]! - d.min]!;
      return;
    }
    for (let i = 0; i < x.length; i++) {
      const v0 = x[i]! - d.inZeroPoint;
      let v = (v0 >= 0 ? multiplyByQuantizedMultiplier(v0, d.idMul, d.idShift)
        : multiplyByQuantizedMultiplier(v0, d.alphaMul, d.alphaShift)) + d.outZeroPoint;
      if (v < d.min) v = d.min;
      else if (v > d.max) v = d.max;
      out[i] = v;
    }
  },
};
