/**
 * FULLY_CONNECTED, float32. Mirrors tflite::reference_ops::FullyConnected (reference/fully_connected.h):
 *   out[b, u] = bias[u] + sum_i in[b, i] * weights[u, i]
 * where the input is read as [batch = size / inputSize, inputSize]. With keep_num_dims the output keeps the
 * input's leading dimensions ([..., units]); otherwise it is [batch, units]. The bias input may be omitted.
 * Weights are packed once at prepare for the register-blocked GEMM.
 */
import type { FullyConnectedOptions } from '../schema/builtin_options.js';
import { FullyConnectedWeightsFormat, TensorType } from '../schema/enums.js';
import { ensure, input, type Kernel, type KernelNode } from './kernel.js';
import { checkFloatTensors } from './conv_2d.js';
import { floatActivationRange } from './internal/activation.js';
import { allocPackedWeights, gemm, packTransposed, setPackedBias, type PackedWeights } from './internal/gemm.js';
import { refuseHybrid } from './internal/quantization_util.js';

const INPUT = 0, WEIGHTS = 1, BIAS = 2;

export interface FullyConnectedData {
  batch: number;
  weights: PackedWeights;
  /** Fused activation clamp [min, max]. */
  range: Float64Array;
  /** Weights or bias computed at run time: repacked on every eval. */
  repack: boolean;
}

function pack(node: KernelNode<FullyConnectedOptions>, d: FullyConnectedData): void {
  packTransposed(d.weights, node.inputs[WEIGHTS]!.data as Float32Array, 0, d.weights.k);
  const bias = node.inputs[BIAS];
  setPackedBias(d.weights, bias ? (bias.data as Float32Array) : null, 0);
}

/** What prepare derives from a float FULLY_CONNECTED node (validated; the output shape is set). */
export interface FullyConnectedCheck {
  batch: number;
  units: number;
  inputSize: number;
  range: { min: number; max: number };
}

/** Validates a float FULLY_CONNECTED node and sets its output shape (shared by the typed-array and SIMD kernels). */
export function checkFullyConnectedFloat(node: KernelNode<FullyConnectedOptions>): FullyConnectedCheck {
  refuseHybrid(node);
  const o = node.options;
  const x = input(node, INPUT), w = input(node, WEIGHTS), bias = node.inputs[BIAS] ?? null;
  ensure(node, !!o && o.kind === 'FullyConnectedOptions', () => 'missing FullyConnectedOptions');
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  checkFloatTensors(node, 'weights', w);
  ensure(node, o.weightsFormat === FullyConnectedWeightsFormat.DEFAULT, () =>
    `weights format ${FullyConnectedWeightsFormat[o.weightsFormat] ?? o.weightsFormat} is not supported for FLOAT32`);
  ensure(node, w.rank === 2, () => `weights must have rank 2 ([units, inputSize]), got [${w.shape.join(',')}]`);
  ensure(node, x.rank >= 1, () => 'input must have rank >= 1');
  const [units, inputSize] = w.shape as [number, number];
  ensure(node, inputSize > 0 && x.size % inputSize === 0, () =>
    `input [${x.shape.join(',')}] has ${x.size} elements, not a multiple of the weights' input size ${inputSize}`);
  if (o.keepNumDims) {
    ensure(node, x.shape[x.rank - 1] === inputSize, () =>
      `keep_num_dims needs the input's last dimension (${x.shape[x.rank - 1]}) to equal the input size ${inputSize}`);
  }
  if (bias) {
    checkFloatTensors(node, 'bias', bias);
    ensure(node, bias.size === units, () => `bias has ${bias.size} elements, expected ${units} (units)`);
  }
  ensure(node, node.outputs[0]!.type === TensorType.FLOAT32, () => 'output type must be FLOAT32');
  const range = floatActivationRange(o.fusedActivationFunction);
  ensure(node, range !== null, () => `fused activation ${o.fusedActivationFunction} is not supported`);
  const batch = x.size / inputSize;
  node.outputs[0]!.shape = o.keepNumDims ? [...x.shape.slice(0, -1), units] : [batch, units];
  return { batch, units, inputSize, range };
}

/** FULLY_CONNECTED for FLOAT32 input, weights [units, inputSize] and optional bias; fused NONE/RELU/RELU_N1_TO_1/RELU6. */
export const fullyConnectedFloat: Kernel<FullyConnectedData, FullyConnectedOptions> = {
  prepare(node) {
    const { batch, units, inputSize, range } = checkFullyConnectedFloat(node);
    const w = node.inputs[WEIGHTS]!, bias = node.inputs[BIAS] ?? null;
    const d: FullyConnectedData = {
      batch, weights: allocPackedWeights(inputSize, units), range: Float64Array.of(range.min, range.max),
      repack: !w.isConstant || (bias !== null && !bias.isConstant),
    };
    if (!d.repack) pack(node, d);
    return d;
  },

  eval(node, d) {
    if (d.repack) pack(node, d);
    const k = d.weights.k;
    gemm(node.inputs[INPUT]!.data as Float32Array, 0, k, d.batch, d.weights,
      node.outputs[0]!.data as Float32Array, 0, d.weights.n, d.range);
  },
};
