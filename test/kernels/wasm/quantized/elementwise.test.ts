import { describe, expect, it } from 'vitest';
import type { QuantizedArithmetic } from '../../../../kernels/kernel.js';
import { addQuantized, subQuantized } from '../../../../kernels/quantized/add.js';
import { padQuantized } from '../../../../kernels/quantized/pad.js';
import { addSubQuantizedSimd } from '../../../../kernels/wasm/quantized/add.js';
import { mulQuantized } from '../../../../kernels/quantized/mul.js';
import { mulQuantizedSimd } from '../../../../kernels/wasm/quantized/mul.js';
import { transpose } from '../../../../kernels/transpose.js';
import { transpose8Simd } from '../../../../kernels/wasm/quantized/transpose.js';
import { meanQuantized } from '../../../../kernels/quantized/mean.js';
import { meanQuantizedSimd } from '../../../../kernels/wasm/quantized/mean.js';
import { addName } from '../../../../kernels/wasm/quantized/elementwise.js';
import { padQuantizedSimd } from '../../../../kernels/wasm/quantized/pad.js';
import type { QType } from '../../../../kernels/wasm/quantized/requant.js';
import { ActivationFunctionType as Act, TensorType } from '../../../../schema/enums.js';
import { rng } from '../../../helpers/rng.js';
import { TestRuntime } from './harness.js';
import { type NodeCase, runNodeTwin } from './node_twin.js';

describe('quantized SIMD ADD (XNNPACK arithmetic) against its scalar formula', () => {
  it('every tail length, both types, clamps, large products', () => {
    const rt = new TestRuntime();
    const r = rng(3);
    for (const type of ['u8', 's8'] as QType[]) {
      for (const n of [1, 2, 7, 8, 15, 16, 17, 31, 33, 100]) {
        const lo = type === 'u8' ? 0 : -128;
        const a = Array.from({ length: n }, () => lo + Math.floor(r() * 256));
        const b = Array.from({ length: n }, () => lo + Math.floor(r() * 256));
        const shift = 10 + Math.floor(r() * 12);
        const aMul = Math.floor((0.5 + r()) * 2 ** 20) * (r() < 0.5 ? 1 : 1), bMul = Math.floor((r() - 0.3) * 2 ** 21);
        const bias = Math.floor((r() - 0.5) * 2 ** 26), zp = lo + Math.floor(r() * 256);
        const clo = lo + Math.floor(r() * 40), chi = lo + 255 - Math.floor(r() * 40);
        const T = type === 'u8' ? Uint8Array : Int8Array;
        const ap = rt.put(T.from(a)), bp = rt.put(T.from(b)), op = rt.alloc(n);
        rt.exports[addName(type)]!(n, ap, bp, op, aMul, bMul, bias, shift, zp, clo, chi);
        const want = a.map((x, i) => Math.min(chi, Math.max(clo, ((bias + x * aMul + b[i]! * bMul) >> shift) + zp)) & 255);
        expect([...rt.bytes(op, n)], `${type} n=${n}`).toEqual(want);
      }
    }
  });
});

describe('quantized SIMD PAD against the typed-array kernel, byte for byte', () => {
  it('ranks 1..4, paddings on every dimension, both types', () => {
    const r = rng(9);
    for (let t = 0; t < 60; t++) {
      const u8 = t % 2 === 0, rank = 1 + (t % 4);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(r() * 5));
      const pads = shape.flatMap(() => [r() < 0.5 ? 0 : Math.floor(r() * 3), r() < 0.5 ? 0 : Math.floor(r() * 3)]);
      const lo = u8 ? 0 : -128;
      const q = { scale: [0.1], zeroPoint: [lo + Math.floor(r() * 256)], quantizedDimension: 0 };
      const n = shape.reduce((x, y) => x * y, 1);
      const c: NodeCase = {
        opName: 'PAD', options: null,
        inputs: [
          { type: u8 ? TensorType.UINT8 : TensorType.INT8, shape, data: Array.from({ length: n }, () => lo + Math.floor(r() * 256)), quant: q },
          { type: TensorType.INT32, shape: [rank, 2], data: pads, quant: null, constant: true },
        ],
        output: { type: u8 ? TensorType.UINT8 : TensorType.INT8, quant: q },
      };
      for (const mode of ['tflite-cpu', 'reference'] as QuantizedArithmetic[]) {
        const res = runNodeTwin(padQuantized, padQuantizedSimd, c, mode);
        expect(res.wasm, `rank ${rank} [${shape}] pads [${pads}]`).toEqual(res.js);
      }
    }
  });
});

describe('quantized SIMD ADD / SUB against the typed-array kernel (tflite-cpu), byte for byte', () => {
  it('shapes, scales, zero points, activations, both types; broadcasting and reference mode decline', () => {
    const r = rng(21);
    for (let t = 0; t < 80; t++) {
      const u8 = t % 2 === 0, sub = t % 3 === 0;
      const shape = [1, 1 + Math.floor(r() * 6), 1 + Math.floor(r() * 6), 1 + Math.floor(r() * 20)];
      const n = shape.reduce((x, y) => x * y, 1);
      const lo = u8 ? 0 : -128;
      const T = u8 ? TensorType.UINT8 : TensorType.INT8;
      const qq = () => ({ scale: [0.005 + r() * 0.1], zeroPoint: [lo + Math.floor(r() * 256)], quantizedDimension: 0 });
      const data = () => Array.from({ length: n }, () => lo + Math.floor(r() * 256));
      const act = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1][t % 4]!;
      const c: NodeCase = {
        opName: sub ? 'SUB' : 'ADD', options: { kind: sub ? 'SubOptions' : 'AddOptions', fusedActivationFunction: act, potScaleInt16: false },
        inputs: [{ type: T, shape, data: data(), quant: qq() }, { type: T, shape, data: data(), quant: qq() }],
        output: { type: T, quant: qq() },
      };
      const js = (sub ? subQuantized : addQuantized) as typeof addQuantized;
      const res = runNodeTwin(js, addSubQuantizedSimd(js, sub), c, 'tflite-cpu');
      expect(res.wasm, `${c.opName} [${shape}] ${Act[act]}`).toEqual(res.js);
      expect(runNodeTwin(js, addSubQuantizedSimd(js, sub), c, 'reference').wasm).toBeNull();
    }
  });
});

describe('TRANSPOSE of 8-bit tensors on wasm against the typed-array kernel', () => {
  it('every permutation of ranks 1..4, odd sizes, uint8 and int8', () => {
    const r = rng(31);
    const perms = (n: number): number[][] => (n === 1 ? [[0]] : perms(n - 1).flatMap((p) =>
      Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    for (let rank = 1; rank <= 4; rank++) {
      for (const perm of perms(rank)) {
        const u8 = r() < 0.5;
        const shape = Array.from({ length: rank }, () => 1 + Math.floor(r() * 5));
        const n = shape.reduce((x, y) => x * y, 1);
        const q = { scale: [0.1], zeroPoint: [3], quantizedDimension: 0 };
        const T = u8 ? TensorType.UINT8 : TensorType.INT8;
        const c: NodeCase = {
          opName: 'TRANSPOSE', options: null,
          inputs: [
            { type: T, shape, data: Array.from({ length: n }, () => (u8 ? 0 : -128) + Math.floor(r() * 256)), quant: q },
            { type: TensorType.INT32, shape: [rank], data: perm, quant: null, constant: true },
          ],
          output: { type: T, quant: q },
        };
        const res = runNodeTwin(transpose, transpose8Simd, c, 'tflite-cpu');
        expect(res.wasm, `[${shape}] perm [${perm}]`).toEqual(res.js);
      }
    }
  });
});

describe('quantized SIMD MEAN over H and W (tflite-cpu) against the typed-array kernel', () => {
  it('batches, channel remainders, scales and zero points, keep_dims; other axes and reference mode decline', () => {
    const r = rng(41);
    for (let t = 0; t < 60; t++) {
      const u8 = t % 2 === 0, lo = u8 ? 0 : -128;
      const T = u8 ? TensorType.UINT8 : TensorType.INT8;
      const shape = [1 + (t % 5 === 0 ? 1 : 0), 1 + Math.floor(r() * 9), 1 + Math.floor(r() * 9), 1 + Math.floor(r() * 40)];
      const n = shape.reduce((x, y) => x * y, 1);
      const qq = () => ({ scale: [0.01 + r() * 0.1], zeroPoint: [lo + Math.floor(r() * 256)], quantizedDimension: 0 });
      const c = (axes: number[]): NodeCase => ({
        opName: 'MEAN', options: { kind: 'ReducerOptions', keepDims: t % 3 === 0 },
        inputs: [
          { type: T, shape, data: Array.from({ length: n }, () => lo + Math.floor(r() * 256)), quant: qq() },
          { type: TensorType.INT32, shape: [axes.length], data: axes, quant: null, constant: true },
        ],
        output: { type: T, quant: qq() },
      });
      const spatial = c([1, 2]);
      const res = runNodeTwin(meanQuantized, meanQuantizedSimd, spatial, 'tflite-cpu');
      expect(res.wasm, `[${shape}]`).toEqual(res.js);
      expect(runNodeTwin(meanQuantized, meanQuantizedSimd, spatial, 'reference').wasm).toBeNull();
      expect(runNodeTwin(meanQuantized, meanQuantizedSimd, c([3]), 'tflite-cpu').wasm).toBeNull();
    }
  });
});

describe('quantized SIMD MUL (tflite-cpu) against the typed-array kernel, byte for byte', () => {
  it('same shapes and every broadcast (scalar, per channel, per row), tails, scales, zero points, activations, both types', () => {
    const r = rng(33);
    const broadcasts = (s: number[]): number[][] => [
      s, [1], [1, 1, 1, s[3]!], [1, s[1]!, 1, s[3]!], [1, 1, s[2]!, 1], [s[0]!, s[1]!, s[2]!, 1],
    ];
    let ran = 0;
    for (let t = 0; t < 120; t++) {
      const u8 = t % 2 === 0;
      const shape = [1, 1 + Math.floor(r() * 6), 1 + Math.floor(r() * 7), 1 + Math.floor(r() * 40)];
      const other = broadcasts(shape)[t % 6]!;
      const [sa, sb] = t % 4 < 2 ? [shape, other] : [other, shape];
      const lo = u8 ? 0 : -128;
      const T = u8 ? TensorType.UINT8 : TensorType.INT8;
      const qq = (big = false) => ({ scale: [big ? 0.5 + r() * 3 : 0.002 + r() * 0.1], zeroPoint: [lo + Math.floor(r() * 256)], quantizedDimension: 0 });
      const data = (s: number[]) => Array.from({ length: s.reduce((x, y) => x * y, 1) }, () => lo + Math.floor(r() * 256));
      const act = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1][t % 4]!;
      const c: NodeCase = {
        opName: 'MUL', options: { kind: 'MulOptions', fusedActivationFunction: act },
        inputs: [{ type: T, shape: sa, data: data(sa), quant: qq(t % 5 === 0) }, { type: T, shape: sb, data: data(sb), quant: qq() }],
        output: { type: T, quant: qq(t % 7 === 0) },
      };
      const res = runNodeTwin(mulQuantized, mulQuantizedSimd(mulQuantized), c, 'tflite-cpu');
      expect(res.wasm, `MUL [${sa}] x [${sb}] ${Act[act]}`).not.toBeNull();
      expect(res.wasm, `MUL [${sa}] x [${sb}] ${Act[act]}`).toEqual(res.js);
      expect(runNodeTwin(mulQuantized, mulQuantizedSimd(mulQuantized), c, 'reference').wasm).toBeNull();
      ran++;
    }
    expect(ran).toBe(120);
  });
});
