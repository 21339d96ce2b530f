// Run as a child process: deletes WebAssembly from the global, then creates interpreters on a small model.
// Prints one JSON line: the backend 'auto' chose, and the error 'wasm' gave.
delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
const { Interpreter } = await import('../../../src/interpreter.js');
const fs = await import('node:fs');
const bytes = new Uint8Array(fs.readFileSync(new URL('../../../fixtures/embedder.tflite', import.meta.url)));
const it = Interpreter.create(bytes, { backend: 'auto' });
it.invoke();
let error = '';
try {
  Interpreter.create(bytes, { backend: 'wasm' });
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
console.log(JSON.stringify({ backend: it.backend, output0: (it.output(0).data as Float32Array)[0], error }));
