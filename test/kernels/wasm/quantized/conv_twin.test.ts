import { describe, expect, it } from 'vitest';
import type { QuantizedArithmetic } from '../../../../kernels/kernel.js';
import { conv2DQuantized } from '../../../../kernels/quantized/conv_2d.js';
import { depthwiseConv2DQuantized } from '../../../../kernels/quantized/depthwise_conv_2d.js';
import { fullyConnectedQuantized } from '../../../../kernels/quantized/fully_connected.js';
import {
  conv2DQuantizedSimd, depthwiseConv2DQuantizedSimd, fullyConnectedQuantizedSimd,
} from '../../../../kernels/wasm/quantized/conv.js';
import { ActivationFunctionType as Act, FullyConnectedWeightsFormat, Padding, TensorType } from '../../../../schema/enums.js';
import { rng } from '../../../helpers/rng.js';
import { type NodeCase, runNodeTwin } from './node_twin.js';

const MODES: QuantizedArithmetic[] = ['tflite-cpu', 'reference'];
const ACTS = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];

type R = () => number;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Random uint8 (per-tensor) or int8 (per-tensor or per-channel) quantization for a node with `outC` channels. */
function quantOf(r: R, u8: boolean, outC: number, axis: number, k: number) {
  const lo = u8 ? 0 : -128;
  const inQ = { scale: [0.01 + r() * 0.05], zeroPoint: [int(r, lo + 10, lo + 245)], quantizedDimension: 0 };
  const perChannel = !u8 && r() < 0.6;
  const ws = Array.from({ length: perChannel ? outC : 1 }, () => (0.002 + r() * 0.02));
  const wQ = { scale: ws, zeroPoint: ws.map(() => (u8 ? int(r, 90, 160) : 0)), quantizedDimension: axis };
  const outQ = { scale: [(0.01 + r() * 0.05) * Math.sqrt(k) * 0.2], zeroPoint: [int(r, lo + 20, lo + 235)], quantizedDimension: 0 };
  return { inQ, wQ, outQ, lo };
}

function bytes(r: R, n: number, lo: number): number[] {
  return Array.from({ length: n }, () => int(r, lo, lo + 255));
}

function expectSame(res: { js: Uint8Array; wasm: Uint8Array | null }, label: string, mode: QuantizedArithmetic): void {
  if (mode === 'tflite-cpu' && res.wasm === null) return; // until the typed-array tflite-cpu parameters land
  expect(res.wasm, `${label}: SIMD prepare declined`).not.toBeNull();
  const a = res.wasm!, b = res.js;
  let bad = -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { bad = i; break; }
  expect(bad === -1 ? null : `byte ${bad}: wasm ${a[bad]} js ${b[bad]} (of ${a.length})`, label).toBeNull();
}

function convCase(r: R, s: { u8: boolean; n: number; h: number; w: number; cin: number; cout: number; kh: number; kw: number;
  sh: number; sw: number; dh: number; dw: number; pad: Padding; act: Act; bias: boolean }): NodeCase {
  const k = s.kh * s.kw * s.cin;
  const { inQ, wQ, outQ, lo } = quantOf(r, s.u8, s.cout, 0, k);
  const T = s.u8 ? TensorType.UINT8 : TensorType.INT8;
  return {
    opName: 'CONV_2D',
    options: { kind: 'Conv2DOptions', padding: s.pad, strideH: s.sh, strideW: s.sw, fusedActivationFunction: s.act,
      dilationHFactor: s.dh, dilationWFactor: s.dw },
    inputs: [
      { type: T, shape: [s.n, s.h, s.w, s.cin], data: bytes(r, s.n * s.h * s.w * s.cin, lo), quant: inQ },
      { type: T, shape: [s.cout, s.kh, s.kw, s.cin], data: bytes(r, s.cout * k, s.u8 ? 0 : -127).map((v) => Math.max(v, lo + (s.u8 ? 0 : 1))), quant: wQ, constant: true },
      s.bias ? { type: TensorType.INT32, shape: [s.cout], data: Array.from({ length: s.cout }, () => int(r, -3000, 3000)), quant: null, constant: true } : null,
    ],
    output: { type: T, quant: outQ },
  };
}

describe('quantized SIMD CONV_2D against the typed-array kernel, byte for byte', () => {
  it('1x1 pointwise, im2col and indirect plans: odd sizes, paddings, strides, dilations, activations, both types', () => {
    const r = rng(2024);
    for (let t = 0; t < 160; t++) {
      const u8 = t % 2 === 0;
      const pointwise = t % 4 === 1;
      const kh = pointwise ? 1 : pick(r, [1, 2, 3, 5]), kw = pointwise ? 1 : pick(r, [1, 3, 4]);
      const s = {
        u8, n: t % 9 === 0 ? 2 : 1, h: int(r, 1, 9), w: int(r, 1, 9), cin: pick(r, [1, 2, 3, 5, 8, 9, 16, 17, 35]),
        cout: pick(r, [1, 3, 7, 8, 9, 16, 19, 33]), kh, kw, sh: pointwise ? 1 : pick(r, [1, 2]), sw: pointwise ? 1 : pick(r, [1, 2, 3]),
        dh: !pointwise && t % 5 === 0 ? 2 : 1, dw: !pointwise && t % 7 === 0 ? 2 : 1,
        pad: pointwise ? Padding.VALID : pick(r, [Padding.SAME, Padding.VALID]), act: pick(r, ACTS), bias: r() < 0.8,
      };
      if (s.pad === Padding.VALID && (s.h < (kh - 1) * s.dh + 1 || s.w < (kw - 1) * s.dw + 1)) s.pad = Padding.SAME;
      const c = convCase(r, s);
      for (const mode of MODES) {
        const label = `${mode} ${u8 ? 'u8' : 's8'} x=[${s.n},${s.h},${s.w},${s.cin}] f=[${s.cout},${kh},${kw}] s=${s.sh}x${s.sw} d=${s.dh}x${s.dw} p=${Padding[s.pad]} ${Act[s.act]}`;
        expectSame(runNodeTwin(conv2DQuantized, conv2DQuantizedSimd, c, mode, t % 10 === 3), label, mode);
      }
    }
  });
});

describe('quantized SIMD DEPTHWISE_CONV_2D against the typed-array kernel, byte for byte', () => {
  it('3x3 s1/s2, 5x5, general taps, depth multipliers, dilation, paddings, activations, both types', () => {
    const r = rng(77);
    for (let t = 0; t < 140; t++) {
      const u8 = t % 2 === 0;
      const kh = pick(r, [3, 3, 5, 1, 2]), kw = kh === 2 ? 3 : kh;
      const cin = pick(r, [1, 3, 8, 13, 16, 24, 40]), mult = t % 6 === 0 ? pick(r, [2, 3]) : 1, cout = cin * mult;
      const sh = pick(r, [1, 2]), sw = sh, dh = t % 8 === 0 ? 2 : 1;
      const h = int(r, 1, 10), w = int(r, 1, 10);
      let pad = pick(r, [Padding.SAME, Padding.VALID]);
      if (h < (kh - 1) * dh + 1 || w < (kw - 1) * dh + 1) pad = Padding.SAME;
      const act = pick(r, ACTS);
      const { inQ, wQ, outQ, lo } = quantOf(r, u8, cout, 3, kh * kw);
      const T = u8 ? TensorType.UINT8 : TensorType.INT8;
      const c: NodeCase = {
        opName: 'DEPTHWISE_CONV_2D',
        options: { kind: 'DepthwiseConv2DOptions', padding: pad, strideH: sh, strideW: sw, depthMultiplier: mult,
          fusedActivationFunction: act, dilationHFactor: dh, dilationWFactor: dh },
        inputs: [
          { type: T, shape: [t % 11 === 0 ? 2 : 1, h, w, cin], data: bytes(r, (t % 11 === 0 ? 2 : 1) * h * w * cin, lo), quant: inQ },
          { type: T, shape: [1, kh, kw, cout], data: bytes(r, kh * kw * cout, lo).map((v) => Math.max(v, lo + (u8 ? 0 : 1))), quant: wQ, constant: true },
          r() < 0.8 ? { type: TensorType.INT32, shape: [cout], data: Array.from({ length: cout }, () => int(r, -2000, 2000)), quant: null, constant: true } : null,
        ],
        output: { type: T, quant: outQ },
      };
      for (const mode of MODES) {
        const label = `${mode} ${u8 ? 'u8' : 's8'} x=[${h},${w},${cin}] f=${kh}x${kw} m=${mult} s=${sh} d=${dh} p=${Padding[pad]} ${Act[act]}`;
        expectSame(runNodeTwin(depthwiseConv2DQuantized, depthwiseConv2DQuantizedSimd, c, mode, t % 10 === 3), label, mode);
      }
    }
  });
});

describe('quantized SIMD FULLY_CONNECTED against the typed-array kernel, byte for byte', () => {
  it('batches, units and depths around the block sizes, both types, activations', () => {
    const r = rng(5);
    for (let t = 0; t < 80; t++) {
      const u8 = t % 2 === 0;
      const rows = pick(r, [1, 2, 3, 4, 5, 9]), units = pick(r, [1, 5, 8, 10, 17, 64]), k = pick(r, [1, 7, 8, 12, 33, 100]);
      const { inQ, wQ, outQ, lo } = quantOf(r, u8, units, 0, k);
      const T = u8 ? TensorType.UINT8 : TensorType.INT8;
      const act = pick(r, ACTS);
      const c: NodeCase = {
        opName: 'FULLY_CONNECTED',
        options: { kind: 'FullyConnectedOptions', fusedActivationFunction: act, weightsFormat: FullyConnectedWeightsFormat.DEFAULT,
          keepNumDims: false, asymmetricQuantizeInputs: false },
        inputs: [
          { type: T, shape: [rows, k], data: bytes(r, rows * k, lo), quant: inQ },
          { type: T, shape: [units, k], data: bytes(r, units * k, lo).map((v) => Math.max(v, lo + (u8 ? 0 : 1))), quant: wQ, constant: true },
          r() < 0.8 ? { type: TensorType.INT32, shape: [units], data: Array.from({ length: units }, () => int(r, -3000, 3000)), quant: null, constant: true } : null,
        ],
        output: { type: T, quant: outQ },
      };
      for (const mode of MODES) {
        expectSame(runNodeTwin(fullyConnectedQuantized, fullyConnectedQuantizedSimd, c, mode, t % 10 === 3), `${mode} ${u8 ? 'u8' : 's8'} rows=${rows} units=${units} k=${k} ${Act[act]}`, mode);
      }
    }
  });
});
