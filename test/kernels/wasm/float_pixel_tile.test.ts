import { describe, expect, it } from 'vitest';
import type { Conv2DOptions } from '../../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import { PIXEL_TILE_MIN_PIXELS, SPARSE_MIN_ZERO_FRACTION } from '../../../kernels/wasm/float/conv_2d.js';
import { allocSpmmScratch, packPixelTileWeights, packSparseWeights } from '../../../kernels/wasm/float/pixel_tile.js';
import { createWasmRuntime } from '../../../kernels/wasm/runtime.js';
import type { Interpreter } from '../../../src/interpreter.js';
import { randArray, rng } from '../../helpers/naive_float.js';
import { runOpInterpreter } from '../../helpers/run_op.js';
import { floatMismatch } from './twin.js';

const F32 = TensorType.FLOAT32;

/** n x k weights with about `zeros` of them exactly zero (some whole rows zero, some rows dense). */
function sparseWeights(r: () => number, n: number, k: number, zeros: number): Float32Array {
  const w = randArray(r, n * k);
  for (let j = 0; j < n; j++) {
    const rowZeros = j % 7 === 3 ? 1 : j % 7 === 5 ? 0 : zeros;
    for (let kk = 0; kk < k; kk++) if (r() < rowZeros) w[j * k + kk] = 0;
  }
  return w;
}

describe('the pixel-tile 1x1 kernels against a float64 sum', () => {
  it.each([
    ['f32_spmm_16', true], ['f32_conv1x1_px16', false],
  ])('%s: every M remainder of the 16-pixel tile, K and N remainders of the 4x4 transposes, odd N, strided rows, clamps', (name, sparse) => {
    const rt = createWasmRuntime('wasm')!;
    const r = rng(sparse ? 404 : 405);
    const kernel = rt.fn(name);
    for (let t = 0; t < 150; t++) {
      rt.reset();
      const m = 1 + Math.floor(r() * 40), k = 1 + Math.floor(r() * (t % 3 ? 13 : 70)), n = 1 + Math.floor(r() * 19);
      const lda = k + (t % 4 === 0 ? 3 : 0), ldc = n + (t % 5 === 0 ? 2 : 0);
      const a = randArray(r, m * lda), w = sparseWeights(r, n, k, r()), bias = t % 2 ? randArray(r, n) : null;
      const [lo, hi] = t % 3 === 0 ? [-0.5, 0.75] : [-Infinity, Infinity];
      const [xt, ct] = allocSpmmScratch(rt, k, n);
      const wp = sparse ? packSparseWeights(rt, n, k, w, 0, k, bias, 0, xt) : packPixelTileWeights(rt, n, k, w, 0, k, bias, 0);
      const ap = rt.alloc(m * lda * 4), cp = rt.alloc(m * ldc * 4 + 4), clamp = rt.alloc(8);
      rt.f32(ap, m * lda).set(a);
      rt.f32(clamp, 2).set([lo, hi]);
      const guard = 1234.5;
      rt.f32(cp, m * ldc + 1).fill(guard);
      kernel(m, n, k, ap, lda * 4, wp, cp, ldc * 4, clamp, xt, ct);
      const c = rt.f32(cp, m * ldc + 1);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ldc; j++) {
          const got = c[i * ldc + j]!;
          if (j >= n) {
            expect(got, `m=${m} k=${k} n=${n}: column ${j} past n untouched`).toBe(guard);
            continue;
          }
          let s = bias ? bias[j]! : 0;
          for (let kk = 0; kk < k; kk++) s += a[i * lda + kk]! * w[j * k + kk]!;
          const want = Math.min(hi, Math.max(lo, s));
          expect(Math.abs(got - want), `m=${m} k=${k} n=${n} C[${i}][${j}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
        }
      }
      expect(c[m * ldc], 'nothing written past the last row').toBe(guard);
    }
  });
});

/** Which path the SIMD CONV_2D took for the model's only node (white-box: the plan under the type dispatch). */
function convPath(it: Interpreter): string | undefined {
  const node = (it as unknown as { nodes: { data: { data: { simd: { path?: string } | null } } }[] }).nodes[0]!;
  return node.data.data.simd?.path;
}

function conv1x1(r: () => number, batch: number, h: number, w: number, cin: number, cout: number, filter: Float32Array,
  act: Act, bias: boolean, pad: Padding) {
  const o: Conv2DOptions = {
    kind: 'Conv2DOptions', padding: pad, strideH: 1, strideW: 1, fusedActivationFunction: act, dilationHFactor: 1,
    dilationWFactor: 1,
  };
  return {
    op: BuiltinOperator.CONV_2D, options: o,
    inputs: [
      { type: F32, shape: [batch, h, w, cin], data: randArray(r, batch * h * w * cin) },
      { type: F32, shape: [cout, 1, 1, cin], data: filter, constant: true },
      bias ? { type: F32, shape: [cout], data: randArray(r, cout), constant: true } : null,
    ],
    outputs: [{ type: F32 }],
  };
}

describe('CONV_2D 1x1 on the pixel-tile kernels equals the typed-array kernel', () => {
  const acts = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];

  it.each([['sparse'], ['pixels']])('%s: odd pixel counts, batch 2, every activation, with and without bias', (path) => {
    const r = rng(path === 'sparse' ? 505 : 506);
    for (let t = 0; t < 40; t++) {
      const batch = t % 6 === 0 ? 2 : 1, h = 4 + Math.floor(r() * 9), w = 8 + Math.floor(r() * 9);
      const cin = 1 + Math.floor(r() * 40), cout = 1 + Math.floor(r() * 40);
      let filter: Float32Array;
      if (path === 'sparse') {
        const zeros = t % 4 === 0 ? 1 : SPARSE_MIN_ZERO_FRACTION + 0.1 + r() * 0.25;
        filter = sparseWeights(r, cout, cin, zeros);
        // Hold the zero fraction at the threshold whatever the per-row variation gave.
        while (filter.filter((v) => v === 0).length < SPARSE_MIN_ZERO_FRACTION * filter.length) filter = sparseWeights(r, cout, cin, 0.95);
      } else {
        filter = randArray(r, cout * cin).map((v) => v || 0.5);
      }
      const c = conv1x1(r, batch, h, w, cin, cout, filter, acts[t % 4]!, t % 3 !== 0, t % 2 ? Padding.SAME : Padding.VALID);
      const label = `x=[${batch},${h},${w},${cin}] cout=${cout} act=${Act[acts[t % 4]!]}`;
      const js = runOpInterpreter(c, { backend: 'js' }), wasm = runOpInterpreter(c, { backend: 'wasm' });
      expect(convPath(wasm), label).toBe(path);
      expect(floatMismatch(wasm.outputs[0]!.data as Float32Array, js.outputs[0]!.data as Float32Array), label).toBeNull();
    }
  });

  it(`below ${PIXEL_TILE_MIN_PIXELS} pixels the GEMM keeps the node`, () => {
    const r = rng(606);
    const wasm = runOpInterpreter(conv1x1(r, 1, 3, 5, 8, 8, sparseWeights(r, 8, 8, 0.9), Act.NONE, false, Padding.VALID), { backend: 'wasm' });
    expect(convPath(wasm)).toBe('direct');
  });
});

describe('other convolutions on the pixel-tile IGEMM equal the typed-array kernel', () => {
  it('filters, strides, dilations, both paddings, channel remainders of the 4x4 gather, groups, batch 2', () => {
    const r = rng(707);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const acts = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];
    let pixelTile = 0;
    for (let t = 0; t < 60; t++) {
      const kh = pick([1, 2, 3, 5]), kw = pick([1, 3, 5]), groups = t % 8 === 0 ? pick([2, 3]) : 1;
      const sh = pick([1, 2]), sw = pick([1, 2]), dh = t % 5 === 0 ? 2 : 1, dw = t % 6 === 0 ? 2 : 1;
      const h = 10 + Math.floor(r() * 12), w = 10 + Math.floor(r() * 12);
      const fin = 1 + Math.floor(r() * 9), cin = groups * fin, cout = groups * (1 + Math.floor(r() * 13));
      const batch = t % 7 === 0 ? 2 : 1;
      const o: Conv2DOptions = {
        kind: 'Conv2DOptions', padding: t % 2 ? Padding.SAME : Padding.VALID, strideH: sh, strideW: sw,
        fusedActivationFunction: acts[t % 4]!, dilationHFactor: dh, dilationWFactor: dw,
      };
      const c = {
        op: BuiltinOperator.CONV_2D, version: groups > 1 ? 6 : 1, options: o,
        inputs: [
          { type: F32, shape: [batch, h, w, cin], data: randArray(r, batch * h * w * cin) },
          { type: F32, shape: [cout, kh, kw, fin], data: randArray(r, cout * kh * kw * fin), constant: true },
          t % 3 ? { type: F32, shape: [cout], data: randArray(r, cout), constant: true } : null,
        ],
        outputs: [{ type: F32 }],
      };
      const label = `x=[${batch},${h},${w},${cin}] f=[${cout},${kh},${kw},${fin}] s=${sh}x${sw} d=${dh}x${dw} g=${groups} p=${Padding[o.padding]}`;
      const js = runOpInterpreter(c, { backend: 'js' }), wasm = runOpInterpreter(c, { backend: 'wasm' });
      const path = convPath(wasm);
      const out = js.outputs[0]!.shape;
      const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1;
      if (!direct) expect(path, label).toBe(out[1]! * out[2]! >= PIXEL_TILE_MIN_PIXELS ? 'igemm_pixels' : 'igemm');
      if (path === 'igemm_pixels') pixelTile++;
      expect(floatMismatch(wasm.outputs[0]!.data as Float32Array, js.outputs[0]!.data as Float32Array), label).toBeNull();
    }
    expect(pixelTile).toBeGreaterThan(30);
  });
});
