import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op, TensorType } from '../../schema/enums.js';
import { f32, i32, i64, iota, run1, u8 } from './float_misc_helpers.js';

describe('GATHER', () => {
  it('axis 0 with a 2-D index tensor, negative axis, INT64 indices', () => {
    const y = run1(Op.GATHER, [{ type: f32, shape: [3, 2], data: iota(6) }, { type: i32, shape: [2, 2], data: [2, 0, 1, 1] }], f32,
      { kind: 'GatherOptions', axis: 0, batchDims: 0 });
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.data as Float32Array)).toEqual([4, 5, 0, 1, 2, 3, 2, 3]);
    const z = run1(Op.GATHER, [{ type: u8, shape: [2, 3], data: iota(6) }, { type: i64, shape: [2], data: [2n, 0n] }], u8,
      { kind: 'GatherOptions', axis: -1, batchDims: 0 });
    expect(z.shape).toEqual([2, 2]);
    expect(Array.from(z.data as Uint8Array)).toEqual([2, 0, 5, 3]);
  });
  it('batch_dims 1', () => {
    const y = run1(Op.GATHER, [{ type: i32, shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, { type: i32, shape: [2, 2], data: [2, 0, 1, 1] }], i32,
      { kind: 'GatherOptions', axis: 1, batchDims: 1 });
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data as Int32Array)).toEqual([3, 1, 5, 5]);
  });
  it('throws on an out-of-range index at eval and on bad batch_dims at prepare', () => {
    expect(() => run1(Op.GATHER, [{ type: f32, shape: [3] }, { type: i32, shape: [1], data: [3] }], f32, { kind: 'GatherOptions', axis: 0, batchDims: 0 }))
      .toThrow(/index 3 is outside \[0, 3\)/);
    expect(() => run1(Op.GATHER, [{ type: f32, shape: [3] }, { type: TensorType.FLOAT32, shape: [1] }], f32, { kind: 'GatherOptions', axis: 0, batchDims: 0 }))
      .toThrow(/indices type FLOAT32 is not supported/);
  });
});

describe('ARG_MAX', () => {
  it('first maximum along an axis, INT32 and INT64 outputs', () => {
    const x = { type: f32, shape: [2, 3], data: [1, 9, 9, 4, 2, 0] };
    const y = run1(Op.ARG_MAX, [x, { type: i32, shape: [1], data: [1], constant: true }], i32, { kind: 'ArgMaxOptions', outputType: i32 });
    expect(y.shape).toEqual([2]);
    expect(Array.from(y.data as Int32Array)).toEqual([1, 0]);
    const z = run1(Op.ARG_MAX, [x, { type: i32, shape: [1], data: [0], constant: true }], i64, { kind: 'ArgMaxOptions', outputType: i64 });
    expect(Array.from(z.data as BigInt64Array)).toEqual([1n, 0n, 0n]);
    expect(() => run1(Op.ARG_MAX, [x, { type: i32, shape: [1], data: [0], constant: true }], f32, { kind: 'ArgMaxOptions', outputType: f32 }))
      .toThrow(/output type FLOAT32 must be INT32 or INT64/);
  });
});
