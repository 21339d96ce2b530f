import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randArray, randInt, rng } from '../helpers/naive_float.js';
import { expectClose, f32, flatIndex, i32, indices, run1 } from './float_misc_helpers.js';

const ro = (keepDims: boolean) => ({ kind: 'ReducerOptions', keepDims });

function naiveReduce(x: ArrayLike<number>, shape: number[], axes: number[], mean: boolean): number[] {
  const red = shape.map((_, i) => axes.some((a) => (a < 0 ? a + shape.length : a) === i));
  const kept = shape.map((d, i) => (red[i] ? 1 : d));
  const out = new Array<number>(kept.reduce((p, v) => p * v, 1)).fill(0);
  let count = 1;
  shape.forEach((d, i) => { if (red[i]) count *= d; });
  for (const idx of indices(shape)) out[flatIndex(kept, idx.map((v, i) => (red[i] ? 0 : v)))]! += x[flatIndex(shape, idx)]!;
  return mean ? out.map((v) => v / count) : out;
}

describe('MEAN and SUM', () => {
  it('global average over H,W of [1,2,2,2] with keep_dims, negative and duplicate axes', () => {
    const x = { type: f32, shape: [1, 2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] };
    const y = run1(Op.MEAN, [x, { type: i32, shape: [3], data: [1, -2, 2], constant: true }], f32, ro(true));
    expect(y.shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual([4, 5]);
    const s = run1(Op.SUM, [x, { type: i32, shape: [1], data: [-1], constant: true }], f32, ro(false));
    expect(s.shape).toEqual([1, 2, 2]);
    expect(Array.from(s.data as Float32Array)).toEqual([3, 7, 11, 15]);
    const all = run1(Op.SUM, [{ type: i32, shape: [2, 2], data: [1, 2, 3, -10] }, { type: i32, shape: [2], data: [0, 1], constant: true }], i32, ro(false));
    expect(all.shape).toEqual([]);
    expect(Array.from(all.data as Int32Array)).toEqual([-4]);
  });
  it('matches a naive reduction on random shapes and axes', () => {
    const r = rng(11);
    for (let t = 0; t < 40; t++) {
      const rank = randInt(r, 1, 5);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 4));
      const axes = Array.from({ length: randInt(r, 1, rank) }, () => randInt(r, -rank, rank - 1));
      const x = randArray(r, shape.reduce((p, v) => p * v, 1), 3);
      const mean = t % 2 === 0;
      const y = run1(mean ? Op.MEAN : Op.SUM, [{ type: f32, shape, data: x }, { type: i32, shape: [axes.length], data: axes, constant: true }], f32, ro(true));
      expectClose(y.data as Float32Array, naiveReduce(x, shape, axes, mean), 1e-6, 1e-6);
    }
  });
  it('prepare errors: non-constant axes, axis out of range', () => {
    expect(() => run1(Op.MEAN, [{ type: f32, shape: [2, 2] }, { type: i32, shape: [1], data: [0] }], f32, ro(false)))
      .toThrow(/axes input .* is not a constant tensor/);
    expect(() => run1(Op.MEAN, [{ type: f32, shape: [2, 2] }, { type: i32, shape: [1], data: [2], constant: true }], f32, ro(false)))
      .toThrow(/axis 2 is out of range for rank 2/);
  });
});
