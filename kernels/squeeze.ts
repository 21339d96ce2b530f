/**
 * SQUEEZE: any element type; removes the listed size-1 dimensions (negative indices allowed), or every
 * size-1 dimension when squeeze_dims is empty (mirrors squeeze.cc). Copies the data.
 */
import type { SqueezeOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { normalizeAxis } from './internal/constant_values.js';
import { copyData, ensureCopyableType, ensureSameTypeAndQuant } from './internal/data_movement.js';

export const squeeze: Kernel<null, SqueezeOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const dims = node.options?.squeezeDims ?? [];
    const drop = new Array<boolean>(x.rank).fill(false);
    if (dims.length === 0) {
      for (let i = 0; i < x.rank; i++) drop[i] = x.shape[i] === 1;
    } else {
      for (const d of dims) {
        const a = normalizeAxis(node, d, x.rank, 'squeeze dimension');
        ensure(node, x.shape[a] === 1, () => `cannot squeeze dimension ${d} of size ${x.shape[a]}`);
        drop[a] = true;
      }
    }
    out.shape = x.shape.filter((_, i) => !drop[i]);
    return null;
  },
  eval(node) {
    copyData(node.inputs[0]!.data, node.outputs[0]!.data);
  },
};
