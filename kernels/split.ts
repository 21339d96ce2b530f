/**
 * SPLIT: any element type. Input 0 is the constant axis (scalar INT32), input 1 the data, which is cut
 * into `num_splits` equal parts along the axis, one per output (mirrors split.cc).
 */
import type { SplitOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts, normalizeAxis } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy } from './internal/data_movement.js';

interface SplitData { plan: CopyPlan; srcBases: Int32Array; src: LaneView; dst: LaneView[] }

export const split: Kernel<SplitData, SplitOptions | null> = {
  prepare(node) {
    const axisValues = constantInts(node, input(node, 0), 'axis input (input 0)');
    ensure(node, axisValues.length === 1, () => `axis input must hold one value, got ${axisValues.length}`);
    const x = input(node, 1);
    ensureCopyableType(node, x);
    const axis = normalizeAxis(node, axisValues[0]!, x.rank);
    const n = node.outputs.length;
    ensure(node, node.options?.numSplits === undefined || node.options.numSplits === n,
      () => `num_splits ${node.options?.numSplits} differs from the ${n} outputs`);
    const dim = x.shape[axis]!;
    ensure(node, n > 0 && dim % n === 0, () => `dimension ${axis} of size ${dim} does not split into ${n} equal parts`);
    const part = dim / n;
    let outer = 1, inner = 1;
    for (let k = 0; k < axis; k++) outer *= x.shape[k]!;
    for (let k = axis + 1; k < x.rank; k++) inner *= x.shape[k]!;
    for (const o of node.outputs) {
      ensureSameTypeAndQuant(node, x, o);
      o.shape = x.shape.slice();
      o.shape[axis] = part;
    }
    const lanes = lanesPerElement(x.type);
    const block = part * inner;
    return {
      plan: planCopy([outer, block], [dim * inner, 1], [block, 1], lanes),
      srcBases: Int32Array.from(node.outputs.map((_, i) => i * block * lanes)),
      src: new LaneView(), dst: node.outputs.map(() => new LaneView()),
    };
  },
  eval(node, d) {
    const src = d.src.of(node.inputs[1]!.data);
    for (let i = 0; i < d.dst.length; i++) runCopy(d.plan, src, d.srcBases[i]!, d.dst[i]!.of(node.outputs[i]!.data), 0);
  },
};
