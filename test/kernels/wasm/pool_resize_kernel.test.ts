/**
 * The pooling, MEAN and bilinear micro-kernels called directly, against the typed-array loops (pools: the same
 * float32 sums, so equal) and naive definitions: windows clipped on every side, strides, channel tails.
 */
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, Padding } from '../../../schema/enums.js';
import { convGeometry } from '../../../kernels/internal/conv_geometry.js';
import { floatActivationRange } from '../../../kernels/internal/activation.js';
import { poolFloat } from '../../../kernels/internal/pool.js';
import { bilinearTable } from '../../../kernels/resize_bilinear.js';
import { f32PoolSource } from '../../../kernels/wasm/float/pool.js';
import { f32ResizeSource, IBILINEAR_ENTRY, writeBilinearTable } from '../../../kernels/wasm/float/resize.js';
import { firstMismatch, randArray, randInt, rng } from '../../helpers/naive_float.js';
import { KernelMemory } from './kernel_memory.js';

describe('f32 pooling micro-kernels', () => {
  const km = new KernelMemory([f32PoolSource, f32ResizeSource]);

  it('max and average pools equal the typed-array loops on seeded random windows', () => {
    const r = rng(9);
    const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
    for (let t = 0; t < 100; t++) {
      const H = randInt(r, 1, 12), W = randInt(r, 1, 12), C = randInt(r, 1, 21);
      const fH = t % 10 === 0 ? H : randInt(r, 1, 4), fW = t % 10 === 0 ? W : randInt(r, 1, 4);
      const padding = t % 10 === 0 ? Padding.VALID : t % 2 === 0 ? Padding.SAME : Padding.VALID;
      if (padding === Padding.VALID && (fH > H || fW > W)) continue;
      const g = convGeometry({ inputShape: [1, H, W, C], filterH: fH, filterW: fW, outC: C, strideH: randInt(r, 1, 3), strideW: randInt(r, 1, 3), padding });
      const range = floatActivationRange(acts[t % 4]!)!;
      const x = randArray(r, H * W * C, 4);
      const isMax = t % 3 === 0;
      const want = new Float32Array(g.outH * g.outW * C);
      poolFloat(x, want, { geo: g, range: Float64Array.of(range.min, range.max) }, isMax);
      const xp = km.putF32(x), yp = km.alloc(want.length * 4);
      km.exports[isMax ? 'f32_maxpool' : 'f32_avgpool']!(xp, yp, H, W, C, g.outH, g.outW, fH, fW, g.strideH, g.strideW, g.padTop, g.padLeft, km.pair(range.min, range.max));
      const label = `${isMax ? 'max' : 'avg'} x=[${H},${W},${C}] f=${fH}x${fW} s=${g.strideH}x${g.strideW} p=${Padding[padding]}`;
      expect(Array.from(km.f32(yp, want.length)), label).toEqual(Array.from(want));
      expect(new Uint32Array(km.memory.buffer, yp + want.length * 4, 4).every((v) => v === 0xffffffff), `${label}: tail`).toBe(true);
    }
  });

  it('mean over pixels sums in float64', () => {
    const r = rng(10);
    for (const [P, C] of [[1, 1], [49, 3], [7, 4], [5, 9], [64, 17], [4096, 16]] as const) {
      const x = randArray(r, P * C, 5);
      const want = new Float32Array(C);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let q = 0; q < P; q++) s += x[q * C + c]!;
        want[c] = s / P;
      }
      const xp = km.putF32(x), yp = km.alloc(C * 4);
      km.exports.f32_mean_pixels!(xp, yp, P, C, P);
      expect(Array.from(km.f32(yp, C)), `pixels=${P} C=${C}`).toEqual(Array.from(want));
      expect(new Uint32Array(km.memory.buffer, yp + C * 4, 4).every((v) => v === 0xffffffff)).toBe(true);
    }
  });

  it('bilinear resize against the typed-array definition', () => {
    const r = rng(11);
    for (let t = 0; t < 40; t++) {
      const H = randInt(r, 1, 9), W = randInt(r, 1, 9), C = randInt(r, 1, 19), OH = randInt(r, 1, 20), OW = randInt(r, 1, 20);
      const align = t % 3 === 1 && OH > 1 && OW > 1, half = t % 3 === 2;
      const ys = bilinearTable(H, OH, align, half), xs = bilinearTable(W, OW, align, half);
      const x = randArray(r, H * W * C, 3);
      const want = new Float64Array(OH * OW * C);
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          const dy = ys.w[oy]!, dx = xs.w[ox]!;
          for (let c = 0; c < C; c++) {
            const at = (iy: number, ix: number) => x[(iy * W + ix) * C + c]!;
            want[(oy * OW + ox) * C + c] = at(ys.lo[oy]!, xs.lo[ox]!) * (1 - dy) * (1 - dx) + at(ys.hi[oy]!, xs.lo[ox]!) * dy * (1 - dx) +
              at(ys.lo[oy]!, xs.hi[ox]!) * (1 - dy) * dx + at(ys.hi[oy]!, xs.hi[ox]!) * dy * dx;
          }
        }
      }
      const ytab = km.alloc(OH * IBILINEAR_ENTRY), xtab = km.alloc(OW * IBILINEAR_ENTRY);
      writeBilinearTable(new DataView(km.memory.buffer, ytab, OH * IBILINEAR_ENTRY), ys, W * C * 4);
      writeBilinearTable(new DataView(km.memory.buffer, xtab, OW * IBILINEAR_ENTRY), xs, C * 4);
      const xp = km.putF32(x), yp = km.alloc(want.length * 4);
      km.exports.f32_ibilinear!(xp, yp, C, OH, OW, ytab, xtab);
      const label = `[${H},${W},${C}] -> ${OH}x${OW} align=${align} half=${half}`;
      expect(firstMismatch(km.f32(yp, want.length), want, 1e-5, 1e-6), label).toBe(-1);
      expect(new Uint32Array(km.memory.buffer, yp + want.length * 4, 4).every((v) => v === 0xffffffff), `${label}: tail`).toBe(true);
    }
  });
});
