import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';

const i32 = TensorType.INT32;

describe('PACK', () => {
  const run = (axis: number) => runOp({
    op: BuiltinOperator.PACK,
    options: { kind: 'PackOptions', valuesCount: 3, axis },
    inputs: [1, 2, 3].map((k) => ({ type: i32, shape: [2, 2], data: [k * 10, k * 10 + 1, k * 10 + 2, k * 10 + 3] })),
    outputs: [{ type: i32 }],
  })[0]!;

  it('axis 0 stacks whole tensors', () => {
    const y = run(0);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(Array.from(y.data as Int32Array)).toEqual([10, 11, 12, 13, 20, 21, 22, 23, 30, 31, 32, 33]);
  });

  it('axis -1 interleaves elements', () => {
    const y = run(-1);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(Array.from(y.data as Int32Array)).toEqual([10, 20, 30, 11, 21, 31, 12, 22, 32, 13, 23, 33]);
  });

  it('refuses inputs of different shapes', () => {
    expect(() => runOp({
      op: BuiltinOperator.PACK,
      options: { kind: 'PackOptions', valuesCount: 2, axis: 0 },
      inputs: [{ type: i32, shape: [2], data: [1, 2] }, { type: i32, shape: [3], data: [1, 2, 3] }],
      outputs: [{ type: i32 }],
    })).toThrow(/input 1 has shape \[3\], input 0 has \[2\]/);
  });
});

