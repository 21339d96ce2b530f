/**
 * PAD and PADV2 for uint8 / int8 (pad.cc, reference_ops::Pad). The pad value is the output zero point (PAD) or the
 * quantized constant_values[0] (PADV2). When input and output quantization differ, the copied values are requantized
 * like QUANTIZE does: zp_out + MBQM(x - zp_in, QuantizeMultiplier(s_in / s_out)), clamped.
 */
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { perTensorQuant, quantizedType, sameType, typeName } from './internal/params.js';

interface PadData {
  /** Input shape as rows of the innermost dimension: `rows` rows of `inner` elements. */
  inShape: Int32Array;
  rows: number;
  inner: number;
  /** Output strides, and the output offset of input element 0 (the leading paddings). */
  outStrides: Int32Array;
  base: number;
  /** Odometer over the outer input dimensions (scratch). */
  idx: Int32Array;
  padValue: number;
  identity: boolean;
  inZeroPoint: number; outZeroPoint: number; multiplier: number; shift: number; min: number; max: number;
}

export const padQuantized: Kernel<PadData, unknown> = {
  prepare(node: KernelNode<unknown>): PadData {
    const x = input(node, 0), pads = input(node, 1), out = node.outputs[0]!;
    quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    ensure(node, pads.type === TensorType.INT32 || pads.type === TensorType.INT64,
      () => `paddings type ${typeName(pads.type)} is not supported (INT32, INT64)`);
    ensure(node, pads.isConstant, () => 'paddings must be a constant tensor');
    const rank = x.shape.length;
    ensure(node, pads.shape.length === 2 && pads.shape[0] === rank && pads.shape[1] === 2,
      () => `paddings must have shape [${rank},2], got [${pads.shape.join(',')}]`);
    const p = Array.from(pads.data as Int32Array | BigInt64Array, Number);
    ensure(node, p.every((v) => v >= 0), () => `paddings must be non-negative, got [${p.join(',')}]`);
    const shape = x.shape.map((d, i) => d + p[2 * i]! + p[2 * i + 1]!);
    out.shape = shape;
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    let padValue = oq.zeroPoint;
    const cv = node.inputs[2];
    if (cv) {
      sameType(node, x, cv, 'constant_values');
      ensure(node, cv.isConstant && cv.size === 1, () => 'constant_values must be a constant scalar');
      const cq = perTensorQuant(node, cv, 'constant_values');
      ensure(node, cq.scale === oq.scale && cq.zeroPoint === oq.zeroPoint,
        () => 'constant_values quantization must match the output');
      padValue = (cv.data as Uint8Array | Int8Array)[0]!;
    }
    const outStrides = new Int32Array(Math.max(rank, 1)).fill(1);
    for (let i = rank - 2; i >= 0; i--) outStrides[i] = outStrides[i + 1]! * shape[i + 1]!;
    let base = 0;
    for (let d = 0; d < rank; d++) base += p[2 * d]! * outStrides[d]!;
    const inner = rank > 0 ? x.shape[rank - 1]! : 1;
    const m = quantizeMultiplier(xq.scale / oq.scale);
    return {
      inShape: Int32Array.from(x.shape), rows: inner > 0 ? x.size / inner : 0, inner, outStrides, base,
      idx: new Int32Array(Math.max(rank, 1)), padValue, identity: xq.scale === oq.scale && xq.zeroPoint === oq.zeroPoint,
      inZeroPoint: xq.zeroPoint, outZeroPoint: oq.zeroPoint, multiplier: m.multiplier, shift: m.shift,
      min: x.type === TensorType.UINT8 ? 0 : -128, max: x.type === TensorType.UINT8 ? 255 : 127,
    };
  },
  eval(node: KernelNode<unknown>, d: PadData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    out.fill(d.padValue);
    const idx = d.idx, shape = d.inShape, strides = d.outStrides, inner = d.inner, outer = shape.length - 1;
    idx.fill(0);
    for (let row = 0, i = 0; row < d.rows; row++) {
      let o = d.base;
      for (let k = 0; k < outer; k++) o += idx[k]! * strides[k]!;
      if (d.identity) {
        for (let j = 0; j < inner; j++) out[o + j] = x[i++]!;
      } else {
        for (let j = 0; j < inner; j++) {
          let v = multiplyByQuantizedMultiplier(x[i++]! - d.inZeroPoint, d.multiplier, d.shift) + d.outZeroPoint;
          if (v < d.min) v = d.min;
          else if (v > d.max) v = d.max;
          out[o + j] = v;
        }
      }
      for (let k = outer - 1; k >= 0; k--) {
        if (++idx[k]! < shape[k]!) break;
        idx[k] = 0;
      }
    }
  },
};
