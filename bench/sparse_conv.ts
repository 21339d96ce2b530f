/**
 * Where the sparse 1x1 convolution kernel (kernels/wasm/float/spmm.ts) beats the dense GEMM: both kernels on the
 * same pixels and weights, for a sweep of zero fractions and the channel shapes of pruned MobileNet-style models.
 * Prints the time ratio sparse / dense per shape and fraction; SPARSE_MIN_ZERO_FRACTION in conv_2d.ts is set
 * from it. Run: npx tsx bench/sparse_conv.ts [--runs N]
 */
import { performance } from 'node:perf_hooks';
import { allocSpmmScratch, packSparseWeights } from '../kernels/wasm/float/spmm.js';
import { chooseMR, packGemmWeights } from '../kernels/wasm/float/pack.js';
import { createWasmRuntime } from '../kernels/wasm/runtime.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;

function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 8) / (1 << 24);
}

function median(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[t.length >> 1]!;
}

const shapes = [[9216, 32, 8], [9216, 8, 32], [2304, 64, 16], [2304, 16, 64], [576, 128, 32], [576, 32, 128], [144, 192, 48], [36, 384, 96]];
const fractions = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const rt = createWasmRuntime('wasm')!;
console.log(`sparse / dense time, median of ${runs} (below 1: the sparse kernel is faster)`);
console.log(`${'m x k -> n'.padEnd(18)}${fractions.map((f) => `zeros ${f}`.padStart(11)).join('')}`);
for (const [m, k, n] of shapes as [number, number, number][]) {
  const cells: string[] = [];
  for (const zf of fractions) {
    rt.reset();
    const r = lcg(m + k + n);
    const w = new Float32Array(n * k).map(() => (r() < zf ? 0 : r() - 0.5));
    const a = rt.alloc(m * k * 4), c = rt.alloc(m * n * 4), clamp = rt.alloc(8);
    rt.f32(a, m * k).forEach((_, i, v) => { v[i] = r() - 0.5; });
    rt.f32(clamp, 2).set([-Infinity, Infinity]);
    const dense = packGemmWeights(rt, n, k, w, 0, k, null, 0);
    const [xt, ct] = allocSpmmScratch(rt, k, n);
    const sparse = packSparseWeights(rt, n, k, w, 0, k, null, 0, xt);
    const gemm = rt.fn(`f32_gemm_${chooseMR(m)}x8`), spmm = rt.fn('f32_spmm_16');
    const td = median(() => gemm(m, n, k, a, k * 4, dense, c, n * 4, clamp));
    const ts = median(() => spmm(m, n, k, a, k * 4, sparse, c, n * 4, clamp, xt, ct));
    cells.push(`${(ts / td).toFixed(2)}`.padStart(11));
  }
  console.log(`${`${m} x ${k} -> ${n}`.padEnd(18)}${cells.join('')}`);
}
