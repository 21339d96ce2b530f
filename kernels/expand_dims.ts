/**
 * EXPAND_DIMS: any element type; inserts a size-1 dimension at the constant axis of input 1
 * (axis in [-rank-1, rank], negative counts from the end, mirrors expand_dims.cc). Copies the data.
 */
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import { copyData, ensureCopyableType, ensureSameTypeAndQuant } from './internal/data_movement.js';

export const expandDims: Kernel<null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const axes = constantInts(node, input(node, 1), 'axis input');
    ensure(node, axes.length === 1, () => `axis input must hold one value, got ${axes.length}`);
    let axis = axes[0]!;
    ensure(node, axis >= -x.rank - 1 && axis <= x.rank, () => `axis ${axis} is out of range for rank ${x.rank}`);
    if (axis < 0) axis += x.rank + 1;
    out.shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
    return null;
  },
  eval(node) {
    copyData(node.inputs[0]!.data, node.outputs[0]!.data);
  },
};
