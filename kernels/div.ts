/** DIV: FLOAT32, TFLite broadcasting up to 6-D, fused activation (mirrors reference_ops::Div / BroadcastDivSlow). x/0 gives ±Inf or NaN as in C++. */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function divRun(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number, range: Float64Array): void {
  const lo = range[0]!, hi = range[1]!;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const v = a[ai]! / b[bi]!;
    o[oi + i] = v < lo ? lo : v > hi ? hi : v;
  }
}

export const div = binaryKernel({ fusedActivation: true, float: divRun });
