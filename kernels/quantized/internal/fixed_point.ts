/**
 * gemmlowp's scalar int32 fixed-point functions (fixedpoint/fixedpoint.h), as used by TFLite's reference
 * softmax, logistic, tanh and l2 normalization. A FixedPoint<int32, I> value is its raw int32 here; I (integer
 * bits) only decides the constants and shifts. Multiplication is SaturatingRoundingDoublingHighMul; + and - wrap
 * like the int32 arithmetic of the C++ code.
 */
import {
  INT32_MAX, INT32_MIN, roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul,
} from '../../internal/quantization_util.js';

/** SaturatingRoundingMultiplyByPOT<exponent>: saturating left shift, or rounding right shift. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** Rescale<dst>(FixedPoint<src>). */
export function rescale(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}

/** RoundingHalfSum: (a + b) / 2 rounded half away from zero, in 64 bits. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in doubles
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp(x) for x in [-1/4, 0), x in Q0.31. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constant1Over3 = 715827883;
  const x = (a + (1 << 28)) | 0; // a + 1/8
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT((mul((x4Over4 + x3) | 0, constant1Over3) + x2) | 0, 1);
  return (constantTerm + mul(constantTerm, (x + poly) | 0)) | 0;
}

/** Barrel-shifter exponents and multipliers exp(-2^exponent) in Q0.31. */
const BARREL_EXPONENTS = [-2, -1, 0, 1, 2, 3, 4];
const BARREL_MULTIPLIERS = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242];

/** exp_on_negative_values: exp(a) for a <= 0, a in Q(integerBits).(31-integerBits); result Q0.31. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (let i = 0; i < 7; i++) {
    const exponent = BARREL_EXPONENTS[i]!;
    if (integerBits > exponent && remainder & (1 << (fractionalBits + exponent))) {
      result = mul(result, BARREL_MULTIPLIERS[i]!);
    }
  }
  if (integerBits > 5) {
    const clamp = -(1 << (36 - integerBits)); // -32.0
    if (a < clamp) result = 0;
  }
  if (a === 0) result = INT32_MAX;
  return result;
}

/** Newton–Raphson 1 / (1 + x) for x in [0, 1), Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  const c48Over17 = 1515870810; // Q2.29
  const cNeg32Over17 = -1010580540;
  let x = (c48Over17 + mul(halfDenominator, cNeg32Over17)) | 0;
  const oneQ2 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + rescale(mul(x, oneMinus), 4, 2)) | 0;
  }
  // ExactMulByPot<-1> turns Q2 into Q1 with the same raw value; Rescale<0> from Q1.
  return rescale(x, 1, 0);
}

/** (1 - x) / (1 + x) for x in [0, 1), Q0.31 in and out. */
function oneMinusXOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  let x = (1515870810 + mul(halfDenominator, -1010580540)) | 0;
  const oneQ2 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = mul(halfDenominator, x);
    const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + rescale(mul(x, oneMinus), 4, 2)) | 0;
  }
  return rescale((x - oneQ2) | 0, 2, 0);
}

/** gemmlowp::logistic on Q(integerBits) input; Q0.31 result. */
export function logistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const abs = positive ? a : (-a | 0);
  const resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-abs | 0, integerBits));
  return positive ? resultIfPositive : (INT32_MAX - resultIfPositive) | 0;
}

/** gemmlowp::tanh on Q(integerBits) input; Q0.31 result. */
export function tanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const n = negative ? a : (-a | 0);
  // neg_tanh_on_negative_values: ExactMulByPot<1> keeps the raw value and adds an integer bit.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
  return negative ? (-t | 0) : t;
}

/** CountLeadingZeros of a uint32. */
export function countLeadingZeros(x: number): number {
  return Math.clz32(x);
}

/**
 * GetReciprocal (common.h): the Q0.31 scale of 1 / x for x > 0; the count of bits over unit that goes with it is
 * xIntegerDigits - countLeadingZeros(x).
 */
export function getReciprocal(x: number): number {
  const headroomPlusOne = Math.clz32(x);
  // (uint32(x) << headroom) - 2^31, as int32
  return oneOverOnePlusXForXIn01(((x << headroomPlusOne) - INT32_MIN) | 0);
}

/**
 * CalculateInputRadius (quantization_util.cc): floor((2^I - 1) * 2^(totalSignedBits - I) / 2^inputLeftShift).
 */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled = ((2 ** inputIntegerBits - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}
