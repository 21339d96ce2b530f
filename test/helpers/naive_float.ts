/**
 * Deliberately naive float references for the convolution family, written from the definitions (TFLite
 * reference_ops semantics) with nested loops and double accumulation. Kernel tests compare the fast kernels
 * against these on seeded random shapes. Shapes are NHWC; filters OHWI (conv, transpose conv) or [1,H,W,C*m].
 */
import { ActivationFunctionType, Padding } from '../../schema/enums.js';

export { rng } from './rng.js';

/** An integer in [lo, hi]. */
export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** `n` values uniform in [-scale, scale), rounded to float32. */
export function randArray(r: () => number, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (r() * 2 - 1) * scale;
  return a;
}

export function applyActivation(v: number, act: ActivationFunctionType): number {
  switch (act) {
    case ActivationFunctionType.RELU: return Math.max(0, v);
    case ActivationFunctionType.RELU6: return Math.min(6, Math.max(0, v));
    case ActivationFunctionType.RELU_N1_TO_1: return Math.min(1, Math.max(-1, v));
    default: return v;
  }
}

/** Output size and padding before, from TFLite's definition of SAME / VALID. */
export function padding1D(padding: Padding, inSize: number, filter: number, stride: number, dilation = 1): { out: number; before: number } {
  const eff = (filter - 1) * dilation + 1;
  const out = padding === Padding.SAME ? Math.ceil(inSize / stride) : Math.ceil((inSize - eff + 1) / stride);
  const total = Math.max((out - 1) * stride + eff - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

export interface NaiveResult { shape: number[]; data: Float64Array }

export interface ConvParams {
  strideH: number; strideW: number; dilationH?: number; dilationW?: number; padding: Padding; act: ActivationFunctionType;
}

/** CONV_2D (grouped when the filter has fewer input channels than the input). */
export function naiveConv2D(
  x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number> | null, p: ConvParams,
): NaiveResult {
  const [B, H, W, C] = xs as [number, number, number, number];
  const [O, KH, KW, CI] = fs as [number, number, number, number];
  const dh = p.dilationH ?? 1, dw = p.dilationW ?? 1;
  const groups = C / CI, opg = O / groups;
  const ph = padding1D(p.padding, H, KH, p.strideH, dh), pw = padding1D(p.padding, W, KW, p.strideW, dw);
  const out = new Float64Array(B * ph.out * pw.out * O);
  for (let b = 0; b < B; b++) for (let oy = 0; oy < ph.out; oy++) for (let ox = 0; ox < pw.out; ox++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / opg);
      let s = bias ? bias[o]! : 0;
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
        const iy = oy * p.strideH - ph.before + ky * dh, ix = ox * p.strideW - pw.before + kx * dw;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        for (let ci = 0; ci < CI; ci++) {
          s += x[((b * H + iy) * W + ix) * C + g * CI + ci]! * f[((o * KH + ky) * KW + kx) * CI + ci]!;
        }
      }
      out[((b * ph.out + oy) * pw.out + ox) * O + o] = applyActivation(s, p.act);
    }
  }
  return { shape: [B, ph.out, pw.out, O], data: out };
}

/** DEPTHWISE_CONV_2D with depth multiplier = filter channels / input channels. */
export function naiveDepthwise(
  x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number> | null, p: ConvParams,
): NaiveResult {
  const [B, H, W, C] = xs as [number, number, number, number];
  const [, KH, KW, O] = fs as [number, number, number, number];
  const m = O / C, dh = p.dilationH ?? 1, dw = p.dilationW ?? 1;
  const ph = padding1D(p.padding, H, KH, p.strideH, dh), pw = padding1D(p.padding, W, KW, p.strideW, dw);
  const out = new Float64Array(B * ph.out * pw.out * O);
  for (let b = 0; b < B; b++) for (let oy = 0; oy < ph.out; oy++) for (let ox = 0; ox < pw.out; ox++) {
    for (let ic = 0; ic < C; ic++) for (let q = 0; q < m; q++) {
      const oc = ic * m + q;
      let s = bias ? bias[oc]! : 0;
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
        const iy = oy * p.strideH - ph.before + ky * dh, ix = ox * p.strideW - pw.before + kx * dw;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        s += x[((b * H + iy) * W + ix) * C + ic]! * f[(ky * KW + kx) * O + oc]!;
      }
      out[((b * ph.out + oy) * pw.out + ox) * O + oc] = applyActivation(s, p.act);
    }
  }
  return { shape: [B, ph.out, pw.out, O], data: out };
}

/** FULLY_CONNECTED: input read as [size / inputSize, inputSize], weights [units, inputSize]. */
export function naiveFullyConnected(
  x: ArrayLike<number>, xs: number[], w: ArrayLike<number>, ws: number[], bias: ArrayLike<number> | null,
  act: ActivationFunctionType, keepNumDims: boolean,
): NaiveResult {
  const [U, I] = ws as [number, number];
  const n = xs.reduce((a, v) => a * v, 1) / I;
  const out = new Float64Array(n * U);
  for (let b = 0; b < n; b++) for (let u = 0; u < U; u++) {
    let s = bias ? bias[u]! : 0;
    for (let i = 0; i < I; i++) s += x[b * I + i]! * w[u * I + i]!;
    out[b * U + u] = applyActivation(s, act);
  }
  return { shape: keepNumDims ? [...xs.slice(0, -1), U] : [n, U], data: out };
}

/** Transpose convolution by scattering each input pixel; explicit output size and leading padding. */
export function naiveTransposeConv(
  x: ArrayLike<number>, xs: number[], f: ArrayLike<number>, fs: number[], bias: ArrayLike<number> | null,
  p: { outH: number; outW: number; padTop: number; padLeft: number; strideH: number; strideW: number; act: ActivationFunctionType },
): NaiveResult {
  const [B, H, W, C] = xs as [number, number, number, number];
  const [O, KH, KW] = fs as [number, number, number, number];
  const out = new Float64Array(B * p.outH * p.outW * O);
  for (let b = 0; b < B; b++) for (let iy = 0; iy < H; iy++) for (let ix = 0; ix < W; ix++) {
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const oy = iy * p.strideH - p.padTop + ky, ox = ix * p.strideW - p.padLeft + kx;
      if (oy < 0 || oy >= p.outH || ox < 0 || ox >= p.outW) continue;
      for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) {
        out[((b * p.outH + oy) * p.outW + ox) * O + o] += x[((b * H + iy) * W + ix) * C + c]! * f[((o * KH + ky) * KW + kx) * C + c]!;
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = applyActivation(out[i]! + (bias ? bias[i % O]! : 0), p.act);
  return { shape: [B, p.outH, p.outW, O], data: out };
}

/** AVERAGE_POOL_2D / MAX_POOL_2D: padded cells are ignored (the average divides by the in-bounds count). */
export function naivePool(
  x: ArrayLike<number>, xs: number[], kind: 'avg' | 'max',
  p: { filterH: number; filterW: number; strideH: number; strideW: number; padding: Padding; act: ActivationFunctionType },
): NaiveResult {
  const [B, H, W, C] = xs as [number, number, number, number];
  const ph = padding1D(p.padding, H, p.filterH, p.strideH), pw = padding1D(p.padding, W, p.filterW, p.strideW);
  const out = new Float64Array(B * ph.out * pw.out * C);
  for (let b = 0; b < B; b++) for (let oy = 0; oy < ph.out; oy++) for (let ox = 0; ox < pw.out; ox++) {
    for (let c = 0; c < C; c++) {
      let s = kind === 'max' ? -Infinity : 0, n = 0;
      for (let ky = 0; ky < p.filterH; ky++) for (let kx = 0; kx < p.filterW; kx++) {
        const iy = oy * p.strideH - ph.before + ky, ix = ox * p.strideW - pw.before + kx;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        const v = x[((b * H + iy) * W + ix) * C + c]!;
        s = kind === 'max' ? Math.max(s, v) : s + v;
        n++;
      }
      out[((b * ph.out + oy) * pw.out + ox) * C + c] = applyActivation(kind === 'max' ? s : s / n, p.act);
    }
  }
  return { shape: [B, ph.out, pw.out, C], data: out };
}

/**
 * Index of the first element where |actual - expected| > atol + rtol * |expected|, or -1. The tolerance allows
 * for float32 rounding of sums (the kernels accumulate in a different order than the references).
 */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-5): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!, a = actual[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return i;
  }
  return -1;
}
