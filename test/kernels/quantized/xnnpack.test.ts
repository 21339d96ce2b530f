/** The XNNPACK arithmetic helpers (kernels/quantized/internal/xnnpack.ts) on hand-checked values. */
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, TensorType } from '../../../schema/enums.js';
import {
  fp32RequantScale, requantizeFp32, roundHalfEven, xnnActivationRange, xnnAdd, xnnAddParams, xnnBilinear,
  xnnConvertMultiplier, xnnGlobalAveragePoolScale, xnnLeakyReluMultipliers, xnnQ15Requantize, xnnResizeAxis,
} from '../../../kernels/quantized/internal/xnnpack.js';

describe('XNNPACK quantized arithmetic helpers', () => {
  it('roundHalfEven sends ties to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 3.5000001].map((x) => roundHalfEven(x) + 0)).toEqual([0, 2, 2, 0, -2, -2, 2, 4]);
  });

  it('the requantization scale is float32 at each step, left to right', () => {
    const f = Math.fround;
    const s = fp32RequantScale(0.1, 0.3, 0.7);
    expect(s).toBe(f(f(f(0.1) * f(0.3)) / f(0.7)));
    expect(s).not.toBe(f((f(0.1) * f(0.3)) / f(0.7))); // one rounding of the double quotient differs here
  });

  it('requantizeFp32: float32 product, ties to even, clamp; acc above 2^24 is rounded to float32 first', () => {
    expect(requantizeFp32(5, 0.5, 0, -128, 127)).toBe(2); // 2.5 -> 2
    expect(requantizeFp32(7, 0.5, 0, -128, 127)).toBe(4); // 3.5 -> 4
    expect(requantizeFp32(-5, 0.5, 3, -128, 127)).toBe(1); // -2.5 -> -2, + 3
    expect(requantizeFp32(1e9, 0.01, 0, 0, 255)).toBe(255);
    expect(requantizeFp32(-1e9, 0.01, 0, 0, 255)).toBe(0);
    // 2^24 + 1 is not a float32: it becomes 2^24, so (2^24 + 1) * 2^-24 is exactly 1.
    expect(requantizeFp32(16777217, 2 ** -24, 0, -128, 127)).toBe(1);
  });

  it('fused activations are quantized with round-to-nearest-even', () => {
    expect(xnnActivationRange(ActivationFunctionType.RELU6, TensorType.UINT8, 0.0235, 0)).toEqual({ min: 0, max: 255 });
    expect(xnnActivationRange(ActivationFunctionType.RELU6, TensorType.INT8, 0.048, -10)).toEqual({ min: -10, max: 115 });
    // 6 / 2.4 = 2.5 exactly in float32? No: use a scale where v / s is an exact tie: 6 / 0.25 = 24, 1 / 0.4 = 2.5.
    expect(xnnActivationRange(ActivationFunctionType.RELU_N1_TO_1, TensorType.INT8, 0.4, 0)).toEqual({ min: -2, max: 2 });
    expect(xnnActivationRange(ActivationFunctionType.NONE, TensorType.INT8, 0.1, 0)).toEqual({ min: -128, max: 127 });
    expect(xnnActivationRange(ActivationFunctionType.TANH, TensorType.INT8, 0.1, 0)).toBeNull();
  });

  it('ADD: multipliers in [2^20, 2^21) for the larger scale, a rounding shift', () => {
    const p = xnnAddParams(0.5, 0.25, 1, 0, 0, false);
    // max ratio 0.5 has exponent -1: shift 21, multipliers 0.5 * 2^21 and 0.25 * 2^21.
    expect(p).toEqual({ aMultiplier: 2 ** 20, bMultiplier: 2 ** 19, shift: 21, bias: 2 ** 20 });
    expect(xnnAdd(3, 0, p, 0, -128, 127)).toBe(2); // 1.5 rounds up
    expect(xnnAdd(-3, 0, p, 0, -128, 127)).toBe(-1); // -1.5 rounds up too (floor of x + 1/2)
    const s = xnnAddParams(0.5, 0.25, 1, 0, 0, true);
    expect(s.bMultiplier).toBe(-(2 ** 19));
    expect(xnnAdd(4, 4, s, 10, -128, 127)).toBe(11);
  });

  it('global average pooling scale: scale_in / (scale_out * n) in float32', () => {
    const f = Math.fround;
    expect(xnnGlobalAveragePoolScale(0.1, 0.2, 49)).toBe(f(f(0.1) / f(f(0.2) * 49)));
  });

  it('Q15 requantization (Convert, LeakyReLU)', () => {
    // Identity scale: multiplier -256, (zp - x) * 128 * -256 / 2^15 = x - zp exactly.
    const id = xnnConvertMultiplier(0.5, 0.5);
    expect(id).toBe(-256);
    for (const x of [-128, -1, 0, 5, 127]) expect(xnnQ15Requantize(x, 3, id, 3, TensorType.INT8)).toBe(x);
    // Scale 1.5: x - zp = 1 -> 1.5 -> rounds half up to 2; -1 -> -1.5 -> -1.
    const m = xnnConvertMultiplier(0.75, 0.5);
    expect(xnnQ15Requantize(1, 0, m, 0, TensorType.INT8)).toBe(2);
    expect(xnnQ15Requantize(-1, 0, m, 0, TensorType.INT8)).toBe(-1);
    expect(xnnQ15Requantize(255, 0, m, 0, TensorType.UINT8)).toBe(255);
    const l = xnnLeakyReluMultipliers(0.5, 0.5, 0.25);
    expect(l).toEqual({ positive: -256, negative: -64 });
  });

  it('resize axis and interpolation (Q11 weights, rounding shift by 22)', () => {
    const a = xnnResizeAxis(2, 4, false, false); // scale 0.5: 0, 0.5, 1, 1.5
    expect([...a.lo]).toEqual([0, 0, 1, 1]);
    expect([...a.hi]).toEqual([1, 1, 1, 1]);
    expect([...a.alpha]).toEqual([0, 1024, 0, 1024]);
    const h = xnnResizeAxis(2, 4, false, true); // 0.5 * o + (-0.25), clamped: 0, 0.25, 0.75, 1
    expect([...h.alpha]).toEqual([0, 512, 1536, 0]);
    expect([...h.lo]).toEqual([0, 0, 0, 1]);
    const c = xnnResizeAxis(3, 5, true, false); // (3-1)/(5-1) = 0.5
    expect([...c.alpha]).toEqual([0, 1024, 0, 1024, 0]);
    expect(xnnBilinear(10, 20, 30, 40, 1024, 1024)).toBe(25);
    expect(xnnBilinear(0, 1, 0, 1, 1024, 0)).toBe(1); // 0.5 rounds up
    expect(xnnBilinear(-1, 0, -1, 0, 1024, 0)).toBe(0); // -0.5 rounds up too
  });
});

describe('XNNPACK ranges', () => {
  it('ADD / SUB scale ratios outside [2^-10, 2^8) are not XNNPACK\'s', async () => {
    const { xnnAddSupported } = await import('../../../kernels/quantized/internal/xnnpack.js');
    expect(xnnAddSupported(0.05, 0.031, 0.07)).toBe(true);
    expect(xnnAddSupported(2 ** -12, 2 ** -12, 1)).toBe(false);
    expect(xnnAddSupported(300, 1, 1)).toBe(false);
  });
});
