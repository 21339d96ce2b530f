/**
 * Writes a `Model` (types.ts) as a .tflite FlatBuffer (schema v3, identifier "TFL3") with the `flatbuffers`
 * Builder. Writes every field `readModel` reads: operator codes, tensors (shape, shape_signature, type, buffer,
 * name, quantization incl. per-axis, is_variable, sparsity), operators (inputs, outputs, intermediates,
 * builtin options of every parsed table, custom options), buffers (inline, 16-byte aligned as schema.fbs
 * asks with `force_align: 16`), metadata entries and signature defs. Field ids: see model_reader.ts.
 */
import { Builder } from 'flatbuffers';
import { ModelError } from './errors.js';
import type { BuiltinOptions } from './builtin_options.js';
import { BuiltinOperator } from './enums.js';
import { BUILTIN_OPTIONS2_UNION, BUILTIN_OPTIONS_UNION, OPTION_FIELDS } from './options_schema.js';
import type {
  BufferDef, DimensionMetadata, Model, OperatorCode, OperatorDef, QuantizationParams, SignatureDef, SparsityParams,
  SubGraph, TensorDef,
} from './types.js';

type Offset = number;

/** Serialises a model. Throws `ModelError` when the model cannot be represented (unknown options kind…). */
export function writeModel(model: Model): Uint8Array {
  let dataBytes = 0;
  for (const b of model.buffers) dataBytes += (b.data?.length ?? 0) + 16;
  const b = new Builder(Math.max(1024, dataBytes + 65536));

  // Buffers first: the large data ends up at the end of the file, after the small tables.
  const buffers = model.buffers.map((buf) => writeBuffer(b, buf));
  const codes = model.operatorCodes.map((c) => writeOperatorCode(b, c));
  const subgraphs = model.subgraphs.map((sg) => writeSubGraph(b, sg));
  const metadata = model.metadata.map((m) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, m.buffer, 0);
    return b.endObject();
  });
  const signatures = model.signatureDefs.map((s) => writeSignature(b, s));
  const description = b.createString(model.description);

  const codesVec = offsetVector(b, codes);
  const subgraphsVec = offsetVector(b, subgraphs);
  const buffersVec = offsetVector(b, buffers);
  const metadataVec = metadata.length > 0 ? offsetVector(b, metadata) : 0;
  const signaturesVec = signatures.length > 0 ? offsetVector(b, signatures) : 0;

  // table Model { version (0); operator_codes (1); subgraphs (2); description (3); buffers (4);
  //   metadata_buffer (5); metadata (6); signature_defs (7) }
  b.startObject(8);
  b.addFieldInt32(0, model.version, -1); // always written (version 3 is not the schema default 0)
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  if (metadataVec) b.addFieldOffset(6, metadataVec, 0);
  if (signaturesVec) b.addFieldOffset(7, signaturesVec, 0);
  const root = b.endObject();
  b.finish(root, 'TFL3');
  return b.asUint8Array().slice();
}

function offsetVector(b: Builder, offsets: Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]!));
  return b.endVector();
}

/** A ubyte vector whose first element is aligned to `alignment` bytes in the finished file. */
function byteVector(b: Builder, data: Uint8Array, alignment: number): Offset {
  b.startVector(1, data.length, alignment);
  // The Builder fills its buffer back to front; reserve the bytes and copy them in one go (as the runtime's
  // own createByteVector does, which only lacks the alignment argument).
  const builder = b as unknown as { space: number };
  builder.space -= data.length;
  const bb = b.dataBuffer();
  bb.setPosition(builder.space);
  bb.bytes().set(data, builder.space);
  return b.endVector();
}

function writeBuffer(b: Builder, buf: BufferDef): Offset {
  // table Buffer { data:[ubyte] (force_align: 16) (0); offset:ulong (1); size:ulong (2) }
  const data = buf.data && buf.data.length > 0 ? byteVector(b, buf.data, 16) : 0;
  b.startObject(3);
  if (data) b.addFieldOffset(0, data, 0);
  return b.endObject();
}

function writeOperatorCode(b: Builder, c: OperatorCode): Offset {
  // table OperatorCode { deprecated_builtin_code:byte (0); custom_code (1); version = 1 (2); builtin_code:int32 (3) }
  const custom = c.customCode !== null ? b.createString(c.customCode) : 0;
  b.startObject(4);
  b.addFieldInt8(0, Math.min(c.builtinCode, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
  if (custom) b.addFieldOffset(1, custom, 0);
  b.addFieldInt32(2, c.version, 1);
  b.addFieldInt32(3, c.builtinCode, 0);
  return b.endObject();
}

function writeSubGraph(b: Builder, sg: SubGraph): Offset {
  const tensors = offsetVector(b, sg.tensors.map((t) => writeTensor(b, t)));
  const inputs = int32Vector(b, sg.inputs);
  const outputs = int32Vector(b, sg.outputs);
  const operators = offsetVector(b, sg.operators.map((op) => writeOperator(b, op)));
  const name = b.createString(sg.name);
  // table SubGraph { tensors (0); inputs (1); outputs (2); operators (3); name (4) }
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operators, 0);
  b.addFieldOffset(4, name, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: TensorDef): Offset {
  const shape = int32Vector(b, t.shape);
  const name = b.createString(t.name);
  const quant = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const sparsity = t.sparsity ? writeSparsity(b, t.sparsity) : 0;
  const signature = t.shapeSignature ? int32Vector(b, t.shapeSignature) : 0;
  // table Tensor { shape (0); type (1); buffer (2); name (3); quantization (4); is_variable (5); sparsity (6);
  //   shape_signature (7) }
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, t.type, 0);
  b.addFieldInt32(2, t.buffer, 0);
  b.addFieldOffset(3, name, 0);
  if (quant) b.addFieldOffset(4, quant, 0);
  b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
  if (sparsity) b.addFieldOffset(6, sparsity, 0);
  if (signature) b.addFieldOffset(7, signature, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, q: QuantizationParams): Offset {
  const min = q.min ? float32Vector(b, q.min) : 0;
  const max = q.max ? float32Vector(b, q.max) : 0;
  const scale = float32Vector(b, q.scale);
  const zeroPoint = int64Vector(b, q.zeroPoint);
  // table QuantizationParameters { min (0); max (1); scale (2); zero_point (3); details_type (4); details (5);
  //   quantized_dimension (6) }
  b.startObject(7);
  if (min) b.addFieldOffset(0, min, 0);
  if (max) b.addFieldOffset(1, max, 0);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  b.addFieldInt32(6, q.quantizedDimension, 0);
  return b.endObject();
}

function writeSparsity(b: Builder, s: SparsityParams): Offset {
  const traversal = int32Vector(b, s.traversalOrder);
  const blockMap = int32Vector(b, s.blockMap);
  const dims = offsetVector(b, s.dimMetadata.map((d) => writeDimension(b, d)));
  // table SparsityParameters { traversal_order (0); block_map (1); dim_metadata (2) }
  b.startObject(3);
  b.addFieldOffset(0, traversal, 0);
  b.addFieldOffset(1, blockMap, 0);
  b.addFieldOffset(2, dims, 0);
  return b.endObject();
}

/** Index arrays are written as `Int32Vector` (SparseIndexVector type 1). */
function writeIndexVector(b: Builder, values: readonly number[]): Offset {
  const v = int32Vector(b, values);
  b.startObject(1);
  b.addFieldOffset(0, v, 0);
  return b.endObject();
}

function writeDimension(b: Builder, d: DimensionMetadata): Offset {
  const segments = d.arraySegments ? writeIndexVector(b, d.arraySegments) : 0;
  const indices = d.arrayIndices ? writeIndexVector(b, d.arrayIndices) : 0;
  // table DimensionMetadata { format (0); dense_size (1); array_segments_type (2); array_segments (3);
  //   array_indices_type (4); array_indices (5) }
  b.startObject(6);
  b.addFieldInt8(0, d.format, 0);
  b.addFieldInt32(1, d.denseSize, 0);
  if (segments) { b.addFieldInt8(2, 1, 0); b.addFieldOffset(3, segments, 0); }
  if (indices) { b.addFieldInt8(4, 1, 0); b.addFieldOffset(5, indices, 0); }
  return b.endObject();
}

const UNION_CODES = new Map<string, { field: 1 | 2; code: number }>([
  ...BUILTIN_OPTIONS_UNION.map((k, i) => [k, { field: 1 as const, code: i + 1 }] as const),
  ...BUILTIN_OPTIONS2_UNION.map((k, i) => [k, { field: 2 as const, code: i + 1 }] as const),
]);

function writeOptions(b: Builder, options: BuiltinOptions): { field: 1 | 2; code: number; table: Offset } {
  const union = UNION_CODES.get(options.kind);
  if (!union) throw new ModelError(`cannot write builtin options of unknown kind '${options.kind}'`);
  const fields = OPTION_FIELDS[options.kind] ?? [];
  const values = options as unknown as Record<string, unknown>;
  // Vectors must be built before the table is started.
  const vectors = new Map<number, Offset>();
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind.t === 'intVector' && Array.isArray(v) && v.length > 0) vectors.set(f.id, int32Vector(b, v as number[]));
  }
  b.startObject(fields.reduce((n, f) => Math.max(n, f.id + 1), 0));
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined) continue;
    const def = f.optional ? null : f.def;
    switch (f.kind.t) {
      case 'int': b.addFieldInt32(f.id, v as number, def as number | null); break;
      case 'float': b.addFieldFloat32(f.id, v as number, def as number | null); break;
      case 'bool': b.addFieldInt8(f.id, v ? 1 : 0, def === null ? null : def ? 1 : 0); break;
      case 'enum': b.addFieldInt8(f.id, v as number, def as number | null); break;
      case 'intVector': { const off = vectors.get(f.id); if (off) b.addFieldOffset(f.id, off, 0); break; }
    }
  }
  return { ...union, table: b.endObject() };
}

function writeOperator(b: Builder, op: OperatorDef): Offset {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const intermediates = op.intermediates.length > 0 ? int32Vector(b, op.intermediates) : 0;
  const custom = op.customOptions && op.customOptions.length > 0 ? byteVector(b, op.customOptions, 1) : 0;
  const options = op.builtinOptions ? writeOptions(b, op.builtinOptions) : null;
  // table Operator { opcode_index (0); inputs (1); outputs (2); builtin_options_type (3); builtin_options (4);
  //   custom_options (5); custom_options_format (6); mutating_variable_inputs (7); intermediates (8);
  //   large_custom_options_offset (9); large_custom_options_size (10); builtin_options_2_type (11);
  //   builtin_options_2 (12) }
  b.startObject(13);
  b.addFieldInt32(0, op.opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (options && options.field === 1) { b.addFieldInt8(3, options.code, 0); b.addFieldOffset(4, options.table, 0); }
  if (custom) b.addFieldOffset(5, custom, 0);
  if (intermediates) b.addFieldOffset(8, intermediates, 0);
  if (options && options.field === 2) { b.addFieldInt8(11, options.code, 0); b.addFieldOffset(12, options.table, 0); }
  return b.endObject();
}

function writeSignature(b: Builder, s: SignatureDef): Offset {
  const maps = (list: SignatureDef['inputs']): Offset => offsetVector(b, list.map((m) => {
    const name = b.createString(m.name);
    // table TensorMap { name (0); tensor_index (1) }
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, m.tensorIndex, 0);
    return b.endObject();
  }));
  const inputs = maps(s.inputs);
  const outputs = maps(s.outputs);
  const key = b.createString(s.signatureKey);
  // table SignatureDef { inputs (0); outputs (1); signature_key (2); deprecated_tag (3); subgraph_index (4) }
  b.startObject(5);
  b.addFieldOffset(0, inputs, 0);
  b.addFieldOffset(1, outputs, 0);
  b.addFieldOffset(2, key, 0);
  b.addFieldInt32(4, s.subgraphIndex, 0);
  return b.endObject();
}
