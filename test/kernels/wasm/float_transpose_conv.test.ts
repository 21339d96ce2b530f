import { describe, it } from 'vitest';
import type { TransposeConvOptions } from '../../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import { randArray, randInt, rng } from '../../helpers/naive_float.js';
import { expectTwin } from './twin.js';

const F32 = TensorType.FLOAT32;
const ACTS = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];

describe('SIMD TRANSPOSE_CONV against the typed-array kernel', () => {
  it('filters 1..4, strides 1..3 (equal to the filter: the copy path), both paddings, batch 2, every activation', () => {
    const r = rng(404);
    for (let t = 0; t < 80; t++) {
      const B = t % 9 === 0 ? 2 : 1, H = randInt(r, 1, 9), W = randInt(r, 1, 9), C = randInt(r, 1, 13), O = randInt(r, 1, 11);
      const KH = randInt(r, 1, 4), KW = randInt(r, 1, 4);
      const exact = t % 3 === 0;
      const sH = exact ? KH : randInt(r, 1, 3), sW = exact ? KW : randInt(r, 1, 3);
      const padding = t % 2 === 0 ? Padding.SAME : Padding.VALID;
      const outH = padding === Padding.SAME ? H * sH - randInt(r, 0, sH - 1) : (H - 1) * sH + KH + randInt(r, 0, sH - 1);
      const outW = padding === Padding.SAME ? W * sW - randInt(r, 0, sW - 1) : (W - 1) * sW + KW + randInt(r, 0, sW - 1);
      const o: TransposeConvOptions = { kind: 'TransposeConvOptions', padding, strideH: sH, strideW: sW, fusedActivationFunction: ACTS[t % 4]! };
      const bias = t % 5 === 0 ? null : randArray(r, O);
      expectTwin({
        op: BuiltinOperator.TRANSPOSE_CONV, version: 4, options: o,
        inputs: [
          { type: TensorType.INT32, shape: [4], data: [B, outH, outW, O], constant: true },
          { type: F32, shape: [O, KH, KW, C], data: randArray(r, O * KH * KW * C), constant: true },
          { type: F32, shape: [B, H, W, C], data: randArray(r, B * H * W * C) },
          ...(bias ? [{ type: F32, shape: [O], data: bias, constant: true }] : []),
        ],
        outputs: [{ type: F32 }],
      }, `case ${t}: x=[${B},${H},${W},${C}] f=[${O},${KH},${KW}] out=${outH}x${outW} s=${sH}x${sW} p=${Padding[padding]} act=${Act[o.fusedActivationFunction]}`);
    }
  });

  it('Convolution2DTransposeBias (MediaPipe), 2x2 stride 2 SAME as in selfie_segmentation, and 3x3 stride 2', () => {
    const r = rng(505);
    for (const [k, s, pad] of [[2, 2, 1], [3, 2, 1], [3, 2, 2], [4, 2, 1]] as const) {
      const H = 9, W = 6, C = 16, O = k === 2 ? 1 : 5;
      expectTwin({
        op: 'Convolution2DTransposeBias', customOptions: new Uint8Array(new Int32Array([pad, s, s]).buffer),
        inputs: [
          { type: F32, shape: [1, H, W, C], data: randArray(r, H * W * C) },
          { type: F32, shape: [O, k, k, C], data: randArray(r, O * k * k * C), constant: true },
          { type: F32, shape: [O], data: randArray(r, O), constant: true },
        ],
        outputs: [{ type: F32 }],
      }, `k=${k} s=${s} padding=${pad}`);
    }
  });
});
