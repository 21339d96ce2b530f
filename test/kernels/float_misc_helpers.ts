/** Small helpers shared by the float element-wise / data-movement kernel tests. */
import { expect } from 'vitest';
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { OpTensorSpec } from '../helpers/run_op.js';
import { runOp } from '../helpers/run_op.js';
import type { Tensor } from '../../kernels/tensor.js';

export const f32 = TensorType.FLOAT32, i32 = TensorType.INT32, i64 = TensorType.INT64;
export const u8 = TensorType.UINT8, i8 = TensorType.INT8;

/** Runs a single-output op and returns the output tensor. */
export function run1(op: number, inputs: (OpTensorSpec | null)[], outType: TensorType, options: BuiltinOptions | null = null, version = 1): Tensor {
  return runOp({ op, version, options, inputs, outputs: [{ type: outType }] })[0]!;
}

/** Expects every element within atol + rtol·|want|. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol = 1e-6, rtol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w)) { expect(Number.isNaN(g)).toBe(true); continue; }
    if (Math.abs(g - w) > atol + rtol * Math.abs(w)) {
      throw new Error(`element ${i}: got ${g}, want ${w}`);
    }
  }
}

/** Row-major multi-index → flat index. */
export function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i]! + idx[i]!;
  return f;
}

/** All multi-indices of a shape in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((p, v) => p * v, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

export function iota(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
