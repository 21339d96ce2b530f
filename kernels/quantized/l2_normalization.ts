/**
 * L2_NORMALIZATION for uint8 (output scale 1/128, zero point 128) and int8 (scale 1/128, zero point 0) over the last
 * axis, as TFLite's l2norm.cc: reference_ops::L2Normalization (uint8) and reference_integer_ops::L2Normalization
 * (int8). Per row: s = sum (x - zp)^2 (int32, wrapping), (M, shift) = GetInvSqrtQuantizedMultiplierExp(s, -1), then
 *   uint8: out = clamp(128 + MultiplyByQuantizedMultiplierSmallerThanOneExp(128 * (x - zp), M, shift), 0, 255)
 *   int8:  out = clamp(MultiplyByQuantizedMultiplier(x - zp, M, shift + 7), -128, 127).
 * Only activation NONE is accepted (as TFLite).
 */
import type { L2NormOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType, TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { INT32_MAX, multiplyByQuantizedMultiplier, saturatingRoundingDoublingHighMul as mul } from '../internal/quantization_util.js';
import { rescale, saturatingRoundingMultiplyByPOT } from './internal/fixed_point.js';
import { perTensorQuant, quantizedType, sameType } from './internal/params.js';

/**
 * GetInvSqrtQuantizedMultiplierExp (common.h) with reverse_shift = -1: 1/sqrt(input) as a Q0.31 multiplier and a
 * shift (<= 0, our left-shift convention), by 5 Newton-Raphson steps in gemmlowp Q3.28 fixed point.
 * Writes [multiplier, shift] into `result`.
 */
export function invSqrtQuantizedMultiplierExp(inputValue: number, result: Int32Array): void {
  let input = inputValue | 0;
  if (input <= 1) {
    result[0] = INT32_MAX;
    result[1] = 0;
    return;
  }
  let outShift = 11;
  while (input >= 1 << 29) {
    input = (input / 4) | 0;
    outShift++;
  }
  const maxLeftShiftBits = Math.clz32(input) - 1;
  const leftShiftBitPairs = (maxLeftShiftBits >> 1) - 1;
  outShift -= leftShiftBitPairs;
  input <<= 2 * leftShiftBitPairs;
  // F3 = FixedPoint<int32, 3>: raw value r means r / 2^28.
  const fixedInput = input >> 1;
  const halfInput = saturatingRoundingMultiplyByPOT(fixedInput, -1);
  const halfThree = (1 << 28) + (1 << 27); // 1.5 in F3
  let x = 1 << 28; // F3::One()
  for (let i = 0; i < 5; i++) {
    // x*x*x is F9; Rescale<3> shifts it left by 6 (saturating).
    const x3 = rescale(mul(mul(x, x), x), 9, 3);
    // half_three * x and half_input * x3 are F6; their int32 difference is rescaled to F3.
    x = rescale((mul(halfThree, x) - mul(halfInput, x3)) | 0, 6, 3);
  }
  const halfSqrt2 = 1518500250; // F0 sqrt(2) / 2
  let multiplier = mul(x, halfSqrt2);
  if (outShift < 0) {
    multiplier = (multiplier << -outShift) | 0;
    outShift = 0;
  }
  result[0] = multiplier;
  result[1] = -outShift;
}

interface L2Data {
  depth: number;
  inZeroPoint: number;
  isUint8: boolean;
  /** [multiplier, shift] of the current row. */
  inv: Int32Array;
}

/** L2_NORMALIZATION, uint8/int8. */
export const l2NormalizationQuantized: Kernel<L2Data, L2NormOptions | null> = {
  prepare(node: KernelNode<L2NormOptions | null>): L2Data {
    const x = input(node, 0), out = node.outputs[0]!;
    const type = quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    ensure(node, x.rank >= 1 && x.rank <= 4, () => `input rank must be 1..4, got ${x.rank}`);
    const act = node.options?.fusedActivationFunction ?? ActivationFunctionType.NONE;
    ensure(node, act === ActivationFunctionType.NONE,
      () => `fused activation ${ActivationFunctionType[act] ?? act} is not supported (NONE only)`);
    const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
    const wantZp = type === TensorType.UINT8 ? 128 : 0;
    ensure(node, oq.scale === 1 / 128 && oq.zeroPoint === wantZp,
      () => `output quantization must be scale 1/128, zero point ${wantZp}; got scale ${oq.scale}, zero point ${oq.zeroPoint}`);
    out.shape = [...x.shape];
    return { depth: x.shape[x.rank - 1]!, inZeroPoint: xq.zeroPoint, isUint8: type === TensorType.UINT8, inv: new Int32Array(2) };
  },
  eval(node: KernelNode<L2NormOptions | null>, d: L2Data): void {
    const x = node.inputs[0]!.data as Uint8Array | Int8Array;
    const out = node.outputs[0]!.data as Uint8Array | Int8Array;
    const depth = d.depth, zp = d.inZeroPoint;
    if (depth === 0) return;
    for (let base = 0; base < x.length; base += depth) {
      let s = 0;
      for (let i = 0; i < depth; i++) {
        const v = x[base + i]! - zp;
        s = (s + v * v) | 0;
      }
      invSqrtQuantizedMultiplierExp(s, d.inv);
      const mult = d.inv[0]!, shift = d.inv[1]!;
      for (let i = 0; i < depth; i++) {
        const v = x[base + i]! - zp;
        let r: number;
        if (d.isUint8) {
          r = 128 + multiplyByQuantizedMultiplier(128 * v, mult, shift);
          r = r < 0 ? 0 : r > 255 ? 255 : r;
        } else {
          r = multiplyByQuantizedMultiplier(v, mult, shift + 7);
          r = r < -128 ? -128 : r > 127 ? 127 : r;
        }
        out[base + i] = r;
      }
    }
  },
};
