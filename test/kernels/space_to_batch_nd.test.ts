import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';

const f32 = TensorType.FLOAT32, i32 = TensorType.INT32;
const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);

function s2b(shape: number[], data: number[], block: number[], pads: number[], type = f32) {
  return runOp({
    op: BuiltinOperator.SPACE_TO_BATCH_ND,
    inputs: [
      { type, shape, data },
      { type: i32, shape: [block.length], data: block, constant: true },
      { type: i32, shape: [block.length, 2], data: pads, constant: true },
    ],
    outputs: [{ type }],
  })[0]!;
}

function b2s(shape: number[], data: ArrayLike<number>, block: number[], crops: number[], type = f32) {
  return runOp({
    op: BuiltinOperator.BATCH_TO_SPACE_ND,
    inputs: [
      { type, shape, data },
      { type: i32, shape: [block.length], data: block, constant: true },
      { type: i32, shape: [block.length, 2], data: crops, constant: true },
    ],
    outputs: [{ type }],
  })[0]!;
}

describe('SPACE_TO_BATCH_ND', () => {
  it('x=[1,4,4,1] block=[2,2] no padding', () => {
    const y = s2b([1, 4, 4, 1], range(16), [2, 2], [0, 0, 0, 0]);
    expect(y.shape).toEqual([4, 2, 2, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16]);
  });

  it('x=[1,5,2,1] block=[3,2] paddings=[[1,0],[2,0]] (TFLite test values)', () => {
    const y = s2b([1, 5, 2, 1], range(10), [3, 2], [1, 0, 2, 0]);
    expect(y.shape).toEqual([6, 2, 2, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 0, 0, 5, 0, 0, 0, 6, 0, 1, 0, 7, 0, 2, 0, 8, 0, 3, 0, 9, 0, 4, 0, 10]);
  });

  it('pads with the zero point on quantized tensors', () => {
    const q = { scale: [0.5], zeroPoint: [7], quantizedDimension: 0 };
    const y = runOp({
      op: BuiltinOperator.SPACE_TO_BATCH_ND,
      inputs: [
        { type: TensorType.UINT8, shape: [1, 1, 2, 1], data: [1, 2], quant: q },
        { type: i32, shape: [2], data: [1, 2], constant: true },
        { type: i32, shape: [2, 2], data: [0, 0, 1, 1], constant: true },
      ],
      outputs: [{ type: TensorType.UINT8, quant: q }],
    })[0]!;
    expect(y.shape).toEqual([2, 1, 2, 1]);
    expect(Array.from(y.data as Uint8Array)).toEqual([7, 2, 1, 7]);
  });

  it('refuses a padded size that is not a multiple of the block', () => {
    expect(() => s2b([1, 3, 3, 1], range(9), [2, 2], [0, 0, 0, 0])).toThrow(/not a multiple of block_shape/);
  });
});

describe('BATCH_TO_SPACE_ND', () => {
  it('x=[4,2,2,1] block=[2,2] is the inverse of the first case', () => {
    const y = b2s([4, 2, 2, 1], [1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16], [2, 2], [0, 0, 0, 0]);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.data as Float32Array)).toEqual(range(16));
  });

  it('undoes SPACE_TO_BATCH_ND with crops = paddings on random shapes (property)', () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let t = 0; t < 30; t++) {
      const bh = 1 + rnd(3), bw = 1 + rnd(3), n = 1 + rnd(2), c = 1 + rnd(3);
      const pt = rnd(3), pl = rnd(3);
      const h = 1 + rnd(6), w = 1 + rnd(6);
      const pb = (bh - ((h + pt) % bh)) % bh, pr = (bw - ((w + pl) % bw)) % bw;
      const shape = [n, h, w, c];
      const data = range(n * h * w * c);
      const mid = s2b(shape, data, [bh, bw], [pt, pb, pl, pr]);
      const back = b2s(mid.shape, mid.data as Float32Array, [bh, bw], [pt, pb, pl, pr]);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data as Float32Array)).toEqual(data);
    }
  });
});

