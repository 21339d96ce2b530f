import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { f32, i64, iota, run1 } from './float_misc_helpers.js';

describe('DEPTH_TO_SPACE and SPACE_TO_DEPTH', () => {
  it('TFLite vectors and round trip', () => {
    const d = run1(Op.DEPTH_TO_SPACE, [{ type: f32, shape: [1, 1, 1, 4], data: [1, 2, 3, 4] }], f32, { kind: 'DepthToSpaceOptions', blockSize: 2 });
    expect(d.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(d.data as Float32Array)).toEqual([1, 2, 3, 4]);
    const x = iota(2 * 4 * 6 * 3);
    const s = run1(Op.SPACE_TO_DEPTH, [{ type: f32, shape: [2, 4, 6, 3], data: x }], f32, { kind: 'SpaceToDepthOptions', blockSize: 2 });
    expect(s.shape).toEqual([2, 2, 3, 12]);
    // out[0,0,0,(dh*2+dw)*3+c] = in[0,dh,dw,c]
    expect(Array.from(s.data as Float32Array).slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23]);
    const back = run1(Op.DEPTH_TO_SPACE, [{ type: f32, shape: [2, 2, 3, 12], data: s.data as Float32Array }], f32, { kind: 'DepthToSpaceOptions', blockSize: 2 });
    expect(Array.from(back.data as Float32Array)).toEqual(x);
    const w = run1(Op.DEPTH_TO_SPACE, [{ type: i64, shape: [1, 1, 1, 4], data: [1n, 2n, -3n, 2n ** 50n] }], i64, { kind: 'DepthToSpaceOptions', blockSize: 2 });
    expect(Array.from(w.data as BigInt64Array)).toEqual([1n, 2n, -3n, 2n ** 50n]);
  });
  it('prepare errors', () => {
    expect(() => run1(Op.DEPTH_TO_SPACE, [{ type: f32, shape: [1, 1, 1, 3] }], f32, { kind: 'DepthToSpaceOptions', blockSize: 2 })).toThrow(/depth 3 is not divisible by block_size² = 4/);
    expect(() => run1(Op.SPACE_TO_DEPTH, [{ type: f32, shape: [1, 3, 2, 1] }], f32, { kind: 'SpaceToDepthOptions', blockSize: 2 })).toThrow(/must be multiples of block_size 2/);
  });
});
