import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';

const f32 = TensorType.FLOAT32, i32 = TensorType.INT32;

describe('FLOOR_MOD', () => {
  it('takes the sign of the divisor (int32 and float32)', () => {
    const yi = runOp({
      op: BuiltinOperator.FLOOR_MOD,
      inputs: [{ type: i32, shape: [4], data: [5, -5, 5, -5] }, { type: i32, shape: [4], data: [3, 3, -3, -3] }],
      outputs: [{ type: i32 }],
    })[0]!;
    expect(Array.from(yi.data as Int32Array)).toEqual([2, 1, -1, -2]);
    const yf = runOp({
      op: BuiltinOperator.FLOOR_MOD,
      inputs: [{ type: f32, shape: [3], data: [5.5, -5.5, 6] }, { type: f32, shape: [1], data: [2] }],
      outputs: [{ type: f32 }],
    })[0]!;
    expect(Array.from(yf.data as Float32Array)).toEqual([1.5, 0.5, 0]);
  });
});
