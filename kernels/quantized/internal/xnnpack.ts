/**
 * XNNPACK's "fp32" requantization, the arithmetic of TFLite's default CPU path for the ops the XNNPACK delegate
 * takes (see docs/quantized_arithmetic.md). Pure helpers, shared by the typed-array kernels and the WASM SIMD
 * kernels, so both compute the same numbers.
 *
 * Scale (XNNPACK src/operators/convolution-nhwc.c xnn_create_convolution2d_nhwc_{qu8,qs8,qc8},
 * fully-connected-nc.c, deconvolution-nhwc.c): `input_scale * kernel_scale / output_scale` in float32, left to
 * right, each step rounded to float32.
 *
 * Requantization (the `fp32_wasmsimd` epilogue of qs8/qc8/qu8 gemm, igemm and dwconv micro-kernels, params from
 * microparams-init.c xnn_init_*_conv_minmax_fp32_wasmsimd_params):
 *   f   = float32(acc)                  (f32x4.convert_i32x4: round to nearest even above 2^24)
 *   f   = float32(f * scale)            (f32x4.mul)
 *   r   = f + 12582912.0f (1.5 * 2^23)  (the "magic bias": the float add rounds to an integer, nearest even)
 *   out = clamp(r - 0x4B400000 + zp, out_min, out_max)  (as int32 bits; i32x4.max with magic_min, narrow, min)
 * i.e. out = clamp(roundHalfEven(f32(f32(acc) * scale)) + zp, min, max); values far outside the 8-bit range
 * saturate to the clamp bounds.
 *
 * Fused activations (subgraph/*.c, requantization.h xnn_qs8_quantize / xnn_qu8_quantize): the delegate's float
 * range [min, max] (RELU [0, inf), RELU6 [0, 6], RELU_N1_TO_1 [-1, 1]) is quantized as
 *   lrintf(clamp(f32(f32(v / scale) + zp), qmin, qmax)).
 */
import { TensorType } from '../../../schema/enums.js';
import { ActivationFunctionType } from '../../../schema/enums.js';

/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer, ties to even. */
const ROUND_MAGIC = 6755399441055744;

/** Round to nearest, ties to even (lrintf / nearbyint in the default rounding mode), for |x| < 2^51. */
export function roundHalfEven(x: number): number {
  return (x + ROUND_MAGIC) - ROUND_MAGIC;
}

/** `a * b / c`, each step in float32: XNNPACK's requantization scale for conv, depthwise, FC, deconv. */
export function fp32RequantScale(inputScale: number, kernelScale: number, outputScale: number): number {
  const f = Math.fround;
  return f(f(f(inputScale) * f(kernelScale)) / f(outputScale));
}

/** Per-channel float32 scales (kernel scales are per channel for QC8 weights, or one broadcast). */
export function fp32ChannelScales(inputScale: number, kernelScales: ArrayLike<number>, outputScale: number): Float32Array {
  const out = new Float32Array(kernelScales.length);
  for (let c = 0; c < out.length; c++) out[c] = fp32RequantScale(inputScale, kernelScales[c]!, outputScale);
  return out;
}

/** One accumulator requantized: clamp(roundHalfEven(f32(f32(acc) * scale)) + zp, min, max). */
export function requantizeFp32(acc: number, scale: number, zeroPoint: number, min: number, max: number): number {
  const v = roundHalfEven(Math.fround(Math.fround(acc) * scale)) + zeroPoint;
  return v < min ? min : v > max ? max : v;
}

/** xnn_qs8_quantize / xnn_qu8_quantize: lrintf(clamp(f32(f32(v / scale) + zp), qmin, qmax)). */
export function xnnQuantize(v: number, scale: number, zeroPoint: number, type: TensorType): number {
  const qmin = type === TensorType.UINT8 ? 0 : -128, qmax = type === TensorType.UINT8 ? 255 : 127;
  const f = Math.fround(Math.fround(v / Math.fround(scale)) + zeroPoint);
  return roundHalfEven(Math.min(Math.max(f, qmin), qmax));
}

/**
 * The output clamp XNNPACK uses for a fused activation (the delegate's float bounds, quantized with xnnQuantize),
 * or null for an activation the delegate does not take.
 */
export function xnnActivationRange(
  act: ActivationFunctionType, type: TensorType, scale: number, zeroPoint: number,
): { min: number; max: number } | null {
  let lo = -Infinity, hi = Infinity;
  switch (act) {
    case ActivationFunctionType.NONE: break;
    case ActivationFunctionType.RELU: lo = 0; break;
    case ActivationFunctionType.RELU6: lo = 0; hi = 6; break;
    case ActivationFunctionType.RELU_N1_TO_1: lo = -1; hi = 1; break;
    default: return null;
  }
  return { min: xnnQuantize(lo, scale, zeroPoint, type), max: xnnQuantize(hi, scale, zeroPoint, type) };
}

/** float32 bits of x, and x from bits. */
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The unbiased binary exponent of a positive normal float32 (its bits >> 23, minus 127). */
function f32Exponent(x: number): number {
  F32[0] = x;
  return (U32[0]! >>> 23) - 127;
}

export interface XnnAddParams {
  aMultiplier: number;
  bMultiplier: number;
  shift: number;
  /** 2^(shift-1) - aMultiplier * zp_a - bMultiplier * zp_b. */
  bias: number;
}

/**
 * ADD / SUB of XNNPACK (operators/binary-elementwise-nd.c xnn_create_{add,subtract}_nd_{qs8,qu8}; params from
 * microparams-init.c xnn_init_{qs8,qu8}_add_minmax_wasmsimd_params; micro-kernel qs8-vadd minmax-wasmsimd):
 *   sa = f32(scale_a / scale_out), sb = f32(scale_b / scale_out) (SUB: sb negated),
 *   shift = 20 - exponent(max(|sa|, |sb|)), multipliers = lrintf(s * 2^shift) (the largest in [2^20, 2^21)),
 *   out = clamp(((bias + a * aMultiplier + b * bMultiplier) >> shift) + zp_out, min, max)   (arithmetic shift)
 * with the integer a, b as stored (zero points folded into bias).
 */
export function xnnAddParams(
  aScale: number, bScale: number, outScale: number, aZeroPoint: number, bZeroPoint: number, subtract: boolean,
): XnnAddParams {
  const f = Math.fround;
  const sa = f(f(aScale) / f(outScale));
  const sb = f(f(bScale) / f(outScale));
  const shift = 20 - f32Exponent(Math.max(sa, sb));
  const aMultiplier = roundHalfEven(sa * 2 ** shift);
  const bMultiplier = (subtract ? -1 : 1) * roundHalfEven(sb * 2 ** shift);
  const bias = 2 ** (shift - 1) - aMultiplier * aZeroPoint - bMultiplier * bZeroPoint;
  return { aMultiplier, bMultiplier, shift, bias };
}

/**
 * Whether XNNPACK accepts an ADD / SUB with these scales: each input-to-output ratio in [2^-10, 2^8)
 * (binary-elementwise-nd.c). Outside it the delegate leaves the node to TFLite's own kernel (the reference
 * arithmetic), and xnnAddParams' shift would leave its [12, 30] range.
 */
export function xnnAddSupported(aScale: number, bScale: number, outScale: number): boolean {
  const f = Math.fround;
  const ok = (r: number) => r >= 2 ** -10 && r < 256;
  return ok(f(f(aScale) / f(outScale))) && ok(f(f(bScale) / f(outScale)));
}

/** One XNNPACK ADD / SUB output (see xnnAddParams). */
export function xnnAdd(a: number, b: number, p: XnnAddParams, outZeroPoint: number, min: number, max: number): number {
  const v = ((p.bias + a * p.aMultiplier + b * p.bMultiplier) >> p.shift) + outZeroPoint;
  return v < min ? min : v > max ? max : v;
}

/**
 * MUL of XNNPACK (binary-elementwise-nd.c xnn_create_multiply_nd_{qs8,qu8}; qs8-vmul minmax-fp32-wasmsimd):
 * scale = f32(f32(scale_a * scale_b) / scale_out); out = requantizeFp32((a - zp_a) * (b - zp_b), scale, ...).
 */
export function xnnMulScale(aScale: number, bScale: number, outScale: number): number {
  return fp32RequantScale(aScale, bScale, outScale);
}

/**
 * Global average pooling of XNNPACK (MEAN over H and W; global-average-pooling-nwc.c update_params_{qs8,qu8},
 * qs8-gavgpool minmax-fp32-wasmsimd): with n = H * W,
 *   acc = sum(x) - n * zp_in, scale = f32(scale_in / f32(scale_out * n)),
 *   out = requantizeFp32(acc, scale, zp_out, qmin, qmax).
 */
export function xnnGlobalAveragePoolScale(inScale: number, outScale: number, n: number): number {
  const f = Math.fround;
  return f(f(inScale) / f(f(outScale) * n));
}

/** lrintf(-256 * s): the Q15 multiplier of XNNPACK's 16-bit requantizations (xnn_init_qs8_cvt_wasmsimd_params). */
export function xnnQ15Multiplier(scale: number): number {
  return roundHalfEven(Math.fround(-256 * Math.fround(scale)));
}

/**
 * XNNPACK's 16-bit requantization of one value (qs8-vcvt / qu8-vcvt and qs8-vlrelu wasmsimd micro-kernels):
 *   acc = (zp_in - x) << 7 (int16), out = sat8(sat16((acc * multiplier + 2^14) >> 15) + zp_out)
 * (i16x8.q15mulr_sat, i16x8.add_sat, narrow); `multiplier` from xnnQ15Multiplier.
 */
export function xnnQ15Requantize(x: number, inZeroPoint: number, multiplier: number, outZeroPoint: number, type: TensorType): number {
  const acc = (inZeroPoint - x) * 128;
  let v = Math.floor((acc * multiplier + 16384) / 32768);
  if (v > 32767) v = 32767;
  v += outZeroPoint;
  if (v > 32767) v = 32767;
  else if (v < -32768) v = -32768;
  const qmin = type === TensorType.UINT8 ? 0 : -128, qmax = type === TensorType.UINT8 ? 255 : 127;
  return v < qmin ? qmin : v > qmax ? qmax : v;
}

/**
 * QUANTIZE uint8 → uint8 / int8 → int8 in XNNPACK (unary-elementwise-nc.c xnn_create_convert_nc_{qs8,qu8}):
 * multiplier = xnnQ15Multiplier(f32(scale_in / scale_out)), then xnnQ15Requantize.
 */
export function xnnConvertMultiplier(inScale: number, outScale: number): number {
  return xnnQ15Multiplier(Math.fround(Math.fround(inScale) / Math.fround(outScale)));
}

/**
 * LEAKY_RELU in XNNPACK (unary-elementwise-nc.c xnn_create_leaky_relu_nc_{qs8,qu8}; qs8-vlrelu wasmsimd):
 * positive = f32(scale_in / scale_out), negative = f32(positive * alpha); x > zp_in uses the positive multiplier,
 * x <= zp_in the negative one, each xnnQ15Multiplier'd, then xnnQ15Requantize.
 */
export function xnnLeakyReluMultipliers(inScale: number, outScale: number, alpha: number): { positive: number; negative: number } {
  const positive = Math.fround(Math.fround(inScale) / Math.fround(outScale));
  return { positive: xnnQ15Multiplier(positive), negative: xnnQ15Multiplier(Math.fround(positive * Math.fround(alpha))) };
}

/** One axis of XNNPACK's quantized bilinear resize: source indices and the Q11 weight of `hi`, per output index. */
export interface XnnResizeAxis {
  lo: Int32Array;
  hi: Int32Array;
  /** lrintf(alpha * 2^11), alpha = the fractional source coordinate in float32. */
  alpha: Int32Array;
}

/**
 * Source coordinates of XNNPACK's RESIZE_BILINEAR (indirection.c xnn_indirection_init_resize_bilinear2d_hwc_q11),
 * all in float32: scale = f32(in - adj) / f32(out - adj) (adj = 1 with align_corners and out != 1);
 * align_corners or TensorFlow's legacy mode (no half-pixel centers): c = f32(o * scale);
 * half-pixel centers: c = clamp(f32(f32(o * scale) + f32(f32(0.5 * scale) - 0.5)), 0, in - 1);
 * lo = trunc(c), hi = min(lo + 1, in - 1), alpha = lrintf(f32(c - lo) * 2^11).
 */
export function xnnResizeAxis(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): XnnResizeAxis {
  const f = Math.fround;
  const adj = alignCorners && outSize !== 1 ? 1 : 0;
  const scale = f(f(inSize - adj) / f(outSize - adj));
  const offset = f(f(0.5 * scale) - 0.5);
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize), alpha = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let c: number;
    if (alignCorners || !halfPixelCenters) c = f(o * scale);
    else c = Math.min(Math.max(f(f(o * scale) + offset), 0), inSize - 1);
    const l = Math.trunc(c);
    lo[o] = l;
    hi[o] = Math.min(l + 1, inSize - 1);
    alpha[o] = roundHalfEven(f(c - l) * 2048);
  }
  return { lo, hi, alpha };
}

/**
 * One output of XNNPACK's s8/u8 bilinear interpolation (s8-ibilinear / u8-ibilinear wasmsimd micro-kernels), with
 * ah, av the Q11 weights of xnnResizeAxis: top = tl * (2048 - ah) + tr * ah, bottom likewise,
 * out = (top * 2^11 + (bottom - top) * av + 2^21) >> 22. No requantization: input and output share scale and zp.
 */
export function xnnBilinear(tl: number, tr: number, bl: number, br: number, ah: number, av: number): number {
  const top = tl * (2048 - ah) + tr * ah;
  const bottom = bl * (2048 - ah) + br * ah;
  return Math.floor((top * 2048 + (bottom - top) * av + 2097152) / 4194304);
}

/**
 * QUANTIZE float32 → uint8/int8 in XNNPACK (unary-elementwise-nc.c xnn_create_convert_nc_f32_{qs8,qu8} with scale
 * 1 / scale_out; f32-qs8-vcvt wasmsimd-magic): out = clamp(roundHalfEven(f32(x * f32(1 / scale))) + zp);
 * NaN comes out as the type maximum (its bits pass the magic-bias integer max), -inf as the minimum.
 */
export function xnnQuantizeFloat(x: number, inverseScale: number, zeroPoint: number, qmin: number, qmax: number): number {
  if (Number.isNaN(x)) return qmax;
  const v = roundHalfEven(Math.fround(x * inverseScale)) + zeroPoint;
  return v < qmin ? qmin : v > qmax ? qmax : v;
}
