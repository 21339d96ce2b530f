/**
 * Every quantized op on writer-built one-op models (quantized_op_cases.ts), uint8 and int8, every fused activation
 * the op takes, seeded random inputs: 'tflite-cpu' mode gives the oracle's bytes exactly. Reference-mode counts are
 * reported (the reference kernels are checked against test/helpers/naive_quant.ts in test/kernels/quantized/).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOracle, type Oracle } from '../helpers/tflite_oracle.js';
import { ActivationFunctionType as A, BuiltinOperator as B, Padding, TensorType as T } from '../../schema/enums.js';
import { Interpreter } from '../../src/interpreter.js';
import { testBackend } from '../helpers/backend.js';
import { buildCase, fmtCase, perChannel, qp, runCase, type OpCaseSpec } from './op_cases.js';
import { quantizedOpCases } from './quantized_op_cases.js';

let oracle: Oracle;
beforeAll(async () => {
  oracle = await loadOracle();
});

describe('quantized ops against TFLite (tflite-cpu mode: 0 bytes differ)', () => {
  const cases = quantizedOpCases();
  it(`${cases.length} one-op models, 2 seeds each`, () => {
    const bad: string[] = [];
    let runs = 0, refDiffering = 0;
    for (const c of cases) {
      for (const seed of [1, 2]) {
        const r = runCase(oracle, c, seed);
        runs++;
        if (r.differing.reference > 0) refDiffering++;
        if (r.differing['tflite-cpu'] > 0) bad.push(`${fmtCase(r)} (seed ${seed})`);
      }
    }
    console.log(`${runs} runs: tflite-cpu differs in ${bad.length}, reference mode differs from TFLite in ${refDiffering}`);
    expect(bad).toEqual([]);
  });
});

/**
 * TFLite Micro's person_detect.tflite quantizes its 1-D per-channel biases with quantized_dimension 3, past their
 * rank: TFLite refuses it, TFLite Micro runs it, and so does embedlite (axis 0; docs/quantized_arithmetic.md).
 * A writer-built CONV_2D with such a bias must give the bytes of the same model with quantized_dimension 0.
 */
describe('per-channel bias quantized past its rank (TFLite Micro leniency)', () => {
  const scales = [0.01, 0.02, 0.015, 0.03];
  const conv = (biasDim: number): OpCaseSpec => ({
    name: `CONV_2D int8 bias quantized_dimension ${biasDim}`, op: B.CONV_2D, version: 3,
    options: { kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 1, strideH: 1, fusedActivationFunction: A.RELU, dilationWFactor: 1, dilationHFactor: 1 },
    inputs: [
      { type: T.INT8, shape: [1, 12, 12, 1], quant: qp(0.02, -3) },
      { type: T.INT8, shape: [4, 3, 3, 1], data: Array.from({ length: 36 }, (_, i) => ((i * 29) % 255) - 127), quant: perChannel(scales, 0) },
      { type: T.INT32, shape: [4], data: [100, -200, 300, 50], quant: { ...perChannel(scales.map((s) => s * 0.02), 0), quantizedDimension: biasDim } },
    ],
    outputs: [{ type: T.INT8, shape: [1, 12, 12, 4], quant: qp(0.05, -10) }],
  });
  const run = (bytes: Uint8Array, input: ArrayBufferView, mode: 'tflite-cpu' | 'reference') => {
    const it = Interpreter.create(bytes, { backend: testBackend(), quantizedArithmetic: mode });
    (it.input(0).data as Int8Array).set(input as Int8Array);
    it.invoke();
    return [...(it.output(0).data as Int8Array)];
  };

  it('runs in both modes with the bytes of the quantized_dimension 0 model; TFLite refuses it', () => {
    const lenient = buildCase(conv(3), 5), strict = buildCase(conv(0), 5);
    expect(() => oracle.run(lenient.bytes, lenient.inputs)).toThrow(/failed to create an interpreter/);
    for (const mode of ['reference', 'tflite-cpu'] as const) {
      expect(run(lenient.bytes, lenient.inputs[0]!, mode)).toEqual(run(strict.bytes, strict.inputs[0]!, mode));
    }
    const tflite = [...(oracle.run(strict.bytes, strict.inputs).outputs[0]!.data as Int8Array)];
    expect(run(lenient.bytes, lenient.inputs[0]!, 'tflite-cpu')).toEqual(tflite);
  });
});
