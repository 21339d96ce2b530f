/** RELU_N1_TO_1: FLOAT32, min(max(-1, x), 1) (mirrors activations.cc Relu1Eval, reference_ops::Relu1). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const reluN1To1 = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > -1 ? (v < 1 ? v : 1) : -1;
  }
});
