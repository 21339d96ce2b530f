/** SQRT: FLOAT32 (mirrors elementwise.cc Sqrt; a double sqrt rounded to float32 is the correctly rounded float sqrt). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const sqrt = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]!);
});
