/**
 * TRANSPOSE: any element type, rank ≤ 6, constant permutation in input 1 (mirrors transpose.cc;
 * out.shape[i] = in.shape[perm[i]]). Planned as one strided copy; contiguous runs are merged.
 */
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy, stridesOf } from './internal/data_movement.js';

export interface CopyData { plan: CopyPlan; srcBase: number; src: LaneView; dst: LaneView }

/** Eval shared by the ops that are one strided copy from input 0 into output 0. */
export function evalCopy(node: KernelNode<unknown>, d: CopyData): void {
  runCopy(d.plan, d.src.of(node.inputs[0]!.data), d.srcBase, d.dst.of(node.outputs[0]!.data), 0);
}

export const transpose: Kernel<CopyData> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    ensure(node, x.rank <= 6, () => `input rank ${x.rank} exceeds 6`);
    const perm = constantInts(node, input(node, 1), 'permutation input');
    ensure(node, perm.length === x.rank, () => `permutation has ${perm.length} entries for an input of rank ${x.rank}`);
    const seen = new Set<number>();
    for (const p of perm) {
      ensure(node, p >= 0 && p < x.rank && !seen.has(p), () => `[${perm.join(',')}] is not a permutation of 0..${x.rank - 1}`);
      seen.add(p);
    }
    out.shape = perm.map((p) => x.shape[p]!);
    const inStrides = stridesOf(x.shape);
    const plan = planCopy(out.shape, perm.map((p) => inStrides[p]!), stridesOf(out.shape), lanesPerElement(x.type));
    return { plan, srcBase: 0, src: new LaneView(), dst: new LaneView() };
  },
  eval: evalCopy,
};
