/**
 * PRELU: FLOAT32, out = x >= 0 ? x : x * alpha, alpha broadcast against the input with TFLite rules
 * (output shape is the broadcast shape; mirrors reference_ops::BroadcastPrelu4DSlow, here up to 6-D).
 */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function preluRun(x: NumArray, xi: number, sx: number, alpha: NumArray, ai: number, sa: number,
  o: NumArray, oi: number, n: number): void {
  for (let i = 0; i < n; i++, xi += sx, ai += sa) {
    const v = x[xi]!;
    o[oi + i] = v >= 0 ? v : v * alpha[ai]!;
  }
}

export const prelu = binaryKernel({ fusedActivation: false, float: preluRun });
