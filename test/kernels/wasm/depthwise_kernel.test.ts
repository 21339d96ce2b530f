/**
 * The depthwise micro-kernels called directly on their own memory, against the naive reference: every tap count
 * (unrolled 4/9/25 and the generic loop), channel remainders of every tile, stride, dilation, padding, multiplier,
 * fused activations, and the rebase of the indirection buffer.
 */
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, Padding } from '../../../schema/enums.js';
import { convGeometry } from '../../../kernels/internal/conv_geometry.js';
import { floatActivationRange } from '../../../kernels/internal/activation.js';
import { f32DepthwiseSource } from '../../../kernels/wasm/float/depthwise.js';
import {
  dwconvIndirectionLength, dwconvMultWeightFloats, dwconvWeightFloats, fillDwconvIndirection, packDwconvMultWeights,
  packDwconvWeights,
} from '../../../kernels/wasm/float/depthwise_pack.js';
import { dwconvKernelName } from '../../../kernels/wasm/float/depthwise.js';
import { firstMismatch, naiveDepthwise, randArray, randInt, rng } from '../../helpers/naive_float.js';
import { KernelMemory } from './kernel_memory.js';

interface Case { H: number; W: number; C: number; m: number; KH: number; KW: number; sH: number; sW: number; d: number; padding: Padding; act: Act; bias: boolean }

function runCase(km: KernelMemory, c: Case, seed: number, rebase: boolean, kernel?: string): void {
  const r = rng(seed);
  const { H, W, C, m, KH, KW, sH, sW, d, padding, act } = c;
  const O = C * m, K = KH * KW;
  const x = randArray(r, H * W * C, 2), f = randArray(r, K * O), bias = c.bias ? randArray(r, O) : null;
  const g = convGeometry({ inputShape: [1, H, W, C], filterH: KH, filterW: KW, outC: O, strideH: sH, strideW: sW, dilationH: d, dilationW: d, padding });
  const range = floatActivationRange(act)!;
  const xp = km.putF32(x);
  const zero = km.alloc(Math.ceil(C / 8) * 32, 0);
  const wFloats = m === 1 ? dwconvWeightFloats(C, K) : dwconvMultWeightFloats(C, m, K);
  const wp = km.alloc(wFloats * 4, 0);
  if (m === 1) packDwconvWeights(km.f32(wp, wFloats), f, bias, C, K);
  else packDwconvMultWeights(km.f32(wp, wFloats), f, bias, C, m, K);
  const n = dwconvIndirectionLength(g);
  const ind = km.alloc(n * 4);
  const pixels = g.outH * g.outW;
  const yp = km.alloc(pixels * O * 4);
  if (rebase) {
    // Built for a provisional base, then moved to the real input.
    fillDwconvIndirection(km.i32(ind, n), g, zero + 64, zero);
    km.exports.f32_dwconv_rebase!(ind, n, xp - (zero + 64), zero);
  } else {
    fillDwconvIndirection(km.i32(ind, n), g, xp, zero);
  }
  if (m === 1) km.exports[kernel ?? dwconvKernelName(K)]!(C, pixels, ind, wp, yp, km.pair(range.min, range.max), K);
  else km.exports.f32_dwconv_mult!(C, m, K, pixels, ind, wp, yp, km.pair(range.min, range.max));
  const y = km.f32(yp, pixels * O);
  const ref = naiveDepthwise(x, [1, H, W, C], f, [1, KH, KW, O], bias, { strideH: sH, strideW: sW, dilationH: d, dilationW: d, padding, act });
  const label = `${kernel ?? ''} x=[1,${H},${W},${C}] f=[1,${KH},${KW},${O}] s=${sH}x${sW} d=${d} p=${Padding[padding]} act=${Act[act]}`;
  expect(ref.shape, label).toEqual([1, g.outH, g.outW, O]);
  expect(firstMismatch(y, ref.data), label).toBe(-1);
  // Nothing written past the output.
  expect(new Uint32Array(km.memory.buffer, yp + pixels * O * 4, 4).every((v) => v === 0xffffffff), `${label}: tail`).toBe(true);
}

describe('f32 depthwise micro-kernels', () => {
  const km = new KernelMemory([f32DepthwiseSource]);
  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];

  it('every channel remainder of the 8/4 tiles, for each unrolled tap count and the generic one', () => {
    let seed = 1;
    for (const [KH, KW] of [[3, 3], [5, 5], [2, 2], [1, 3], [3, 2], [7, 7]] as const) {
      for (let C = 1; C <= 17; C++) {
        runCase(km, { H: 7, W: 6, C, m: 1, KH, KW, sH: 1, sW: 1, d: 1, padding: Padding.SAME, act: acts[C % 4]!, bias: C % 5 !== 0 }, seed++, false);
      }
    }
  });

  it('one-pixel and two-pixel kernels at 9 and 25 taps, odd and even pixel counts', () => {
    let seed = 500;
    for (const k of [3, 5]) {
      for (const name of [`f32_dwconv_${k * k}`, `f32_dwconv_${k * k}x2`]) {
        for (const [H, W, C] of [[1, 1, 8], [1, 3, 5], [3, 3, 16], [4, 5, 13], [5, 5, 24], [2, 7, 3]] as const) {
          runCase(km, { H, W, C, m: 1, KH: k, KW: k, sH: 1, sW: 1, d: 1, padding: Padding.SAME, act: acts[C % 4]!, bias: true }, seed++, false, name);
        }
      }
    }
  });

  it('seeded random shapes: stride, dilation, padding, multiplier, activation', () => {
    const r = rng(777);
    for (let t = 0; t < 120; t++) {
      const square = t % 3;
      const KH = square === 0 ? 3 : square === 1 ? 5 : randInt(r, 1, 4), KW = square === 2 ? randInt(r, 1, 4) : KH;
      const d = t % 4 === 1 ? randInt(r, 2, 3) : 1;
      const padding = t % 2 === 0 ? Padding.SAME : Padding.VALID;
      const H = randInt(r, (KH - 1) * d + 1, 14), W = randInt(r, (KW - 1) * d + 1, 14);
      const m = t % 5 === 4 ? randInt(r, 2, 9) : 1;
      const c: Case = {
        H, W, C: randInt(r, 1, 40), m, KH, KW, sH: randInt(r, 1, 2), sW: randInt(r, 1, 3), d, padding,
        act: acts[t % 4]!, bias: t % 7 !== 0,
      };
      runCase(km, c, 1000 + t, t % 2 === 1);
    }
  });
});
