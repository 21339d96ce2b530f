/**
 * Running a model in embedlite and in the oracle on the same inputs, and comparing the outputs.
 * Floats: |a - e| <= atol + rtol * |e| (the oracle runs XNNPACK, whose float sums differ in the last bits).
 * Quantized: the count of differing bytes and the largest difference (XNNPACK's QU8/QS8 requantization may differ
 * from TFLite's reference kernels by 1; embedlite follows the reference kernels, which win where they disagree).
 */
import type { Interpreter } from '../../src/interpreter.js';
import type { TensorData } from '../../kernels/tensor.js';
import type { Oracle, OracleArray } from '../helpers/tflite_oracle.js';

export const FLOAT_ATOL = 2e-4;
export const FLOAT_RTOL = 1e-4;

export interface OutputPair {
  index: number;
  name: string;
  shape: number[];
  actual: TensorData;
  expected: OracleArray;
}

/** Copies raw input bytes into the interpreter's input k (byte sizes must match). */
export function setInputs(it: Interpreter, inputs: ArrayBufferView[]): void {
  if (inputs.length !== it.inputs.length) throw new Error(`model has ${it.inputs.length} inputs, ${inputs.length} given`);
  inputs.forEach((src, k) => {
    const dst = it.input(k).data;
    if (dst.byteLength !== src.byteLength) {
      throw new Error(`input ${k} needs ${dst.byteLength} bytes (${it.input(k).describe()}), got ${src.byteLength}`);
    }
    new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  });
}

/**
 * Runs the interpreter and the oracle (on `oracleModel`) on the same inputs and pairs the outputs by position
 * (names and shapes must agree).
 */
export function runBoth(oracle: Oracle, it: Interpreter, oracleModel: Uint8Array, inputs: ArrayBufferView[]): OutputPair[] {
  setInputs(it, inputs);
  it.invoke();
  const ref = oracle.run(oracleModel, inputs);
  if (ref.outputs.length !== it.outputs.length) {
    throw new Error(`embedlite has ${it.outputs.length} outputs, the oracle ${ref.outputs.length}`);
  }
  return it.outputs.map((t, k) => {
    const r = ref.outputs[k]!;
    if (r.name !== t.name) throw new Error(`output ${k}: embedlite '${t.name}', oracle '${r.name}'`);
    if (r.shape.join(',') !== t.shape.join(',')) {
      throw new Error(`output ${k} '${t.name}': embedlite shape [${t.shape}], oracle [${r.shape}]`);
    }
    return { index: k, name: t.name, shape: [...t.shape], actual: t.data.slice(), expected: r.data };
  });
}

export interface FloatDiff {
  n: number;
  maxAbs: number;
  /** Largest |a - e| / (atol + rtol * |e|): <= 1 passes. */
  worstRatio: number;
  worstIndex: number;
  /** Elements outside the tolerance. */
  bad: number;
  /** Elements where one side is NaN and the other is not. */
  nan: number;
}

export function compareFloat(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = FLOAT_ATOL, rtol = FLOAT_RTOL): FloatDiff {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  const d: FloatDiff = { n: actual.length, maxAbs: 0, worstRatio: 0, worstIndex: -1, bad: 0, nan: 0 };
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) d.nan++;
      continue;
    }
    const abs = Math.abs(a - e);
    const ratio = abs / (atol + rtol * Math.abs(e));
    if (abs > d.maxAbs) d.maxAbs = abs;
    if (ratio > d.worstRatio) {
      d.worstRatio = ratio;
      d.worstIndex = i;
    }
    if (ratio > 1) d.bad++;
  }
  return d;
}

export interface QuantDiff {
  n: number;
  /** Elements that differ at all. */
  differing: number;
  maxDiff: number;
  /** Elements off by more than 1. */
  beyondOne: number;
}

export function compareQuant(actual: ArrayLike<number>, expected: ArrayLike<number>): QuantDiff {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  const d: QuantDiff = { n: actual.length, differing: 0, maxDiff: 0, beyondOne: 0 };
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (diff === 0) continue;
    d.differing++;
    if (diff > d.maxDiff) d.maxDiff = diff;
    if (diff > 1) d.beyondOne++;
  }
  return d;
}

export function fmtFloatDiff(label: string, p: OutputPair, d: FloatDiff): string {
  const w = d.worstIndex >= 0 ? ` worst@${d.worstIndex}: ${p.actual[d.worstIndex]} vs ${p.expected[d.worstIndex]}` : '';
  return `${label} out${p.index} '${p.name}' [${p.shape}]: max|diff| ${d.maxAbs.toExponential(2)}, tolerance use ${(d.worstRatio * 100).toFixed(1)}%, ${d.bad}/${d.n} outside${d.nan ? `, ${d.nan} NaN mismatches` : ''}${w}`;
}

export function fmtQuantDiff(label: string, p: OutputPair, d: QuantDiff): string {
  return `${label} out${p.index} '${p.name}' [${p.shape}]: ${d.differing}/${d.n} bytes differ, max diff ${d.maxDiff}, ${d.beyondOne} beyond ±1`;
}

export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
