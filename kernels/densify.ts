/**
 * DENSIFY: a constant sparse tensor (TFLite sparsity: traversal_order, block_map, dim_metadata with DENSE
 * and SPARSE_CSR levels) to its dense form, any element type. Mirrors FormatConverter::SparseToDense /
 * Populate in sparsity_format_converter.cc. The dense result is built once at prepare; eval copies it.
 * The input's `data` holds the stored values only; its `shape` is the dense shape.
 */
import type { SparsityParams } from '../schema/types.js';
import type { TensorData } from './tensor.js';
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { copyData, ensureSameTypeAndQuant } from './internal/data_movement.js';
import type { NumArray } from './internal/elementwise.js';

/**
 * Scatters the stored values of `values` into `dense` (zero-filled, row-major `shape`). Returns the
 * number of values consumed. Throws an Error with a plain message on malformed metadata.
 */
export function sparseToDense(shape: readonly number[], sp: SparsityParams, values: ArrayLike<number | bigint>,
  dense: { [i: number]: number | bigint; length: number }): number {
  const rank = shape.length;
  const order = sp.traversalOrder, blockMap = sp.blockMap, meta = sp.dimMetadata;
  const levels = order.length;
  if (meta.length !== levels) throw new Error(`${meta.length} dim_metadata entries for a traversal order of ${levels}`);
  if (levels !== rank + blockMap.length) throw new Error(`traversal order of ${levels} for rank ${rank} with ${blockMap.length} block dimensions`);
  // The traversal order is a permutation of the levels and the block map names distinct dimensions (TFLite's
  // converter assumes both; unchecked, a huge level index made a huge array, found by the fuzzer).
  const seen = new Set<number>();
  for (const o of order) {
    if (!Number.isInteger(o) || o < 0 || o >= levels || seen.has(o)) throw new Error(`traversal order [${order.slice(0, 8).join(',')}${levels > 8 ? ',…' : ''}] is not a permutation of 0..${levels - 1}`);
    seen.add(o);
  }
  if (blockMap.some((d, k) => !Number.isInteger(d) || d < 0 || d >= rank || blockMap.indexOf(d) !== k)) {
    throw new Error(`block map [${blockMap.join(',')}] does not name distinct dimensions of rank ${rank}`);
  }
  // Block sizes: the dense_size of each block level (InitSparseToDenseConverter).
  const blockSize = blockMap.map((_, k) => meta[order[rank + k]!]!.denseSize);
  // A dense level walks at most its dimension's extent (blocks of a blocked dimension, or one block), so the walk
  // is bounded by the dense size the interpreter has already budgeted.
  const extent = (level: number): number => {
    const o = order[level]!;
    if (o >= rank) return shape[blockMap[o - rank]!]!;
    const k = blockMap.indexOf(o);
    return k < 0 ? shape[o]! : Math.ceil(shape[o]! / Math.max(1, blockSize[k]!));
  };
  meta.forEach((m, level) => {
    if (m.format === 0 && !(Number.isInteger(m.denseSize) && m.denseSize >= 0 && m.denseSize <= extent(level))) {
      throw new Error(`dim_metadata ${level}: dense_size ${m.denseSize} exceeds its dimension's extent ${extent(level)}`);
    }
  });
  const strides = new Array<number>(rank);
  for (let i = rank - 1, acc = 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]!; }
  const idx = new Array<number>(levels).fill(0);
  let next = 0;
  const place = (): void => {
    const orig = new Array<number>(rank).fill(0);
    for (let i = 0; i < rank; i++) orig[order[i]!] = idx[i]!;
    for (let i = rank; i < levels; i++) {
      const b = order[i]! - rank;
      const dim = blockMap[b]!;
      orig[dim] = orig[dim]! * blockSize[b]! + idx[i]!;
    }
    let flat = 0;
    for (let i = 0; i < rank; i++) {
      if (orig[i]! < 0 || orig[i]! >= shape[i]!) throw new Error(`sparse index [${orig.join(',')}] is outside [${shape.join(',')}]`);
      flat += orig[i]! * strides[i]!;
    }
    if (next >= values.length) throw new Error(`the sparse structure addresses more than the ${values.length} stored values`);
    dense[flat] = values[next++]!;
  };
  // Populate: `prev` is the position within the parent level (a dense ordinal or a CSR slot).
  const populate = (level: number, prev: number): void => {
    if (level === levels) { place(); return; }
    const m = meta[level]!;
    if (m.format === 0) {
      for (let i = 0; i < m.denseSize; i++) {
        idx[level] = i;
        populate(level + 1, prev * m.denseSize + i);
      }
      return;
    }
    const seg = m.arraySegments ?? [], ind = m.arrayIndices ?? [];
    if (prev + 1 >= seg.length) return;
    for (let i = seg[prev]!; i < seg[prev + 1]!; i++) {
      if (i >= ind.length) break;
      idx[level] = ind[i]!;
      populate(level + 1, i);
    }
  };
  populate(0, 0);
  return next;
}

interface DensifyData { dense: TensorData }

export const densify: Kernel<DensifyData> = {
  prepare(node: KernelNode<unknown>) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureSameTypeAndQuant(node, x, out);
    ensure(node, x.isConstant, () => `input ${x.describe()} must be a constant sparse tensor`);
    const sp = x.sparsity ?? null;
    ensure(node, sp !== null, () => `input ${x.describe()} carries no sparsity parameters`);
    out.shape = x.shape.slice();
    const Ctor = (x.data as NumArray).constructor as new (n: number) => TensorData;
    const dense = new Ctor(x.size);
    try {
      sparseToDense(x.shape, sp, x.data as ArrayLike<number>, dense as unknown as number[]);
    } catch (e) {
      ensure(node, false, () => `malformed sparsity: ${(e as Error).message}`);
    }
    return { dense };
  },
  eval(node, d) {
    copyData(d.dense, node.outputs[0]!.data);
  },
};
