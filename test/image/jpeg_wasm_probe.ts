// Run as a child process by jpeg_wasm.test.ts. Mode 'no-webassembly': deletes WebAssembly from the global, decodes
// with backend 'auto' and asks for 'wasm'. Mode 'no-compile': forbids compiling (as workerd does), decodes, then
// creates an interpreter with a kernels module compiled beforehand (as a worker passes the packaged kernels.wasm)
// and decodes again. Prints one JSON line: the stages used and checksums of the decoded pixels.
import fs from 'node:fs';

const mode = process.argv[2];
let fullModule: WebAssembly.Module | null = null;
if (mode === 'no-webassembly') {
  delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
} else {
  const { kernelsModuleBytes } = await import('../../kernels/wasm/runtime.js');
  fullModule = new WebAssembly.Module(kernelsModuleBytes());
  WebAssembly.Module = new Proxy(WebAssembly.Module, {
    construct(): never {
      throw new WebAssembly.CompileError('Wasm code generation disallowed by embedder');
    },
  });
}
const { decodeJpegPixels } = await import('../../src/image/jpeg/index.js');
const { jpegBackendInUse } = await import('../../src/image/jpeg/wasm.js');
const { encodeJpeg } = await import('./helpers.js');
const { synthPhoto } = await import('./jpeg_tools.js');

const gray = new Uint8Array(fs.readFileSync(new URL('../../fixtures/images/jpeg_gray.jpg', import.meta.url)));
const ppm = synthPhoto(64, 48);
const colour = encodeJpeg(ppm.subarray(ppm.length - 64 * 48 * 3), 64, 48, 90);
const sums = (): number[] => [gray, colour].map((b) => Array.from(decodeJpegPixels(b).data)
  .reduce((a, v, i) => (a + v * (i + 1)) % 1000003, 0));

if (mode === 'no-webassembly') {
  let error = '';
  try {
    decodeJpegPixels(gray, { backend: 'wasm' });
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  console.log(JSON.stringify({ backend: jpegBackendInUse('auto'), sums: sums(), error }));
} else {
  const before = jpegBackendInUse('auto');
  const s = sums();
  const { Interpreter } = await import('../../src/interpreter.js');
  const model = new Uint8Array(fs.readFileSync(new URL('../../fixtures/embedder.tflite', import.meta.url)));
  Interpreter.create(model, { wasmModule: fullModule! });
  console.log(JSON.stringify({ before, after: jpegBackendInUse('auto'), sums: s, sumsAfter: sums() }));
}
