/** RELU: FLOAT32, max(0, x) (mirrors activations.cc ReluEval, reference_ops::Relu). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const relu = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : 0;
  }
});
