// Writes dist/kernels.wasm: the SIMD kernels module, built by the same TypeScript (compiled to dist/ by tsc) that
// builds it at run time. Run by `npm run build` (and `prepare`) after tsc. Runtimes that forbid compiling
// WebAssembly at run time (workerd, CSP without 'wasm-unsafe-eval') import it as `embedlite/kernels.wasm` and
// pass it as the `wasmModule` option. Never committed.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const { buildKernelModuleBytes } = await import('../dist/kernels/wasm/module.js');
const bytes = buildKernelModuleBytes();
if (!WebAssembly.validate(bytes)) throw new Error('the kernels module does not validate');
const out = fileURLToPath(new URL('../dist/kernels.wasm', import.meta.url));
fs.writeFileSync(out, bytes);
// stderr: npm pack --json runs prepare and must keep stdout pure JSON.
console.error(`wrote ${out} (${bytes.length} bytes)`);
