/** RSQRT: FLOAT32, 1 / sqrt(x) (mirrors elementwise.cc Rsqrt: float sqrt, then float division). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const rsqrt = unaryFloatKernel((x, y, n) => {
  for (let i = 0; i < n; i++) y[i] = 1 / Math.fround(Math.sqrt(x[i]!));
});
