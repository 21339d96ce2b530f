/**
 * TFLite/NumPy broadcasting for binary element-wise ops (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM,
 * SQUARED_DIFFERENCE, PRELU), planned once at prepare.
 *
 * Shapes are right-aligned; each dimension pair must be equal or contain a 1 (`BroadcastBinaryOp` rules,
 * `ProcessBroadcastShapes` in TFLite). The plan collapses the output into at most `MAX_OUTER` outer
 * dimensions plus one innermost contiguous run: adjacent dimensions merge when they broadcast the same
 * way, so `[1,H,W,C] + [C]` becomes H*W runs of C with both inputs stepping by 1, and same-shape
 * inputs become a single run.
 */

/** Highest rank the broadcast plan accepts (TFLite's broadcast kernels go up to 6-D). */
export const MAX_BROADCAST_RANK = 6;
const MAX_OUTER = MAX_BROADCAST_RANK - 1;

/** The broadcast output shape, or null when the shapes are incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Iteration plan: `outerCount[k]` / `aStride[k]` / `bStride[k]` for k < MAX_OUTER (outermost first,
 * unused levels have count 1), then an innermost run of `runLength` elements in which input a steps by
 * `runStrideA` (0 or 1) and b by `runStrideB`. The output is always written contiguously.
 */
export interface BroadcastPlan {
  outShape: number[];
  outerCount: Int32Array;
  aStride: Int32Array;
  bStride: Int32Array;
  runLength: number;
  runStrideA: number;
  runStrideB: number;
  /** Total output elements. */
  size: number;
}

const KIND_SAME = 0, KIND_A_BCAST = 1, KIND_B_BCAST = 2;

/** Plan for `a (op) b`; null when the shapes do not broadcast. Throws nothing: callers word the error. */
export function planBroadcast(a: readonly number[], b: readonly number[]): BroadcastPlan | null {
  const outShape = broadcastShape(a, b);
  if (!outShape) return null;
  const rank = outShape.length;
  // Collapse: drop size-1 output dims, merge neighbours of the same kind.
  const sizes: number[] = [];
  const kinds: number[] = [];
  for (let i = 0; i < rank; i++) {
    const n = outShape[i]!;
    if (n === 1) continue;
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const kind = da === 1 ? KIND_A_BCAST : (i < rank - b.length ? 1 : b[i - (rank - b.length)]!) === 1 ? KIND_B_BCAST : KIND_SAME;
    if (kinds.length > 0 && kinds[kinds.length - 1] === kind) sizes[sizes.length - 1]! *= n;
    else { sizes.push(n); kinds.push(kind); }
  }
  let size = 1;
  for (const n of outShape) size *= n;
  const outerCount = new Int32Array(MAX_OUTER).fill(1);
  const aStride = new Int32Array(MAX_OUTER);
  const bStride = new Int32Array(MAX_OUTER);
  if (sizes.length === 0) {
    return { outShape, outerCount, aStride, bStride, runLength: size, runStrideA: 1, runStrideB: 1, size };
  }
  // Strides of each collapsed dim inside a and b (0 where that input broadcasts).
  const m = sizes.length;
  const sa = new Array<number>(m), sb = new Array<number>(m);
  let accA = 1, accB = 1;
  for (let i = m - 1; i >= 0; i--) {
    sa[i] = kinds[i] === KIND_A_BCAST ? 0 : accA;
    sb[i] = kinds[i] === KIND_B_BCAST ? 0 : accB;
    if (kinds[i] !== KIND_A_BCAST) accA *= sizes[i]!;
    if (kinds[i] !== KIND_B_BCAST) accB *= sizes[i]!;
  }
  const outer = m - 1;
  if (outer > MAX_OUTER) return null;
  const shift = MAX_OUTER - outer;
  for (let i = 0; i < outer; i++) {
    outerCount[shift + i] = sizes[i]!;
    aStride[shift + i] = sa[i]!;
    bStride[shift + i] = sb[i]!;
  }
  return {
    outShape, outerCount, aStride, bStride, size,
    runLength: sizes[m - 1]!, runStrideA: sa[m - 1]!, runStrideB: sb[m - 1]!,
  };
}
