/**
 * PACK: stacks `values_count` tensors of equal shape and type along a new axis (mirrors pack.cc).
 * Any element type; quantized inputs must share the output's scale and zero point.
 */
import type { PackOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { normalizeAxis } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy } from './internal/data_movement.js';

interface PackData { plan: CopyPlan; step: number; inViews: LaneView[]; outView: LaneView }

export const pack: Kernel<PackData, PackOptions | null> = {
  prepare(node) {
    const first = input(node, 0), out = node.outputs[0]!;
    const n = node.inputs.length;
    ensure(node, !node.options || node.options.valuesCount === n,
      () => `values_count ${node.options!.valuesCount} differs from the ${n} inputs`);
    ensureCopyableType(node, first);
    for (let i = 0; i < n; i++) {
      const x = input(node, i);
      ensure(node, x.shape.length === first.shape.length && x.shape.every((d, k) => d === first.shape[k]),
        () => `input ${i} has shape [${x.shape.join(',')}], input 0 has [${first.shape.join(',')}]`);
      ensureSameTypeAndQuant(node, x, out);
    }
    const axis = normalizeAxis(node, node.options?.axis ?? 0, first.rank + 1);
    out.shape = [...first.shape.slice(0, axis), n, ...first.shape.slice(axis)];
    // Each input is an [outer, inner] block written at column i of an [outer, n, inner] output.
    const outer = first.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = first.shape.slice(axis).reduce((a, b) => a * b, 1);
    const lanes = lanesPerElement(first.type);
    return {
      plan: planCopy([outer, inner], [inner, 1], [n * inner, 1], lanes),
      step: inner * lanes,
      inViews: node.inputs.map(() => new LaneView()),
      outView: new LaneView(),
    };
  },
  eval(node, d) {
    const o = d.outView.of(node.outputs[0]!.data);
    for (let i = 0; i < d.inViews.length; i++) runCopy(d.plan, d.inViews[i]!.of(node.inputs[i]!.data), 0, o, i * d.step);
  },
};
