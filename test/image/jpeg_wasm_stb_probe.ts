// Run as a child process by jpeg_wasm_stb.test.ts: deletes WebAssembly from the global, decodes the JPEG files
// named on the command line with stb pixels (backend 'auto') and prints one JSON line: the stages used and
// checksums of the pixels.
import fs from 'node:fs';

delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
const { decodeJpegPixels } = await import('../../src/image/jpeg/index.js');
const { jpegBackendInUse } = await import('../../src/image/jpeg/wasm.js');

const sums = process.argv.slice(2).map((f) => Array.from(decodeJpegPixels(new Uint8Array(fs.readFileSync(f)), { variant: 'stb' }).data)
  .reduce((a, v, i) => (a + v * (i + 1)) % 1000003, 0));
console.log(JSON.stringify({ backend: jpegBackendInUse('auto'), sums }));
