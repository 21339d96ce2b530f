/**
 * Prepare-time helpers shared by the quantized kernels: type and quantization checks with node-naming messages,
 * per-channel requantization multipliers (kernel_util.cc PopulateConvolutionQuantizationParams), activation clamps.
 * TFLite stores scales as float32; every scale is read through Math.fround so that test-made parameters behave
 * like the ones a model file carries.
 */
import { ActivationFunctionType, TensorType } from '../../../schema/enums.js';
import type { Tensor } from '../../tensor.js';
import type { KernelNode } from '../../kernel.js';
import { ensure, prepareError } from '../../kernel.js';
import {
  REQUANT_STRIDE, activationRangeQuantized, quantizeMultiplier, setRequantChannel,
} from '../../internal/quantization_util.js';
import { fp32ChannelScales, xnnActivationRange } from './xnnpack.js';
import type { Requant } from './requant.js';

export function isQuantizedType(t: TensorType): boolean {
  return t === TensorType.UINT8 || t === TensorType.INT8;
}

export function typeName(t: TensorType): string {
  return TensorType[t] ?? String(t);
}

/** Per-tensor scale and zero point of a quantized tensor; throws when absent or not usable. */
export function perTensorQuant(node: KernelNode<unknown>, t: Tensor, what: string): { scale: number; zeroPoint: number } {
  const q = t.quant;
  ensure(node, !!q && q.scale.length > 0, () => `${what} ${t.describe()} has no quantization parameters`);
  ensure(node, q.scale.length === 1, () => `${what} must be quantized per tensor, got ${q.scale.length} scales`);
  const scale = Math.fround(q.scale[0]!);
  ensure(node, scale > 0 && Number.isFinite(scale), () => `${what} scale must be positive, got ${q.scale[0]}`);
  const zeroPoint = q.zeroPoint[0] ?? 0;
  const r = t.type === TensorType.UINT8 ? [0, 255] : t.type === TensorType.INT8 ? [-128, 127] : [-2147483648, 2147483647];
  ensure(node, zeroPoint >= r[0]! && zeroPoint <= r[1]!,
    () => `${what} zero point ${zeroPoint} is outside the ${typeName(t.type)} range`);
  return { scale, zeroPoint };
}

/** Requires a uint8 or int8 type and returns it. */
export function quantizedType(node: KernelNode<unknown>, t: Tensor, what: string): TensorType {
  ensure(node, isQuantizedType(t.type), () => `${what} type ${typeName(t.type)} is not supported (UINT8, INT8)`);
  return t.type;
}

export function sameType(node: KernelNode<unknown>, a: Tensor, b: Tensor, what: string): void {
  ensure(node, a.type === b.type, () => `${what} type ${typeName(b.type)} differs from input type ${typeName(a.type)}`);
}

/** The clamp of a fused activation on a quantized output; TANH / SIGN_BIT are refused. */
export function fusedActivationRange(
  node: KernelNode<unknown>, act: ActivationFunctionType, out: Tensor, scale: number, zeroPoint: number,
): { min: number; max: number } {
  const r = activationRangeQuantized(act, out.type, scale, zeroPoint);
  if (!r) throw prepareError(node, `fused activation ${ActivationFunctionType[act] ?? act} is not supported`);
  return r;
}

export interface ChannelRequant {
  multipliers: Int32Array;
  shifts: Int32Array;
}

/**
 * Filter scales per output channel (length `channels`): per-axis on `quantizedDimension` == `axis`, or one scale
 * broadcast. int8 weights must have zero point 0 (symmetric); uint8 weights must be per-tensor.
 */
export function filterScales(
  node: KernelNode<unknown>, filter: Tensor, channels: number, axis: number,
): { scales: Float64Array; zeroPoint: number } {
  const q = filter.quant;
  ensure(node, !!q && q.scale.length > 0, () => `filter ${filter.describe()} has no quantization parameters`);
  const n = q.scale.length;
  ensure(node, n === 1 || n === channels,
    () => `filter has ${n} scales but ${channels} output channels`);
  if (n > 1) {
    ensure(node, filter.type === TensorType.INT8, () => `per-channel quantization needs INT8 weights, got ${typeName(filter.type)}`);
    ensure(node, q.quantizedDimension === axis,
      () => `filter is quantized on dimension ${q.quantizedDimension}, expected ${axis}`);
  }
  const scales = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = Math.fround(q.scale[n === 1 ? 0 : c]!);
    ensure(node, s > 0 && Number.isFinite(s), () => `filter scale ${c} must be positive, got ${q.scale[n === 1 ? 0 : c]}`);
    scales[c] = s;
  }
  let zeroPoint = q.zeroPoint[0] ?? 0;
  if (filter.type === TensorType.INT8) {
    for (let i = 0; i < q.zeroPoint.length; i++) {
      ensure(node, q.zeroPoint[i] === 0, () => `INT8 filter zero point must be 0, got ${q.zeroPoint[i]}`);
    }
    zeroPoint = 0;
  } else {
    ensure(node, zeroPoint >= 0 && zeroPoint <= 255, () => `filter zero point ${zeroPoint} is outside the UINT8 range`);
  }
  return { scales, zeroPoint };
}

/** effective scale = input_scale * filter_scale[c] / output_scale (in double), quantized per channel. */
export function channelRequant(inputScale: number, scales: Float64Array, outputScale: number): ChannelRequant {
  const n = scales.length;
  const multipliers = new Int32Array(n);
  const shifts = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const m = quantizeMultiplier((inputScale * scales[c]!) / outputScale);
    multipliers[c] = m.multiplier;
    shifts[c] = m.shift;
  }
  return { multipliers, shifts };
}

/** The int32 bias as a Float64Array of length `channels` (zeros when the bias is omitted). */
export function readBias(node: KernelNode<unknown>, bias: Tensor | null | undefined, channels: number): Float64Array {
  const out = new Float64Array(channels);
  if (!bias) return out;
  ensure(node, bias.type === TensorType.INT32, () => `bias type ${typeName(bias.type)} is not supported (INT32)`);
  ensure(node, bias.size === channels, () => `bias has ${bias.size} elements, expected ${channels}`);
  ensure(node, bias.isConstant, () => 'bias must be a constant tensor');
  const d = bias.data as Int32Array;
  for (let c = 0; c < channels; c++) out[c] = d[c]!;
  return out;
}

export function rankIs(node: KernelNode<unknown>, t: Tensor, rank: number, what: string): void {
  ensure(node, t.shape.length === rank, () => `${what} must have rank ${rank}, got [${t.shape.join(',')}]`);
}

/**
 * The checks CONV_2D and DEPTHWISE_CONV_2D share: a uint8/int8 input, filter and output of one type, rank-4
 * input and filter, and a constant filter (it is repacked at prepare). Returns the element type.
 */
export function checkQuantizedConvTensors(node: KernelNode<unknown>, x: Tensor, filter: Tensor, out: Tensor): TensorType {
  const type = quantizedType(node, x, 'input');
  sameType(node, x, filter, 'filter');
  sameType(node, x, out, 'output');
  rankIs(node, x, 4, 'input');
  rankIs(node, filter, 4, 'filter');
  ensure(node, filter.isConstant, () => 'filter must be a constant tensor');
  return type;
}

/** The per-channel table of quantization_util `requantize`: bias folded with each channel's multiplier and shift. */
export function requantTable(bias: Float64Array, m: ChannelRequant): Float64Array {
  const n = m.multipliers.length;
  const table = new Float64Array(n * REQUANT_STRIDE);
  for (let c = 0; c < n; c++) setRequantChannel(table, c, bias[c]!, m.multipliers[c]!, m.shifts[c]!);
  return table;
}

/**
 * The requantization of a convolution-like node (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED) in the interpreter's
 * arithmetic mode: 'reference' = MultiplyByQuantizedMultiplier with TFLite's activation clamp; 'tflite-cpu' =
 * XNNPACK's float32 scale per channel and its quantized activation bounds (internal/xnnpack.ts).
 */
export function convRequant(
  node: KernelNode<unknown>, bias: Float64Array, inputScale: number, filterScales: Float64Array,
  out: Tensor, outScale: number, outZeroPoint: number, act: ActivationFunctionType,
): Requant {
  const table = requantTable(bias, channelRequant(inputScale, filterScales, outScale));
  if (node.context.quantizedArithmetic === 'reference' || depthwiseLeftToTflite(node)) {
    const r = fusedActivationRange(node, act, out, outScale, outZeroPoint);
    return { table, outZeroPoint, actMin: r.min, actMax: r.max, scales: null };
  }
  const r = xnnActivationRange(act, out.type, outScale, outZeroPoint);
  if (!r) throw prepareError(node, `fused activation ${ActivationFunctionType[act] ?? act} is not supported`);
  return { table, outZeroPoint, actMin: r.min, actMax: r.max, scales: fp32ChannelScales(inputScale, filterScales, outScale) };
}

/**
 * A DEPTHWISE_CONV_2D with per-channel weights but a per-tensor bias scale is refused by the XNNPACK delegate and
 * runs in TFLite's own kernel, whose bytes equal the reference formula (measured; docs/quantized_arithmetic.md).
 */
function depthwiseLeftToTflite(node: KernelNode<unknown>): boolean {
  if (node.opName !== 'DEPTHWISE_CONV_2D') return false;
  const filter = node.inputs[1], bias = node.inputs[2];
  return !!filter?.quant && filter.quant.scale.length > 1 && !!bias?.quant && bias.quant.scale.length === 1;
}
