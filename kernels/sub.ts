/** SUB: FLOAT32 and INT32, TFLite broadcasting up to 6-D, fused activation (mirrors reference_ops::Sub / BroadcastSubSlow). */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function subRun(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number, range: Float64Array): void {
  const lo = range[0]!, hi = range[1]!;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const v = a[ai]! - b[bi]!;
    o[oi + i] = v < lo ? lo : v > hi ? hi : v;
  }
}

export const sub = binaryKernel({ fusedActivation: true, float: subRun, int32: subRun });
