/** SQUARED_DIFFERENCE: FLOAT32, (a - b)^2 with TFLite broadcasting up to 6-D (mirrors squared_difference.cc). */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function sqDiffRun(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number): void {
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    // Round the difference to float32 first, as the C++ float arithmetic does; the square of a
    // float32 is exact in a double, so the final store rounds once like a float multiply.
    const d = Math.fround(a[ai]! - b[bi]!);
    o[oi + i] = d * d;
  }
}

export const squaredDifference = binaryKernel({ fusedActivation: false, float: sqDiffRun });
