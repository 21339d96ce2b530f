/** Float clamp ranges of fused activations (TFLite's CalculateActivationRange). */
import { ActivationFunctionType } from '../../schema/enums.js';

export interface Range { min: number; max: number }

/** null when the activation cannot be fused as a clamp (TANH, SIGN_BIT): callers refuse it at prepare. */
export function floatActivationRange(act: ActivationFunctionType): Range | null {
  switch (act) {
    case ActivationFunctionType.NONE: return { min: -Infinity, max: Infinity };
    case ActivationFunctionType.RELU: return { min: 0, max: Infinity };
    case ActivationFunctionType.RELU_N1_TO_1: return { min: -1, max: 1 };
    case ActivationFunctionType.RELU6: return { min: 0, max: 6 };
    default: return null;
  }
}
