/**
 * Which node first diverges from TFLite. The oracle only returns graph outputs, so the model it runs is rewritten
 * (model reader + writer) with every node output listed as a graph output; embedlite keeps the same tensors with
 * `keepTensors`. Tensors are matched by name (the patched selfie model has the same names as the original).
 */
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import { BuiltinOperator, TensorType, builtinName } from '../../schema/enums.js';
import type { Model } from '../../schema/types.js';
import { Interpreter, type InterpreterOptions } from '../../src/interpreter.js';
import type { Oracle } from '../helpers/tflite_oracle.js';
import { testBackend } from '../helpers/backend.js';
import { compareFloat, compareQuant, setInputs } from './compare.js';

export interface NodeDiff {
  node: number;
  op: string;
  tensor: string;
  shape: number[];
  maxAbs: number;
  /** Float: share of the tolerance used (> 1 fails); quantized: the max byte difference. */
  score: number;
  ok: boolean;
}

/** Tensor types the oracle's JS API can hand back as typed arrays. */
const EXPOSABLE = new Set([TensorType.FLOAT32, TensorType.INT8, TensorType.UINT8, TensorType.INT32]);

/** A copy of the model whose subgraph-0 outputs are every operator output (in node order) of an exposable type. */
function exposeAllNodeOutputs(model: Model): { bytes: Uint8Array; tensors: number[] } {
  const sg = model.subgraphs[0]!;
  const tensors: number[] = [];
  for (const op of sg.operators) {
    for (const t of op.outputs) if (t >= 0 && !tensors.includes(t) && EXPOSABLE.has(sg.tensors[t]!.type)) tensors.push(t);
  }
  const copy: Model = { ...model, subgraphs: [{ ...sg, outputs: tensors }, ...model.subgraphs.slice(1)] };
  return { bytes: writeModel(copy), tensors };
}

function opName(model: Model, opcodeIndex: number): string {
  const c = model.operatorCodes[opcodeIndex]!;
  return c.builtinCode === BuiltinOperator.CUSTOM ? (c.customCode ?? 'CUSTOM') : builtinName(c.builtinCode);
}

/**
 * Every node output of `modelBytes` compared with the oracle's run of `oracleBytes` on the same inputs, in node
 * order. Float tensors use atol/rtol, quantized tensors pass when within ±`qtol`.
 */
export function nodeDiffs(
  oracle: Oracle, modelBytes: Uint8Array, oracleBytes: Uint8Array, inputs: ArrayBufferView[],
  opts: { atol?: number; rtol?: number; qtol?: number; resize?: number[]; interpreter?: InterpreterOptions } = {},
): NodeDiff[] {
  const model = readModel(modelBytes);
  const sg = model.subgraphs[0]!;
  const exposed = exposeAllNodeOutputs(readModel(oracleBytes));
  const ref = oracle.run(exposed.bytes, inputs);
  const refByName = new Map(ref.outputs.map((o) => [o.name, o]));

  const keep: number[] = [];
  for (const op of sg.operators) for (const t of op.outputs) if (t >= 0) keep.push(t);
  const it = Interpreter.create(modelBytes, { backend: testBackend(), ...opts.interpreter, keepTensors: keep });
  if (opts.resize) it.resizeInput(0, opts.resize);
  setInputs(it, inputs);
  it.invoke();

  const diffs: NodeDiff[] = [];
  sg.operators.forEach((op, node) => {
    for (const t of op.outputs) {
      if (t < 0) continue;
      const ours = it.tensor(t);
      const theirs = refByName.get(ours.name);
      if (!theirs || theirs.data.length !== ours.data.length) continue;
      const base = { node, op: opName(model, op.opcodeIndex), tensor: ours.name, shape: [...ours.shape] };
      if (ours.data instanceof Float32Array) {
        const d = compareFloat(ours.data, theirs.data as Float32Array, opts.atol, opts.rtol);
        diffs.push({ ...base, maxAbs: d.maxAbs, score: d.worstRatio, ok: d.bad === 0 && d.nan === 0 });
      } else if (ours.data instanceof Uint8Array || ours.data instanceof Int8Array) {
        const d = compareQuant(ours.data, theirs.data as Int8Array);
        diffs.push({ ...base, maxAbs: d.maxDiff, score: d.maxDiff, ok: d.maxDiff <= (opts.qtol ?? 1) });
      } else if (ours.data instanceof Int32Array) {
        const d = compareQuant(ours.data, theirs.data as Int32Array);
        diffs.push({ ...base, maxAbs: d.maxDiff, score: d.maxDiff, ok: d.maxDiff === 0 });
      }
    }
  });
  return diffs;
}

/** A short report: the first failing node (and its predecessors' state), or that every node agrees. */
export function divergenceReport(diffs: NodeDiff[]): string {
  const first = diffs.findIndex((d) => !d.ok);
  const fmt = (d: NodeDiff) => `node ${d.node} ${d.op} -> '${d.tensor}' [${d.shape}]: max|diff| ${d.maxAbs.toPrecision(3)}, score ${d.score.toPrecision(3)}`;
  if (first < 0) return `all ${diffs.length} node outputs agree with TFLite`;
  const bad = diffs.filter((d) => !d.ok).length;
  const lines = [`first divergence: ${fmt(diffs[first]!)} (${bad}/${diffs.length} node outputs outside tolerance)`];
  if (first > 0) lines.push(`  before it: ${fmt(diffs[first - 1]!)}`);
  return lines.join('\n');
}

export interface IsolatedDiff {
  node: number;
  op: string;
  tensor: string;
  n: number;
  differing: number;
  maxDiff: number;
}

/**
 * Node-local check: each node runs alone in embedlite (a one-op model cut out of the original with the writer) on
 * the exact input values TFLite computed for it, and its output is compared with TFLite's. This separates a
 * kernel's own rounding (±1 where XNNPACK and the reference kernels differ) from differences that earlier nodes
 * pass down and later nodes amplify. Nodes whose inputs TFLite cannot expose are skipped.
 */
export function isolatedNodeDiffs(
  oracle: Oracle, modelBytes: Uint8Array, inputs: ArrayBufferView[], options: InterpreterOptions = {},
): IsolatedDiff[] {
  const model = readModel(modelBytes);
  const sg = model.subgraphs[0]!;
  const exposed = exposeAllNodeOutputs(model);
  const ref = oracle.run(exposed.bytes, inputs);
  const values = new Map<string, ArrayBufferView>(ref.outputs.map((o) => [o.name, o.data]));
  sg.inputs.forEach((t, k) => values.set(sg.tensors[t]!.name, inputs[k]!));

  const diffs: IsolatedDiff[] = [];
  sg.operators.forEach((op, node) => {
    const isConst = (t: number) => (model.buffers[sg.tensors[t]!.buffer]?.data?.byteLength ?? 0) > 0;
    const used = [...new Set([...op.inputs, ...op.outputs].filter((t) => t >= 0))];
    const feeds = op.inputs.filter((t) => t >= 0 && !isConst(t));
    if (feeds.some((t) => !values.has(sg.tensors[t]!.name))) return;
    const outs = op.outputs.filter((t) => t >= 0);
    if (outs.some((t) => !values.has(sg.tensors[t]!.name))) return;
    const remap = new Map(used.map((t, i) => [t, i]));
    const buffers = [{ data: null as Uint8Array | null }];
    const tensors = used.map((t) => {
      const def = sg.tensors[t]!;
      if (!isConst(t)) return { ...def, buffer: 0 };
      buffers.push({ data: model.buffers[def.buffer]!.data });
      return { ...def, buffer: buffers.length - 1 };
    });
    const one: Model = {
      ...model, operatorCodes: [model.operatorCodes[op.opcodeIndex]!], buffers, metadata: [], signatureDefs: [],
      subgraphs: [{
        name: `node${node}`, tensors,
        inputs: [...new Set(feeds)].map((t) => remap.get(t)!), outputs: outs.map((t) => remap.get(t)!),
        operators: [{ ...op, opcodeIndex: 0, inputs: op.inputs.map((t) => (t < 0 ? -1 : remap.get(t)!)), outputs: outs.map((t) => remap.get(t)!), intermediates: [] }],
      }],
    };
    const it = Interpreter.create(writeModel(one), { backend: testBackend(), ...options });
    setInputs(it, [...new Set(feeds)].map((t) => values.get(sg.tensors[t]!.name)!));
    it.invoke();
    outs.forEach((t, k) => {
      const ours = it.output(k).data;
      const theirs = values.get(sg.tensors[t]!.name) as unknown as ArrayLike<number>;
      if (ours instanceof BigInt64Array || ours instanceof BigUint64Array || ours.length !== theirs.length) return;
      const d = compareQuant(ours, theirs);
      diffs.push({ node, op: opName(model, op.opcodeIndex), tensor: sg.tensors[t]!.name, n: d.n, differing: d.differing, maxDiff: d.maxDiff });
    });
  });
  return diffs;
}

/** The nodes whose own output differs from TFLite's, given TFLite's inputs. */
export function isolatedReport(diffs: IsolatedDiff[]): string {
  const bad = diffs.filter((d) => d.differing > 0);
  const head = `node-local check (each node on TFLite's own inputs): ${bad.length}/${diffs.length} nodes differ`;
  return [head, ...bad.map((d) => `  node ${d.node} ${d.op} -> '${d.tensor}': ${d.differing}/${d.n} bytes differ, max diff ${d.maxDiff}`)].join('\n');
}
