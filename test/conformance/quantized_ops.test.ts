/**
 * Every quantized op on writer-built one-op models (quantized_op_cases.ts), uint8 and int8, every fused activation
 * the op takes, seeded random inputs: 'tflite-cpu' mode gives the oracle's bytes exactly. Reference-mode counts are
 * reported (the reference kernels are checked against test/helpers/naive_quant.ts in test/kernels/quantized/).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOracle, type Oracle } from '../helpers/tflite_oracle.js';
import { fmtCase, runCase } from './op_cases.js';
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
