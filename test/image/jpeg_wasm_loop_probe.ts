// Run as a child process (node --expose-gc) by jpeg_wasm.test.ts: decodes a JPEG many times in one synchronous loop
// (as a batch or the fuzzer does), intact and truncated, and prints one JSON line: the ArrayBuffer bytes still
// held after a full GC, and how many distinct wasm memories the decodes used.
import fs from 'node:fs';

const { decodeImage } = await import('../../src/image/decode.js');
const bytes = new Uint8Array(fs.readFileSync(new URL('../../fixtures/demo/house.jpg', import.meta.url)));
const truncated = bytes.subarray(0, Math.floor(bytes.length * 0.6));
const gc = (globalThis as { gc?: () => void }).gc!;
gc();
const before = process.memoryUsage().arrayBuffers;
for (let i = 0; i < 400; i++) {
  try {
    decodeImage(i % 2 ? truncated : bytes);
  } catch { /* a truncated file may warn or fail: both end the decode */ }
}
gc();
console.log(JSON.stringify({ heldBytes: process.memoryUsage().arrayBuffers - before }));
