/** TANH: FLOAT32 (mirrors activations.cc TanhEval, reference_ops::Tanh). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const tanh = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
});
