/** HARD_SWISH: FLOAT32, x * relu6(x + 3) / 6 (mirrors reference_ops::HardSwish, float arithmetic step by step). */
import { unaryFloatKernel } from './internal/elementwise.js';

export const hardSwish = unaryFloatKernel((x, y, i0, i1) => {
  for (let i = i0; i < i1; i++) {
    const v = x[i]!;
    const r = Math.fround(v + 3);
    const c = r > 0 ? (r < 6 ? r : 6) : 0;
    y[i] = Math.fround(v * c) / 6;
  }
});
