/**
 * SIMD kernels against their typed-array twins: the same one-op model run with backend 'js' and 'wasm'.
 * Float outputs must agree within 1e-5 relative (|w - j| <= 1e-5 * max(1, |j|)); the node must have run on wasm.
 */
import { expect } from 'vitest';
import { type OpCase, runOpInterpreter } from '../../helpers/run_op.js';

export interface TwinResult {
  js: Float32Array;
  wasm: Float32Array;
  shape: number[];
}

export function runTwin(c: OpCase, expectWasm = true): TwinResult {
  const js = runOpInterpreter(c, { backend: 'js' });
  const wasm = runOpInterpreter(c, { backend: 'wasm' });
  const timing = wasm.invokeProfiled();
  if (expectWasm) expect(timing.map((t) => t.backend), 'node ran on the wasm backend').toContain('wasm');
  expect(wasm.outputs[0]!.shape).toEqual(js.outputs[0]!.shape);
  return {
    js: Float32Array.from(js.outputs[0]!.data as Float32Array),
    wasm: Float32Array.from(wasm.outputs[0]!.data as Float32Array),
    shape: js.outputs[0]!.shape,
  };
}

/** Index and values of the first element outside tolerance, or null. */
export function floatMismatch(a: Float32Array, b: Float32Array, rel = 1e-5): string | null {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (Number.isNaN(x) !== Number.isNaN(y) || Math.abs(x - y) > rel * Math.max(1, Math.abs(y))) {
      return `element ${i}: wasm ${x} vs js ${y}`;
    }
  }
  return null;
}

export function expectTwin(c: OpCase, label: string): TwinResult {
  const r = runTwin(c);
  expect(floatMismatch(r.wasm, r.js), label).toBeNull();
  return r;
}
