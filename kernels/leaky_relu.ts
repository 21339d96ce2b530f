/** LEAKY_RELU: FLOAT32, x > 0 ? x : alpha * x (mirrors activations.cc LeakyReluEval, reference_ops::LeakyRelu). */
import type { LeakyReluOptions } from '../schema/builtin_options.js';
import { unaryFloatKernel } from './internal/elementwise.js';

export const leakyRelu = unaryFloatKernel((x, y, i0, i1, param) => {
  const alpha = param[0]!;
  for (let i = i0; i < i1; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : v * alpha;
  }
}, (node) => Math.fround((node.options as LeakyReluOptions | null)?.alpha ?? 0));
