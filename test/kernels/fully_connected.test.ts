import { describe, expect, it } from 'vitest';
import type { FullyConnectedOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, TensorType } from '../../schema/enums.js';
import { runOp } from '../helpers/run_op.js';
import { firstMismatch, naiveFullyConnected, randArray, randInt, rng } from '../helpers/naive_float.js';

const F32 = TensorType.FLOAT32;

function opts(o: Partial<FullyConnectedOptions> = {}): FullyConnectedOptions {
  return { kind: 'FullyConnectedOptions', fusedActivationFunction: Act.NONE, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false, ...o };
}

function fc(
  x: ArrayLike<number>, xs: number[], w: ArrayLike<number>, ws: number[], bias: ArrayLike<number> | null,
  o: FullyConnectedOptions, constant = true, version = 1,
) {
  return runOp({
    op: BuiltinOperator.FULLY_CONNECTED, version, options: o,
    inputs: [
      { type: F32, shape: xs, data: x },
      { type: F32, shape: ws, data: w, constant },
      bias ? { type: F32, shape: [bias.length], data: bias, constant } : null,
    ],
    outputs: [{ type: F32 }],
  })[0]!;
}

describe('FULLY_CONNECTED float32', () => {
  // Values from TFLite's fully_connected_test.cc SimpleTest: 2 rows of 10, 3 units of weights 1..10, RELU.
  it('x=[2,10] w=[3,10] bias relu', () => {
    const w = Array.from({ length: 3 }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).flat();
    const y = fc([1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10], [2, 10], w, [3, 10], [1, 2, 3],
      opts({ fusedActivationFunction: Act.RELU }));
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([24, 25, 26, 58, 59, 60]);
  });

  it('keep_num_dims keeps the leading dimensions of a 3-D input; otherwise rows are flattened', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const w = [1, 0, 0, 1, 1, 1];
    const kept = fc(x, [2, 3, 2], w, [3, 2], null, opts({ keepNumDims: true }), true, 6);
    expect(kept.shape).toEqual([2, 3, 3]);
    expect(Array.from(kept.data as Float32Array)).toEqual([1, 2, 3, 3, 4, 7, 5, 6, 11, 7, 8, 15, 9, 10, 19, 11, 12, 23]);
    const flat = fc(x, [2, 3, 2], w, [3, 2], null, opts(), true, 6);
    expect(flat.shape).toEqual([6, 3]);
    // An input whose last dimension is not the input size is read as rows of inputSize.
    const rows = fc(x, [3, 4], w, [3, 2], [0, 0, 100], opts());
    expect(rows.shape).toEqual([6, 3]);
    expect(Array.from(rows.data as Float32Array).slice(0, 6)).toEqual([1, 2, 103, 3, 4, 107]);
  });

  const acts = [Act.NONE, Act.RELU, Act.RELU_N1_TO_1, Act.RELU6];
  it('matches the naive reference on 40 seeded random cases', () => {
    const r = rng(77);
    for (let t = 0; t < 40; t++) {
      const lead = Array.from({ length: randInt(r, 0, 2) }, () => randInt(r, 1, 5));
      const I = randInt(r, 1, 70), U = randInt(r, 1, 40);
      const xs = [...lead, I];
      const n = xs.reduce((a, v) => a * v, 1);
      const x = randArray(r, n, 2), w = randArray(r, U * I), bias = t % 3 === 0 ? null : randArray(r, U);
      const keep = t % 2 === 1;
      const act = acts[t % 4]!;
      const y = fc(x, xs, w, [U, I], bias, opts({ keepNumDims: keep, fusedActivationFunction: act }), t % 5 !== 0, 6);
      const ref = naiveFullyConnected(x, xs, w, [U, I], bias, act, keep);
      const label = `case ${t}: x=[${xs}] w=[${U},${I}] keep=${keep}`;
      expect(y.shape, label).toEqual(ref.shape);
      expect(firstMismatch(y.data as Float32Array, ref.data), label).toBe(-1);
    }
  });

  describe('prepare errors', () => {
    it('rejects weights that are not rank 2', () => {
      expect(() => fc(new Float32Array(4), [1, 4], new Float32Array(8), [2, 2, 2], null, opts())).toThrow(/weights must have rank 2/);
    });
    it('rejects an input whose size is not a multiple of the input size', () => {
      expect(() => fc(new Float32Array(5), [1, 5], new Float32Array(8), [2, 4], null, opts()))
        .toThrow(/has 5 elements, not a multiple of the weights' input size 4/);
    });
    it('rejects keep_num_dims with a last dimension different from the input size', () => {
      expect(() => fc(new Float32Array(8), [2, 4], new Float32Array(4), [2, 2], null, opts({ keepNumDims: true })))
        .toThrow(/keep_num_dims needs the input's last dimension \(4\) to equal the input size 2/);
    });
    it('rejects a bias of the wrong size', () => {
      expect(() => fc(new Float32Array(4), [1, 4], new Float32Array(8), [2, 4], [1, 2, 3], opts())).toThrow(/bias has 3 elements, expected 2/);
    });
    it('rejects shuffled weights', () => {
      expect(() => fc(new Float32Array(4), [1, 4], new Float32Array(8), [2, 4], null, opts({ weightsFormat: 1 }), true, 2))
        .toThrow(/weights format SHUFFLED4x16INT8 is not supported/);
    });
    it('rejects hybrid int8 weights', () => {
      expect(() => runOp({
        op: BuiltinOperator.FULLY_CONNECTED, version: 3, options: opts(),
        inputs: [{ type: F32, shape: [1, 4], data: new Float32Array(4) }, { type: TensorType.INT8, shape: [2, 4], constant: true }, null],
        outputs: [{ type: F32 }],
      })).toThrow(/hybrid \(dynamic-range\) quantization is not supported: float32 input with INT8 weights/);
    });
  });
});
