/**
 * The requantization of a convolution-like node for the SIMD kernels, taken from the typed-array kernels' own
 * prepare helpers (kernels/quantized/internal/params.ts) so both backends use the same numbers in each
 * arithmetic mode: the bias, the per-channel multipliers/shifts ('reference') or float32 scales ('tflite-cpu'),
 * the output zero point and the activation clamp.
 */
import type { ActivationFunctionType } from '../../../schema/enums.js';
import { REQUANT_STRIDE } from '../../internal/quantization_util.js';
import type { KernelNode } from '../../kernel.js';
import type { Tensor } from '../../tensor.js';
import { convRequant } from '../../quantized/internal/params.js';
import type { Requant } from '../../quantized/internal/requant.js';
import type { ChannelParams } from './requant.js';

export interface SimdRequant {
  params: ChannelParams;
  /** int32 bias per channel (zeros when the node has none). */
  bias: Float64Array;
  zp: number;
  lo: number;
  hi: number;
}

/** The SIMD form of a typed-array Requant (its table holds [bias, ..., multiplier, shift] per channel). */
export function fromRequant(q: Requant, channels: number): SimdRequant {
  const bias = new Float64Array(channels);
  const multipliers = new Int32Array(channels), shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const o = c * REQUANT_STRIDE;
    bias[c] = q.table[o]!;
    multipliers[c] = q.table[o + 6]!;
    shifts[c] = q.table[o + 7]!;
  }
  const params: ChannelParams = q.scales ? { mode: 'fp32', scales: q.scales } : { mode: 'ref', multipliers, shifts };
  // `| 0`: small-integer fields (a double field would box a new number at every kernel call).
  return { params, bias, zp: q.outZeroPoint | 0, lo: q.actMin | 0, hi: q.actMax | 0 };
}

/** The requantization the typed-array kernels use for this node (internal/params.ts convRequant), for SIMD. */
export function simdRequant(
  node: KernelNode<unknown>, bias: Float64Array, inScale: number, filterScales: Float64Array, out: Tensor,
  outScale: number, outZeroPoint: number, act: ActivationFunctionType,
): SimdRequant {
  return fromRequant(convRequant(node, bias, inScale, filterScales, out, outScale, outZeroPoint, act), filterScales.length);
}
