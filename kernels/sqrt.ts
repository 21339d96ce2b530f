/** SQRT: FLOAT32 (mirrors elementwise.cc Sqrt; a double sqrt rounded to float32 is the correctly rounded float sqrt). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const sqrt = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) y[i] = Math.sqrt(x[i]!);
});
