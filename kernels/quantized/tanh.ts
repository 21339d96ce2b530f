/**
 * TANH for int8 (output scale 1/128, zero point 0) and uint8 (scale 1/128, zero point 128).
 * Like LOGISTIC, TFLite's builtin kernel uses a float-built table for 8-bit types; embedlite follows
 * reference_integer_ops::Tanh (TFLite Micro): gemmlowp::tanh on the Q4.27-rescaled input,
 * out = clamp(RoundingDivideByPOT(y, 24) + zp_out), saturating when |x - zp_in| >= CalculateInputRadius(4, s).
 */
import type { Kernel } from '../kernel.js';
import { evalFixedPointActivation, prepareFixedPointActivation, type SigmoidData } from './logistic.js';

export const tanhQuantized: Kernel<SigmoidData, unknown> = {
  prepare: (node) => prepareFixedPointActivation(node, 1 / 128, { uint8: 128, int8: 0 }),
  eval: (node, d) => evalFixedPointActivation(node, d, true),
};
