/**
 * `embedlite inspect MODEL [--json]`: what a .tflite file contains, read with embedlite's own reader.
 * Inputs and outputs (name, shape, dtype, quantization), the operator histogram with op versions, custom ops,
 * the TFLite Metadata summary, packed files, and the ops this build of the interpreter cannot run.
 * `--json` prints one object: {"inputs":[{"name","shape","dtype","scale","zeroPoint"}],"outputs":[...],
 * "operators":{"CONV_2D":15,...},"metadata":{...}|null, ...} (scale/zeroPoint are arrays for per-axis
 * tensors, null when unquantized).
 */
import fs from 'node:fs';
import { createBuiltinResolver } from '../../kernels/register_builtins.js';
import { BuiltinOperator, TensorType, builtinName } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import { readModelMetadata, type ModelMetadataWithFiles, type TensorMetadata } from '../../schema/metadata_reader.js';
import type { Model, TensorDef } from '../../schema/types.js';
import { parseArgs } from './args.js';
import type { CliIo } from './io.js';

export const INSPECT_USAGE = 'usage: embedlite inspect MODEL [--json]';

export interface TensorSummary {
  index: number;
  name: string;
  shape: number[];
  /** `shape_signature` when it differs from `shape` (-1 = dynamic). */
  shapeSignature: number[] | null;
  /** Lower-case TensorType name: 'float32', 'uint8', 'int8', ... */
  dtype: string;
  /** A number for per-tensor quantization, an array for per-axis, null when unquantized. */
  scale: number | number[] | null;
  zeroPoint: number | number[] | null;
  quantizedDimension: number | null;
}

export interface InspectReport {
  file?: string;
  bytes: number;
  schemaVersion: number;
  description: string;
  subgraphs: number;
  tensors: number;
  buffers: number;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  /** Operator histogram of all subgraphs by builtin name (custom ops by their custom code). */
  operators: Record<string, number>;
  /** Versions of each op present in the model. */
  opVersions: Record<string, number[]>;
  customOps: string[];
  /** Ops (with versions) the interpreter has no kernel for; empty when the whole model can run. */
  unsupported: string[];
  signatures: string[];
  /** Names (and byte sizes) of the model's metadata entries, e.g. min_runtime_version, TFLITE_METADATA. */
  metadataEntries: { name: string; bytes: number; text?: string }[];
  metadata: ModelMetadataWithFiles | null;
}

export function dtypeName(type: TensorType): string {
  return (TensorType[type] ?? `type${type}`).toLowerCase();
}

function summarizeTensor(t: TensorDef, index: number): TensorSummary {
  const q = t.quantization;
  const perAxis = q !== null && q.scale.length > 1;
  const sig = t.shapeSignature && t.shapeSignature.join(',') !== t.shape.join(',') ? t.shapeSignature : null;
  return {
    index, name: t.name, shape: t.shape, shapeSignature: sig, dtype: dtypeName(t.type),
    scale: q ? (perAxis ? q.scale : q.scale[0]!) : null,
    zeroPoint: q ? (perAxis ? q.zeroPoint : q.zeroPoint[0]!) : null,
    quantizedDimension: perAxis ? q!.quantizedDimension : null,
  };
}

/** A short printable form of a metadata string buffer (min_runtime_version holds e.g. "1.5.0"). */
function printable(data: Uint8Array | null): string | undefined {
  if (!data || data.length === 0 || data.length > 64) return undefined;
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  for (let i = 0; i < end; i++) if (data[i]! < 0x20 || data[i]! > 0x7e) return undefined;
  return String.fromCharCode(...data.subarray(0, end));
}

/** Reads and summarises a model (throws ModelError for malformed bytes or metadata). */
export function inspectModel(bytes: Uint8Array, model: Model = readModel(bytes)): InspectReport {
  const main = model.subgraphs[0]!;
  const resolver = createBuiltinResolver();
  const operators: Record<string, number> = {};
  const versions = new Map<string, Set<number>>();
  const customOps = new Set<string>();
  const unsupported = new Set<string>();
  for (const sg of model.subgraphs) {
    for (const op of sg.operators) {
      const code = model.operatorCodes[op.opcodeIndex]!;
      const isCustom = code.builtinCode === BuiltinOperator.CUSTOM;
      const name = isCustom ? (code.customCode ?? 'CUSTOM') : builtinName(code.builtinCode);
      operators[name] = (operators[name] ?? 0) + 1;
      if (!versions.has(name)) versions.set(name, new Set());
      versions.get(name)!.add(code.version);
      if (isCustom) {
        customOps.add(name);
        if (!resolver.custom(name)) unsupported.add(`CUSTOM '${name}'`);
      } else if (!resolver.supports(code.builtinCode, code.version)) {
        unsupported.add(`${name} v${code.version}`);
      }
    }
  }
  const opVersions: Record<string, number[]> = {};
  for (const [name, set] of versions) opVersions[name] = [...set].sort((a, b) => a - b);
  return {
    bytes: bytes.length,
    schemaVersion: model.version,
    description: model.description,
    subgraphs: model.subgraphs.length,
    tensors: main.tensors.length,
    buffers: model.buffers.length,
    inputs: main.inputs.map((i) => summarizeTensor(main.tensors[i]!, i)),
    outputs: main.outputs.map((i) => summarizeTensor(main.tensors[i]!, i)),
    operators, opVersions,
    customOps: [...customOps],
    unsupported: [...unsupported],
    signatures: model.signatureDefs.map((s) => s.signatureKey),
    metadataEntries: model.metadata.map((m) => {
      const data = model.buffers[m.buffer]!.data;
      const text = m.name === 'TFLITE_METADATA' ? undefined : printable(data);
      return { name: m.name, bytes: data?.length ?? 0, ...(text !== undefined ? { text } : {}) };
    }),
    metadata: readModelMetadata(model, bytes),
  };
}

function fmtNum(x: number): string {
  return Number.isInteger(x) ? String(x) : String(+x.toPrecision(7));
}

function fmtTensor(t: TensorSummary): string {
  let s = `  [${t.index}] '${t.name}' ${t.dtype} [${t.shape.join(',')}]`;
  if (t.shapeSignature) s += ` signature [${t.shapeSignature.join(',')}]`;
  if (Array.isArray(t.scale)) {
    const sc = t.scale;
    s += ` per-axis quantization on dim ${t.quantizedDimension}: ${sc.length} scales in [${fmtNum(Math.min(...sc))}, ${fmtNum(Math.max(...sc))}]`;
  } else if (t.scale !== null) s += ` scale ${fmtNum(t.scale)} zero point ${t.zeroPoint}`;
  return s;
}

function fmtTensorMeta(prefix: string, t: TensorMetadata): string[] {
  const parts: string[] = [];
  const p = t.content?.properties;
  if (p?.kind === 'ImageProperties') parts.push(`image ${p.colorSpace}${p.defaultSize ? ` ${p.defaultSize.width}x${p.defaultSize.height}` : ''}`);
  else if (p) parts.push(p.kind.replace(/Properties$/, '').toLowerCase());
  for (const u of t.processUnits) {
    if (u.kind === 'NormalizationOptions') parts.push(`normalization mean [${u.mean.map(fmtNum)}] std [${u.std.map(fmtNum)}]`);
    else parts.push(u.kind);
  }
  if (t.stats) parts.push(`stats min [${t.stats.min.map(fmtNum)}] max [${t.stats.max.map(fmtNum)}]`);
  for (const f of t.associatedFiles) parts.push(`file ${f.name} (${f.type})`);
  return [`  ${prefix} '${t.name ?? ''}'${parts.length ? `: ${parts.join('; ')}` : ''}`];
}

/** The human-readable report. */
export function formatInspect(r: InspectReport): string[] {
  const lines: string[] = [];
  lines.push(`${r.file ?? 'model'}: ${r.bytes} bytes, schema v${r.schemaVersion}, ${r.subgraphs} subgraph(s), ${r.tensors} tensors, ${r.buffers} buffers${r.description ? `, "${r.description}"` : ''}`);
  lines.push(`inputs (${r.inputs.length}):`, ...r.inputs.map(fmtTensor));
  lines.push(`outputs (${r.outputs.length}):`, ...r.outputs.map(fmtTensor));
  const ops = Object.entries(r.operators).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  lines.push(`operators (${ops.reduce((s, [, n]) => s + n, 0)}):`);
  const width = Math.max(0, ...ops.map(([n]) => n.length));
  for (const [name, n] of ops) {
    lines.push(`  ${name.padEnd(width)} ${String(n).padStart(4)}  v${r.opVersions[name]!.join(',v')}${r.customOps.includes(name) ? '  (custom)' : ''}`);
  }
  lines.push(r.unsupported.length ? `unsupported by embedlite: ${r.unsupported.join(', ')}` : 'unsupported by embedlite: none (every op has a kernel)');
  if (r.signatures.length) lines.push(`signatures: ${r.signatures.join(', ')}`);
  if (r.metadataEntries.length) {
    lines.push(`metadata entries: ${r.metadataEntries.map((m) => `${m.name} (${m.text !== undefined ? `"${m.text}"` : `${m.bytes} bytes`})`).join(', ')}`);
  }
  const m = r.metadata;
  if (!m) {
    lines.push('metadata: none');
    return lines;
  }
  lines.push(`metadata: ${m.name ?? '(no name)'}${m.version ? ` ${m.version}` : ''}${m.author ? ` by ${m.author}` : ''}`);
  if (m.description) lines.push(`  description: ${m.description}`);
  if (m.license) lines.push(`  license: ${m.license}`);
  if (m.minParserVersion) lines.push(`  min parser version: ${m.minParserVersion}`);
  for (const sg of m.subgraphMetadata) {
    sg.inputTensorMetadata.forEach((t, i) => lines.push(...fmtTensorMeta(`input ${i}`, t)));
    sg.outputTensorMetadata.forEach((t, i) => lines.push(...fmtTensorMeta(`output ${i}`, t)));
  }
  if (m.packedFiles.length) lines.push(`  packed files: ${m.packedFiles.map((f) => `${f.name} (${f.size} bytes)`).join(', ')}`);
  return lines;
}

/** The `inspect` subcommand. */
export function inspectCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, { usage: INSPECT_USAGE, flags: { json: { type: 'boolean' } }, positionals: { min: 1, max: 1 } });
  if (args.help) {
    io.out(INSPECT_USAGE);
    return 0;
  }
  const file = args.positionals[0]!;
  const buf = fs.readFileSync(file);
  const report = { file, ...inspectModel(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)) };
  if (args.bool('json')) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatInspect(report)) io.out(line);
  return 0;
}
