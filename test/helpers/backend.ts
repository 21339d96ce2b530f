/**
 * The backend tests run on: EMBEDLITE_BACKEND=js|wasm|auto (default auto, i.e. WebAssembly SIMD in Node).
 * CI runs the suite once per backend; helpers that create interpreters pass `backend: testBackend()`.
 */
import type { Backend } from '../../kernels/kernel.js';
import { BACKENDS } from '../../kernels/kernel.js';

export function testBackend(): Backend {
  const b = (process.env.EMBEDLITE_BACKEND ?? 'auto') as Backend;
  if (!BACKENDS.includes(b)) throw new Error(`EMBEDLITE_BACKEND must be one of ${BACKENDS.join(', ')}, got '${b}'`);
  return b;
}
