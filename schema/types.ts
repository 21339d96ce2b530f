/**
 * The plain, validated in-memory form of a .tflite model. `schema/model_reader.ts` produces it from bytes,
 * `schema/model_writer.ts` turns it back into bytes; nothing outside `schema/` sees FlatBuffer offsets.
 * Field names are the camelCase of the schema.fbs field names.
 */
import type { TensorType } from './enums.js';
import type { BuiltinOptions } from './builtin_options.js';

export interface QuantizationParams {
  /** One scale per tensor, or one per slice along `quantizedDimension` (per-axis). */
  scale: number[];
  /** Same length as `scale` (int64 in the file; read as numbers, exact below 2^53). */
  zeroPoint: number[];
  quantizedDimension: number;
  min?: number[];
  max?: number[];
}

export interface TensorDef {
  name: string;
  shape: number[];
  /** `shape_signature`: -1 marks a dynamic dimension. null when absent. */
  shapeSignature: number[] | null;
  type: TensorType;
  /** Index into `Model.buffers`; 0 is the empty sentinel buffer. */
  buffer: number;
  /** null when the tensor has no quantization parameters (or only empty ones). */
  quantization: QuantizationParams | null;
  isVariable: boolean;
  /**
   * Sparse-tensor layout (`SparsityParameters`), null for dense tensors. The interpreter accepts a sparse
   * tensor only as the constant input of DENSIFY and refuses it anywhere else with a ModelError.
   */
  sparsity: SparsityParams | null;
}

/** `DimensionMetadata`: format 0 = DENSE (uses denseSize), 1 = SPARSE_CSR (uses arraySegments/arrayIndices). */
export interface DimensionMetadata {
  format: 0 | 1;
  denseSize: number;
  arraySegments: number[] | null;
  arrayIndices: number[] | null;
}

export interface SparsityParams {
  traversalOrder: number[];
  blockMap: number[];
  dimMetadata: DimensionMetadata[];
}

export interface OperatorCode {
  /** max(deprecated_builtin_code, builtin_code). */
  builtinCode: number;
  customCode: string | null;
  version: number;
}

export interface OperatorDef {
  opcodeIndex: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  /** Parsed builtin options with schema defaults filled in; null for ops without options. */
  builtinOptions: BuiltinOptions | null;
  customOptions: Uint8Array | null;
}

export interface SubGraph {
  name: string;
  tensors: TensorDef[];
  inputs: number[];
  outputs: number[];
  operators: OperatorDef[];
}

export interface BufferDef {
  /** A view into the model bytes (no copy), or null/empty for the sentinel and for activations. */
  data: Uint8Array | null;
}

export interface MetadataEntry {
  name: string;
  buffer: number;
}

export interface TensorMapEntry {
  name: string;
  tensorIndex: number;
}

export interface SignatureDef {
  signatureKey: string;
  subgraphIndex: number;
  inputs: TensorMapEntry[];
  outputs: TensorMapEntry[];
}

export interface Model {
  version: number;
  description: string;
  operatorCodes: OperatorCode[];
  subgraphs: SubGraph[];
  buffers: BufferDef[];
  metadata: MetadataEntry[];
  signatureDefs: SignatureDef[];
}
