/** RELU_N1_TO_1: FLOAT32, min(max(-1, x), 1) (mirrors activations.cc Relu1Eval, reference_ops::Relu1). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const reluN1To1 = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) {
    const v = x[i]!;
    y[i] = v > -1 ? (v < 1 ? v : 1) : -1;
  }
});
