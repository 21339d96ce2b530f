/** RELU: FLOAT32, max(0, x) (mirrors activations.cc ReluEval, reference_ops::Relu). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const relu = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : 0;
  }
});
