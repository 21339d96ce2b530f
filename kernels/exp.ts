/** EXP: FLOAT32 (mirrors exp.cc, reference_ops::Exp). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const exp = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]!);
});
