/**
 * MEAN for uint8 / int8 over any set of axes. Mirrors reference_ops::QuantizedMeanOrSum (compute_sum = false),
 * which TFLite Micro and TFLite's reference reduce kernel run for every quantized MEAN, including the requantizing
 * case where input and output scales differ:
 *   prepare: (M, s) = QuantizeMultiplier(scale_in / scale_out); with n elements per output and
 *            k = min(floor(log2 n), 32, 31 + s): M' = trunc(M * 2^k / n), s' = s - k;
 *   eval:    out = clamp(zp_out + MBQM(sum(x) - zp_in * n, M', s')).
 * 'tflite-cpu' mode, a rank-4 input reduced over axes 1 and 2 (what the XNNPACK delegate takes, as global average
 * pooling): out = requantizeFp32(sum(x) - zp_in * n, f32(scale_in / f32(scale_out * n))) (internal/xnnpack.ts
 * xnnGlobalAveragePoolScale).
 * 'tflite-cpu' mode, any other axes (TFLite's own reduce kernel, measured against the oracle):
 *   same scale and zero point in and out: out = trunc(sum(x) / n) (C++ integer division);
 *   otherwise, in float32: s = f32(scale_in / scale_out), b = f32(-zp_in * s), m = f32(sum) / f32(n),
 *   out = clamp(round_half_away(f32(f32(m * s) + b)) + zp_out).
 */
import type { ReducerOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundHalfAwayFromZero } from '../internal/quantization_util.js';
import { perTensorQuant, quantizedType, sameType, typeName } from './internal/params.js';
import { xnnGlobalAveragePoolScale } from './internal/xnnpack.js';

interface MeanData {
  /** Output element of each input element. */
  outIndex: Int32Array;
  sums: Float64Array;
  correction: number;
  multiplier: number;
  shift: number;
  outZeroPoint: number;
  min: number;
  max: number;
  /** 'tflite-cpu' spatial mean: XNNPACK's float32 scale; 0 otherwise. */
  fp32Scale: number;
  /** 'tflite-cpu' other axes: 'trunc' (same quantization) or 'float' (TFLite's float rescale); null otherwise. */
  cpuMean: 'trunc' | 'float' | null;
  floatScale: number;
  floatBias: number;
  n: number;
}

export const meanQuantized: Kernel<MeanData, ReducerOptions> = {
  prepare(node: KernelNode<ReducerOptions>): MeanData {
    const x = input(node, 0), axisT = input(node, 1), out = node.outputs[0]!;
    ensure(node, !!node.options, () => 'missing ReducerOptions');
    const type = quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    ensure(node, axisT.type === TensorType.INT32, () => `axis type ${typeName(axisT.type)} is not supported (INT32)`);
    ensure(node, axisT.isConstant, () => 'axis must be a constant tensor');
    const rank = x.shape.length;
    const reduced = new Array<boolean>(rank).fill(false);
    for (const a of axisT.data as Int32Array) {
      ensure(node, a >= -rank && a < rank, () => `axis ${a} is out of range for rank ${rank}`);
      reduced[a < 0 ? a + rank : a] = true;
    }
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    const keep = node.options.keepDims;
    const outShape: number[] = [];
    for (let i = 0; i < rank; i++) {
      if (!reduced[i]) outShape.push(x.shape[i]!);
      else if (keep) outShape.push(1);
    }
    out.shape = outShape;
    // Output index of every input element: the row-major index over the kept dimensions.
    const size = x.size;
    const outIndex = new Int32Array(size);
    const idx = new Array<number>(rank).fill(0);
    let outCount = 1;
    for (let i = 0; i < rank; i++) if (!reduced[i]) outCount *= x.shape[i]!;
    for (let e = 0; e < size; e++) {
      let o = 0;
      for (let d = 0; d < rank; d++) if (!reduced[d]) o = o * x.shape[d]! + idx[d]!;
      outIndex[e] = o;
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < x.shape[d]!) break;
        idx[d] = 0;
      }
    }
    const n = outCount === 0 ? 0 : size / outCount;
    const m = quantizeMultiplier(xq.scale / oq.scale);
    let multiplier = m.multiplier, shift = m.shift;
    if (n > 0) {
      let k = 31 - Math.clz32(n); // floor(log2 n) for n < 2^31
      k = Math.min(k, 32, 31 + shift);
      multiplier = Number((BigInt(multiplier) << BigInt(k)) / BigInt(n));
      multiplier = Number(BigInt.asIntN(32, BigInt(multiplier)));
      shift -= k;
    }
    const spatial = rank === 4 && !reduced[0] && reduced[1] && reduced[2] && !reduced[3];
    const cpu = node.context.quantizedArithmetic === 'tflite-cpu' && n > 0;
    const fp32Scale = cpu && spatial ? xnnGlobalAveragePoolScale(xq.scale, oq.scale, n) : 0;
    const cpuMean = cpu && !spatial ? (xq.scale === oq.scale && xq.zeroPoint === oq.zeroPoint ? 'trunc' : 'float') : null;
    const floatScale = Math.fround(xq.scale / oq.scale);
    return {
      fp32Scale, cpuMean, floatScale, floatBias: Math.fround(-xq.zeroPoint * floatScale), n,
      outIndex, sums: new Float64Array(outCount), correction: xq.zeroPoint * n, multiplier, shift,
      outZeroPoint: oq.zeroPoint, min: type === TensorType.UINT8 ? 0 : -128, max: type === TensorType.UINT8 ? 255 : 127,
    };
  },

  eval(node: KernelNode<ReducerOptions>, d: MeanData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const sums = d.sums, oi = d.outIndex;
    sums.fill(0);
    for (let i = 0; i < x.length; i++) sums[oi[i]!] += x[i]!;
    if (d.cpuMean) {
      const f = Math.fround, n = d.n, fn = f(n);
      for (let o = 0; o < sums.length; o++) {
        let v = d.cpuMean === 'trunc' ? Math.trunc(sums[o]! / n)
          : roundHalfAwayFromZero(f(f(f(f(sums[o]!) / fn) * d.floatScale) + d.floatBias)) + d.outZeroPoint;
        if (v < d.min) v = d.min;
        else if (v > d.max) v = d.max;
        out[o] = v;
      }
      return;
    }
    if (d.fp32Scale > 0) {
      const fround = Math.fround, scale = d.fp32Scale;
      for (let o = 0; o < sums.length; o++) {
        const v = ((fround(fround(sums[o]! - d.correction) * scale) + 6755399441055744) - 6755399441055744) + d.outZeroPoint;
        out[o] = v < d.min ? d.min : v > d.max ? d.max : v;
      }
      return;
    }
    for (let o = 0; o < sums.length; o++) {
      let v = multiplyByQuantizedMultiplier(sums[o]! - d.correction, d.multiplier, d.shift) + d.outZeroPoint;
      if (v < d.min) v = d.min;
      else if (v > d.max) v = d.max;
      out[o] = v;
    }
  },
};
