/**
 * LOGISTIC for int8 (output scale 1/256, zero point -128) and uint8 (scale 1/256, zero point 0).
 * Which TFLite path: TFLite's builtin kernel evaluates 8-bit LOGISTIC through a 256-entry table filled from float
 * math; TFLite Micro and the reference kernels (reference_integer_ops::Logistic) use gemmlowp fixed point.
 * embedlite follows the reference / TFLM integer algorithm:
 *   d = x - zp_in; |d| >= radius saturates; else y = gemmlowp::logistic(Q4.27 MBQM(d, M, s)) in Q0.31,
 *   out = clamp(RoundingDivideByPOT(y, 23) + zp_out)
 * with M, s from frexp(scale_in * 2^27) (no 2^31 adjustment, as in TFLM) and radius = CalculateInputRadius(4, s).
 */
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { frexp, multiplyByQuantizedMultiplier, roundHalfAwayFromZero, roundingDivideByPOT } from '../internal/quantization_util.js';
import { calculateInputRadius, logistic, tanh } from './internal/fixed_point.js';
import { perTensorQuant, quantizedType, sameType } from './internal/params.js';

const INPUT_INTEGER_BITS = 4;

export interface SigmoidData {
  inZeroPoint: number; multiplier: number; shift: number; radius: number;
  outZeroPoint: number; min: number; max: number;
}

/** Input rescaling shared with TANH (TFLM CalculateArithmeticOpData / TanhPrepare). */
export function prepareFixedPointActivation(
  node: KernelNode<unknown>, outScale: number, outZeroPoint: { uint8: number; int8: number },
): SigmoidData {
  const x = input(node, 0), out = node.outputs[0]!;
  const type = quantizedType(node, x, 'input');
  sameType(node, x, out, 'output');
  const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
  const zp = type === TensorType.UINT8 ? outZeroPoint.uint8 : outZeroPoint.int8;
  ensure(node, oq.zeroPoint === zp, () => `output zero point must be ${zp}, got ${oq.zeroPoint}`);
  ensure(node, Math.abs(oq.scale - outScale) <= outScale * 1e-3, () => `output scale must be ${outScale}, got ${oq.scale}`);
  out.shape = [...x.shape];
  const { fraction, exponent } = frexp(xq.scale * 2 ** (31 - INPUT_INTEGER_BITS));
  return {
    inZeroPoint: xq.zeroPoint, multiplier: roundHalfAwayFromZero(fraction * 2 ** 31) | 0, shift: exponent,
    radius: calculateInputRadius(INPUT_INTEGER_BITS, exponent, 31), outZeroPoint: zp,
    min: type === TensorType.UINT8 ? 0 : -128, max: type === TensorType.UINT8 ? 255 : 127,
  };
}

/** Shared loop: `fn` is gemmlowp logistic or tanh, `rightShift` the Q0.31 → output step (23 or 24). */
export function evalFixedPointActivation(node: KernelNode<unknown>, d: SigmoidData, isTanh: boolean): void {
  const x = node.inputs[0]!.data as Uint8Array | Int8Array;
  const out = node.outputs[0]!.data as Uint8Array | Int8Array;
  const rightShift = isTanh ? 24 : 23;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! - d.inZeroPoint;
    if (v <= -d.radius) out[i] = d.min;
    else if (v >= d.radius) out[i] = d.max;
    else {
      const q4 = multiplyByQuantizedMultiplier(v, d.multiplier, d.shift);
      const y = isTanh ? tanh(q4, INPUT_INTEGER_BITS) : logistic(q4, INPUT_INTEGER_BITS);
      let o = roundingDivideByPOT(y, rightShift) + d.outZeroPoint;
      if (o < d.min) o = d.min;
      else if (o > d.max) o = d.max;
      out[i] = o;
    }
  }
}

export const logisticQuantized: Kernel<SigmoidData, unknown> = {
  prepare: (node) => prepareFixedPointActivation(node, 1 / 256, { uint8: 0, int8: -128 }),
  eval: (node, d) => evalFixedPointActivation(node, d, false),
};
