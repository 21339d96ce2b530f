/**
 * PRELU for uint8 / int8 with a quantized alpha of the same type, broadcast against the input (prelu.cc Prepare +
 * reference_ops::BroadcastPrelu4DSlow): d = x - zp_in;
 *   d >= 0: out = zp_out + MBQM(d, M1, s1),            M1 = float(scale_in / scale_out)
 *   d <  0: out = zp_out + MBQM(d * (a - zp_a), M2, s2), M2 = float(scale_in * scale_a / scale_out)
 * clamped to the type range.
 */
import type { Kernel, KernelNode } from '../kernel.js';
import { input } from '../kernel.js';
import { TensorType } from '../../schema/enums.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { broadcastPlan, forEachRun, type BroadcastPlan } from './internal/broadcast.js';
import { perTensorQuant, quantizedType, sameType } from './internal/params.js';

interface PreluData {
  plan: BroadcastPlan;
  inZeroPoint: number; alphaZeroPoint: number; outZeroPoint: number;
  m1: number; s1: number; m2: number; s2: number; min: number; max: number;
}

export const preluQuantized: Kernel<PreluData, unknown> = {
  prepare(node: KernelNode<unknown>): PreluData {
    const x = input(node, 0), alpha = input(node, 1), out = node.outputs[0]!;
    const type = quantizedType(node, x, 'input');
    sameType(node, x, alpha, 'alpha');
    sameType(node, x, out, 'output');
    const xq = perTensorQuant(node, x, 'input'), aq = perTensorQuant(node, alpha, 'alpha');
    const oq = perTensorQuant(node, out, 'output');
    const plan = broadcastPlan(node, x.shape, alpha.shape);
    out.shape = plan.outShape;
    const f = Math.fround;
    const m1 = quantizeMultiplier(f(xq.scale / oq.scale));
    const m2 = quantizeMultiplier(f(f(xq.scale * aq.scale) / oq.scale));
    return {
      plan, inZeroPoint: xq.zeroPoint, alphaZeroPoint: aq.zeroPoint, outZeroPoint: oq.zeroPoint,
      m1: m1.multiplier, s1: m1.shift, m2: m2.multiplier, s2: m2.shift,
      min: type === TensorType.UINT8 ? 0 : -128, max: type === TensorType.UINT8 ? 255 : 127,
    };
  },
  eval(node: KernelNode<unknown>, d: PreluData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const a = node.inputs[1]!.data as Uint8Array | Int8Array;
    forEachRun(d.plan, d, x, a, node.outputs[0]!.data as Uint8Array | Int8Array, preluRun);
  },
};

function preluRun(
  d: PreluData, x: Uint8Array | Int8Array, xi: number, sx: number, a: Uint8Array | Int8Array, ai: number, sa: number,
  out: Uint8Array | Int8Array, o: number, n: number,
): void {
  for (let i = 0; i < n; i++, xi += sx, ai += sa) {
    const v0 = x[xi]! - d.inZeroPoint;
    let v = v0 >= 0 ? multiplyByQuantizedMultiplier(v0, d.m1, d.s1)
      : multiplyByQuantizedMultiplier(v0 * (a[ai]! - d.alphaZeroPoint), d.m2, d.s2);
    v += d.outZeroPoint;
    if (v < d.min) v = d.min;
    else if (v > d.max) v = d.max;
    out[o + i] = v;
  }
}
