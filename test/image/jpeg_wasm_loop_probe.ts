// Run as a child process (node --expose-gc) by jpeg_wasm.test.ts: decodes a JPEG many times in one synchronous loop
// (as a batch or the fuzzer does), intact and truncated, and prints one JSON line: how many ArrayBuffer bytes
// 300 more decodes left held after a full GC.
import fs from 'node:fs';

const { decodeImage } = await import('../../src/image/decode.js');
const bytes = new Uint8Array(fs.readFileSync(new URL('../../fixtures/demo/house.jpg', import.meta.url)));
const truncated = bytes.subarray(0, Math.floor(bytes.length * 0.6));
const gc = (globalThis as { gc?: () => void }).gc!;
const loop = (n: number): void => {
  for (let i = 0; i < n; i++) {
    try {
      decodeImage(i % 2 ? truncated : bytes);
    } catch { /* a truncated file may warn or fail: both end the decode */ }
  }
};
// After a first loop (the process's instance has grown to its size), 300 more decodes must hold nothing more.
loop(100);
gc();
const before = process.memoryUsage().arrayBuffers;
loop(300);
gc();
console.log(JSON.stringify({ grownBytes: process.memoryUsage().arrayBuffers - before }));
