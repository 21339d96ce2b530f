import { describe, expect, it } from 'vitest';
import type { StridedSliceOptions } from '../../schema/builtin_options.js';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randInt, rng } from '../helpers/naive_float.js';
import { f32, flatIndex, i32, indices, iota, run1, u8 } from './float_misc_helpers.js';

const so = (o: Partial<StridedSliceOptions> = {}): StridedSliceOptions => ({
  kind: 'StridedSliceOptions', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false, ...o,
});
const c = (v: number[]) => ({ type: i32, shape: [v.length], data: v, constant: true });

function ss(shape: number[], data: number[], b: number[], e: number[], s: number[], o: Partial<StridedSliceOptions> = {}) {
  const y = run1(Op.STRIDED_SLICE, [{ type: f32, shape, data }, c(b), c(e), c(s)], f32, so(o));
  return { shape: y.shape, data: Array.from(y.data as Float32Array) };
}

/** numpy/Python slice semantics, written independently of the kernel (no ellipsis / new axis). */
function naive(shape: number[], b: number[], e: number[], s: number[], bm: number, em: number, shrink: number) {
  const ranges: number[][] = [];
  const outShape: number[] = [];
  shape.forEach((size, i) => {
    if (shrink & (1 << i)) { ranges.push([b[i]! < 0 ? b[i]! + size : b[i]!]); return; }
    const st = s[i]!;
    const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + size : v, lo), hi);
    const start = bm & (1 << i) ? (st > 0 ? 0 : size - 1) : st > 0 ? norm(b[i]!, 0, size) : norm(b[i]!, -1, size - 1);
    const stop = em & (1 << i) ? (st > 0 ? size : -1) : st > 0 ? norm(e[i]!, 0, size) : norm(e[i]!, -1, size - 1);
    const r: number[] = [];
    for (let k = start; st > 0 ? k < stop : k > stop; k += st) r.push(k);
    ranges.push(r);
    outShape.push(r.length);
  });
  const data: number[] = [];
  for (const idx of indices(ranges.map((r) => r.length))) data.push(flatIndex(shape, idx.map((k, i) => ranges[i]![k]!)));
  return { shape: outShape, data };
}

describe('STRIDED_SLICE', () => {
  it('TFLite 1-D cases: negative begin, out-of-range begin, negative stride, end mask, shrink', () => {
    expect(ss([4], [1, 2, 3, 4], [1], [3], [1])).toEqual({ shape: [2], data: [2, 3] });
    expect(ss([4], [1, 2, 3, 4], [-3], [3], [1])).toEqual({ shape: [2], data: [2, 3] });
    expect(ss([4], [1, 2, 3, 4], [-5], [3], [1])).toEqual({ shape: [3], data: [1, 2, 3] });
    expect(ss([3], [1, 2, 3], [-1], [-4], [-1])).toEqual({ shape: [3], data: [3, 2, 1] });
    expect(ss([4], [1, 2, 3, 4], [1], [3], [1], { endMask: 1 })).toEqual({ shape: [3], data: [2, 3, 4] });
    expect(ss([4], [1, 2, 3, 4], [1], [2], [1], { shrinkAxisMask: 1 })).toEqual({ shape: [], data: [2] });
    expect(ss([4, 1], [0, 1, 2, 3], [-1, 0], [0, 1], [1, 1], { shrinkAxisMask: 1 })).toEqual({ shape: [1], data: [3] });
  });
  it('ellipsis, new axis and offset', () => {
    const x = iota(24);
    // x[..., 1:3] on [2,3,4]
    const a = ss([2, 3, 4], x, [0, 1], [0, 3], [1, 1], { ellipsisMask: 1 });
    expect(a.shape).toEqual([2, 3, 2]);
    expect(a.data.slice(0, 4)).toEqual([1, 2, 5, 6]);
    // x[tf.newaxis, 0:1] on [2,3,4]
    const b = ss([2, 3, 4], x, [0, 0], [0, 1], [1, 1], { newAxisMask: 1 });
    expect(b.shape).toEqual([1, 1, 3, 4]);
    expect(b.data).toEqual(iota(12));
    // x[1, ..., ::-2]
    const d = ss([2, 3, 4], x, [1, 0, 0], [2, 0, 0], [1, 1, -2], { ellipsisMask: 2, shrinkAxisMask: 1, endMask: 4, beginMask: 4 });
    expect(d.shape).toEqual([3, 2]);
    expect(d.data).toEqual([15, 13, 19, 17, 23, 21]);
    // offset: end holds sizes.
    const o = ss([4, 4], iota(16), [1, 2], [2, 2], [1, 1], { offset: true });
    expect(o).toEqual({ shape: [2, 2], data: [6, 7, 10, 11] });
  });
  it('offset with a run-time begin', () => {
    const y = run1(Op.STRIDED_SLICE, [{ type: u8, shape: [5], data: [10, 11, 12, 13, 14] }, { type: i32, shape: [1], data: [2] }, c([2]), c([1])], u8, so({ offset: true }));
    expect(Array.from(y.data as Uint8Array)).toEqual([12, 13]);
    expect(() => run1(Op.STRIDED_SLICE, [{ type: u8, shape: [5] }, { type: i32, shape: [1], data: [4] }, c([2]), c([1])], u8, so({ offset: true })))
      .toThrow(/leaves fewer than the 2 elements/);
  });
  it('matches numpy slicing on random masks and negative strides', () => {
    const r = rng(99);
    for (let t = 0; t < 60; t++) {
      const rank = randInt(r, 1, 5);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 5));
      const b: number[] = [], e: number[] = [], s: number[] = [];
      for (let i = 0; i < rank; i++) {
        b.push(randInt(r, -6, 6)); e.push(randInt(r, -6, 6));
        s.push((r() < 0.5 ? -1 : 1) * randInt(r, 1, 3));
      }
      const bm = randInt(r, 0, (1 << rank) - 1), em = randInt(r, 0, (1 << rank) - 1);
      let shrink = randInt(r, 0, (1 << rank) - 1);
      for (let i = 0; i < rank; i++) if (b[i]! < -shape[i]! || b[i]! >= shape[i]!) shrink &= ~(1 << i);
      for (let i = 0; i < rank; i++) if (shrink & (1 << i)) { s[i] = 1; }
      const x = iota(shape.reduce((p, v) => p * v, 1));
      const got = ss(shape, x, b, e, s, { beginMask: bm & ~shrink, endMask: em & ~shrink, shrinkAxisMask: shrink });
      expect(got, JSON.stringify({ shape, b, e, s, bm, em, shrink })).toEqual(naive(shape, b, e, s, bm & ~shrink, em & ~shrink, shrink));
    }
  });
  it('prepare errors: zero stride, non-constant end', () => {
    expect(() => ss([4], iota(4), [0], [2], [0])).toThrow(/stride value has to be non-zero/);
    expect(() => run1(Op.STRIDED_SLICE, [{ type: f32, shape: [4] }, c([0]), { type: i32, shape: [1], data: [2] }, c([1])], f32, so()))
      .toThrow(/end input .* is not a constant tensor/);
  });
});
