/**
 * FULLY_CONNECTED for uint8 (per-tensor) and int8 (per-tensor or per-channel weights on dimension 0, zero point 0).
 * Mirrors reference_ops::FullyConnected (uint8) and reference_integer_ops::FullyConnected / FullyConnectedPerChannel:
 *   out[b][o] = clamp(zp_out + MBQM(bias[o] + sum_k (w[o][k] - zp_w) * (x[b][k] - zp_x), M[o], shift[o])).
 * Weights [out, in] are prepacked for the paired-channel GEMM (internal/gemm.ts).
 */
import type { FullyConnectedOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { gemmRequant, gemmScratch, packWeights, type PackedWeights, type Requant } from './internal/gemm.js';
import { convRequant, readBias } from './internal/params.js';
import { quantizedFullyConnectedSetup } from './internal/setup.js';

interface FcData {
  rows: number;
  k: number;
  inZeroPoint: number;
  weights: PackedWeights;
  q: Requant;
  x: Float64Array;
  scratch: Float64Array;
}

export const fullyConnectedQuantized: Kernel<FcData, FullyConnectedOptions> = {
  prepare(node: KernelNode<FullyConnectedOptions>): FcData {
    const { x, filter, bias, out, opt, type, units, k, rows, xq, oq, fq } = quantizedFullyConnectedSetup(node);

    const w = filter.data as Uint8Array | Int8Array;
    const maxAbsX = Math.max(Math.abs((type === TensorType.UINT8 ? 0 : -128) - xq.zeroPoint),
      Math.abs((type === TensorType.UINT8 ? 255 : 127) - xq.zeroPoint));
    const weights = packWeights(units, k, (c, i) => w[c * k + i]! - fq.zeroPoint, maxAbsX);
    return {
      rows, k, inZeroPoint: xq.zeroPoint, weights,
      q: convRequant(node, readBias(node, bias, units), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint, opt.fusedActivationFunction),
      x: new Float64Array(x.size),
      scratch: gemmScratch(units),
    };
  },

  eval(node: KernelNode<FullyConnectedOptions>, d: FcData): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const xs = d.x, zp = d.inZeroPoint;
    for (let i = 0; i < xs.length; i++) xs[i] = x[i]! - zp;
    gemmRequant(xs, 0, d.rows, d.weights, out, 0, d.q, d.scratch);
  },
};
