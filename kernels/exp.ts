/** EXP: FLOAT32 (mirrors exp.cc, reference_ops::Exp). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const exp = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) y[i] = Math.exp(x[i]!);
});
