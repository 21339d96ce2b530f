/**
 * L2_NORMALIZATION: FLOAT32, over the last axis: x / max(sqrt(Σ x²), 1e-6) — TFLite's epsilon rule
 * clamps the norm, not the squared sum (reference_ops::L2Normalization, epsilon = 1e-6). A fused
 * activation, if any, is applied as a clamp.
 */
import type { L2NormOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { fusedRange } from './internal/elementwise.js';

const EPSILON = Math.fround(1e-6);

interface L2Data {
  depth: number;
  /** Fused activation clamp [lo, hi]. */
  range: Float64Array;
}

export const l2Normalization: Kernel<L2Data, L2NormOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not supported (FLOAT32)`);
    ensure(node, out.type === TensorType.FLOAT32, () => `output type ${TensorType[out.type]} must be FLOAT32`);
    ensure(node, x.rank >= 1, () => 'input must have at least one dimension');
    out.shape = x.shape.slice();
    return { depth: x.shape[x.rank - 1]!, range: fusedRange(node, node.options) };
  },
  eval(node, d) {
    const x = node.inputs[0]!.data as Float32Array, y = node.outputs[0]!.data as Float32Array;
    const depth = d.depth, lo = d.range[0]!, hi = d.range[1]!;
    if (depth === 0) return;
    for (let base = 0; base < x.length; base += depth) {
      let ss = 0;
      for (let i = 0; i < depth; i++) { const v = x[base + i]!; ss += v * v; }
      let norm = Math.fround(Math.sqrt(ss));
      if (norm < EPSILON) norm = EPSILON;
      for (let i = 0; i < depth; i++) {
        const v = Math.fround(x[base + i]! / norm);
        y[base + i] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  },
};
