/**
 * CONCATENATION: FLOAT32, INT32, INT64 (and any type whose inputs share the output's quantization);
 * axis may be negative; FLOAT32 accepts a fused activation, applied after the copy
 * (mirrors concatenation.cc / reference_ops::Concatenation).
 */
import type { ConcatenationOptions } from '../schema/builtin_options.js';
import { ActivationFunctionType, TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { normalizeAxis } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy } from './internal/data_movement.js';
import { fusedRange } from './internal/elementwise.js';

export interface ConcatData {
  plans: CopyPlan[];
  dstBases: Int32Array;
  src: LaneView[];
  dst: LaneView;
  clamp: boolean;
  /** Fused activation clamp [lo, hi] (FLOAT32 only). */
  range: Float64Array;
}

export const concatenation: Kernel<ConcatData, ConcatenationOptions | null> = {
  prepare(node) {
    const out = node.outputs[0]!;
    ensure(node, node.inputs.length >= 1, () => 'no inputs');
    const first = input(node, 0);
    ensureCopyableType(node, first);
    const rank = first.rank;
    const axis = normalizeAxis(node, node.options?.axis ?? 0, Math.max(rank, 1));
    let axisTotal = 0;
    node.inputs.forEach((_, i) => {
      const t = input(node, i);
      ensureSameTypeAndQuant(node, t, out);
      ensure(node, t.rank === rank, () => `input ${i} has rank ${t.rank}, input 0 has rank ${rank}`);
      for (let k = 0; k < rank; k++) {
        ensure(node, k === axis || t.shape[k] === first.shape[k],
          () => `input ${i} shape [${t.shape.join(',')}] does not match [${first.shape.join(',')}] outside axis ${axis}`);
      }
      axisTotal += t.shape[axis]!;
    });
    const act = node.options?.fusedActivationFunction ?? ActivationFunctionType.NONE;
    ensure(node, act === ActivationFunctionType.NONE || first.type === TensorType.FLOAT32,
      () => `fused activation ${ActivationFunctionType[act]} is only supported for FLOAT32`);
    const range = fusedRange(node, node.options);
    out.shape = first.shape.slice();
    out.shape[axis] = axisTotal;
    let outer = 1, inner = 1;
    for (let k = 0; k < axis; k++) outer *= first.shape[k]!;
    for (let k = axis + 1; k < rank; k++) inner *= first.shape[k]!;
    const lanes = lanesPerElement(first.type);
    const plans: CopyPlan[] = [], bases: number[] = [];
    let offset = 0;
    for (const t of node.inputs) {
      const block = t!.shape[axis]! * inner;
      plans.push(planCopy([outer, block], [block, 1], [axisTotal * inner, 1], lanes));
      bases.push(offset * inner * lanes);
      offset += t!.shape[axis]!;
    }
    return {
      plans, dstBases: Int32Array.from(bases), src: node.inputs.map(() => new LaneView()), dst: new LaneView(),
      clamp: act !== ActivationFunctionType.NONE, range,
    };
  },
  eval(node, d) {
    const dst = d.dst.of(node.outputs[0]!.data);
    for (let i = 0; i < d.plans.length; i++) runCopy(d.plans[i]!, d.src[i]!.of(node.inputs[i]!.data), 0, dst, d.dstBases[i]!);
    if (d.clamp) clampFloat(node.outputs[0]!.data as Float32Array, d.range);
  },
};

/** y = clamp(y, range[0], range[1]) in place. */
function clampFloat(y: Float32Array, range: Float64Array): void {
  const lo = range[0]!, hi = range[1]!;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    y[i] = v < lo ? lo : v > hi ? hi : v;
  }
}
