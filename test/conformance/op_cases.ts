/**
 * One-op quantized models built with the ModelBuilder and the model writer, run by embedlite (in a chosen
 * arithmetic mode) and by the oracle (TFLite's CPU path) on the same seeded random inputs.
 */
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { type BuiltinOperator, TensorType } from '../../schema/enums.js';
import type { QuantizationParams } from '../../schema/types.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import type { QuantizedArithmetic } from '../../kernels/kernel.js';
import { elementCount } from '../../kernels/tensor.js';
import { Interpreter } from '../../src/interpreter.js';
import type { Oracle } from '../helpers/tflite_oracle.js';
import { rng } from '../helpers/rng.js';
import { testBackend } from '../helpers/backend.js';
import { compareQuant, setInputs } from './compare.js';

export interface CaseTensor {
  type: TensorType;
  shape: number[];
  quant?: QuantizationParams | null;
  /** Constant data (weights, bias, axes, shapes); without it the tensor is a graph input filled at random. */
  data?: ArrayLike<number>;
  /** Random inputs are drawn from [lo, hi] (default: the whole type range). */
  range?: [number, number];
  /** Fixed values of a graph input (instead of random ones). */
  values?: ArrayLike<number>;
}

export interface OpCaseSpec {
  name: string;
  op: BuiltinOperator;
  version?: number;
  options?: BuiltinOptions | null;
  inputs: (CaseTensor | null)[];
  outputs: CaseTensor[];
}

export function qp(scale: number, zeroPoint: number): QuantizationParams {
  return { scale: [scale], zeroPoint: [zeroPoint], quantizedDimension: 0 };
}

export function perChannel(scales: number[], axis: number): QuantizationParams {
  return { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: axis };
}

/** The model bytes of a case, and its random graph inputs (seeded by `seed`). */
export function buildCase(c: OpCaseSpec, seed: number): { bytes: Uint8Array; inputs: ArrayBufferView[] } {
  const b = new ModelBuilder();
  const r = rng(seed);
  const inputs: ArrayBufferView[] = [];
  const ins = c.inputs.map((t, i) => {
    if (!t) return -1;
    const init = { quantization: t.quant ?? null };
    if (t.data) return b.constant(`in${i}`, t.type, t.shape, t.data, init);
    const n = elementCount(t.shape);
    const [lo, hi] = t.range ?? (t.type === TensorType.UINT8 ? [0, 255] : t.type === TensorType.INT8 ? [-128, 127] : [-1, 1]);
    if (t.values) {
      const a = t.type === TensorType.FLOAT32 ? new Float32Array(n) : t.type === TensorType.UINT8 ? new Uint8Array(n) : new Int8Array(n);
      a.set(Array.from(t.values));
      inputs.push(a);
    } else if (t.type === TensorType.FLOAT32) {
      const a = new Float32Array(n);
      for (let k = 0; k < n; k++) a[k] = lo + (hi - lo) * r();
      inputs.push(a);
    } else {
      const a = t.type === TensorType.UINT8 ? new Uint8Array(n) : new Int8Array(n);
      for (let k = 0; k < n; k++) a[k] = lo + Math.floor((hi - lo + 1) * r());
      inputs.push(a);
    }
    return b.input(`in${i}`, t.type, t.shape, init);
  });
  const outs = c.outputs.map((t, i) => b.tensor(`out${i}`, t.type, t.shape, { quantization: t.quant ?? null }));
  b.op(c.op, ins, outs, c.options ?? null, c.version ?? 1);
  for (const o of outs) b.output(o);
  return { bytes: writeModel(b.build()), inputs };
}

export interface CaseResult {
  name: string;
  n: number;
  /** Bytes differing from the oracle, per mode. */
  differing: Record<QuantizedArithmetic, number>;
  maxDiff: Record<QuantizedArithmetic, number>;
}

/** Runs a case in both modes and in the oracle; counts differing output bytes per mode. */
export function runCase(oracle: Oracle, c: OpCaseSpec, seed = 1): CaseResult {
  const { bytes, inputs } = buildCase(c, seed);
  const ref = oracle.run(bytes, inputs).outputs[0]!.data as unknown as ArrayLike<number>;
  const res: CaseResult = { name: c.name, n: ref.length, differing: { 'tflite-cpu': 0, reference: 0 }, maxDiff: { 'tflite-cpu': 0, reference: 0 } };
  for (const mode of ['tflite-cpu', 'reference'] as const) {
    const it = Interpreter.create(bytes, { backend: testBackend(), quantizedArithmetic: mode });
    setInputs(it, inputs);
    it.invoke();
    const d = compareQuant(it.output(0).data as ArrayLike<number>, ref);
    res.differing[mode] = d.differing;
    res.maxDiff[mode] = d.maxDiff;
  }
  return res;
}

export function fmtCase(r: CaseResult): string {
  return `${r.name}: tflite-cpu ${r.differing['tflite-cpu']}/${r.n} (max ${r.maxDiff['tflite-cpu']}), reference ${r.differing.reference}/${r.n} (max ${r.maxDiff.reference})`;
}
