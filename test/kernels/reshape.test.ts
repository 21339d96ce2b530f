import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { q } from '../helpers/run_op.js';
import { runOp } from '../helpers/run_op.js';
import { f32, i32, i64, iota, run1, u8 } from './float_misc_helpers.js';

describe('RESHAPE, SQUEEZE, EXPAND_DIMS, SHAPE', () => {
  it('RESHAPE from a constant shape input with -1, from options, and the legacy [0] scalar', () => {
    const y = run1(Op.RESHAPE, [{ type: f32, shape: [2, 3, 2], data: iota(12) }, { type: i32, shape: [2], data: [-1, 4], constant: true }], f32);
    expect(y.shape).toEqual([3, 4]);
    expect(Array.from(y.data as Float32Array)).toEqual(iota(12));
    const z = run1(Op.RESHAPE, [{ type: i64, shape: [1, 2], data: [5n, -7n] }], i64, { kind: 'ReshapeOptions', newShape: [2] });
    expect(z.shape).toEqual([2]);
    expect(Array.from(z.data as BigInt64Array)).toEqual([5n, -7n]);
    const s = run1(Op.RESHAPE, [{ type: f32, shape: [1, 1], data: [3] }], f32, { kind: 'ReshapeOptions', newShape: [0] });
    expect(s.shape).toEqual([]);
    const e = run1(Op.RESHAPE, [{ type: f32, shape: [0, 3] }, { type: i32, shape: [2], data: [-1, 0], constant: true }], f32);
    expect(e.shape).toEqual([0, 0]);
  });
  it('RESHAPE with a non-constant shape input uses matching options and checks the run-time values', () => {
    const y = runOp({
      op: Op.RESHAPE, options: { kind: 'ReshapeOptions', newShape: [2, -1] },
      inputs: [{ type: u8, shape: [4], data: [1, 2, 3, 4], quant: q(0.5, 3) }, { type: i32, shape: [2], data: [2, -1] }],
      outputs: [{ type: u8, quant: q(0.5, 3) }],
    })[0]!;
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data as Uint8Array)).toEqual([1, 2, 3, 4]);
    expect(() => run1(Op.RESHAPE, [{ type: f32, shape: [4] }, { type: i32, shape: [2], data: [1, 4] }], f32, { kind: 'ReshapeOptions', newShape: [2, 2] }))
      .toThrow(/shape input changed at run time/);
    expect(() => run1(Op.RESHAPE, [{ type: f32, shape: [4] }, { type: i32, shape: [2], data: [2, 2] }], f32))
      .toThrow(/node 0 RESHAPE \(v1\): shape input .* is not constant and the options carry no matching new_shape/);
  });
  it('RESHAPE prepare errors: element count, two -1, quantization mismatch', () => {
    expect(() => run1(Op.RESHAPE, [{ type: f32, shape: [6] }, { type: i32, shape: [2], data: [4, -1], constant: true }], f32))
      .toThrow(/cannot infer the -1 of \[4,-1\] from 6 elements/);
    expect(() => run1(Op.RESHAPE, [{ type: f32, shape: [6] }, { type: i32, shape: [2], data: [-1, -1], constant: true }], f32))
      .toThrow(/more than one -1/);
    expect(() => runOp({ op: Op.RESHAPE, options: { kind: 'ReshapeOptions', newShape: [2] }, inputs: [{ type: u8, shape: [2], quant: q(1, 0) }], outputs: [{ type: u8, quant: q(2, 0) }] }))
      .toThrow(/input and output quantization differ/);
  });
  it('SQUEEZE listed (negative) dims or all 1s; errors on a non-1 dim', () => {
    expect(run1(Op.SQUEEZE, [{ type: f32, shape: [1, 3, 1, 2] }], f32, { kind: 'SqueezeOptions', squeezeDims: [] }).shape).toEqual([3, 2]);
    expect(run1(Op.SQUEEZE, [{ type: i32, shape: [1, 3, 1, 2], data: iota(6) }], i32, { kind: 'SqueezeOptions', squeezeDims: [-2] }).shape).toEqual([1, 3, 2]);
    expect(() => run1(Op.SQUEEZE, [{ type: f32, shape: [1, 3] }], f32, { kind: 'SqueezeOptions', squeezeDims: [1] })).toThrow(/cannot squeeze dimension 1 of size 3/);
  });
  it('EXPAND_DIMS at positive and negative axes', () => {
    const x = { type: f32, shape: [2, 3], data: iota(6) };
    expect(run1(Op.EXPAND_DIMS, [x, { type: i32, shape: [], data: [0], constant: true }], f32).shape).toEqual([1, 2, 3]);
    expect(run1(Op.EXPAND_DIMS, [x, { type: i64, shape: [1], data: [-1n], constant: true }], f32).shape).toEqual([2, 3, 1]);
    expect(() => run1(Op.EXPAND_DIMS, [x, { type: i32, shape: [], data: [4], constant: true }], f32)).toThrow(/axis 4 is out of range for rank 2/);
  });
  it('SHAPE as INT32 and INT64', () => {
    expect(Array.from(run1(Op.SHAPE, [{ type: u8, shape: [1, 5, 7] }], i32).data as Int32Array)).toEqual([1, 5, 7]);
    expect(Array.from(run1(Op.SHAPE, [{ type: f32, shape: [3, 2] }], i64, { kind: 'ShapeOptions', outType: i64 }).data as BigInt64Array)).toEqual([3n, 2n]);
    expect(() => run1(Op.SHAPE, [{ type: f32, shape: [3] }], f32)).toThrow(/output type FLOAT32 is not supported/);
  });
});
