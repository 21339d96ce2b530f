import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, TensorType } from '../../../schema/enums.js';
import type { L2NormOptions } from '../../../schema/builtin_options.js';
import { q, runOp } from '../../helpers/run_op.js';
import { countDiff, naiveInvSqrt, naiveL2Norm, rng } from '../../helpers/naive_quant.js';
import { invSqrtQuantizedMultiplierExp } from '../../../kernels/quantized/l2_normalization.js';

const opts = (act = ActivationFunctionType.NONE): L2NormOptions => ({ kind: 'L2NormOptions', fusedActivationFunction: act });

function run(type: TensorType, shape: number[], x: number[], scale: number, zp: number, outZp?: number): number[] {
  const [out] = runOp({ quantizedArithmetic: 'reference',
    op: BuiltinOperator.L2_NORMALIZATION, version: 2, options: opts(),
    inputs: [{ type, shape, data: x, quant: q(scale, zp) }],
    outputs: [{ type, quant: q(1 / 128, outZp ?? (type === TensorType.UINT8 ? 128 : 0)) }],
  });
  return Array.from(out!.data as Uint8Array | Int8Array);
}

/** test_util.h: quantization from [min, max] and Quantize (round(zp + f / scale) in float32, clamped). */
function testQuant(min: number, max: number, qmin: number, qmax: number): { scale: number; zp: number } {
  const scale = Math.fround((max - min) / (qmax - qmin));
  const z = qmin - min / scale;
  return { scale, zp: z < qmin ? qmin : z > qmax ? qmax : (z < 0 ? -Math.round(-z) : Math.round(z)) };
}
const quantize = (v: number[], s: number, zp: number, lo: number, hi: number) =>
  v.map((f) => { const r = Math.fround(zp + Math.fround(Math.fround(f) / s)); return Math.min(hi, Math.max(lo, r < 0 ? -Math.round(-r) : Math.round(r))); });

describe('L2_NORMALIZATION quantized: l2norm_test.cc goldens', () => {
  const input = [-1.1, 0.6, 0.7, 1.2, -0.7, 0.1];
  it('SimpleUint8Test / MultipleBatchUint8Test / ZerosVectorUint8Test', () => {
    const p = testQuant(-2, 2, 0, 255);
    const x = quantize(input, p.scale, p.zp, 0, 255);
    expect(run(TensorType.UINT8, [1, 1, 1, 6], x, p.scale, p.zp)).toEqual([58, 166, 173, 205, 83, 134]);
    expect(run(TensorType.UINT8, [3, 1, 1, 6], [...x, ...x, ...x], p.scale, p.zp))
      .toEqual([58, 166, 173, 205, 83, 134, 58, 166, 173, 205, 83, 134, 58, 166, 173, 205, 83, 134]);
    expect(run(TensorType.UINT8, [1, 1, 1, 6], quantize([0, 0, 0, 0, 0, 0], p.scale, p.zp, 0, 255), p.scale, p.zp))
      .toEqual([128, 128, 128, 128, 128, 128]);
  });
  it('SimpleInt8Test / MultipleBatchInt8Test / ZerosVectorInt8Test', () => {
    const p = testQuant(-2, 2, -128, 127);
    const x = quantize(input, p.scale, p.zp, -128, 127);
    expect(run(TensorType.INT8, [1, 1, 1, 6], x, p.scale, p.zp)).toEqual([-70, 38, 45, 77, -45, 6]);
    expect(run(TensorType.INT8, [3, 6], [...x, ...x, ...x], p.scale, p.zp))
      .toEqual([-70, 38, 45, 77, -45, 6, -70, 38, 45, 77, -45, 6, -70, 38, 45, 77, -45, 6]);
    expect(run(TensorType.INT8, [1, 6], quantize([0, 0, 0, 0, 0, 0], p.scale, p.zp, -128, 127), p.scale, p.zp))
      .toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('refuses an output that is not scale 1/128 with zero point 128 (uint8) / 0 (int8), and fused activations', () => {
    expect(() => run(TensorType.UINT8, [1, 2], [1, 2], 0.1, 0, 127)).toThrow(/1\/128/);
    expect(() => runOp({ quantizedArithmetic: 'reference',
      op: BuiltinOperator.L2_NORMALIZATION, version: 2, options: opts(ActivationFunctionType.RELU),
      inputs: [{ type: TensorType.INT8, shape: [2], data: [1, 2], quant: q(0.1, 0) }],
      outputs: [{ type: TensorType.INT8, quant: q(1 / 128, 0) }],
    })).toThrow(/activation/);
  });
});

describe('L2_NORMALIZATION quantized vs naive reference', () => {
  it('GetInvSqrtQuantizedMultiplierExp equals the naive version on 0..2^31 (edges, powers of 4, random)', () => {
    const r = rng(3);
    const inputs = [0, 1, 2, 3, 4, 5, 255 * 255, 2 ** 27, 2 ** 29 - 1, 2 ** 29, 2 ** 30, 2 ** 31 - 1];
    for (let i = 0; i < 3000; i++) inputs.push(Math.floor(r.next() * 2 ** (1 + r.next() * 30)));
    const res = new Int32Array(2);
    let diff = 0;
    for (const v of inputs) {
      invSqrtQuantizedMultiplierExp(v, res);
      const [m, s] = naiveInvSqrt(v);
      if (res[0] !== m || res[1] !== s) diff++;
    }
    expect(diff).toBe(0);
  });
  it('150 random shapes / zero points (incl. constant rows and depth 1): 0 differing bytes', () => {
    const r = rng(11);
    let diff = 0, total = 0;
    for (let t = 0; t < 150; t++) {
      const isUint8 = t % 2 === 0;
      const lo = isUint8 ? 0 : -128;
      const depth = t % 15 === 0 ? 1 : r.int(1, 70), rows = r.int(1, 5);
      const zp = r.int(lo, lo + 255);
      const x = Array.from({ length: rows * depth }, () => (t % 10 === 3 ? zp : r.int(lo, lo + 255)));
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      diff += countDiff(run(type, [rows, depth], x, 0.05, zp), naiveL2Norm(x, depth, zp, isUint8));
      total += x.length;
    }
    expect(total).toBeGreaterThan(2000);
    expect(diff).toBe(0);
  });
});
