/**
 * NumPy-style broadcasting of two inputs (TFLite's NdArrayDescsForElementwiseBroadcast): output shape and,
 * for the broadcasting case, per-output-element input offsets computed once at prepare.
 */
import type { KernelNode } from '../../kernel.js';
import { prepareError } from '../../kernel.js';

export interface BroadcastPlan {
  shape: number[];
  /** true when both inputs have the output's element count and layout (flat loop). */
  flat: boolean;
  aIndex: Int32Array;
  bIndex: Int32Array;
}

export function broadcastPlan(node: KernelNode<unknown>, a: readonly number[], b: readonly number[]): BroadcastPlan {
  const rank = Math.max(a.length, b.length);
  const shape: number[] = [];
  const pa: number[] = [], pb: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[i - (rank - a.length)] ?? 1, db = b[i - (rank - b.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw prepareError(node, `shapes [${a.join(',')}] and [${b.join(',')}] cannot be broadcast`);
    }
    pa.push(da); pb.push(db);
    shape.push(da === 1 ? db : da);
  }
  const same = pa.every((d, i) => d === pb[i]);
  if (same) return { shape, flat: true, aIndex: new Int32Array(0), bIndex: new Int32Array(0) };
  let n = 1;
  for (const d of shape) n *= d;
  const aIndex = new Int32Array(n), bIndex = new Int32Array(n);
  const sa = strides(pa), sb = strides(pb);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let ia = 0, ib = 0;
    for (let d = 0; d < rank; d++) {
      if (pa[d] !== 1) ia += idx[d]! * sa[d]!;
      if (pb[d] !== 1) ib += idx[d]! * sb[d]!;
    }
    aIndex[o] = ia; bIndex[o] = ib;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape, flat: false, aIndex, bIndex };
}

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
