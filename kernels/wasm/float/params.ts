/**
 * Float parameters of a node (clamp bounds, LEAKY_RELU's alpha) are written into wasm memory at prepare and the
 * kernels receive their address. Why not f32 arguments: until V8 has optimised a kernel's eval (which takes many
 * invokes for a node type that runs a few times per invoke), every double read from the plan and passed to the
 * call is a fresh heap number, so invoke would allocate; an address is a small integer.
 */
import type { WasmRuntime } from '../runtime.js';

/** The address of two f32 values `a`, `b` in wasm memory. */
export function f32Pair(rt: WasmRuntime, a: number, b: number): number {
  const ptr = rt.alloc(8);
  const v = rt.f32(ptr, 2);
  v[0] = a;
  v[1] = b;
  return ptr;
}
