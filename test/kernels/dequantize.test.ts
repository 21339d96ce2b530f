import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op, TensorType } from '../../schema/enums.js';
import { q, runOp } from '../helpers/run_op.js';
import { f32, i32, i64, i8, run1, u8 } from './float_misc_helpers.js';

describe('DEQUANTIZE', () => {
  it('uint8 and int8 per-tensor, constant and not', () => {
    const a = runOp({ op: Op.DEQUANTIZE, inputs: [{ type: u8, shape: [4], data: [0, 1, 127, 255], quant: q(0.5, 127) }], outputs: [{ type: f32 }] })[0]!;
    expect(Array.from(a.data as Float32Array)).toEqual([-63.5, -63, 0, 64]);
    const b = runOp({ op: Op.DEQUANTIZE, version: 2, inputs: [{ type: i8, shape: [3], data: [-128, -1, 127], quant: q(0.25, -1), constant: true }], outputs: [{ type: f32 }] })[0]!;
    expect(Array.from(b.data as Float32Array)).toEqual([-31.75, 0, 32]);
  });
  it('int8 per-axis constant (axis 0 of [2,3])', () => {
    const y = runOp({
      op: Op.DEQUANTIZE, version: 5,
      inputs: [{ type: i8, shape: [2, 3], data: [1, 2, 3, 1, 2, 3], quant: { scale: [0.5, 2], zeroPoint: [0, 1], quantizedDimension: 0 }, constant: true }],
      outputs: [{ type: f32 }],
    })[0]!;
    expect(Array.from(y.data as Float32Array)).toEqual([0.5, 1, 1.5, 0, 2, 4]);
  });
  it('float16 constants', () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x3555 ≈ 0.33325, 0x7c00 = inf, 0x0001 = 2^-24
    const y = runOp({ op: Op.DEQUANTIZE, version: 3, inputs: [{ type: TensorType.FLOAT16, shape: [5], data: [0x3c00, 0xc000, 0x3555, 0x7c00, 0x0001], constant: true }], outputs: [{ type: f32 }] })[0]!;
    expect(Array.from(y.data as Float32Array)).toEqual([1, -2, Math.fround(0.333251953125), Infinity, Math.fround(2 ** -24)]);
  });
  it('prepare errors', () => {
    expect(() => runOp({ op: Op.DEQUANTIZE, inputs: [{ type: u8, shape: [1] }], outputs: [{ type: f32 }] })).toThrow(/has no quantization parameters/);
    expect(() => runOp({ op: Op.DEQUANTIZE, inputs: [{ type: u8, shape: [1], quant: q(1, 0) }], outputs: [{ type: i32 }] })).toThrow(/output type INT32 must be FLOAT32/);
  });
});

describe('CAST', () => {
  it('float → int truncates, → bool, int64 both ways', () => {
    const x = { type: f32, shape: [5], data: [-2.7, -0.5, 0, 1.9, 300.2] };
    expect(Array.from(run1(Op.CAST, [x], i32).data as Int32Array)).toEqual([-2, 0, 0, 1, 300]);
    expect(Array.from(run1(Op.CAST, [x], TensorType.BOOL).data as Uint8Array)).toEqual([1, 1, 0, 1, 1]);
    expect(Array.from(run1(Op.CAST, [x], i64).data as BigInt64Array)).toEqual([-2n, 0n, 0n, 1n, 300n]);
    const big = run1(Op.CAST, [{ type: i64, shape: [3], data: [-(2n ** 40n), 5n, -1n] }], f32);
    expect(Array.from(big.data as Float32Array)).toEqual([-(2 ** 40), 5, -1]);
    expect(Array.from(run1(Op.CAST, [{ type: u8, shape: [2], data: [0, 255] }], i8).data as Int8Array)).toEqual([0, -1]);
    expect(Array.from(run1(Op.CAST, [{ type: i32, shape: [2], data: [7, -3] }], f32).data as Float32Array)).toEqual([7, -3]);
  });
  it('refuses unsupported types', () => {
    expect(() => run1(Op.CAST, [{ type: f32, shape: [1] }], TensorType.FLOAT16)).toThrow(/output type FLOAT16 is not supported/);
  });
});
