/**
 * The 1x1 convolution kernels side by side on the same pixels and weights, for the channel shapes of MobileNet-style
 * models: the register-blocked GEMM (gemm.ts), the dense pixel-tile kernel and its sparse form (pixel_tile.ts) over a
 * sweep of zero fractions. Prints time ratios to the GEMM; PIXEL_TILE_MIN_PIXELS and SPARSE_MIN_ZERO_FRACTION in
 * kernels/wasm/float/conv_2d.ts are set from them. Run: npx tsx bench/sparse_conv.ts [--runs N]
 */
import { performance } from 'node:perf_hooks';
import { allocSpmmScratch, packPixelTileWeights, packSparseWeights } from '../kernels/wasm/float/pixel_tile.js';
import { allocZeroRow, buildIndirection, chooseMR, packGemmWeights } from '../kernels/wasm/float/pack.js';
import { convGeometry } from '../kernels/internal/conv_geometry.js';
import { Padding } from '../schema/enums.js';
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
console.log(`time / GEMM time, median of ${runs} (below 1: faster than the GEMM); 'zeros f': sparse kernel, 'px16 dense': dense pixel-tile kernel`);
console.log(`${'m x k -> n'.padEnd(18)}${fractions.map((f) => `zeros ${f}`.padStart(11)).join('')}${'px16 dense'.padStart(12)}`);
for (const [m, k, n] of shapes as [number, number, number][]) {
  const cells: string[] = [];
  let pxCell = '';
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
    if (zf === 0) {
      const px = packPixelTileWeights(rt, n, k, w, 0, k, null, 0);
      const conv1x1 = rt.fn('f32_conv1x1_px16');
      const tp = median(() => conv1x1(m, n, k, a, k * 4, px, c, n * 4, clamp, xt, ct));
      pxCell = `${(tp / td).toFixed(2)}`.padStart(12);
    }
  }
  console.log(`${`${m} x ${k} -> ${n}`.padEnd(18)}${cells.join('')}${pxCell}`);
}

// Convolutions through the indirection buffer: the IGEMM against the pixel-tile IGEMM.
const convs: [string, number, number, number, number, number, number][] = [
  // name, in H=W, inC, outC, filter, stride, pad (SAME)
  ['first layer 3x3 s2, 3 -> 32', 194, 3, 32, 3, 2, 0],
  ['first layer 3x3 s2, 3 -> 16', 128, 3, 16, 3, 2, 1],
  ['3x3 s1, 32 -> 32 at 48x48', 48, 32, 32, 3, 1, 1],
  ['3x3 s2, 64 -> 64 at 24x24', 24, 64, 64, 3, 2, 1],
  ['3x3 s1, 128 -> 128 at 12x12', 12, 128, 128, 3, 1, 1],
  ['5x5 s1, 16 -> 24 at 32x32', 32, 16, 24, 5, 1, 1],
];
console.log(`\ntime / IGEMM time, median of ${runs}`);
for (const [name, hw, inC, outC, fs, st, same] of convs) {
  rt.reset();
  const r = lcg(hw + inC + outC);
  const g = convGeometry({
    inputShape: [1, hw, hw, inC], filterH: fs, filterW: fs, outC, strideH: st, strideW: st, padding: same ? Padding.SAME : Padding.VALID,
  });
  const k = fs * fs * inC, m = g.outH * g.outW;
  const w = new Float32Array(outC * k).map(() => r() - 0.5);
  const a = rt.alloc(hw * hw * inC * 4), c = rt.alloc(m * outC * 4), clamp = rt.alloc(8);
  rt.f32(a, hw * hw * inC).forEach((_, i, v) => { v[i] = r() - 0.5; });
  rt.f32(clamp, 2).set([-Infinity, Infinity]);
  const zero = allocZeroRow(rt, inC);
  const mr = chooseMR(m);
  const ind = buildIndirection(rt, g, mr, zero), ind16 = buildIndirection(rt, g, 16, zero);
  const dense = packGemmWeights(rt, outC, k, w, 0, k, null, 0);
  const px = packPixelTileWeights(rt, outC, k, w, 0, k, null, 0);
  const [xt, ct] = allocSpmmScratch(rt, k, outC);
  const igemm = rt.fn(`f32_igemm_${mr}x8`), igemmPx = rt.fn('f32_igemm_px16');
  const ti = median(() => igemm(m, outC, inC, fs * fs, ind, a, zero, dense, c, outC * 4, clamp));
  const tp = median(() => igemmPx(m, outC, inC, fs * fs, ind16, a, zero, px, c, outC * 4, clamp, xt, ct));
  console.log(`${name.padEnd(32)}${(tp / ti).toFixed(2).padStart(6)}   (IGEMM ${ti.toFixed(3)} ms)`);
}
