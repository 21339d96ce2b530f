import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randArray, rng } from '../helpers/naive_float.js';
import { expectClose, f32, i32, run1 } from './float_misc_helpers.js';

const f = Math.fround;
const cases: [Op, (x: number) => number, number][] = [
  [Op.RELU, (x) => Math.max(0, x), 0],
  [Op.RELU6, (x) => Math.min(6, Math.max(0, x)), 0],
  [Op.RELU_N1_TO_1, (x) => Math.min(1, Math.max(-1, x)), 0],
  [Op.EXP, (x) => Math.exp(x), 1e-7],
  [Op.TANH, (x) => Math.tanh(x), 1e-7],
  [Op.LOGISTIC, (x) => 1 / (1 + Math.exp(-x)), 1e-7],
  [Op.HARD_SWISH, (x) => (x * Math.min(6, Math.max(0, x + 3))) / 6, 1e-6],
  [Op.SQRT, (x) => Math.sqrt(Math.abs(x)), 1e-7],
  [Op.RSQRT, (x) => 1 / Math.sqrt(Math.abs(x)), 1e-6],
];

describe('unary float ops', () => {
  it('hand-computed values', () => {
    const x = { type: f32, shape: [1, 2, 3], data: [-7, -3, -0.5, 0.5, 3, 7] };
    expect(Array.from(run1(Op.RELU, [x], f32).data as Float32Array)).toEqual([0, 0, 0, 0.5, 3, 7]);
    expect(Array.from(run1(Op.RELU6, [x], f32).data as Float32Array)).toEqual([0, 0, 0, 0.5, 3, 6]);
    expect(Array.from(run1(Op.RELU_N1_TO_1, [x], f32).data as Float32Array)).toEqual([-1, -1, -0.5, 0.5, 1, 1]);
    expect(Array.from(run1(Op.HARD_SWISH, [x], f32).data as Float32Array)).toEqual([-0, -0, f(-0.5 * 2.5 / 6), f(0.5 * 3.5 / 6), 3, 7]);
    expect(Array.from(run1(Op.LEAKY_RELU, [x], f32, { kind: 'LeakyReluOptions', alpha: 0.5 }).data as Float32Array)).toEqual([-3.5, -1.5, -0.25, 0.5, 3, 7]);
    expect(Array.from(run1(Op.SQRT, [{ type: f32, shape: [3], data: [4, 0, 2] }], f32).data as Float32Array)).toEqual([2, 0, f(Math.SQRT2)]);
    expect(Array.from(run1(Op.RSQRT, [{ type: f32, shape: [2], data: [4, 0.25] }], f32).data as Float32Array)).toEqual([0.5, 2]);
    expectClose(run1(Op.LOGISTIC, [{ type: f32, shape: [3], data: [0, 10, -10] }], f32).data as Float32Array, [0.5, 0.9999546, 4.539787e-5], 1e-7, 1e-6);
    const y = run1(Op.TANH, [x], f32);
    expect(y.shape).toEqual([1, 2, 3]);
  });

  it('matches Math references on seeded random inputs', () => {
    const r = rng(7);
    for (const [op, ref, tol] of cases) {
      const raw = randArray(r, 257, 8);
      const data = op === Op.SQRT || op === Op.RSQRT ? raw.map(Math.abs) : raw;
      const y = run1(op, [{ type: f32, shape: [257], data }], f32);
      expectClose(y.data as Float32Array, Array.from(data, (v) => f(ref(v))), tol, tol);
    }
  });

  it('refuses non-float inputs at prepare', () => {
    expect(() => run1(Op.EXP, [{ type: i32, shape: [2] }], i32)).toThrow(/node 0 EXP \(v1\): input type INT32 is not supported/);
  });
});
