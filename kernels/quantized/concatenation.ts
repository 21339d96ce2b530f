/**
 * CONCATENATION for uint8 / int8 with requantization (reference_ops::ConcatenationWithScaling): an input whose
 * scale and zero point equal the output's is copied; any other is rescaled in float32 arithmetic exactly as
 * TFLite does for uint8: scale = s_in * (1 / s_out), bias = -zp_in * scale, q = round_half_away(x * scale + bias) + zp_out,
 * clamped. (TFLite requires equal parameters for int8; embedlite applies the same rescaling to int8.)
 * 'tflite-cpu' mode, uint8 with 2 to 4 inputs: the XNNPACK delegate of TFLite's CPU path (the oracle's version)
 * takes the node and copies every input's bytes unchanged, whatever their scale and zero point (its concatenate
 * nodes are plain copies; measured against the oracle: docs/quantized_arithmetic.md). embedlite does the same.
 */
import type { ConcatenationOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType, TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure } from '../kernel.js';
import { roundHalfAwayFromZero } from '../internal/quantization_util.js';
import { perTensorQuant, quantizedType, typeName } from './internal/params.js';

interface ConcatData {
  outer: number;
  /** Elements copied per outer step, per input. */
  copy: Int32Array;
  copyAll: Uint8Array;
  scales: Float64Array;
  biases: Float64Array;
  outZeroPoint: number;
  min: number;
  max: number;
}

export const concatenationQuantized: Kernel<ConcatData, ConcatenationOptions> = {
  prepare(node: KernelNode<ConcatenationOptions>): ConcatData {
    const out = node.outputs[0]!;
    const opt = node.options;
    ensure(node, !!opt, () => 'missing ConcatenationOptions');
    ensure(node, opt.fusedActivationFunction === ActivationFunctionType.NONE,
      () => `fused activation ${ActivationFunctionType[opt.fusedActivationFunction]} is not supported on quantized CONCATENATION`);
    ensure(node, node.inputs.length > 0 && node.inputs.every((t) => !!t), () => 'inputs must be present');
    const inputs = node.inputs.map((t) => t!);
    const type = quantizedType(node, inputs[0]!, 'input');
    ensure(node, out.type === type, () => `output type ${typeName(out.type)} differs from input type ${typeName(type)}`);
    const rank = inputs[0]!.shape.length;
    const axis = opt.axis < 0 ? opt.axis + rank : opt.axis;
    ensure(node, axis >= 0 && axis < rank, () => `axis ${opt.axis} is out of range for rank ${rank}`);
    const shape = [...inputs[0]!.shape];
    shape[axis] = 0;
    for (const [i, t] of inputs.entries()) {
      ensure(node, t.type === type, () => `input ${i} type ${typeName(t.type)} differs from input 0`);
      ensure(node, t.shape.length === rank && t.shape.every((d, k) => k === axis || d === shape[k]),
        () => `input ${i} shape [${t.shape.join(',')}] does not match [${inputs[0]!.shape.join(',')}] outside axis ${axis}`);
      shape[axis] += t.shape[axis]!;
    }
    out.shape = shape;
    const oq = perTensorQuant(node, out, 'output');
    let outer = 1, inner = 1;
    for (let k = 0; k < axis; k++) outer *= shape[k]!;
    for (let k = axis + 1; k < rank; k++) inner *= shape[k]!;
    const n = inputs.length;
    const copy = new Int32Array(n), copyAll = new Uint8Array(n), scales = new Float64Array(n), biases = new Float64Array(n);
    const f = Math.fround;
    const inverseOut = f(1 / oq.scale);
    const rawCopy = node.context.quantizedArithmetic === 'tflite-cpu' && type === TensorType.UINT8 && inputs.length >= 2
      && inputs.length <= 4;
    inputs.forEach((t, i) => {
      const q = perTensorQuant(node, t, `input ${i}`);
      copy[i] = t.shape[axis]! * inner;
      copyAll[i] = rawCopy || (q.scale === oq.scale && q.zeroPoint === oq.zeroPoint) ? 1 : 0;
      scales[i] = f(q.scale * inverseOut);
      biases[i] = f(-q.zeroPoint * scales[i]!);
    });
    return {
      outer, copy, copyAll, scales, biases, outZeroPoint: oq.zeroPoint,
      min: type === TensorType.UINT8 ? 0 : -128, max: type === TensorType.UINT8 ? 255 : 127,
    };
  },

  eval(node: KernelNode<ConcatenationOptions>, d: ConcatData): void {
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const n = d.copy.length;
    let o = 0;
    for (let k = 0; k < d.outer; k++) {
      for (let i = 0; i < n; i++) {
        const x = node.inputs[i]!.data as Uint8Array | Int8Array;
        const size = d.copy[i]!, start = k * size;
        if (d.copyAll[i]) {
          for (let j = 0; j < size; j++) out[o + j] = x[start + j]!;
        } else {
          const scale = d.scales[i]!, bias = d.biases[i]!;
          for (let j = 0; j < size; j++) {
            let v = roundHalfAwayFromZero(Math.fround(Math.fround(x[start + j]! * scale) + bias)) + d.outZeroPoint;
            if (v < d.min) v = d.min;
            else if (v > d.max) v = d.max;
            out[o + j] = v;
          }
        }
        o += size;
      }
    }
  },
};
