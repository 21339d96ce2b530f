/**
 * Type-agnostic copying for data-movement kernels (RESHAPE, TRANSPOSE, SLICE, STRIDED_SLICE, PAD,
 * CONCATENATION, SPLIT, GATHER, DEPTH_TO_SPACE …). Elements are moved as "lanes": tensors of 1, 2 or
 * 4-byte elements are copied through their own typed array, 8-byte elements (INT64, FLOAT64, UINT64)
 * through an Int32Array view of the same bytes, two lanes per element — no BigInt is ever created.
 */
import { TensorType } from '../../schema/enums.js';
import type { Tensor, TensorData } from '../tensor.js';
import { bytesPerElement } from '../tensor.js';
import type { KernelNode } from '../kernel.js';
import { ensure } from '../kernel.js';
import type { NumArray } from './elementwise.js';
import { EVAL_CHUNK } from './elementwise.js';

/** Lanes per element for a tensor type (2 for 8-byte types, else 1). */
export function lanesPerElement(type: TensorType): number {
  return bytesPerElement(type) === 8 ? 2 : 1;
}

/**
 * Cached lane view of a tensor's data. The view is rebuilt only when the tensor's typed array changes
 * (memory planning rebinds it once), so eval allocates nothing after the first call.
 */
export class LaneView {
  private key: TensorData | null = null;
  private view: NumArray = new Int32Array(0);

  of(data: TensorData): NumArray {
    if (data !== this.key) {
      this.key = data;
      this.view = data instanceof BigInt64Array || data instanceof BigUint64Array || data instanceof Float64Array
        ? new Int32Array(data.buffer, data.byteOffset, data.length * 2)
        : data;
    }
    return this.view;
  }
}

/** Maximum number of dimensions of a strided copy (6-D tensors plus the lane dimension, plus one spare). */
export const MAX_COPY_RANK = 8;

/**
 * A strided block copy: for every index vector i < count, dst[dstBase + Σ i·dstStride] = src[srcBase + Σ i·srcStride].
 * Built at prepare with `planCopy`; dimensions that are contiguous in both source and destination are merged.
 */
export interface CopyPlan {
  rank: number;
  count: Int32Array;
  srcStride: Int32Array;
  dstStride: Int32Array;
  /** Product of all counts but the innermost. */
  outer: number;
  /** Odometer scratch for eval. */
  idx: Int32Array;
}

/**
 * Plans a copy given counts and strides in elements (`lanes` lanes per element are added as an innermost
 * dimension). Dimensions of count 1 are dropped and mergeable neighbours fused.
 */
export function planCopy(count: readonly number[], srcStride: readonly number[], dstStride: readonly number[], lanes = 1): CopyPlan {
  if (count.some((n) => n === 0)) {
    return { rank: 1, count: Int32Array.of(0), srcStride: Int32Array.of(0), dstStride: Int32Array.of(0), outer: 0, idx: new Int32Array(1) };
  }
  const c: number[] = [], s: number[] = [], d: number[] = [];
  for (let i = 0; i < count.length; i++) {
    if (count[i] === 1) continue;
    c.push(count[i]!); s.push(srcStride[i]! * lanes); d.push(dstStride[i]! * lanes);
  }
  if (lanes > 1) { c.push(lanes); s.push(1); d.push(1); }
  // Merge dim k into k-1 when stepping k-1 equals walking all of k in both tensors.
  for (let k = c.length - 1; k > 0; k--) {
    if (s[k - 1] === s[k]! * c[k]! && d[k - 1] === d[k]! * c[k]!) {
      c[k - 1]! *= c[k]!; s[k - 1] = s[k]!; d[k - 1] = d[k]!;
      c.splice(k, 1); s.splice(k, 1); d.splice(k, 1);
    }
  }
  if (c.length === 0) { c.push(1); s.push(0); d.push(0); }
  if (c.length > MAX_COPY_RANK) throw new Error(`copy of rank ${c.length} exceeds ${MAX_COPY_RANK}`);
  let outer = 1;
  for (let i = 0; i < c.length - 1; i++) outer *= c[i]!;
  return {
    rank: c.length, count: Int32Array.from(c), srcStride: Int32Array.from(s), dstStride: Int32Array.from(d),
    outer, idx: new Int32Array(c.length),
  };
}

/** Executes a copy plan, one copyRun call per innermost run or chunk. `src` and `dst` are lane views (see `LaneView`). */
export function runCopy(p: CopyPlan, src: NumArray, srcBase: number, dst: NumArray, dstBase: number): void {
  const r = p.rank - 1;
  const n = p.count[r]!, ss = p.srcStride[r]!, ds = p.dstStride[r]!;
  if (n === 0) return;
  const count = p.count, sst = p.srcStride, dst_ = p.dstStride, idx = p.idx;
  idx.fill(0);
  let so = srcBase, dO = dstBase;
  for (let k = 0; k < p.outer; k++) {
    for (let i = 0; i < n; i += EVAL_CHUNK) {
      copyRun(src, so + i * ss, ss, dst, dO + i * ds, ds, n - i < EVAL_CHUNK ? n - i : EVAL_CHUNK);
    }
    for (let j = r - 1; j >= 0; j--) {
      so += sst[j]!; dO += dst_[j]!;
      if (++idx[j]! < count[j]!) break;
      so -= sst[j]! * count[j]!; dO -= dst_[j]! * count[j]!;
      idx[j] = 0;
    }
  }
}

/** dst[b + i*ds] = src[a + i*ss] for i < n. */
function copyRun(src: NumArray, a: number, ss: number, dst: NumArray, b: number, ds: number, n: number): void {
  if (ss === 1 && ds === 1) {
    for (let i = 0; i < n; i++) dst[b + i] = src[a + i]!;
  } else {
    for (let i = 0; i < n; i++, a += ss, b += ds) dst[b] = src[a]!;
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

function quantText(t: Tensor): string {
  return t.quant ? `scale ${t.quant.scale.join(',')} zero point ${t.quant.zeroPoint.join(',')}` : 'no quantization';
}

/** Quantized element types, whose values only mean something together with their scale and zero point. */
export function isQuantizedType(type: TensorType): boolean {
  return type === TensorType.UINT8 || type === TensorType.INT8 || type === TensorType.INT16;
}

/**
 * Data-movement ops copy raw values, so a quantized output must carry the input's scale and zero point.
 * Also checks that the output type equals the input type.
 */
export function ensureSameTypeAndQuant(node: KernelNode<unknown>, inp: Tensor, out: Tensor): void {
  ensure(node, inp.type === out.type, () => `output type ${TensorType[out.type]} differs from input type ${TensorType[inp.type]}`);
  if (!isQuantizedType(inp.type)) return;
  const a = inp.quant, b = out.quant;
  const same = (!a && !b) || (!!a && !!b && a.scale.length === b.scale.length
    && a.scale.every((v, i) => v === b.scale[i]) && a.zeroPoint.every((v, i) => v === b.zeroPoint[i]));
  ensure(node, same, () => `input and output quantization differ (${quantText(inp)} vs ${quantText(out)}); this op copies raw values`);
}

/** Element types the any-type data-movement kernels can move (everything with a fixed element size). */
export function ensureCopyableType(node: KernelNode<unknown>, t: Tensor): void {
  ensure(node, bytesPerElement(t.type) > 0 && t.type !== TensorType.INT4,
    () => `tensor type ${TensorType[t.type] ?? t.type} cannot be moved by this kernel`);
}

/**
 * Copies a whole tensor's data into another of the same type (RESHAPE, SQUEEZE, EXPAND_DIMS, constant
 * results). Same-type `set` is a memmove in V8: it neither converts nor allocates, even for INT64.
 */
export function copyData(src: TensorData, dst: TensorData): void {
  if (src !== dst) (dst as unknown as Uint8Array).set(src as unknown as Uint8Array);
}
