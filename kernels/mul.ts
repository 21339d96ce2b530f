/** MUL: FLOAT32 and INT32 (wrapping, like int32 C++), TFLite broadcasting up to 6-D, fused activation (mirrors reference_ops::Mul / BroadcastMul6DSlow). */
import type { NumArray } from './internal/elementwise.js';
import { binaryKernel } from './internal/elementwise.js';

function mulFloat(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number, range: Float64Array): void {
  const lo = range[0]!, hi = range[1]!;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const v = a[ai]! * b[bi]!;
    o[oi + i] = v < lo ? lo : v > hi ? hi : v;
  }
}

// a*b in doubles loses low bits beyond 2^53; Math.imul gives the 32-bit wrapped product.
function mulInt32(a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number, range: Float64Array): void {
  const lo = range[0]!, hi = range[1]!;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const v = Math.imul(a[ai]!, b[bi]!);
    o[oi + i] = v < lo ? lo : v > hi ? hi : v;
  }
}

export const mul = binaryKernel({ fusedActivation: true, float: mulFloat, int32: mulInt32 });
