/**
 * QUANTIZE: float32 → uint8/int8 (reference_ops::AffineQuantize: q = clamp(round_half_away(x / scale) + zp), the
 * division in float32), and uint8/int8 → uint8/int8 requantization (quantize.cc + reference_ops::Requantize:
 * q = clamp(zp_out + MBQM(x - zp_in, M, s)) with (M, s) = QuantizeMultiplier(scale_in / scale_out)).
 * Out-of-range floats and NaN saturate (TFLite's int32 cast is undefined there).
 * 'tflite-cpu' mode, uint8 → uint8 and int8 → int8: XNNPACK's Convert (internal/xnnpack.ts xnnConvertMultiplier,
 * xnnQ15Requantize), tabulated for the 256 input values at prepare; float32 → uint8/int8: XNNPACK's Convert,
 * x * f32(1 / scale) rounded half to even (xnnQuantizeFloat).
 */
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAwayFromZero } from '../internal/quantization_util.js';
import { isQuantizedType, perTensorQuant, typeName } from './internal/params.js';
import { xnnConvertMultiplier, xnnQ15Requantize, xnnQuantizeFloat } from './internal/xnnpack.js';

interface QuantizeData {
  fromFloat: boolean;
  scale: number;
  inZeroPoint: number;
  outZeroPoint: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
  /** 'tflite-cpu' same-type requantization: the output for every input value (index x - input type min). */
  lut: Int16Array | null;
  lutBase: number;
  /** 'tflite-cpu' float input: f32(1 / scale) (XNNPACK's Convert); 0 in reference mode. */
  inverseScale: number;
}

export const quantizeKernel: Kernel<QuantizeData, unknown> = {
  prepare(node: KernelNode<unknown>): QuantizeData {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, x.type === TensorType.FLOAT32 || isQuantizedType(x.type),
      () => `input type ${typeName(x.type)} is not supported (FLOAT32, UINT8, INT8)`);
    ensure(node, isQuantizedType(out.type), () => `output type ${typeName(out.type)} is not supported (UINT8, INT8)`);
    const oq = perTensorQuant(node, out, 'output');
    out.shape = [...x.shape];
    const min = out.type === TensorType.UINT8 ? 0 : -128, max = out.type === TensorType.UINT8 ? 255 : 127;
    if (x.type === TensorType.FLOAT32) {
      const inverseScale = node.context.quantizedArithmetic === 'tflite-cpu' ? Math.fround(1 / oq.scale) : 0;
      return {
        fromFloat: true, scale: oq.scale, inZeroPoint: 0, outZeroPoint: oq.zeroPoint, multiplier: 0, shift: 0, min, max,
        lut: null, lutBase: 0, inverseScale,
      };
    }
    const xq = perTensorQuant(node, x, 'input');
    const m = quantizeMultiplier(xq.scale / oq.scale);
    let lut: Int16Array | null = null;
    if (node.context.quantizedArithmetic === 'tflite-cpu' && x.type === out.type) {
      const mult = xnnConvertMultiplier(xq.scale, oq.scale);
      lut = new Int16Array(256);
      for (let i = 0; i < 256; i++) lut[i] = xnnQ15Requantize(min + i, xq.zeroPoint, mult, oq.zeroPoint, out.type);
    }
    return {
      fromFloat: false, scale: 0, inZeroPoint: xq.zeroPoint, outZeroPoint: oq.zeroPoint,
      multiplier: m.multiplier, shift: m.shift, min, max, lut, lutBase: min, inverseScale: 0,
    };
  },

  eval(node: KernelNode<unknown>, d: QuantizeData): void {
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    if (d.fromFloat) {
      const x = node.inputs[0]!.data as Float32Array;
      if (d.inverseScale > 0) {
        for (let i = 0; i < x.length; i++) out[i] = xnnQuantizeFloat(x[i]!, d.inverseScale, d.outZeroPoint, d.min, d.max);
        return;
      }
      for (let i = 0; i < x.length; i++) {
        let v = roundHalfAwayFromZero(Math.fround(x[i]! / d.scale)) + d.outZeroPoint;
        if (!(v >= d.min)) v = d.min; // also NaN
        else if (v > d.max) v = d.max;
        out[i] = v;
      }
      return;
    }
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const lut = d.lut;
    if (lut) {
      for (let i = 0; i < x.length; i++) out[i] = lut[x[i]! - d.lutBase]!;
      return;
    }
    for (let i = 0; i < x.length; i++) {
      let v = multiplyByQuantizedMultiplier(x[i]! - d.inZeroPoint, d.multiplier, d.shift) + d.outZeroPoint;
      if (v < d.min) v = d.min;
      else if (v > d.max) v = d.max;
      out[i] = v;
    }
  },
};
