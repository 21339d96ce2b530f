/**
 * The deterministic input pattern shared by `embedlite run`, `npm run bench`, the conformance tests and
 * ../shared/tools/tflite-ref: for flat (row-major) element index i, p = (i * 7919) % 256, and
 * uint8 gets p, int8 gets p - 128, float32/float64 get p / 255, other integer types get p, bool gets p & 1.
 */
import { TensorType } from '../../schema/enums.js';
import type { TensorData } from '../../kernels/tensor.js';

/** The pattern byte p for flat index i. */
export function patternByte(i: number): number {
  return (i * 7919) % 256;
}

/** The pattern value of element i for a tensor of `type`. */
export function patternValue(i: number, type: TensorType): number {
  const p = patternByte(i);
  switch (type) {
    case TensorType.FLOAT32: case TensorType.FLOAT64: return p / 255;
    case TensorType.INT8: return p - 128;
    case TensorType.BOOL: return p & 1;
    default: return p;
  }
}

/** Fills `data` (the typed-array view of a tensor of `type`) with the pattern. */
export function fillPattern(data: TensorData, type: TensorType): void {
  const n = data.length;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) data[i] = BigInt(patternValue(i, type));
    return;
  }
  if (type === TensorType.FLOAT16 || type === TensorType.BFLOAT16) {
    throw new Error(`the input pattern has no ${TensorType[type]} form`);
  }
  for (let i = 0; i < n; i++) data[i] = patternValue(i, type);
}

/** A new typed array of `count` elements of `type` holding the pattern. */
export function makePattern(type: TensorType, count: number): TensorData {
  let data: TensorData;
  switch (type) {
    case TensorType.FLOAT32: data = new Float32Array(count); break;
    case TensorType.FLOAT64: data = new Float64Array(count); break;
    case TensorType.INT8: data = new Int8Array(count); break;
    case TensorType.UINT8: case TensorType.BOOL: data = new Uint8Array(count); break;
    case TensorType.INT16: data = new Int16Array(count); break;
    case TensorType.UINT16: data = new Uint16Array(count); break;
    case TensorType.INT32: data = new Int32Array(count); break;
    case TensorType.UINT32: data = new Uint32Array(count); break;
    case TensorType.INT64: data = new BigInt64Array(count); break;
    case TensorType.UINT64: data = new BigUint64Array(count); break;
    default: throw new Error(`the input pattern has no ${TensorType[type] ?? type} form`);
  }
  fillPattern(data, type);
  return data;
}
