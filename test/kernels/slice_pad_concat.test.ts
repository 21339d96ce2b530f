import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator as Op } from '../../schema/enums.js';
import { q, runOp } from '../helpers/run_op.js';
import { randInt, rng } from '../helpers/naive_float.js';
import { f32, flatIndex, i32, i64, indices, iota, run1, u8 } from './float_misc_helpers.js';

const c = (v: number[], shape = [v.length]) => ({ type: i32, shape, data: v, constant: true });

describe('SLICE', () => {
  it('hand case with size -1 and INT64 begin/size', () => {
    const y = run1(Op.SLICE, [{ type: f32, shape: [3, 2, 3], data: iota(18) }, c([1, 0, 0]), c([2, 1, -1])], f32);
    expect(y.shape).toEqual([2, 1, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([6, 7, 8, 12, 13, 14]);
    const z = run1(Op.SLICE, [{ type: i64, shape: [4], data: [1n, 2n, 3n, 4n] }, { type: i64, shape: [1], data: [1n], constant: true }, { type: i64, shape: [1], data: [2n], constant: true }], i64);
    expect(Array.from(z.data as BigInt64Array)).toEqual([2n, 3n]);
  });
  it('matches naive slicing on random shapes', () => {
    const r = rng(21);
    for (let t = 0; t < 30; t++) {
      const rank = randInt(r, 1, 6);
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 4));
      const begin = shape.map((d) => randInt(r, 0, d - 1));
      const size = shape.map((d, i) => (r() < 0.3 ? -1 : randInt(r, 0, d - begin[i]!)));
      const y = run1(Op.SLICE, [{ type: i32, shape, data: iota(shape.reduce((p, v) => p * v, 1)) }, c(begin), c(size)], i32);
      const outShape = shape.map((d, i) => (size[i] === -1 ? d - begin[i]! : size[i]!));
      expect(y.shape).toEqual(outShape);
      expect(Array.from(y.data as Int32Array)).toEqual([...indices(outShape)].map((idx) => flatIndex(shape, idx.map((v, i) => v + begin[i]!))));
    }
  });
  it('refuses a slice past the end', () => {
    expect(() => run1(Op.SLICE, [{ type: f32, shape: [3] }, c([2]), c([2])], f32)).toThrow(/dimension 0: begin 2 size 2 does not fit in 3/);
  });
});

describe('PAD and PADV2', () => {
  it('PAD every side of a [1,2,2,1] (TFLite test vector)', () => {
    const y = run1(Op.PAD, [{ type: f32, shape: [1, 2, 2, 1], data: [1, 2, 3, 4] }, c([0, 0, 1, 1, 1, 1, 0, 0], [4, 2])], f32);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  });
  it('PADV2 with a constant value, asymmetric, INT64 and same-quant UINT8', () => {
    const y = run1(Op.PADV2, [{ type: f32, shape: [2, 1], data: [1, 2] }, c([1, 0, 0, 2], [2, 2]), { type: f32, shape: [], data: [-5], constant: true }], f32);
    expect(y.shape).toEqual([3, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([-5, -5, -5, 1, -5, -5, 2, -5, -5]);
    const z = run1(Op.PADV2, [{ type: i64, shape: [1], data: [7n] }, c([1, 1], [1, 2]), { type: i64, shape: [], data: [-(2n ** 33n)], constant: true }], i64);
    expect(Array.from(z.data as BigInt64Array)).toEqual([-(2n ** 33n), 7n, -(2n ** 33n)]);
    const w = runOp({
      op: Op.PADV2, inputs: [{ type: u8, shape: [2], data: [9, 8], quant: q(0.1, 4) }, c([0, 1], [1, 2]), { type: u8, shape: [], data: [4], quant: q(0.1, 4), constant: true }],
      outputs: [{ type: u8, quant: q(0.1, 4) }],
    })[0]!;
    expect(Array.from(w.data as Uint8Array)).toEqual([9, 8, 4]);
  });
  it('refuses negative or non-constant paddings', () => {
    expect(() => run1(Op.PAD, [{ type: f32, shape: [2] }, c([-1, 0], [1, 2])], f32)).toThrow(/must be non-negative/);
    expect(() => run1(Op.PAD, [{ type: f32, shape: [2] }, { type: i32, shape: [1, 2], data: [1, 0] }], f32)).toThrow(/paddings input .* is not a constant tensor/);
  });
});

describe('CONCATENATION and SPLIT', () => {
  it('concatenates on a negative axis with RELU, INT64 on axis 0', () => {
    const y = run1(Op.CONCATENATION, [{ type: f32, shape: [2, 1], data: [-1, 2] }, { type: f32, shape: [2, 2], data: [3, -4, 5, 6] }], f32,
      { kind: 'ConcatenationOptions', axis: -1, fusedActivationFunction: Act.RELU });
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 3, 0, 2, 5, 6]);
    const z = run1(Op.CONCATENATION, [{ type: i64, shape: [1], data: [1n] }, { type: i64, shape: [2], data: [2n, -3n] }], i64,
      { kind: 'ConcatenationOptions', axis: 0, fusedActivationFunction: Act.NONE });
    expect(Array.from(z.data as BigInt64Array)).toEqual([1n, 2n, -3n]);
  });
  it('refuses mismatched shapes', () => {
    expect(() => run1(Op.CONCATENATION, [{ type: f32, shape: [2, 1] }, { type: f32, shape: [3, 1] }], f32, { kind: 'ConcatenationOptions', axis: 1, fusedActivationFunction: Act.NONE }))
      .toThrow(/input 1 shape \[3,1\] does not match \[2,1\] outside axis 1/);
  });
  it('SPLIT takes the axis from input 0', () => {
    const outs = runOp({
      op: Op.SPLIT, options: { kind: 'SplitOptions', numSplits: 2 },
      inputs: [{ type: i32, shape: [], data: [-1], constant: true }, { type: f32, shape: [2, 4], data: iota(8) }],
      outputs: [{ type: f32 }, { type: f32 }],
    });
    expect(outs.map((o) => o.shape)).toEqual([[2, 2], [2, 2]]);
    expect(Array.from(outs[0]!.data as Float32Array)).toEqual([0, 1, 4, 5]);
    expect(Array.from(outs[1]!.data as Float32Array)).toEqual([2, 3, 6, 7]);
    expect(() => runOp({
      op: Op.SPLIT, options: { kind: 'SplitOptions', numSplits: 3 },
      inputs: [{ type: i32, shape: [], data: [1], constant: true }, { type: f32, shape: [2, 4] }], outputs: [{ type: f32 }, { type: f32 }, { type: f32 }],
    })).toThrow(/dimension 1 of size 4 does not split into 3 equal parts/);
  });
});
