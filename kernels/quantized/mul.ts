/**
 * MUL for uint8 / int8 (with broadcasting). Mirrors mul.cc Prepare (real multiplier = s_a * s_b / s_out,
 * QuantizeMultiplier) and reference MulElementwise:
 *   out = clamp(zp_out + MBQM((a - zp_a) * (b - zp_b), M, shift)).
 */
import type { MulOptions } from '../../schema/builtin_options.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { broadcastPlan, forEachRun, type BroadcastPlan } from './internal/broadcast.js';
import { fusedActivationRange, perTensorQuant, quantizedType, sameType } from './internal/params.js';

interface MulData {
  plan: BroadcastPlan;
  aOffset: number; bOffset: number; outZeroPoint: number;
  multiplier: number; shift: number; actMin: number; actMax: number;
}

export const mulQuantized: Kernel<MulData, MulOptions> = {
  prepare(node: KernelNode<MulOptions>): MulData {
    const a = input(node, 0), b = input(node, 1), out = node.outputs[0]!;
    ensure(node, !!node.options, () => 'missing MulOptions');
    quantizedType(node, a, 'input');
    sameType(node, a, b, 'input 1');
    sameType(node, a, out, 'output');
    const aq = perTensorQuant(node, a, 'input 0'), bq = perTensorQuant(node, b, 'input 1');
    const oq = perTensorQuant(node, out, 'output');
    const plan = broadcastPlan(node, a.shape, b.shape);
    out.shape = plan.outShape;
    const m = quantizeMultiplier((aq.scale * bq.scale) / oq.scale);
    const act = fusedActivationRange(node, node.options.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
    return {
      plan, aOffset: -aq.zeroPoint, bOffset: -bq.zeroPoint, outZeroPoint: oq.zeroPoint,
      multiplier: m.multiplier, shift: m.shift, actMin: act.min, actMax: act.max,
    };
  },
  eval(node: KernelNode<MulOptions>, d: MulData): void {
    const a = node.inputs[0]!.data as Uint8Array | Int8Array;
    const b = node.inputs[1]!.data as Uint8Array | Int8Array;
    forEachRun(d.plan, d, a, b, node.outputs[0]!.data as Uint8Array | Int8Array, mulRun);
  },
};

function mulRun(
  d: MulData, a: Uint8Array | Int8Array, ai: number, sa: number, b: Uint8Array | Int8Array, bi: number, sb: number,
  out: Uint8Array | Int8Array, o: number, n: number,
): void {
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    let v = multiplyByQuantizedMultiplier((a[ai]! + d.aOffset) * (b[bi]! + d.bOffset), d.multiplier, d.shift) + d.outZeroPoint;
    if (v < d.actMin) v = d.actMin;
    else if (v > d.actMax) v = d.actMax;
    out[o + i] = v;
  }
}
