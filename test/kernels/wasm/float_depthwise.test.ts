/**
 * SIMD DEPTHWISE_CONV_2D against the typed-array kernel through the interpreter (within 1e-5 relative): 3x3 and
 * 5x5 at strides 1 and 2, other filter sizes, dilation, both paddings on odd sizes (so every side pads), depth
 * multipliers, every fused activation, channel counts covering every remainder of the 8/4 tiles, batch 2.
 */
import { describe, expect, it } from 'vitest';
import type { DepthwiseConv2DOptions } from '../../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import { randArray, randInt, rng } from '../../helpers/naive_float.js';
import { expectTwin, runTwin } from './twin.js';

const F32 = TensorType.FLOAT32;
const ACTS = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];

interface Shape { batch: number; h: number; w: number; c: number; m: number; kh: number; kw: number; sh: number; sw: number; d: number; pad: Padding; act: Act; bias: boolean }

function dwCase(r: () => number, s: Shape, constantFilter = true) {
  const o: DepthwiseConv2DOptions = {
    kind: 'DepthwiseConv2DOptions', padding: s.pad, strideH: s.sh, strideW: s.sw, depthMultiplier: s.m,
    fusedActivationFunction: s.act, dilationHFactor: s.d, dilationWFactor: s.d,
  };
  const oc = s.c * s.m;
  return {
    op: BuiltinOperator.DEPTHWISE_CONV_2D, version: s.d > 1 ? 2 : 1, options: o,
    inputs: [
      { type: F32, shape: [s.batch, s.h, s.w, s.c], data: randArray(r, s.batch * s.h * s.w * s.c, 2) },
      { type: F32, shape: [1, s.kh, s.kw, oc], data: randArray(r, s.kh * s.kw * oc), constant: constantFilter },
      s.bias ? { type: F32, shape: [oc], data: randArray(r, oc), constant: true } : null,
    ],
    outputs: [{ type: F32 }],
  };
}

const label = (s: Shape) => `x=[${s.batch},${s.h},${s.w},${s.c}] f=[1,${s.kh},${s.kw},${s.c * s.m}] s=${s.sh}x${s.sw} d=${s.d} ` +
  `p=${Padding[s.pad]} act=${Act[s.act]}${s.bias ? '' : ' no-bias'}`;

describe('SIMD DEPTHWISE_CONV_2D against the typed-array kernel', () => {
  it('3x3 and 5x5, stride 1 and 2, both paddings, every channel remainder', () => {
    const r = rng(31);
    for (const k of [3, 5]) {
      for (const st of [1, 2]) {
        for (const c of [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 19, 24]) {
          const s: Shape = { batch: 1, h: 9 + (c % 3), w: 8 + (c % 4), c, m: 1, kh: k, kw: k, sh: st, sw: st, d: 1, pad: c % 2 ? Padding.SAME : Padding.VALID, act: ACTS[c % 4]!, bias: c !== 7 };
          expectTwin(dwCase(r, s), label(s));
        }
      }
    }
  });

  it('seeded random shapes: filter sizes, dilation, multipliers, activations, batch 2', () => {
    const r = rng(32);
    for (let t = 0; t < 60; t++) {
      const kh = randInt(r, 1, 5), kw = t % 3 === 0 ? kh : randInt(r, 1, 5), d = t % 4 === 1 ? 2 : 1;
      const pad = t % 2 === 0 ? Padding.SAME : Padding.VALID;
      const s: Shape = {
        batch: t % 9 === 0 ? 2 : 1, h: randInt(r, (kh - 1) * d + 1, 13), w: randInt(r, (kw - 1) * d + 1, 13), c: randInt(r, 1, 20),
        m: t % 5 === 2 ? randInt(r, 2, 6) : 1, kh, kw, sh: randInt(r, 1, 2), sw: randInt(r, 1, 3), d, pad, act: ACTS[t % 4]!, bias: t % 6 !== 0,
      };
      expectTwin(dwCase(r, s), label(s));
    }
  });

  it('a filter computed at run time stays with the typed-array kernel', () => {
    const r = rng(33);
    const s: Shape = { batch: 1, h: 6, w: 6, c: 4, m: 1, kh: 3, kw: 3, sh: 1, sw: 1, d: 1, pad: Padding.SAME, act: Act.NONE, bias: true };
    const res = runTwin(dwCase(r, s, false), false);
    expect(res.wasm).toEqual(res.js);
  });
});
