/**
 * Reads a .tflite file (TFLite FlatBuffer schema v3, identifier "TFL3") into the plain `Model` of types.ts,
 * validating every offset, vector, enum value and cross-reference on the way. Malformed bytes always end in
 * a `ModelError` naming what and where. Buffer data and custom options stay views into the input bytes.
 *
 * Field ids below are the declaration positions in tensorflow/compiler/mlir/lite/schema/schema.fbs
 * (identical in tensorflow/lite/schema/schema.fbs); a union field occupies two ids (`_type`, then value).
 */
import { ModelError } from './errors.js';
import { bytesPerElement } from '../kernels/tensor.js';
import type { BuiltinOptions } from './builtin_options.js';
import { ByteReader, FbTable } from './byte_reader.js';
import { BuiltinOperator, TensorType, builtinName } from './enums.js';
import { BUILTIN_OPTIONS2_UNION, BUILTIN_OPTIONS_UNION, OPTION_FIELDS, OP_OPTIONS } from './options_schema.js';
import type { OptionFieldKind } from './options_schema.js';
import type {
  BufferDef, DimensionMetadata, MetadataEntry, Model, OperatorCode, OperatorDef, QuantizationParams, SignatureDef,
  SparsityParams, SubGraph, TensorDef, TensorMapEntry,
} from './types.js';

/** The only schema version this reader accepts (`Model.version`). */
export const SCHEMA_VERSION = 3;
export const TFLITE_IDENTIFIER = 'TFL3';
const MAX_TENSOR_TYPE = TensorType.BFLOAT16;

/** True when the bytes carry the TFLite file identifier (bytes 4..8 = "TFL3"). */
export function isTfliteModel(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new ByteReader(bytes).identifier() === TFLITE_IDENTIFIER;
}

/** Parses and validates a .tflite model. Throws `ModelError` for any malformed input. */
export function readModel(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) throw new ModelError('model: expected the model bytes as a Uint8Array');
  try {
    return parseModel(new ByteReader(bytes, 'model'));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    // Defensive: every check above throws ModelError; anything else is still a malformed-input failure.
    throw new ModelError(`model: malformed model (${e instanceof Error ? e.message : String(e)})`);
  }
}

function parseModel(r: ByteReader): Model {
  if (r.length < 8) r.fail(`not a TFLite model (${r.length} bytes is too short)`);
  const id = r.identifier();
  if (id !== TFLITE_IDENTIFIER) r.fail(`not a TFLite model (file identifier ${JSON.stringify(id)}, expected "TFL3")`);
  const m = r.root('Model');
  // table Model { version:uint (0); operator_codes (1); subgraphs (2); description (3); buffers (4);
  //   metadata_buffer (5, deprecated); metadata (6); signature_defs (7) }
  const version = m.u32(0, 0, 'version');
  if (version !== SCHEMA_VERSION) r.fail(`unsupported schema version ${version} (only version ${SCHEMA_VERSION} is supported)`);
  const description = m.string(3, 'description') ?? '';

  const buffers = (m.tables(4, 'buffers', (i) => `buffer ${i}`) ?? []).map((t) => readBuffer(r, t));
  const operatorCodes = (m.tables(1, 'operator_codes', (i) => `operator code ${i}`) ?? []).map(readOperatorCode);
  const sgTables = m.tables(2, 'subgraphs', (i) => `subgraph ${i}`) ?? [];
  if (sgTables.length === 0) r.fail('the model has no subgraphs');
  const subgraphs = sgTables.map((t, i) => readSubGraph(r, t, i, buffers, operatorCodes));

  const metadata: MetadataEntry[] = (m.tables(6, 'metadata', (i) => `metadata ${i}`) ?? []).map((t, i) => {
    // table Metadata { name:string (0); buffer:uint (1) }
    const name = t.string(0, 'name') ?? '';
    const buffer = t.u32(1, 0, 'buffer');
    if (buffer >= buffers.length) r.fail(`metadata ${i} '${name}': buffer ${buffer} out of range (model has ${buffers.length} buffers)`);
    return { name, buffer };
  });

  const signatureDefs: SignatureDef[] = (m.tables(7, 'signature_defs', (i) => `signature ${i}`) ?? []).map((t, i) =>
    readSignature(r, t, i, subgraphs));

  return { version, description, operatorCodes, subgraphs, buffers, metadata, signatureDefs };
}

function readBuffer(r: ByteReader, t: FbTable): BufferDef {
  // table Buffer { data:[ubyte] (0); offset:ulong (1); size:ulong (2) }. offset > 1 means the data lives
  // outside the FlatBuffer at that absolute file offset (models over 2 GB, schema version 3c).
  const offset = t.u64(1, 0, 'offset');
  if (offset > 1) {
    const size = t.u64(2, 0, 'size');
    r.check(offset, size, `${t.where} (external data of ${size} bytes at offset ${offset})`);
    return { data: size > 0 ? r.bytes.subarray(offset, offset + size) : null };
  }
  const data = t.bytes(0, 'data');
  return { data: data && data.length > 0 ? data : null };
}

function readOperatorCode(t: FbTable): OperatorCode {
  // table OperatorCode { deprecated_builtin_code:byte (0); custom_code:string (1); version:int = 1 (2);
  //   builtin_code:BuiltinOperator (int32) (3) }
  const deprecated = t.i8(0, 0, 'deprecated_builtin_code');
  const extended = t.i32(3, 0, 'builtin_code');
  const builtinCode = Math.max(deprecated, extended);
  if (builtinCode < 0) t.r.fail(`${t.where}: invalid builtin code ${builtinCode}`);
  const version = t.i32(2, 1, 'version');
  if (version < 1) t.r.fail(`${t.where} (${builtinName(builtinCode)}): invalid op version ${version}`);
  return { builtinCode, customCode: t.string(1, 'custom_code'), version };
}

function readSubGraph(r: ByteReader, t: FbTable, sgIndex: number, buffers: BufferDef[], codes: OperatorCode[]): SubGraph {
  // table SubGraph { tensors (0); inputs:[int] (1); outputs:[int] (2); operators (3); name:string (4) }
  const prefix = sgIndex === 0 ? '' : `subgraph ${sgIndex} `;
  const tensors = (t.tables(0, 'tensors', (i) => `${prefix}tensor ${i}`) ?? []).map((tt, i) =>
    readTensor(r, tt, i, prefix, buffers));
  const n = tensors.length;
  const checkIndices = (list: number[], what: string, allowOptional: boolean): number[] => {
    for (const idx of list) {
      if (idx === -1 && allowOptional) continue;
      if (idx < 0 || idx >= n) r.fail(`${what}: tensor index ${idx} out of range (subgraph ${sgIndex} has ${n} tensors)`);
    }
    return list;
  };
  const inputs = checkIndices(t.i32Vector(1, 'inputs') ?? [], `${prefix}subgraph inputs`, false);
  const outputs = checkIndices(t.i32Vector(2, 'outputs') ?? [], `${prefix}subgraph outputs`, false);
  const operators = (t.tables(3, 'operators', (i) => `${prefix}operator ${i}`) ?? []).map((ot, i) => {
    const op = readOperator(r, ot, codes);
    const label = `${prefix}operator ${i} (${opLabel(codes[op.opcodeIndex]!)})`;
    checkIndices(op.inputs, `${label} inputs`, true);
    checkIndices(op.outputs, `${label} outputs`, false);
    checkIndices(op.intermediates, `${label} intermediates`, false);
    return op;
  });
  return { name: t.string(4, 'name') ?? '', tensors, inputs, outputs, operators };
}

function opLabel(code: OperatorCode): string {
  return code.builtinCode === BuiltinOperator.CUSTOM && code.customCode !== null ? `CUSTOM '${code.customCode}'` : builtinName(code.builtinCode);
}

function readTensor(r: ByteReader, t: FbTable, index: number, prefix: string, buffers: BufferDef[]): TensorDef {
  // table Tensor { shape:[int] (0); type:TensorType (1); buffer:uint (2); name:string (3);
  //   quantization:QuantizationParameters (4); is_variable:bool (5); sparsity:SparsityParameters (6);
  //   shape_signature:[int] (7); has_rank:bool (8); variant_tensors (9) }
  const name = t.string(3, 'name') ?? '';
  const label = `${prefix}tensor ${index} '${name}'`;
  const shape = t.i32Vector(0, 'shape') ?? [];
  for (const d of shape) if (d < 0) r.fail(`${label}: negative dimension in shape [${shape.join(',')}]`);
  // Element counts are JavaScript numbers: past 2^53 they stop being exact, and no such tensor can exist.
  if (!shape.includes(0) && shape.reduce((n, d) => n * d, 1) > Number.MAX_SAFE_INTEGER) {
    r.fail(`${label}: shape [${shape.join(',')}] has more than 2^53 elements`);
  }
  const type = t.i8(1, 0, 'type');
  if (type < 0 || type > MAX_TENSOR_TYPE) r.fail(`${label}: unknown tensor type ${type}`);
  const buffer = t.u32(2, 0, 'buffer');
  if (buffer >= buffers.length) r.fail(`${label}: buffer ${buffer} out of range (model has ${buffers.length} buffers)`);
  const qt = t.table(4, 'quantization', `${label} quantization`);
  const quantization = qt ? readQuantization(r, qt, label, shape) : null;
  const st = t.table(6, 'sparsity', `${label} sparsity`);
  const sparsity = st ? readSparsity(r, st, label) : null;
  const def: TensorDef = {
    name, shape, shapeSignature: t.i32Vector(7, 'shape_signature'), type, buffer, quantization,
    isVariable: t.bool(5, false, 'is_variable'), sparsity,
  };
  checkBufferSize(r, def, label, buffers[buffer]!.data);
  return def;
}

/** A constant tensor's buffer must hold shape x element size bytes (sparse tensors store only non-zeros). */
function checkBufferSize(r: ByteReader, t: TensorDef, label: string, data: Uint8Array | null): void {
  if (!data || data.length === 0 || t.sparsity) return;
  let count = 1;
  for (const d of t.shape) count *= d;
  let need: number;
  if (t.type === TensorType.INT4) need = Math.ceil(count / 2); // two 4-bit values per byte
  else {
    const size = bytesPerElement(t.type);
    if (size === 0) return; // STRING / RESOURCE / VARIANT: variable-size payloads
    need = count * size;
  }
  if (data.length < need) {
    r.fail(`${label}: buffer ${t.buffer} holds ${data.length} bytes but shape [${t.shape.join(',')}] ${TensorType[t.type]} needs ${need}`);
  }
}

function readQuantization(r: ByteReader, t: FbTable, label: string, shape: number[]): QuantizationParams | null {
  // table QuantizationParameters { min:[float] (0); max:[float] (1); scale:[float] (2); zero_point:[long] (3);
  //   details_type (4); details:QuantizationDetails (5); quantized_dimension:int (6) }
  const scale = t.f32Vector(2, 'scale');
  const zeroPoint = t.i64Vector(3, 'zero_point');
  // Mirrors InterpreterBuilder::ParseQuantization: no scale or no zero point = not quantized.
  if (!scale || !zeroPoint || scale.length === 0) return null;
  if (scale.length !== zeroPoint.length) {
    r.fail(`${label}: quantization has ${scale.length} scale(s) but ${zeroPoint.length} zero point(s)`);
  }
  let quantizedDimension = t.i32(6, 0, 'quantized_dimension');
  // TFLite Micro leniency (docs/quantized_arithmetic.md): person_detect.tflite gives its 1-D per-channel biases
  // quantized_dimension 3. TFLite refuses that; TFLite Micro runs it. A 1-D tensor with one scale per element is
  // read as quantized along axis 0.
  if (shape.length === 1 && quantizedDimension >= 1 && scale.length > 1 && scale.length === shape[0]) quantizedDimension = 0;
  if (quantizedDimension < 0 || (shape.length > 0 && quantizedDimension >= shape.length)) {
    r.fail(`${label}: quantized_dimension ${quantizedDimension} out of range for shape [${shape.join(',')}]`);
  }
  if (scale.length !== 1 && shape.length > 0 && scale.length !== shape[quantizedDimension]) {
    r.fail(`${label}: ${scale.length} per-axis scales but dimension ${quantizedDimension} of shape [${shape.join(',')}] has ${shape[quantizedDimension]}`);
  }
  const q: QuantizationParams = { scale, zeroPoint, quantizedDimension };
  const min = t.f32Vector(0, 'min');
  const max = t.f32Vector(1, 'max');
  if (min && min.length > 0) q.min = min;
  if (max && max.length > 0) q.max = max;
  return q;
}

function readSparsity(r: ByteReader, t: FbTable, label: string): SparsityParams {
  // table SparsityParameters { traversal_order:[int] (0); block_map:[int] (1); dim_metadata:[DimensionMetadata] (2) }
  const traversalOrder = t.i32Vector(0, 'traversal_order') ?? [];
  const blockMap = t.i32Vector(1, 'block_map') ?? [];
  const dims = t.tables(2, 'dim_metadata', (i) => `${label} sparsity dim_metadata ${i}`) ?? [];
  const dimMetadata = dims.map((d): DimensionMetadata => {
    // table DimensionMetadata { format:DimensionType (0); dense_size:int (1); array_segments_type (2);
    //   array_segments:SparseIndexVector (3); array_indices_type (4); array_indices (5) }
    const format = d.i8(0, 0, 'format');
    if (format !== 0 && format !== 1) r.fail(`${d.where}: unknown dimension format ${format}`);
    return {
      format, denseSize: d.i32(1, 0, 'dense_size'),
      arraySegments: readIndexVector(r, d, 2, 'array_segments'), arrayIndices: readIndexVector(r, d, 4, 'array_indices'),
    };
  });
  if (dimMetadata.length !== traversalOrder.length) {
    r.fail(`${label}: sparsity has ${dimMetadata.length} dim_metadata entries for a traversal order of ${traversalOrder.length}`);
  }
  return { traversalOrder, blockMap, dimMetadata };
}

/** `union SparseIndexVector { Int32Vector (1), Uint16Vector (2), Uint8Vector (3) }`, each `{ values (0) }`. */
function readIndexVector(r: ByteReader, d: FbTable, typeId: number, name: string): number[] | null {
  const kind = d.u8(typeId, 0, `${name}_type`);
  if (kind === 0) return null;
  const v = d.table(typeId + 1, name, `${d.where} ${name}`);
  if (!v) r.fail(`${d.where}: ${name} has type ${kind} but no value`);
  if (kind === 1) return v.i32Vector(0, 'values') ?? [];
  if (kind === 2) return v.u16Vector(0, 'values') ?? [];
  if (kind === 3) return v.u8Vector(0, 'values') ?? [];
  return r.fail(`${d.where}: unknown ${name} type ${kind}`);
}

function readOperator(r: ByteReader, t: FbTable, codes: OperatorCode[]): OperatorDef {
  // table Operator { opcode_index:uint (0); inputs:[int] (1); outputs:[int] (2); builtin_options_type (3);
  //   builtin_options (4); custom_options:[ubyte] (5); custom_options_format (6); mutating_variable_inputs (7);
  //   intermediates:[int] (8); large_custom_options_offset:ulong (9); large_custom_options_size:ulong (10);
  //   builtin_options_2_type (11); builtin_options_2 (12) }
  const opcodeIndex = t.u32(0, 0, 'opcode_index');
  if (opcodeIndex >= codes.length) r.fail(`${t.where}: opcode_index ${opcodeIndex} out of range (model has ${codes.length} operator codes)`);
  const code = codes[opcodeIndex]!;
  const label = `${t.where} (${opLabel(code)})`;
  let builtinOptions = readOptions(r, t, 3, BUILTIN_OPTIONS_UNION, 'builtin_options', label);
  if (!builtinOptions) builtinOptions = readOptions(r, t, 11, BUILTIN_OPTIONS2_UNION, 'builtin_options_2', label);
  const expected = OP_OPTIONS.get(code.builtinCode);
  if (builtinOptions && expected && builtinOptions.kind !== expected) {
    r.fail(`${label}: builtin options are ${builtinOptions.kind}, expected ${expected}`);
  }
  let customOptions = t.bytes(5, 'custom_options');
  const largeOffset = t.u64(9, 0, 'large_custom_options_offset');
  if (largeOffset > 1) {
    const size = t.u64(10, 0, 'large_custom_options_size');
    r.check(largeOffset, size, `${label} (external custom options of ${size} bytes at offset ${largeOffset})`);
    customOptions = r.bytes.subarray(largeOffset, largeOffset + size);
  }
  return {
    opcodeIndex, inputs: t.i32Vector(1, 'inputs') ?? [], outputs: t.i32Vector(2, 'outputs') ?? [],
    intermediates: t.i32Vector(8, 'intermediates') ?? [], builtinOptions,
    customOptions: customOptions && customOptions.length > 0 ? customOptions : null,
  };
}

function readOptions(r: ByteReader, t: FbTable, typeId: number, union: readonly string[], name: string, label: string): BuiltinOptions | null {
  const type = t.u8(typeId, 0, `${name}_type`);
  if (type === 0) return null;
  const kind = union[type - 1];
  if (kind === undefined) r.fail(`${label}: unknown ${name} type ${type}`);
  const table = t.table(typeId + 1, name, `${label} ${kind}`);
  const out: Record<string, unknown> = { kind };
  for (const field of OPTION_FIELDS[kind] ?? []) {
    if (field.optional && !table?.has(field.id)) continue;
    out[field.key] = readOptionField(r, table, field.id, field.kind, field.def, field.key, `${label} ${kind}`);
  }
  return out as unknown as BuiltinOptions;
}

function readOptionField(
  r: ByteReader, table: FbTable | null, id: number, kind: OptionFieldKind,
  def: number | boolean | number[], key: string, where: string,
): number | boolean | number[] {
  switch (kind.t) {
    case 'int': return table ? table.i32(id, def as number, key) : def;
    case 'float': return table ? table.f32(id, def as number, key) : def;
    case 'bool': return table ? table.bool(id, def as boolean, key) : def;
    case 'intVector': return (table ? table.i32Vector(id, key) : null) ?? [...(def as number[])];
    case 'enum': {
      const v = table ? table.i8(id, def as number, key) : (def as number);
      if (v < 0 || v > kind.max) r.fail(`${where}: ${key} has unknown ${kind.enumName} value ${v}`);
      return v;
    }
  }
}

function readSignature(r: ByteReader, t: FbTable, index: number, subgraphs: SubGraph[]): SignatureDef {
  // table SignatureDef { inputs:[TensorMap] (0); outputs:[TensorMap] (1); signature_key:string (2);
  //   deprecated_tag (3, deprecated); subgraph_index:uint (4) }
  const signatureKey = t.string(2, 'signature_key') ?? '';
  const label = `signature ${index} '${signatureKey}'`;
  const subgraphIndex = t.u32(4, 0, 'subgraph_index');
  const sg = subgraphs[subgraphIndex];
  if (!sg) r.fail(`${label}: subgraph ${subgraphIndex} out of range (model has ${subgraphs.length} subgraphs)`);
  const maps = (id: number, what: string): TensorMapEntry[] =>
    (t.tables(id, what, (i) => `${label} ${what} ${i}`) ?? []).map((mt) => {
      // table TensorMap { name:string (0); tensor_index:uint (1) }
      const name = mt.string(0, 'name') ?? '';
      const tensorIndex = mt.u32(1, 0, 'tensor_index');
      if (tensorIndex >= sg.tensors.length) {
        r.fail(`${label} ${what} '${name}': tensor index ${tensorIndex} out of range (subgraph ${subgraphIndex} has ${sg.tensors.length} tensors)`);
      }
      return { name, tensorIndex };
    });
  return { signatureKey, subgraphIndex, inputs: maps(0, 'inputs'), outputs: maps(1, 'outputs') };
}
