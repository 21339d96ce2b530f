/**
 * DEQUANTIZE to FLOAT32 from UINT8, INT8, INT16 (per-tensor or per-axis scales) and FLOAT16
 * (mirrors dequantize.cc: reference_ops::Dequantize, PerChannelDequantize, and the half → float cast).
 * value = (q - zero_point) * scale. A constant input (weights) is converted once at prepare and only
 * copied at eval; other inputs are converted at eval.
 */
import { TensorType } from '../schema/enums.js';
import type { Tensor } from './tensor.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import type { NumArray } from './internal/elementwise.js';

/** IEEE binary16 bits to a number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

interface DequantizeData {
  /** The converted constant, or null when the input is converted at eval. */
  constant: Float32Array | null;
  half: boolean;
  /** Per element group: scale and zero point, repeated every `inner` elements along the quantized axis. */
  scales: Float64Array; zeroPoints: Float64Array;
  inner: number;
}

function convert(x: NumArray, y: Float32Array, d: DequantizeData): void {
  const n = y.length;
  if (d.half) {
    for (let i = 0; i < n; i++) y[i] = halfToFloat(x[i]!);
    return;
  }
  const scales = d.scales, zps = d.zeroPoints, channels = scales.length, inner = d.inner;
  if (channels === 1) {
    const s = scales[0]!, z = zps[0]!;
    for (let i = 0; i < n; i++) y[i] = (x[i]! - z) * s;
    return;
  }
  for (let i = 0, c = 0, k = 0; i < n; i++) {
    y[i] = (x[i]! - zps[c]!) * scales[c]!;
    if (++k === inner) { k = 0; if (++c === channels) c = 0; }
  }
}

function quantParams(node: Parameters<Kernel['prepare']>[0], x: Tensor): { scales: Float64Array; zeroPoints: Float64Array; inner: number } {
  const q = x.quant;
  ensure(node, !!q && q.scale.length > 0, () => `${x.describe()} has no quantization parameters`);
  ensure(node, q.zeroPoint.length === q.scale.length, () => `${q.scale.length} scales but ${q.zeroPoint.length} zero points`);
  if (q.scale.length === 1) return { scales: Float64Array.of(q.scale[0]!), zeroPoints: Float64Array.of(q.zeroPoint[0]!), inner: x.size };
  const axis = q.quantizedDimension;
  ensure(node, axis >= 0 && axis < x.rank && x.shape[axis] === q.scale.length,
    () => `${q.scale.length} per-axis scales do not match dimension ${axis} of [${x.shape.join(',')}]`);
  let inner = 1;
  for (let i = axis + 1; i < x.rank; i++) inner *= x.shape[i]!;
  // Per-channel: float scale times (q - zp), as PerChannelDequantize computes in float.
  return { scales: Float64Array.from(q.scale, Math.fround), zeroPoints: Float64Array.from(q.zeroPoint), inner };
}

export const dequantize: Kernel<DequantizeData> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, [TensorType.UINT8, TensorType.INT8, TensorType.INT16, TensorType.FLOAT16].includes(x.type),
      () => `input type ${TensorType[x.type]} is not supported (UINT8, INT8, INT16, FLOAT16)`);
    ensure(node, out.type === TensorType.FLOAT32, () => `output type ${TensorType[out.type]} must be FLOAT32`);
    out.shape = x.shape.slice();
    const half = x.type === TensorType.FLOAT16;
    const d: DequantizeData = half
      ? { constant: null, half, scales: new Float64Array(1), zeroPoints: new Float64Array(1), inner: 1 }
      : { constant: null, half, ...quantParams(node, x) };
    if (x.isConstant) {
      const c = new Float32Array(x.size);
      convert(x.data as NumArray, c, d);
      d.constant = c;
    }
    return d;
  },
  eval(node, d) {
    const y = node.outputs[0]!.data as Float32Array;
    if (d.constant) y.set(d.constant);
    else convert(node.inputs[0]!.data as NumArray, y, d);
  },
};
