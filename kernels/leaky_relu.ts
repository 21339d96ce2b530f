/** LEAKY_RELU: FLOAT32, x > 0 ? x : alpha * x (mirrors activations.cc LeakyReluEval, reference_ops::LeakyRelu). */
import type { LeakyReluOptions } from '../schema/builtin_options.js';
import { unaryFloatKernel } from './internal/elementwise.js';

export const leakyRelu = unaryFloatKernel((x, y, n, param) => {
  const alpha = param[0]!;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : v * alpha;
  }
}, (node) => Math.fround((node.options as LeakyReluOptions | null)?.alpha ?? 0));
