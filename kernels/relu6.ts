/** RELU6: FLOAT32, min(max(0, x), 6) (mirrors activations.cc Relu6Eval). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const relu6 = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? (v < 6 ? v : 6) : 0;
  }
});
