/** Reading small constant index tensors (shapes, axes, paddings, sizes) at prepare time. */
import { TensorType } from '../../schema/enums.js';
import type { Tensor } from '../tensor.js';
import type { KernelNode } from '../kernel.js';
import { ensure } from '../kernel.js';

/** True for the integer types TFLite accepts for index tensors. */
export function isIndexType(type: TensorType): boolean {
  return type === TensorType.INT32 || type === TensorType.INT64;
}

/**
 * The values of a constant INT32/INT64 tensor as numbers. Throws a PrepareError naming `what` when the
 * tensor is not constant (embedlite has no dynamic output shapes) or has another type.
 */
export function constantInts(node: KernelNode<unknown>, t: Tensor, what: string): number[] {
  ensure(node, isIndexType(t.type), () => `${what} (${t.describe()}) must be INT32 or INT64`);
  ensure(node, t.isConstant,
    () => `${what} (${t.describe()}) is not a constant tensor; values computed at run time are not supported here (no dynamic shapes)`);
  const out = new Array<number>(t.data.length);
  for (let i = 0; i < t.data.length; i++) out[i] = Number(t.data[i]!);
  return out;
}

/** Axis in [-rank, rank) made non-negative. */
export function normalizeAxis(node: KernelNode<unknown>, axis: number, rank: number, what = 'axis'): number {
  ensure(node, Number.isInteger(axis) && axis >= -rank && axis < rank, () => `${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
