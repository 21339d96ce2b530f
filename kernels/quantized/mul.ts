/**
 * MUL for uint8 / int8 (with broadcasting). Mirrors mul.cc Prepare (real multiplier = s_a * s_b / s_out,
 * QuantizeMultiplier) and reference MulElementwise:
 *   out = clamp(zp_out + MBQM((a - zp_a) * (b - zp_b), M, shift)).
 * 'tflite-cpu' mode: XNNPACK's MUL, the same product requantized in float32 (internal/xnnpack.ts xnnMulScale,
 * requantizeFp32).
 */
import type { MulOptions } from '../../schema/builtin_options.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { broadcastPlan, forEachRun, type BroadcastPlan } from './internal/broadcast.js';
import { fusedActivationRange, perTensorQuant, quantizedType, sameType } from './internal/params.js';
import { xnnActivationRange, xnnMulScale } from './internal/xnnpack.js';

interface MulData {
  plan: BroadcastPlan;
  aOffset: number; bOffset: number; outZeroPoint: number;
  multiplier: number; shift: number; actMin: number; actMax: number;
  /** 'tflite-cpu': XNNPACK's float32 scale; 0 in reference mode. */
  fp32Scale: number;
}

export const mulQuantized: Kernel<MulData, MulOptions> = {
  prepare(node: KernelNode<MulOptions>): MulData {
    const a = input(node, 0), b = input(node, 1), out = node.outputs[0]!;
    ensure(node, !!node.options, () => 'missing MulOptions');
    const type = quantizedType(node, a, 'input');
    sameType(node, a, b, 'input 1');
    sameType(node, a, out, 'output');
    const aq = perTensorQuant(node, a, 'input 0'), bq = perTensorQuant(node, b, 'input 1');
    const oq = perTensorQuant(node, out, 'output');
    const plan = broadcastPlan(node, a.shape, b.shape);
    out.shape = plan.outShape;
    const base = { plan, aOffset: -aq.zeroPoint, bOffset: -bq.zeroPoint, outZeroPoint: oq.zeroPoint };
    if (node.context.quantizedArithmetic === 'tflite-cpu') {
      const act = xnnActivationRange(node.options.fusedActivationFunction, type, oq.scale, oq.zeroPoint);
      ensure(node, !!act, () => `fused activation ${node.options.fusedActivationFunction} is not supported`);
      return { ...base, multiplier: 0, shift: 0, actMin: act.min, actMax: act.max, fp32Scale: xnnMulScale(aq.scale, bq.scale, oq.scale) };
    }
    const m = quantizeMultiplier((aq.scale * bq.scale) / oq.scale);
    const act = fusedActivationRange(node, node.options.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
    return { ...base, multiplier: m.multiplier, shift: m.shift, actMin: act.min, actMax: act.max, fp32Scale: 0 };
  },
  eval(node: KernelNode<MulOptions>, d: MulData): void {
    const a = node.inputs[0]!.data as Uint8Array | Int8Array;
    const b = node.inputs[1]!.data as Uint8Array | Int8Array;
    forEachRun(d.plan, d, a, b, node.outputs[0]!.data as Uint8Array | Int8Array, d.fp32Scale > 0 ? mulRunFp32 : mulRun);
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

/** XNNPACK's MUL: clamp(roundHalfEven(f32(f32(product) * scale)) + zp) (internal/xnnpack.ts requantizeFp32, inline). */
function mulRunFp32(
  d: MulData, a: Uint8Array | Int8Array, ai: number, sa: number, b: Uint8Array | Int8Array, bi: number, sb: number,
  out: Uint8Array | Int8Array, o: number, n: number,
): void {
  const fround = Math.fround, scale = d.fp32Scale, zp = d.outZeroPoint, lo = d.actMin, hi = d.actMax;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const p = (a[ai]! + d.aOffset) * (b[bi]! + d.bOffset);
    const v = ((fround(p * scale) + 6755399441055744) - 6755399441055744) + zp;
    out[o + i] = v < lo ? lo : v > hi ? hi : v;
  }
}
