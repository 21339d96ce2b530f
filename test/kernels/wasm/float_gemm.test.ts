import { describe, it } from 'vitest';
import type { Conv2DOptions, FullyConnectedOptions } from '../../../schema/builtin_options.js';
import {
  ActivationFunctionType as Act, BuiltinOperator, FullyConnectedWeightsFormat, Padding, TensorType,
} from '../../../schema/enums.js';
import { randArray, rng } from '../../helpers/naive_float.js';
import { expectTwin } from './twin.js';

const F32 = TensorType.FLOAT32;
const ACTS = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];

function convCase(r: () => number, s: {
  batch: number; h: number; w: number; cin: number; cout: number; kh: number; kw: number; sh: number; sw: number;
  dh: number; dw: number; pad: Padding; act: Act; bias: boolean; groups?: number;
}) {
  const groups = s.groups ?? 1;
  const fin = s.cin / groups;
  const o: Conv2DOptions = {
    kind: 'Conv2DOptions', padding: s.pad, strideH: s.sh, strideW: s.sw, fusedActivationFunction: s.act,
    dilationHFactor: s.dh, dilationWFactor: s.dw,
  };
  return {
    op: BuiltinOperator.CONV_2D, version: groups > 1 ? 6 : 1, options: o,
    inputs: [
      { type: F32, shape: [s.batch, s.h, s.w, s.cin], data: randArray(r, s.batch * s.h * s.w * s.cin) },
      { type: F32, shape: [s.cout, s.kh, s.kw, fin], data: randArray(r, s.cout * s.kh * s.kw * fin), constant: true },
      s.bias ? { type: F32, shape: [s.cout], data: randArray(r, s.cout), constant: true } : null,
    ],
    outputs: [{ type: F32 }],
  };
}

describe('SIMD CONV_2D against the typed-array kernel', () => {
  const geometry = (s: Parameters<typeof convCase>[1]) =>
    `x=[${s.batch},${s.h},${s.w},${s.cin}] f=[${s.cout},${s.kh},${s.kw}] s=${s.sh}x${s.sw} d=${s.dh}x${s.dw} ` +
    `p=${Padding[s.pad]} act=${Act[s.act]}${s.groups ? ` g=${s.groups}` : ''}${s.bias ? '' : ' no-bias'}`;

  it('1x1 direct GEMM: every M and N remainder of the 6x8, 4x8 and 1x8 blocks, every K remainder of the 4-unroll', () => {
    const r = rng(101);
    for (const hw of [[1, 1], [1, 2], [1, 3], [2, 2], [1, 5], [2, 3], [1, 7], [3, 5], [4, 4]]) {
      for (const cout of [1, 3, 7, 8, 9, 16, 17]) {
        for (const cin of [1, 2, 3, 4, 5, 8, 13]) {
          const s = { batch: 1, h: hw[0]!, w: hw[1]!, cin, cout, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, pad: Padding.VALID, act: ACTS[(cin + cout) % 4]!, bias: cout % 3 !== 0 };
          expectTwin(convCase(r, s), geometry(s));
        }
      }
    }
  });

  it('IGEMM: filters, strides, dilations, both paddings, odd sizes, batch 2, groups, every activation', () => {
    const r = rng(202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let t = 0; t < 120; t++) {
      const kh = pick([1, 2, 3, 5]), kw = pick([1, 3, 5]);
      const groups = t % 10 === 0 ? pick([2, 3]) : 1;
      const s = {
        batch: t % 7 === 0 ? 2 : 1, h: 1 + Math.floor(r() * 11), w: 1 + Math.floor(r() * 11),
        cin: groups * (1 + Math.floor(r() * 9)), cout: groups * (1 + Math.floor(r() * 13)), kh, kw,
        sh: pick([1, 2, 3]), sw: pick([1, 2]), dh: t % 5 === 0 ? 2 : 1, dw: t % 6 === 0 ? 3 : 1,
        pad: pick([Padding.SAME, Padding.VALID]), act: pick(ACTS), bias: r() < 0.8, groups,
      };
      const effH = (kh - 1) * s.dh + 1, effW = (kw - 1) * s.dw + 1;
      if (s.pad === Padding.VALID && (s.h < effH || s.w < effW)) s.pad = Padding.SAME;
      expectTwin(convCase(r, s), geometry(s));
    }
  });
});

describe('SIMD FULLY_CONNECTED against the typed-array kernel', () => {
  it('batch (M) 1..13, units (N) and input size (K) across the block remainders, every activation', () => {
    const r = rng(303);
    for (const m of [1, 2, 3, 4, 5, 6, 7, 12, 13]) {
      for (const n of [1, 5, 8, 11, 24, 33]) {
        for (const k of [1, 3, 4, 7, 16, 61]) {
          const o: FullyConnectedOptions = {
            kind: 'FullyConnectedOptions', fusedActivationFunction: ACTS[(m + n + k) % 4]!,
            weightsFormat: FullyConnectedWeightsFormat.DEFAULT, keepNumDims: false, asymmetricQuantizeInputs: false,
          };
          expectTwin({
            op: BuiltinOperator.FULLY_CONNECTED, options: o,
            inputs: [
              { type: F32, shape: [m, k], data: randArray(r, m * k) },
              { type: F32, shape: [n, k], data: randArray(r, n * k), constant: true },
              (m + n) % 2 ? { type: F32, shape: [n], data: randArray(r, n), constant: true } : null,
            ],
            outputs: [{ type: F32 }],
          }, `m=${m} n=${n} k=${k}`);
        }
      }
    }
  });
});
