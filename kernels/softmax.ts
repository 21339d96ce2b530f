/**
 * SOFTMAX: FLOAT32, over the last axis: exp((x - max) * beta) / Σ (mirrors reference_ops::Softmax for float).
 */
import type { SoftmaxOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';

interface SoftmaxData {
  depth: number;
  /** [beta] as a float32 value. */
  beta: Float64Array;
}

export const softmax: Kernel<SoftmaxData, SoftmaxOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not supported (FLOAT32)`);
    ensure(node, out.type === TensorType.FLOAT32, () => `output type ${TensorType[out.type]} must be FLOAT32`);
    ensure(node, x.rank >= 1, () => 'input must have at least one dimension');
    out.shape = x.shape.slice();
    return { depth: x.shape[x.rank - 1]!, beta: Float64Array.of(Math.fround(node.options?.beta ?? 1)) };
  },
  eval(node, d) {
    const x = node.inputs[0]!.data as Float32Array, y = node.outputs[0]!.data as Float32Array;
    const depth = d.depth;
    if (depth === 0) return;
    // One call per row (see "Allocation-free eval" in internal/elementwise.ts).
    for (let base = 0; base < x.length; base += depth) softmaxRow(x, y, base, depth, d.beta);
  },
};

/** Softmax of the `depth` values at `base`. */
function softmaxRow(x: Float32Array, y: Float32Array, base: number, depth: number, params: Float64Array): void {
  const beta = params[0]!;
  let max = x[base]!;
  for (let i = 1; i < depth; i++) if (x[base + i]! > max) max = x[base + i]!;
  let sum = 0;
  for (let i = 0; i < depth; i++) {
    const e = Math.fround(Math.exp((x[base + i]! - max) * beta));
    y[base + i] = e;
    sum += e;
  }
  for (let i = 0; i < depth; i++) y[base + i] = y[base + i]! / sum;
}
