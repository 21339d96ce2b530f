/** Run-time tensors: a shape, a type, quantization and a typed-array view into the arena or the model bytes. */
import { TensorType } from '../schema/enums.js';
import type { QuantizationParams, SparsityParams } from '../schema/types.js';
import { InterpreterError } from '../schema/errors.js';

export type TensorData =
  | Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array
  | BigInt64Array | BigUint64Array;

/** Bytes per element of each TensorType; 0 for types without a fixed size (STRING, RESOURCE, VARIANT). */
export function bytesPerElement(type: TensorType): number {
  switch (type) {
    case TensorType.FLOAT32: case TensorType.INT32: case TensorType.UINT32: return 4;
    case TensorType.FLOAT16: case TensorType.INT16: case TensorType.UINT16: case TensorType.BFLOAT16: return 2;
    case TensorType.UINT8: case TensorType.INT8: case TensorType.BOOL: return 1;
    case TensorType.INT64: case TensorType.UINT64: case TensorType.FLOAT64: case TensorType.COMPLEX64: return 8;
    case TensorType.COMPLEX128: return 16;
    default: return 0; // STRING, RESOURCE, VARIANT, INT4 (packed) have no fixed element size here
  }
}

/** A typed-array view of `byteLength` bytes at `byteOffset` of `buffer`, of the array type matching `type`. */
export function typedView(type: TensorType, buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData {
  switch (type) {
    case TensorType.FLOAT32: return new Float32Array(buffer, byteOffset, length);
    case TensorType.FLOAT64: return new Float64Array(buffer, byteOffset, length);
    case TensorType.INT32: return new Int32Array(buffer, byteOffset, length);
    case TensorType.UINT32: return new Uint32Array(buffer, byteOffset, length);
    case TensorType.UINT8: case TensorType.BOOL: return new Uint8Array(buffer, byteOffset, length);
    case TensorType.INT8: return new Int8Array(buffer, byteOffset, length);
    case TensorType.INT16: return new Int16Array(buffer, byteOffset, length);
    case TensorType.UINT16: case TensorType.FLOAT16: case TensorType.BFLOAT16: return new Uint16Array(buffer, byteOffset, length);
    case TensorType.INT64: return new BigInt64Array(buffer, byteOffset, length);
    case TensorType.UINT64: return new BigUint64Array(buffer, byteOffset, length);
    default: throw new InterpreterError(`tensor type ${TensorType[type] ?? type} has no typed-array view`);
  }
}

/** True for the types `typedView` can view (every type but STRING, RESOURCE, VARIANT, INT4, COMPLEX64/128). */
export function hasTypedView(type: TensorType): boolean {
  switch (type) {
    case TensorType.FLOAT32: case TensorType.FLOAT64: case TensorType.INT32: case TensorType.UINT32: case TensorType.UINT8:
    case TensorType.BOOL: case TensorType.INT8: case TensorType.INT16: case TensorType.UINT16: case TensorType.FLOAT16:
    case TensorType.BFLOAT16: case TensorType.INT64: case TensorType.UINT64: return true;
    default: return false;
  }
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export class Tensor {
  /** `data` is re-bound after memory planning. */
  private _shape: number[] = [];
  /**
   * Called whenever a kernel sets the shape: the interpreter's budget check, so an oversized output is refused
   * before the kernel sizes any table or scratch buffer by it (found by test/fuzz: RESIZE_BILINEAR to width 2^30).
   */
  onShape: ((t: Tensor) => void) | null = null;
  data: TensorData;
  /**
   * Sparse layout of a constant sparse tensor (the model's TensorDef.sparsity; only DENSIFY's input has one),
   * set by the interpreter after construction; `data` then holds only the stored values. null when dense.
   */
  sparsity: SparsityParams | null = null;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly type: TensorType,
    shape: number[],
    /** Quantization parameters; null for unquantized tensors. */
    readonly quant: QuantizationParams | null,
    /**
     * True for tensors backed by a model buffer (weights, constant shapes), and for tensors the interpreter
     * computed at prepare time because they depend only on constants (folded DEQUANTIZE of weights, shape math).
     */
    public isConstant: boolean,
    data?: TensorData,
  ) {
    this.shape = shape;
    // Types without a typed-array view start as empty bytes: kernels refuse them by type at prepare.
    this.data = data ?? (hasTypedView(type) ? typedView(type, new ArrayBuffer(0), 0, 0) : new Uint8Array(0));
  }

  /** Set at prepare time (kernels write output shapes). */
  get shape(): number[] {
    return this._shape;
  }

  set shape(shape: number[]) {
    this._shape = shape;
    this.onShape?.(this);
  }

  get size(): number {
    return elementCount(this.shape);
  }

  get byteLength(): number {
    return this.size * bytesPerElement(this.type);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Per-tensor scale (the first one); use `quant.scale` directly for per-axis tensors. */
  get scale(): number {
    return this.quant?.scale[0] ?? 0;
  }

  get zeroPoint(): number {
    return this.quant?.zeroPoint[0] ?? 0;
  }

  describe(): string {
    return `tensor ${this.index} '${this.name}' ${TensorType[this.type]}[${this.shape.join(',')}]`;
  }
}
