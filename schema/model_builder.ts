/**
 * Builds a `Model` in memory, tensor by tensor and op by op, for tests and for the models the project
 * writes itself (fixtures/). Serialise the result with `writeModel`.
 *
 *   const b = new ModelBuilder();
 *   const x = b.input('x', TensorType.FLOAT32, [1, 4, 4, 1]);
 *   const y = b.tensor('y', TensorType.FLOAT32, [1, 4, 4, 1]);
 *   b.op(BuiltinOperator.RELU, [x], [y]);
 *   b.output(y);
 *   const bytes = writeModel(b.build());
 */
import type { BuiltinOptions } from './builtin_options.js';
import { BuiltinOperator, TensorType } from './enums.js';
import type { BufferDef, Model, OperatorCode, OperatorDef, QuantizationParams, SparsityParams, TensorDef } from './types.js';

export interface TensorInit {
  quantization?: QuantizationParams | null;
  shapeSignature?: number[] | null;
  sparsity?: SparsityParams | null;
}

/** Raw bytes of a typed array or number list for a constant of the given type. */
export function constantBytes(type: TensorType, values: ArrayLike<number> | ArrayLike<bigint> | Uint8Array): Uint8Array {
  if (values instanceof Uint8Array && type !== TensorType.UINT8 && type !== TensorType.BOOL) return values;
  const arr = ArrayBuffer.isView(values) ? values as unknown as ArrayLike<number> : values;
  let typed: ArrayBufferView;
  switch (type) {
    case TensorType.FLOAT32: typed = Float32Array.from(arr as ArrayLike<number>); break;
    case TensorType.INT32: typed = Int32Array.from(arr as ArrayLike<number>); break;
    case TensorType.UINT8: case TensorType.BOOL: typed = Uint8Array.from(arr as ArrayLike<number>); break;
    case TensorType.INT8: typed = Int8Array.from(arr as ArrayLike<number>); break;
    case TensorType.INT16: typed = Int16Array.from(arr as ArrayLike<number>); break;
    case TensorType.FLOAT16: case TensorType.UINT16: typed = Uint16Array.from(arr as ArrayLike<number>); break;
    case TensorType.INT64: typed = BigInt64Array.from(arr as ArrayLike<number>, (v) => BigInt(v)); break;
    case TensorType.FLOAT64: typed = Float64Array.from(arr as ArrayLike<number>); break;
    default: throw new Error(`constantBytes: type ${TensorType[type]} is not supported`);
  }
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

export class ModelBuilder {
  private readonly tensors: TensorDef[] = [];
  private readonly buffers: BufferDef[] = [{ data: null }];
  private readonly operators: OperatorDef[] = [];
  private readonly opcodes: OperatorCode[] = [];
  private readonly inputs: number[] = [];
  private readonly outputs: number[] = [];
  description = 'written by embedlite';

  /** A non-constant tensor (an activation). Returns its index. */
  tensor(name: string, type: TensorType, shape: number[], init: TensorInit = {}): number {
    this.tensors.push({
      name, type, shape: [...shape], shapeSignature: init.shapeSignature ?? null, buffer: 0,
      quantization: init.quantization ?? null, isVariable: false, sparsity: init.sparsity ?? null,
    });
    return this.tensors.length - 1;
  }

  /** A graph input. */
  input(name: string, type: TensorType, shape: number[], init: TensorInit = {}): number {
    const t = this.tensor(name, type, shape, init);
    this.inputs.push(t);
    return t;
  }

  /** A constant tensor backed by a buffer holding `values`. */
  constant(name: string, type: TensorType, shape: number[], values: ArrayLike<number> | ArrayLike<bigint> | Uint8Array,
    init: TensorInit = {}): number {
    const t = this.tensor(name, type, shape, init);
    this.buffers.push({ data: constantBytes(type, values) });
    this.tensors[t]!.buffer = this.buffers.length - 1;
    return t;
  }

  /** Marks a tensor as a graph output. */
  output(t: number): void {
    this.outputs.push(t);
  }

  /** Adds a builtin op; `inputs` may hold -1 for omitted optional inputs. */
  op(code: BuiltinOperator, inputs: number[], outputs: number[], options: BuiltinOptions | null = null, version = 1): void {
    this.operators.push({
      opcodeIndex: this.opcode(code, null, version), inputs: [...inputs], outputs: [...outputs], intermediates: [],
      builtinOptions: options, customOptions: null,
    });
  }

  /** Adds a custom op with its raw custom options. */
  customOp(name: string, inputs: number[], outputs: number[], customOptions: Uint8Array | null = null, version = 1): void {
    this.operators.push({
      opcodeIndex: this.opcode(BuiltinOperator.CUSTOM, name, version), inputs: [...inputs], outputs: [...outputs],
      intermediates: [], builtinOptions: null, customOptions,
    });
  }

  build(): Model {
    return {
      version: 3,
      description: this.description,
      operatorCodes: this.opcodes.map((c) => ({ ...c })),
      subgraphs: [{
        name: 'main', tensors: this.tensors.map((t) => ({ ...t })), inputs: [...this.inputs], outputs: [...this.outputs],
        operators: this.operators.map((o) => ({ ...o })),
      }],
      buffers: [...this.buffers],
      metadata: [],
      signatureDefs: [],
    };
  }

  private opcode(builtinCode: number, customCode: string | null, version: number): number {
    const i = this.opcodes.findIndex((c) => c.builtinCode === builtinCode && c.customCode === customCode && c.version === version);
    if (i >= 0) return i;
    this.opcodes.push({ builtinCode, customCode, version });
    return this.opcodes.length - 1;
  }
}
