/**
 * Micro-benchmark: the exact 64-bit doubling high multiply done with a 16-bit split multiply on doubles
 * (kernels/internal/quantization_util.ts) versus BigInt, plus a whole MultiplyByQuantizedMultiplier.
 * Run: npx tsx bench/quant_util.ts
 */
import {
  multiplyByQuantizedMultiplier, saturatingRoundingDoublingHighMul, saturatingRoundingDoublingHighMulBigInt,
} from '../kernels/internal/quantization_util.js';

const N = 1 << 16;
const xs = new Int32Array(N);
const ms = new Int32Array(N);
let seed = 12345;
for (let i = 0; i < N; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  xs[i] = seed >> 8; // accumulator-sized values
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  ms[i] = (1 << 30) + ((seed >>> 2) & 0x3fffffff);
}

function time(name: string, rounds: number, f: () => number): number {
  f(); f();
  const t0 = performance.now();
  let sink = 0;
  for (let r = 0; r < rounds; r++) sink += f();
  const ns = ((performance.now() - t0) * 1e6) / (rounds * N);
  console.log(`${name.padEnd(44)} ${ns.toFixed(2)} ns/op   (checksum ${sink})`);
  return ns;
}

const split = time('SRDHM split multiply (doubles)', 200, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s = (s + saturatingRoundingDoublingHighMul(xs[i]!, ms[i]!)) | 0;
  return s;
});
const big = time('SRDHM BigInt', 10, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s = (s + saturatingRoundingDoublingHighMulBigInt(xs[i]!, ms[i]!)) | 0;
  return s;
});
time('MultiplyByQuantizedMultiplier (shift -7)', 200, () => {
  let s = 0;
  for (let i = 0; i < N; i++) s = (s + multiplyByQuantizedMultiplier(xs[i]!, ms[i]!, -7)) | 0;
  return s;
});
console.log(`split multiply is ${(big / split).toFixed(1)}x faster than BigInt`);
