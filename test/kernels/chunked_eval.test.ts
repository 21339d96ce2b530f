/**
 * Kernels split long loops into chunks of EVAL_CHUNK elements (or rows) so that V8 optimises them without
 * allocating: these cases cross several chunk boundaries, with sizes that are not multiples of the chunk.
 */
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, TensorType } from '../../schema/enums.js';
import { EVAL_CHUNK } from '../../kernels/internal/elementwise.js';
import { runOp } from '../helpers/run_op.js';

const F32 = TensorType.FLOAT32;
const NONE = ActivationFunctionType.NONE;
const N = EVAL_CHUNK * 3 + 77;
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 4);

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tol * (1 + Math.abs(expected[i]!))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe(`long tensors (${N} elements, chunk ${EVAL_CHUNK})`, () => {
  it('ADD with a channel broadcast and RELU6', () => {
    const a = values(N * 3, 1), b = values(3, 2);
    const [y] = runOp({
      op: BuiltinOperator.ADD,
      options: { kind: 'AddOptions', fusedActivationFunction: ActivationFunctionType.RELU6, potScaleInt16: true },
      inputs: [{ type: F32, shape: [1, N, 3], data: a }, { type: F32, shape: [3], data: b }],
      outputs: [{ type: F32 }],
    });
    close(y!.data as Float32Array, Array.from(a, (v, i) => Math.min(6, Math.max(0, Math.fround(v + b[i % 3]!)))));
  });

  it('LOGISTIC', () => {
    const x = values(N, 3);
    const [y] = runOp({ op: BuiltinOperator.LOGISTIC, inputs: [{ type: F32, shape: [N], data: x }], outputs: [{ type: F32 }] });
    close(y!.data as Float32Array, Array.from(x, (v) => 1 / (1 + Math.exp(-v))));
  });

  it('MEAN over the spatial axes of [1,H,W,C]', () => {
    const h = 41, w = 53, c = 5, x = values(h * w * c, 4);
    const [y] = runOp({
      op: BuiltinOperator.MEAN, options: { kind: 'ReducerOptions', keepDims: false },
      inputs: [{ type: F32, shape: [1, h, w, c], data: x }, { type: TensorType.INT32, shape: [2], data: [1, 2], constant: true }],
      outputs: [{ type: F32 }],
    });
    const want = new Array<number>(c).fill(0);
    for (let i = 0; i < x.length; i++) want[i % c] += x[i]! / (h * w);
    expect(y!.shape).toEqual([1, c]);
    close(y!.data as Float32Array, want, 1e-5);
  });

  it('CONCATENATION on the last axis', () => {
    const a = values(N * 2, 5), b = values(N, 6);
    const [y] = runOp({
      op: BuiltinOperator.CONCATENATION, options: { kind: 'ConcatenationOptions', axis: -1, fusedActivationFunction: NONE },
      inputs: [{ type: F32, shape: [N, 2], data: a }, { type: F32, shape: [N, 1], data: b }],
      outputs: [{ type: F32 }],
    });
    const want: number[] = [];
    for (let i = 0; i < N; i++) want.push(a[2 * i]!, a[2 * i + 1]!, b[i]!);
    close(y!.data as Float32Array, want, 0);
  });

  it('SOFTMAX over a long last axis', () => {
    const x = values(N, 7);
    const [y] = runOp({
      op: BuiltinOperator.SOFTMAX, options: { kind: 'SoftmaxOptions', beta: 1 },
      inputs: [{ type: F32, shape: [1, N], data: x }], outputs: [{ type: F32 }],
    });
    const max = Math.max(...x);
    const e = Array.from(x, (v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    close(y!.data as Float32Array, e.map((v) => v / sum), 1e-5);
  });
});
