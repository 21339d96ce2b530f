/** RSQRT: FLOAT32, 1 / sqrt(x) (mirrors elementwise.cc Rsqrt: float sqrt, then float division). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const rsqrt = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) y[i] = 1 / Math.fround(Math.sqrt(x[i]!));
});
