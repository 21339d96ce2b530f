/** LOGISTIC: FLOAT32, 1 / (1 + exp(-x)) (mirrors reference_ops::Logistic for float). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const logistic = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
});
