/**
 * FLOOR_MOD: FLOAT32 and INT32 with TFLite broadcasting (mirrors floor_mod.cc): the remainder takes the
 * sign of the divisor, r = a - floor(a / b) * b, computed as trunc-mod plus b when the signs differ.
 * An INT32 division by zero writes 0 instead of trapping (TFLite reports an error at eval).
 */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function floorModRun(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number): void {
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const x = a[ai]!, y = b[bi]!;
    if (y === 0) { o[oi + i] = o instanceof Float32Array ? NaN : 0; continue; }
    let r = x % y;
    if (r !== 0 && (r < 0) !== (y < 0)) r += y;
    o[oi + i] = r;
  }
}

export const floorMod = binaryKernel({ fusedActivation: false, float: floorModRun, int32: floorModRun });
