/**
 * SOFTMAX for uint8 and int8 inputs with uint8/int8 outputs (scale 1/256; zero point 0 for uint8, -128 for int8).
 *
 * Which TFLite path: TFLite's builtin kernel (lite/kernels/activations.cc) runs, in its default optimized build,
 * a lookup table filled from float exp (PopulateSoftmaxLookupTable); its reference build and TFLite Micro run
 * reference_ops::Softmax, the gemmlowp fixed-point algorithm. embedlite follows the reference / TFLM kernel bit for
 * bit (deterministic integer arithmetic, no float exp): input differences are rescaled to Q5.26 with
 * PreprocessSoftmaxScaling (beta * input_scale * 2^26, QuantizeMultiplierGreaterThanOne), differences below
 * diff_min = -CalculateInputRadius(5, left_shift) are dropped, exp_on_negative_values sums into Q12.19, and
 * GetReciprocal scales each exp back. Outputs can therefore differ by one step from TFLite's LUT kernel.
 */
import type { SoftmaxOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import {
  multiplyByQuantizedMultiplier, quantizeMultiplier, roundingDivideByPOT, saturatingRoundingDoublingHighMul,
} from '../internal/quantization_util.js';
import { calculateInputRadius, expOnNegativeValues, getReciprocal, rescale } from './internal/fixed_point.js';
import { perTensorQuant, quantizedType, typeName } from './internal/params.js';

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

interface SoftmaxData {
  depth: number;
  outer: number;
  multiplier: number;
  leftShift: number;
  diffMin: number;
  inMin: number;
  outMin: number;
  outMax: number;
  /**
   * 'tflite-cpu', uint8 -> uint8: TFLite's optimized float-table softmax (optimized_ops::Softmax with
   * PopulateSoftmaxLookupTable): table[255 - v] = f32(exp(f32(-scale_in * beta) * v)); null otherwise.
   */
  table: Float32Array | null;
  outScale: number;
}

export const softmaxQuantized: Kernel<SoftmaxData, SoftmaxOptions> = {
  prepare(node: KernelNode<SoftmaxOptions>): SoftmaxData {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, !!node.options, () => 'missing SoftmaxOptions');
    const type = quantizedType(node, x, 'input');
    ensure(node, out.type === TensorType.UINT8 || out.type === TensorType.INT8,
      () => `output type ${typeName(out.type)} is not supported (UINT8, INT8)`);
    ensure(node, x.shape.length >= 1, () => 'input must have rank >= 1');
    const xq = perTensorQuant(node, x, 'input');
    const oq = perTensorQuant(node, out, 'output');
    const wantZp = out.type === TensorType.UINT8 ? 0 : -128;
    ensure(node, oq.zeroPoint === wantZp, () => `output zero point must be ${wantZp}, got ${oq.zeroPoint}`);
    ensure(node, Math.abs(oq.scale - 1 / 256) <= 0.001 / 256, () => `output scale must be 1/256, got ${oq.scale}`);
    const beta = Math.fround(node.options.beta);
    // PreprocessSoftmaxScaling (double-rounding build): min(beta * scale * 2^(31 - 5), 2^31 - 1).
    const real = Math.min(beta * xq.scale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
    ensure(node, real > 1, () => `beta * input scale is too small (${beta} * ${xq.scale})`);
    const m = quantizeMultiplier(real);
    out.shape = [...x.shape];
    const depth = x.shape[x.shape.length - 1]!;
    let table: Float32Array | null = null;
    if (node.context.quantizedArithmetic === 'tflite-cpu' && type === TensorType.UINT8 && out.type === TensorType.UINT8) {
      table = new Float32Array(256);
      const t = Math.fround(-xq.scale * beta);
      for (let v = 0; v < 256; v++) table[255 - v] = Math.exp(Math.fround(t * v));
    }
    return {
      table, outScale: oq.scale,
      depth, outer: depth === 0 ? 0 : x.size / depth, multiplier: m.multiplier, leftShift: m.shift,
      diffMin: -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift),
      inMin: type === TensorType.UINT8 ? 0 : -128,
      outMin: out.type === TensorType.UINT8 ? 0 : -128, outMax: out.type === TensorType.UINT8 ? 255 : 127,
    };
  },

  eval(node: KernelNode<SoftmaxOptions>, d: SoftmaxData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const depth = d.depth;
    if (d.table) {
      softmaxFloatTable(d, d.table, x as Uint8Array, out as Uint8Array);
      return;
    }
    for (let i = 0; i < d.outer; i++) {
      const base = i * depth;
      let max = d.inMin;
      for (let c = 0; c < depth; c++) if (x[base + c]! > max) max = x[base + c]!;
      let sum = 0; // Q12.19
      for (let c = 0; c < depth; c++) {
        const diff = x[base + c]! - max;
        if (diff >= d.diffMin) {
          const scaled = multiplyByQuantizedMultiplier(diff, d.multiplier, d.leftShift);
          sum = (sum + rescale(expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS), 0, ACCUMULATION_INTEGER_BITS)) | 0;
        }
      }
      const scale = getReciprocal(sum);
      const exponent = ACCUMULATION_INTEGER_BITS - Math.clz32(sum) + 31 - 8;
      for (let c = 0; c < depth; c++) {
        const diff = x[base + c]! - max;
        if (diff >= d.diffMin) {
          const scaled = multiplyByQuantizedMultiplier(diff, d.multiplier, d.leftShift);
          const e = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
          let v = roundingDivideByPOT(saturatingRoundingDoublingHighMul(scale, e), exponent) + d.outMin;
          if (v > d.outMax) v = d.outMax;
          if (v < d.outMin) v = d.outMin;
          out[base + c] = v;
        } else {
          out[base + c] = d.outMin;
        }
      }
    }
  },
};

/**
 * TFLite's optimized uint8 softmax, in float32: per row, e(x) = table[255 - max + x], sum in float32 in order,
 * inv = f32(1 / f32(sum * scale_out)), out = trunc(f32(f32(e(x) * inv) + 0.5)) clamped (QuantizeSoftmaxOutput<uint8>).
 */
function softmaxFloatTable(d: SoftmaxData, table: Float32Array, x: Uint8Array, out: Uint8Array): void {
  const f = Math.fround, depth = d.depth;
  for (let i = 0; i < d.outer; i++) {
    const base = i * depth;
    let max = 0;
    for (let c = 0; c < depth; c++) if (x[base + c]! > max) max = x[base + c]!;
    const off = 255 - max;
    let sum = 0;
    for (let c = 0; c < depth; c++) sum = f(sum + table[off + x[base + c]!]!);
    const inv = f(1 / f(sum * d.outScale));
    for (let c = 0; c < depth; c++) {
      const v = Math.trunc(f(f(table[off + x[base + c]!]! * inv) + 0.5));
      out[base + c] = v > 255 ? 255 : v;
    }
  }
}
