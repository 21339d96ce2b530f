/**
 * Micro-benchmark: the exact 64-bit doubling high multiply done with a 16-bit split multiply on doubles
 * (kernels/internal/quantization_util.ts) versus BigInt, plus a whole MultiplyByQuantizedMultiplier; the
 * requantize-and-clamp step of the convolution kernels (branchy clamp vs kernels/quantized/internal/requant.ts);
 * and GEMM inner loops (doubles vs int32 vs two channels per double).
 * Run: npx tsx bench/quant_util.ts
 */
import {
  REQUANT_STRIDE, multiplyByQuantizedMultiplier, saturatingRoundingDoublingHighMul, saturatingRoundingDoublingHighMulBigInt,
  setRequantChannel,
} from '../kernels/internal/quantization_util.js';
import { requantRun } from '../kernels/quantized/internal/requant.js';

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

// Requantize + clamp of conv accumulators (16 channels, RELU6-like clamp that random data hits half the time):
// (a) MultiplyByQuantizedMultiplier and an if/else clamp, per element; (b) requantRun (channel constants in locals,
// inline exact fast path, branch-free clampInt). Mispredicted clamp branches dominate (a) on real data.
{
  const C = 16, rows = N / C;
  const acc = new Float64Array(N).map((_, i) => ((xs[i]! >> 10) % 100000));
  const out = new Uint8Array(N);
  const mult = new Int32Array(C).map((_, c) => ms[c]!), bias = new Float64Array(C).map((_, c) => c * 37 - 200);
  const table = new Float64Array(C * REQUANT_STRIDE);
  for (let c = 0; c < C; c++) setRequantChannel(table, c, bias[c]!, mult[c]!, -9);
  const q = { table, outZeroPoint: 3, actMin: 0, actMax: 255 };
  const branchy = time('requant + if/else clamp (MBQM per element)', 100, () => {
    for (let i = 0; i < N; i++) {
      const c = i & (C - 1);
      let v = multiplyByQuantizedMultiplier(acc[i]! + bias[c]!, mult[c]!, -9) + 3;
      if (v < 0) v = 0;
      else if (v > 255) v = 255;
      out[i] = v;
    }
    return out[7]!;
  });
  const run = time('requantRun (hoisted constants, clampInt)', 100, () => {
    for (let c = 0; c < C; c++) requantRun(acc, c, C, rows, out, c, C, q, c);
    return out[7]!;
  });
  console.log(`requantRun is ${(branchy / run).toFixed(1)}x faster`);
}

// Inner-product loops of the integer GEMM, 56x56 pixels x K=64 x 64 channels (4 rows x 2 columns register block):
// (a) products summed in doubles, (b) Math.imul products summed in int32, (c) two channels packed per double
// (what kernels/quantized/internal/gemm.ts does).
{
  const P = 56 * 56, K = 64, NC = 64;
  const X = new Float64Array(P * K).map((_, i) => ((i * 7919) & 255) - 128);
  const Xi = Int32Array.from(X);
  const W = new Float64Array(NC * K).map((_, i) => ((i * 31) & 255) - 128);
  const Wi = Int32Array.from(W);
  const W2 = new Float64Array((NC / 2) * K);
  for (let c = 0; c < NC; c += 2) for (let k = 0; k < K; k++) W2[(c >> 1) * K + k] = W[c * K + k]! + W[(c + 1) * K + k]! * 134217728;
  const sink = new Float64Array(8);
  const runs: [string, () => void, number][] = [
    ['doubles', () => {
      for (let p = 0; p < P; p += 4) for (let c = 0; c < NC; c += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        const w0 = c * K, w1 = w0 + K, x0 = p * K;
        for (let k = 0; k < K; k++) {
          const u = W[w0 + k]!, v = W[w1 + k]!, b0 = X[x0 + k]!, b1 = X[x0 + K + k]!, b2 = X[x0 + 2 * K + k]!, b3 = X[x0 + 3 * K + k]!;
          a0 += b0 * u; a1 += b0 * v; a2 += b1 * u; a3 += b1 * v; a4 += b2 * u; a5 += b2 * v; a6 += b3 * u; a7 += b3 * v;
        }
        sink[0] += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
      }
    }, 1],
    ['int32 Math.imul', () => {
      for (let p = 0; p < P; p += 4) for (let c = 0; c < NC; c += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        const w0 = c * K, w1 = w0 + K, x0 = p * K;
        for (let k = 0; k < K; k++) {
          const u = Wi[w0 + k]!, v = Wi[w1 + k]!, b0 = Xi[x0 + k]!, b1 = Xi[x0 + K + k]!, b2 = Xi[x0 + 2 * K + k]!, b3 = Xi[x0 + 3 * K + k]!;
          a0 = (a0 + Math.imul(b0, u)) | 0; a1 = (a1 + Math.imul(b0, v)) | 0; a2 = (a2 + Math.imul(b1, u)) | 0; a3 = (a3 + Math.imul(b1, v)) | 0;
          a4 = (a4 + Math.imul(b2, u)) | 0; a5 = (a5 + Math.imul(b2, v)) | 0; a6 = (a6 + Math.imul(b3, u)) | 0; a7 = (a7 + Math.imul(b3, v)) | 0;
        }
        sink[1] += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
      }
    }, 1],
    ['doubles, 2 channels per double', () => {
      for (let p = 0; p < P; p += 4) for (let c = 0; c < NC / 2; c += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        const w0 = c * K, w1 = w0 + K, x0 = p * K;
        for (let k = 0; k < K; k++) {
          const u = W2[w0 + k]!, v = W2[w1 + k]!, b0 = X[x0 + k]!, b1 = X[x0 + K + k]!, b2 = X[x0 + 2 * K + k]!, b3 = X[x0 + 3 * K + k]!;
          a0 += b0 * u; a1 += b0 * v; a2 += b1 * u; a3 += b1 * v; a4 += b2 * u; a5 += b2 * v; a6 += b3 * u; a7 += b3 * v;
        }
        sink[2] += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
      }
    }, 1],
  ];
  for (const [name, f] of runs) {
    f(); f();
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) f();
    const ms = (performance.now() - t0) / 10;
    console.log(`GEMM ${name.padEnd(32)} ${ms.toFixed(2)} ms  ${((P * K * NC) / ms / 1e6).toFixed(2)} GMAC/s (effective)`);
  }
}
