import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randArray, rng } from '../helpers/naive_float.js';
import { expectClose, f32, i32, run1 } from './float_misc_helpers.js';

function naiveSoftmax(x: ArrayLike<number>, depth: number, beta: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < x.length; b += depth) {
    const row = Array.from({ length: depth }, (_, i) => x[b + i]!);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp((v - m) * beta));
    const s = e.reduce((p, v) => p + v, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

describe('SOFTMAX', () => {
  it('hand-computed row with beta', () => {
    const y = run1(Op.SOFTMAX, [{ type: f32, shape: [1, 3], data: [1, 2, 3] }], f32, { kind: 'SoftmaxOptions', beta: 1 });
    expectClose(y.data as Float32Array, [0.09003057, 0.24472847, 0.66524096], 1e-7);
    const z = run1(Op.SOFTMAX, [{ type: f32, shape: [2, 2], data: [0, 1, 5, 5] }], f32, { kind: 'SoftmaxOptions', beta: 0 });
    expect(Array.from(z.data as Float32Array)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
  it('matches a naive reference on random rank-4 input along the last axis', () => {
    const r = rng(3);
    const x = randArray(r, 2 * 3 * 4 * 7, 10);
    const y = run1(Op.SOFTMAX, [{ type: f32, shape: [2, 3, 4, 7], data: x }], f32, { kind: 'SoftmaxOptions', beta: 0.7 });
    expectClose(y.data as Float32Array, naiveSoftmax(x, 7, Math.fround(0.7)), 1e-7, 1e-6);
  });
  it('refuses INT32', () => {
    expect(() => run1(Op.SOFTMAX, [{ type: i32, shape: [2] }], i32, { kind: 'SoftmaxOptions', beta: 1 })).toThrow(/input type INT32 is not supported/);
  });
});

describe('L2_NORMALIZATION', () => {
  it('TFLite test vector and the epsilon rule (norm clamped at 1e-6)', () => {
    const y = run1(Op.L2_NORMALIZATION, [{ type: f32, shape: [1, 1, 1, 6], data: [-1.1, 0.6, 0.7, 1.2, -0.7, 0.1] }], f32,
      { kind: 'L2NormOptions', fusedActivationFunction: 0 });
    expectClose(y.data as Float32Array, [-0.55, 0.3, 0.35, 0.6, -0.35, 0.05], 1e-6);
    // Squared sum 1e-14: sqrt = 1e-7 < 1e-6, so the divisor is 1e-6 (not sqrt(ss + eps)).
    const z = run1(Op.L2_NORMALIZATION, [{ type: f32, shape: [2, 2], data: [1e-7, 0, 0, 0] }], f32, null);
    expectClose(z.data as Float32Array, [0.1, 0, 0, 0], 1e-7);
  });
});
