import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randInt, rng } from '../helpers/naive_float.js';
import { f32, flatIndex, i32, i64, indices, iota, run1 } from './float_misc_helpers.js';

describe('TRANSPOSE', () => {
  it('2-D hand case and INT64 data', () => {
    const y = run1(Op.TRANSPOSE, [{ type: f32, shape: [2, 3], data: iota(6) }, { type: i32, shape: [2], data: [1, 0], constant: true }], f32);
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 3, 1, 4, 2, 5]);
    const z = run1(Op.TRANSPOSE, [{ type: i64, shape: [2, 2], data: [1n, -2n, 3n, 2n ** 40n] }, { type: i32, shape: [2], data: [1, 0], constant: true }], i64);
    expect(Array.from(z.data as BigInt64Array)).toEqual([1n, 3n, -2n, 2n ** 40n]);
  });
  it('matches a naive permutation on random shapes up to rank 6', () => {
    const r = rng(5);
    for (let t = 0; t < 30; t++) {
      const rank = randInt(r, 1, 6);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 4));
      const perm = iota(rank);
      for (let i = rank - 1; i > 0; i--) { const j = randInt(r, 0, i); [perm[i], perm[j]] = [perm[j]!, perm[i]!]; }
      const n = shape.reduce((p, v) => p * v, 1);
      const y = run1(Op.TRANSPOSE, [{ type: i32, shape, data: iota(n) }, { type: i32, shape: [rank], data: perm, constant: true }], i32);
      const outShape = perm.map((p) => shape[p]!);
      expect(y.shape).toEqual(outShape);
      const want: number[] = [];
      for (const idx of indices(outShape)) {
        const src = new Array<number>(rank);
        perm.forEach((p, i) => { src[p] = idx[i]!; });
        want.push(flatIndex(shape, src));
      }
      expect(Array.from(y.data as Int32Array)).toEqual(want);
    }
  });
  it('refuses a bad permutation', () => {
    expect(() => run1(Op.TRANSPOSE, [{ type: f32, shape: [2, 3] }, { type: i32, shape: [2], data: [0, 0], constant: true }], f32))
      .toThrow(/\[0,0\] is not a permutation of 0..1/);
  });
});
