/**
 * Writer-built one-op models for every quantized op embedlite runs, uint8 and int8, every fused activation the op
 * takes: the cases of quantized_ops.test.ts (each runs on seeded random inputs against the oracle).
 */
import { ActivationFunctionType as A, BuiltinOperator as B, Padding, TensorType as T } from '../../schema/enums.js';
import { rng } from '../helpers/rng.js';
import { type CaseTensor, type OpCaseSpec, perChannel, qp } from './op_cases.js';

const ACTS = [A.NONE, A.RELU, A.RELU6, A.RELU_N1_TO_1];
const actName = (a: A) => A[a] ?? String(a);

function ints(n: number, lo: number, hi: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor((hi - lo + 1) * r()));
}

interface TypeSetup { type: T; name: string; zIn: number; zOut: number; zW: number; zB: number }
const TYPES: TypeSetup[] = [
  { type: T.UINT8, name: 'uint8', zIn: 121, zOut: 133, zW: 117, zB: 140 },
  { type: T.INT8, name: 'int8', zIn: -7, zOut: 5, zW: 0, zB: 12 },
];

/** Weights of a convolution-like op: uint8 per tensor, int8 per channel along `axis` (or per tensor). */
function weights(t: TypeSetup, shape: number[], channels: number, axis: number, perCh: boolean, seed: number) {
  const n = shape.reduce((a, b) => a * b, 1);
  const lo = t.type === T.UINT8 ? 0 : -127, hi = t.type === T.UINT8 ? 255 : 127;
  const scales = Array.from({ length: channels }, (_, c) => 0.004 + 0.003 * ((c * 7) % 5));
  return {
    type: t.type, shape, data: ints(n, lo, hi, seed),
    quant: perCh ? perChannel(scales, axis) : qp(0.005, t.zW),
  };
}

/**
 * An int32 bias quantized the way TFLite's converter writes it: scale = input_scale * filter_scale (per channel when
 * the filter is). (A per-tensor bias next to a per-channel filter keeps XNNPACK's delegate away: see the docs.)
 */
function bias(channels: number, inputScale: number, w: { quant: { scale: number[] } }, seed: number) {
  const s = w.quant.scale.map((f) => inputScale * f);
  return { type: T.INT32, shape: [channels], data: ints(channels, -3000, 3000, seed), quant: s.length > 1 ? perChannel(s, 0) : qp(s[0]!, 0) };
}

/** [input, weights, bias] of a convolution-like op. */
function withBias(x: { type: T; shape: number[]; quant: { scale: number[] } }, w: ReturnType<typeof weights>, seed: number) {
  const channels = w.quant.scale.length > 1 ? w.quant.scale.length : w.shape[w.shape.length === 4 && w.shape[0] === 1 ? 3 : 0]!;
  return [x, w, bias(channels, x.quant.scale[0]!, w, seed)] as CaseTensor[];
}

export function quantizedOpCases(): OpCaseSpec[] {
  const cases: OpCaseSpec[] = [];
  for (const t of TYPES) {
    const ty = t.type, tn = t.name, perCh = ty === T.INT8;
    const xq = qp(0.02, t.zIn), oq = qp(0.05, t.zOut);
    // CONV_2D: 3x3 stride 2 SAME, 1x1, dilation 2 VALID; every fused activation.
    for (const act of ACTS) {
      cases.push({
        name: `CONV_2D ${tn} 3x3 s2 SAME ${actName(act)}`, op: B.CONV_2D, version: 3,
        options: { kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 2, strideH: 2, fusedActivationFunction: act, dilationWFactor: 1, dilationHFactor: 1 },
        inputs: withBias({ type: ty, shape: [1, 9, 11, 5], quant: xq }, weights(t, [6, 3, 3, 5], 6, 0, perCh, 11 + act), 3),
        outputs: [{ type: ty, shape: [1, 5, 6, 6], quant: oq }],
      });
    }
    cases.push({
      name: `CONV_2D ${tn} 1x1`, op: B.CONV_2D, version: 3,
      options: { kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, fusedActivationFunction: A.NONE, dilationWFactor: 1, dilationHFactor: 1 },
      inputs: withBias({ type: ty, shape: [1, 6, 7, 24], quant: xq }, weights(t, [16, 1, 1, 24], 16, 0, perCh, 5), 4),
      outputs: [{ type: ty, shape: [1, 6, 7, 16], quant: qp(0.08, t.zOut) }],
    });
    cases.push({
      name: `CONV_2D ${tn} 3x3 dilation 2 VALID`, op: B.CONV_2D, version: 3,
      options: { kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, fusedActivationFunction: A.RELU, dilationWFactor: 2, dilationHFactor: 2 },
      inputs: withBias({ type: ty, shape: [1, 9, 10, 4], quant: xq }, weights(t, [5, 3, 3, 4], 5, 0, perCh, 6), 5),
      outputs: [{ type: ty, shape: [1, 5, 6, 5], quant: oq }],
    });
    // DEPTHWISE_CONV_2D: 3x3 s1, 3x3 s2, 5x5, depth multiplier 2; every fused activation on the 3x3.
    for (const act of ACTS) {
      cases.push({
        name: `DEPTHWISE_CONV_2D ${tn} 3x3 s1 SAME ${actName(act)}`, op: B.DEPTHWISE_CONV_2D, version: 3,
        options: { kind: 'DepthwiseConv2DOptions', padding: Padding.SAME, strideW: 1, strideH: 1, depthMultiplier: 1, fusedActivationFunction: act, dilationWFactor: 1, dilationHFactor: 1 },
        inputs: withBias({ type: ty, shape: [1, 10, 9, 16], quant: xq }, weights(t, [1, 3, 3, 16], 16, 3, perCh, 21 + act), 6),
        outputs: [{ type: ty, shape: [1, 10, 9, 16], quant: oq }],
      });
    }
    if (ty === T.INT8) {
      // Per-channel weights with a per-tensor bias scale: not XNNPACK's (TFLite's kernel, the reference arithmetic).
      const [x, w, b] = withBias({ type: ty, shape: [1, 10, 9, 16], quant: xq }, weights(t, [1, 3, 3, 16], 16, 3, true, 29), 6);
      cases.push({
        name: 'DEPTHWISE_CONV_2D int8 per-channel weights, per-tensor bias scale', op: B.DEPTHWISE_CONV_2D, version: 3,
        options: { kind: 'DepthwiseConv2DOptions', padding: Padding.SAME, strideW: 1, strideH: 1, depthMultiplier: 1, fusedActivationFunction: A.RELU6, dilationWFactor: 1, dilationHFactor: 1 },
        inputs: [x!, w!, { ...b!, quant: qp(0.0001, 0) }],
        outputs: [{ type: ty, shape: [1, 10, 9, 16], quant: oq }],
      });
    }
    cases.push({
      name: `DEPTHWISE_CONV_2D ${tn} 3x3 s2 SAME`, op: B.DEPTHWISE_CONV_2D, version: 3,
      options: { kind: 'DepthwiseConv2DOptions', padding: Padding.SAME, strideW: 2, strideH: 2, depthMultiplier: 1, fusedActivationFunction: A.RELU6, dilationWFactor: 1, dilationHFactor: 1 },
      inputs: withBias({ type: ty, shape: [1, 11, 12, 8], quant: xq }, weights(t, [1, 3, 3, 8], 8, 3, perCh, 31), 7),
      outputs: [{ type: ty, shape: [1, 6, 6, 8], quant: oq }],
    });
    cases.push({
      name: `DEPTHWISE_CONV_2D ${tn} 5x5 multiplier 2 VALID`, op: B.DEPTHWISE_CONV_2D, version: 3,
      options: { kind: 'DepthwiseConv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, depthMultiplier: 2, fusedActivationFunction: A.NONE, dilationWFactor: 1, dilationHFactor: 1 },
      inputs: withBias({ type: ty, shape: [1, 9, 8, 3], quant: xq }, weights(t, [1, 5, 5, 6], 6, 3, perCh, 32), 8),
      outputs: [{ type: ty, shape: [1, 5, 4, 6], quant: oq }],
    });
    // FULLY_CONNECTED: per tensor (XNNPACK has no per-channel FC in the oracle's version).
    for (const act of ACTS) {
      cases.push({
        name: `FULLY_CONNECTED ${tn} ${actName(act)}`, op: B.FULLY_CONNECTED, version: ty === T.INT8 ? 4 : 1,
        options: { kind: 'FullyConnectedOptions', fusedActivationFunction: act, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false },
        inputs: withBias({ type: ty, shape: [3, 40], quant: xq }, weights(t, [20, 40], 20, 0, false, 41 + act), 9),
        outputs: [{ type: ty, shape: [3, 20], quant: qp(0.03, t.zOut) }],
      });
    }
    if (ty === T.INT8) {
      cases.push({
        name: `FULLY_CONNECTED int8 per-channel weights`, op: B.FULLY_CONNECTED, version: 5,
        options: { kind: 'FullyConnectedOptions', fusedActivationFunction: A.RELU, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false },
        inputs: withBias({ type: ty, shape: [6, 64], quant: xq }, weights(t, [24, 64], 24, 0, true, 48), 10),
        outputs: [{ type: ty, shape: [6, 24], quant: qp(0.06, t.zOut) }],
      });
    }
    // TRANSPOSE_CONV 3x3 stride 2 SAME: per-tensor weights (XNNPACK), and int8 per-channel (TFLite's kernel).
    for (const pc of ty === T.INT8 ? [false, true] : [false]) {
      const [x, w, b] = withBias({ type: ty, shape: [1, 7, 6, 5], quant: xq }, weights(t, [8, 3, 3, 5], 8, 0, pc, 51), 12);
      cases.push({
        name: `TRANSPOSE_CONV ${tn} 3x3 s2 SAME${pc ? ' per-channel' : ''}`, op: B.TRANSPOSE_CONV, version: 3,
        options: { kind: 'TransposeConvOptions', padding: Padding.SAME, strideW: 2, strideH: 2, fusedActivationFunction: A.NONE },
        inputs: [{ type: T.INT32, shape: [4], data: [1, 14, 12, 8] }, w!, x!, b!],
        outputs: [{ type: ty, shape: [1, 14, 12, 8], quant: oq }],
      });
    }
    // CONCATENATION with differing quantization (uint8: 2-4 inputs go to XNNPACK, which copies bytes; 5: TFLite).
    // int8 inputs must share the output's parameters (TFLite refuses others).
    for (const k of ty === T.UINT8 ? [2, 3, 5] : [3]) {
      const ins = Array.from({ length: k }, (_, i) => ({ type: ty, shape: [1, 4, 5, 2 + i],
        quant: ty === T.UINT8 ? qp(0.05 + 0.01 * i, t.zIn + 3 * i) : xq }));
      const total = ins.reduce((a, c) => a + c.shape[3]!, 0);
      cases.push({ name: `CONCATENATION ${tn} ${k} inputs`, op: B.CONCATENATION, version: 2,
        options: { kind: 'ConcatenationOptions', axis: 3, fusedActivationFunction: A.NONE },
        inputs: ins, outputs: [{ type: ty, shape: [1, 4, 5, total], quant: ty === T.UINT8 ? qp(0.07, t.zOut) : xq }] });
    }
    // ADD / SUB / MUL: same shapes and broadcast, every fused activation.
    const sh = [1, 8, 9, 16];
    for (const act of ACTS) {
      const ins = (bShape: number[]) => [{ type: ty, shape: sh, quant: qp(0.05, t.zIn) }, { type: ty, shape: bShape, quant: qp(0.031, t.zB) }];
      cases.push({ name: `ADD ${tn} ${actName(act)}`, op: B.ADD, options: { kind: 'AddOptions', fusedActivationFunction: act, potScaleInt16: false },
        inputs: ins(sh), outputs: [{ type: ty, shape: sh, quant: qp(0.07, t.zOut) }] });
      cases.push({ name: `ADD ${tn} broadcast ${actName(act)}`, op: B.ADD, options: { kind: 'AddOptions', fusedActivationFunction: act, potScaleInt16: false },
        inputs: ins([1, 1, 9, 16]), outputs: [{ type: ty, shape: sh, quant: qp(0.07, t.zOut) }] });
      cases.push({ name: `SUB ${tn} ${actName(act)}`, op: B.SUB, version: 2, options: { kind: 'SubOptions', fusedActivationFunction: act, potScaleInt16: false },
        inputs: ins(sh), outputs: [{ type: ty, shape: sh, quant: qp(0.07, t.zOut) }] });
      cases.push({ name: `MUL ${tn} ${actName(act)}`, op: B.MUL, version: 2, options: { kind: 'MulOptions', fusedActivationFunction: act },
        inputs: ins(sh), outputs: [{ type: ty, shape: sh, quant: qp(0.09, t.zOut) }] });
      cases.push({ name: `MUL ${tn} broadcast ${actName(act)}`, op: B.MUL, version: 2, options: { kind: 'MulOptions', fusedActivationFunction: act },
        inputs: ins([1, 1, 1, 16]), outputs: [{ type: ty, shape: sh, quant: qp(0.09, t.zOut) }] });
    }
    // MEAN over H, W (global average pooling in XNNPACK).
    for (const keepDims of [true, false]) {
      cases.push({ name: `MEAN ${tn} axes 1,2 keepDims ${keepDims}`, op: B.MEAN, version: 2, options: { kind: 'ReducerOptions', keepDims },
        inputs: [{ type: ty, shape: [1, 7, 7, 96], quant: qp(0.05, t.zIn) }, { type: T.INT32, shape: [2], data: [1, 2] }],
        outputs: [{ type: ty, shape: keepDims ? [1, 1, 1, 96] : [1, 96], quant: qp(0.03, t.zOut) }] });
    }
    // MEAN over other axes (TFLite's reduce kernel): rescaled, and with the input's own quantization.
    for (const [axes, outQ] of [[[3], qp(0.03, t.zOut)], [[1], qp(0.03, t.zOut)], [[2, 3], qp(0.05, t.zIn)], [[3], qp(0.05, t.zIn)]] as const) {
      const shape = [1, 6, 7, 10];
      cases.push({ name: `MEAN ${tn} axes ${axes.join(',')}${outQ.zeroPoint[0] === t.zIn ? ' same quantization' : ''}`, op: B.MEAN, version: 2,
        options: { kind: 'ReducerOptions', keepDims: true },
        inputs: [{ type: ty, shape, quant: qp(0.05, t.zIn) }, { type: T.INT32, shape: [axes.length], data: [...axes] }],
        outputs: [{ type: ty, shape: shape.map((d, i) => (axes as readonly number[]).includes(i) ? 1 : d), quant: outQ }] });
    }
    // Pools, activations, normalisation, QUANTIZE from float.
    const pool = (filter: number, stride: number, padding: Padding, act: A) =>
      ({ kind: 'Pool2DOptions' as const, padding, strideW: stride, strideH: stride, filterWidth: filter, filterHeight: filter, fusedActivationFunction: act });
    cases.push({ name: `AVERAGE_POOL_2D ${tn} 3x3 s2 SAME`, op: B.AVERAGE_POOL_2D, version: 2, options: pool(3, 2, Padding.SAME, A.NONE),
      inputs: [{ type: ty, shape: [1, 8, 9, 16], quant: xq }], outputs: [{ type: ty, shape: [1, 4, 5, 16], quant: xq }] });
    cases.push({ name: `AVERAGE_POOL_2D ${tn} 2x2 s2 RELU6`, op: B.AVERAGE_POOL_2D, version: 2, options: pool(2, 2, Padding.VALID, A.RELU6),
      inputs: [{ type: ty, shape: [1, 8, 9, 16], quant: xq }], outputs: [{ type: ty, shape: [1, 4, 4, 16], quant: xq }] });
    cases.push({ name: `MAX_POOL_2D ${tn} 3x3 s2 SAME RELU`, op: B.MAX_POOL_2D, version: 2, options: pool(3, 2, Padding.SAME, A.RELU),
      inputs: [{ type: ty, shape: [1, 8, 9, 16], quant: xq }], outputs: [{ type: ty, shape: [1, 4, 5, 16], quant: xq }] });
    const unit = [1, 1000];
    const sigOut = qp(1 / 256, ty === T.UINT8 ? 0 : -128), tanhOut = qp(1 / 128, ty === T.UINT8 ? 128 : 0);
    cases.push({ name: `SOFTMAX ${tn}`, op: B.SOFTMAX, version: 2, options: { kind: 'SoftmaxOptions', beta: 1 },
      inputs: [{ type: ty, shape: [4, 250], quant: qp(0.1, t.zIn) }], outputs: [{ type: ty, shape: [4, 250], quant: sigOut }] });
    cases.push({ name: `SOFTMAX ${tn} 1001 classes, peaked`, op: B.SOFTMAX, version: 2, options: { kind: 'SoftmaxOptions', beta: 1 },
      inputs: [{ type: ty, shape: [1, 1001], quant: qp(0.16, t.zIn), range: ty === T.UINT8 ? [20, 120] : [-108, -8] }],
      outputs: [{ type: ty, shape: [1, 1001], quant: sigOut }] });
    cases.push({ name: `LOGISTIC ${tn}`, op: B.LOGISTIC, version: 2, inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: sigOut }] });
    cases.push({ name: `TANH ${tn}`, op: B.TANH, version: 2, inputs: [{ type: ty, shape: unit, quant: qp(0.03, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: tanhOut }] });
    cases.push({ name: `HARD_SWISH ${tn}`, op: B.HARD_SWISH, inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: qp(0.04, t.zOut) }] });
    cases.push({ name: `RELU ${tn}`, op: B.RELU, version: 2, inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: qp(0.04, t.zOut) }] });
    cases.push({ name: `RELU6 ${tn}`, op: B.RELU6, version: 2, inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: qp(0.04, t.zOut) }] });
    cases.push({ name: `L2_NORMALIZATION ${tn}`, op: B.L2_NORMALIZATION, version: 2, options: { kind: 'L2NormOptions', fusedActivationFunction: A.NONE },
      inputs: [{ type: ty, shape: [4, 64], quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: [4, 64], quant: tanhOut }] });
    cases.push({ name: `PRELU ${tn}`, op: B.PRELU,
      inputs: [{ type: ty, shape: [1, 4, 4, 8], quant: qp(0.05, t.zIn) },
        { type: ty, shape: [1, 1, 8], quant: qp(0.01, t.zB), data: [10, 20, 30, 40, 50, 60, 70, 80].map((v) => v - 60 + t.zB) }],
      outputs: [{ type: ty, shape: [1, 4, 4, 8], quant: qp(0.04, t.zOut) }] });
    cases.push({ name: `LEAKY_RELU ${tn} alpha 0.2`, op: B.LEAKY_RELU, version: 2, options: { kind: 'LeakyReluOptions', alpha: 0.2 },
      inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: qp(0.04, t.zOut) }] });
    cases.push({ name: `QUANTIZE ${tn} -> ${tn} (requantize)`, op: B.QUANTIZE, version: 2,
      inputs: [{ type: ty, shape: unit, quant: qp(0.05, t.zIn) }], outputs: [{ type: ty, shape: unit, quant: qp(0.037, t.zOut) }] });
    for (const [alignCorners, halfPixelCenters] of [[false, false], [true, false], [false, true]] as const) {
      cases.push({ name: `RESIZE_BILINEAR ${tn} 5x7 -> 13x11 align_corners ${alignCorners} half_pixel ${halfPixelCenters}`,
        op: B.RESIZE_BILINEAR, version: 3, options: { kind: 'ResizeBilinearOptions', alignCorners, halfPixelCenters },
        inputs: [{ type: ty, shape: [1, 5, 7, 3], quant: xq }, { type: T.INT32, shape: [2], data: [13, 11] }],
        outputs: [{ type: ty, shape: [1, 13, 11, 3], quant: xq }] });
    }
    const ties = [0.625, -0.625, 0.375, -0.375, 0.125, -0.125, 1.125, 100, -100, Infinity, -Infinity, NaN];
    cases.push({ name: `QUANTIZE float32 -> ${tn} (ties, infinities, NaN)`, op: B.QUANTIZE, version: 2,
      inputs: [{ type: T.FLOAT32, shape: [ties.length], values: ties }], outputs: [{ type: ty, shape: [ties.length], quant: qp(0.25, t.zOut) }] });
    cases.push({ name: `QUANTIZE float32 -> ${tn}`, op: B.QUANTIZE, version: 2,
      inputs: [{ type: T.FLOAT32, shape: unit, range: [-5, 5] }], outputs: [{ type: ty, shape: unit, quant: qp(0.037, t.zOut) }] });
  }
  return cases;
}
