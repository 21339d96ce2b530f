/** LOGISTIC: FLOAT32, 1 / (1 + exp(-x)) (mirrors reference_ops::Logistic for float). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const logistic = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
});
