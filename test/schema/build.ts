/** Helpers for tests that build models in memory. */
import { TensorType } from '../../schema/enums.js';
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import type { Model, OperatorDef, TensorDef } from '../../schema/types.js';

export function tensor(name: string, type: TensorType, shape: number[], extra: Partial<TensorDef> = {}): TensorDef {
  return { name, shape, shapeSignature: null, type, buffer: 0, quantization: null, isVariable: false, sparsity: null, ...extra };
}

export function op(opcodeIndex: number, inputs: number[], outputs: number[], builtinOptions: BuiltinOptions | null = null): OperatorDef {
  return { opcodeIndex, inputs, outputs, intermediates: [], builtinOptions, customOptions: null };
}

/** A one-subgraph model with the given pieces; buffer 0 is the empty sentinel. */
export function model(parts: Partial<Model> & { tensors?: TensorDef[]; operators?: OperatorDef[]; inputs?: number[]; outputs?: number[] }): Model {
  const { tensors = [], operators = [], inputs = [], outputs = [], ...rest } = parts;
  return {
    version: 3, description: 'test', operatorCodes: [], buffers: [{ data: null }], metadata: [], signatureDefs: [],
    subgraphs: [{ name: 'main', tensors, inputs, outputs, operators }],
    ...rest,
  };
}

export { rng } from '../helpers/rng.js';

/** Element-wise equality of two byte arrays (fast path for large buffers). */
export function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
