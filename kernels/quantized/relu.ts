/**
 * RELU, RELU6, RELU_N1_TO_1 for uint8 / int8 (activations.cc ReluPrepare / QuantizedReluX):
 *   out = clamp(zp_out + MBQM(x - zp_in, M, s), lo, hi), (M, s) = QuantizeMultiplier(float(scale_in / scale_out)),
 * lo/hi = zp_out + round(bound / scale_out) clipped to the type (bounds 0..inf, 0..6, -1..1).
 */
import { ActivationFunctionType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { fusedActivationRange, perTensorQuant, quantizedType, sameType } from './internal/params.js';

interface ReluData { inZeroPoint: number; outZeroPoint: number; multiplier: number; shift: number; min: number; max: number }

function makeRelu(act: ActivationFunctionType): Kernel<ReluData, unknown> {
  return {
    prepare(node: KernelNode<unknown>): ReluData {
      const x = input(node, 0), out = node.outputs[0]!;
      quantizedType(node, x, 'input');
      sameType(node, x, out, 'output');
      const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
      out.shape = [...x.shape];
      // TFLite divides the two float scales in float32 before widening to double.
      const m = quantizeMultiplier(Math.fround(xq.scale / oq.scale));
      const r = fusedActivationRange(node, act, out, oq.scale, oq.zeroPoint);
      return { inZeroPoint: xq.zeroPoint, outZeroPoint: oq.zeroPoint, multiplier: m.multiplier, shift: m.shift, min: r.min, max: r.max };
    },
    eval(node: KernelNode<unknown>, d: ReluData): void {
      const x = node.inputs[0]!.data as Uint8Array | Int8Array;
      const out = node.outputs[0]!.data as Uint8Array | Int8Array;
      for (let i = 0; i < x.length; i++) {
        let v = multiplyByQuantizedMultiplier(x[i]! - d.inZeroPoint, d.multiplier, d.shift) + d.outZeroPoint;
        if (v < d.min) v = d.min;
        else if (v > d.max) v = d.max;
        out[i] = v;
      }
    },
  };
}

/** RELU, uint8/int8. */
export const reluQuantized = makeRelu(ActivationFunctionType.RELU);
/** RELU6, uint8/int8. */
export const relu6Quantized = makeRelu(ActivationFunctionType.RELU6);
/** RELU_N1_TO_1, uint8/int8. */
export const reluN1To1Quantized = makeRelu(ActivationFunctionType.RELU_N1_TO_1);
