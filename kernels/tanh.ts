/** TANH: FLOAT32 (mirrors activations.cc TanhEval, reference_ops::Tanh). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const tanh = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) y[i] = Math.tanh(x[i]!);
});
