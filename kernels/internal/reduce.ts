/**
 * Shared MEAN/SUM: axes from a constant INT32/INT64 input 1 (negative allowed, duplicates ignored),
 * keep_dims keeps reduced dimensions as 1 (mirrors reduce.cc ResizeOutputTensor + reference_ops::ReduceGeneric).
 * The input is walked once in memory order with a copy plan whose destination strides are 0 on reduced
 * axes; sums accumulate in a float64 scratch, then are written (divided by the count for MEAN).
 */
import type { ReducerOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { constantInts, normalizeAxis } from './constant_values.js';
import type { CopyPlan } from './data_movement.js';
import { planCopy, stridesOf } from './data_movement.js';
import type { NumArray } from './elementwise.js';
import { EVAL_CHUNK } from './elementwise.js';

export interface ReduceData {
  plan: CopyPlan;
  acc: Float64Array;
  /** Divisor of the sums: the reduced element count for MEAN (an integer), 1 for SUM. */
  scale: number;
}

function prepareReduce(node: KernelNode<ReducerOptions | null>, mean: boolean, types: TensorType[]): ReduceData {
  const x = input(node, 0), out = node.outputs[0]!;
  ensure(node, types.includes(x.type), () => `input type ${TensorType[x.type]} is not supported (${types.map((t) => TensorType[t]).join(', ')})`);
  ensure(node, out.type === x.type, () => `output type ${TensorType[out.type]} differs from input type ${TensorType[x.type]}`);
  const axes = constantInts(node, input(node, 1), 'axes input');
  const reduced = new Array<boolean>(x.rank).fill(false);
  for (const a of axes) reduced[normalizeAxis(node, a, x.rank)] = true;
  const keep = node.options?.keepDims ?? false;
  const kept = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  out.shape = keep ? kept : x.shape.filter((_, i) => !reduced[i]);
  const keptStrides = stridesOf(kept);
  const dstStrides = keptStrides.map((s, i) => (reduced[i] ? 0 : s));
  let count = 1;
  x.shape.forEach((d, i) => { if (reduced[i]) count *= d; });
  return {
    plan: planCopy(x.shape, stridesOf(x.shape), dstStrides),
    acc: new Float64Array(kept.reduce((p, v) => p * v, 1)),
    scale: mean ? count : 1,
  };
}

/** acc[dst] += src over a plan (runCopy with accumulation), one accumulateRun call per innermost run or chunk. */
function accumulate(p: CopyPlan, src: NumArray, acc: Float64Array): void {
  const r = p.rank - 1;
  const n = p.count[r]!, ss = p.srcStride[r]!, ds = p.dstStride[r]!;
  if (n === 0) return;
  const count = p.count, sst = p.srcStride, dst = p.dstStride, idx = p.idx;
  idx.fill(0);
  let so = 0, dO = 0;
  for (let k = 0; k < p.outer; k++) {
    for (let i = 0; i < n; i += EVAL_CHUNK) {
      accumulateRun(src, so + i * ss, ss, acc, dO + i * ds, ds, n - i < EVAL_CHUNK ? n - i : EVAL_CHUNK);
    }
    for (let j = r - 1; j >= 0; j--) {
      so += sst[j]!; dO += dst[j]!;
      if (++idx[j]! < count[j]!) break;
      so -= sst[j]! * count[j]!; dO -= dst[j]! * count[j]!;
      idx[j] = 0;
    }
  }
}

/** acc[b + i*ds] += src[a + i*ss] for i < n (ds = 0: a reduced innermost axis, summed in a local first). */
function accumulateRun(src: NumArray, a: number, ss: number, acc: Float64Array, b: number, ds: number, n: number): void {
  if (ds === 0) {
    let s = 0;
    for (let i = 0; i < n; i++, a += ss) s += src[a]!;
    acc[b] += s;
  } else {
    for (let i = 0; i < n; i++, a += ss, b += ds) acc[b] += src[a]!;
  }
}

/** y[i] = acc[i] / divisor for i in [i0, i1); integer outputs truncate toward zero. */
function writeResult(acc: Float64Array, y: NumArray, i0: number, i1: number, divisor: number, isInt: boolean): void {
  for (let i = i0; i < i1; i++) {
    // MEAN of integers truncates toward zero, like the C++ integer division in reference_ops::Mean.
    const v = acc[i]! / divisor;
    y[i] = isInt ? Math.trunc(v) : v;
  }
}

/** A MEAN or SUM kernel for the given input types. */
export function reduceKernel(mean: boolean, types: TensorType[]): Kernel<ReduceData, ReducerOptions | null> {
  return {
    prepare: (node) => prepareReduce(node, mean, types),
    eval(node, d) {
      const acc = d.acc;
      acc.fill(0);
      accumulate(d.plan, node.inputs[0]!.data as NumArray, acc);
      const y = node.outputs[0]!.data as NumArray;
      const isInt = node.outputs[0]!.type !== TensorType.FLOAT32;
      const n = acc.length;
      for (let i = 0; i < n; i += EVAL_CHUNK) writeResult(acc, y, i, n - i < EVAL_CHUNK ? n : i + EVAL_CHUNK, d.scale, isInt);
    },
  };
}
