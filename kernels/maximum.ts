/** MAXIMUM: FLOAT32 and INT32 with TFLite broadcasting up to 6-D (mirrors maximum_minimum.cc, `MaximumOp`: a > b ? a : b). */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function maxRun(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number): void {
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const x = a[ai]!, y = b[bi]!;
    o[oi + i] = x > y ? x : y;
  }
}

export const maximum = binaryKernel({ fusedActivation: false, float: maxRun, int32: maxRun });
