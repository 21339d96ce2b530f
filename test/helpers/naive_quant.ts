/**
 * Naive quantized reference ops, written straight from TFLite's reference arithmetic with BigInt 64-bit
 * products and plain nested loops (no packing, no padding buffers, no shared code with the kernels).
 * The kernels under kernels/quantized are compared to these on random shapes and parameters: 0 differing bytes.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** std::round. */
export function roundAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** QuantizeMultiplier written with a loop frexp. Returns [multiplier, shift(+ = left)]. */
export function naiveQuantizeMultiplier(d: number): [number, number] {
  if (d === 0) return [0, 0];
  let e = 0;
  let q = Math.abs(d);
  while (q >= 1) { q /= 2; e++; }
  while (q < 0.5) { q *= 2; e--; }
  if (d < 0) q = -q;
  let fixed = roundAway(q * 2 ** 31);
  if (Math.abs(fixed) === 2 ** 31) { fixed /= 2; e++; }
  if (e < -31) return [0, 0];
  return [fixed, e];
}

function srdhm(a: number, b: number): bigint {
  if (a === INT32_MIN && b === INT32_MIN) return BigInt(INT32_MAX);
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return (ab + nudge) / (1n << 31n);
}

function rdbp(x: bigint, e: number): bigint {
  const mask = (1n << BigInt(e)) - 1n;
  const rem = x & mask;
  const th = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> BigInt(e)) + (rem > th ? 1n : 0n);
}

/** MultiplyByQuantizedMultiplier, double rounding, with BigInt. */
export function mbqm(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const xs = Number(BigInt.asIntN(32, BigInt(x) * (1n << BigInt(left))));
  return Number(rdbp(srdhm(xs, m), right));
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export function typeRange(isUint8: boolean): [number, number] {
  return isUint8 ? [0, 255] : [-128, 127];
}

/** CalculateActivationRangeQuantized: act 0 none, 1 relu, 2 relu_n1_to_1, 3 relu6. */
export function actRange(act: number, isUint8: boolean, scale: number, zp: number): [number, number] {
  const [lo, hi] = typeRange(isUint8);
  const qz = (f: number): number => zp + roundAway(Math.fround(f / Math.fround(scale)));
  if (act === 1) return [Math.max(lo, qz(0)), hi];
  if (act === 3) return [Math.max(lo, qz(0)), Math.min(hi, qz(6))];
  if (act === 2) return [Math.max(lo, qz(-1)), Math.min(hi, qz(1))];
  return [lo, hi];
}

function outSize(same: boolean, inSize: number, f: number, s: number, dil: number): number {
  const eff = (f - 1) * dil + 1;
  return same ? Math.floor((inSize + s - 1) / s) : Math.floor((inSize - eff + s) / s);
}
function padBefore(same: boolean, inSize: number, f: number, s: number, dil: number): number {
  const o = outSize(same, inSize, f, s, dil);
  return Math.floor(Math.max((o - 1) * s + (f - 1) * dil + 1 - inSize, 0) / 2);
}

export interface NaiveConv {
  x: ArrayLike<number>; xShape: number[]; xZp: number; xScale: number;
  w: ArrayLike<number>; wShape: number[]; wZp: number; wScales: number[];
  bias: ArrayLike<number> | null;
  outScale: number; outZp: number;
  strideH: number; strideW: number; dilH: number; dilW: number; same: boolean; act: number; isUint8: boolean;
}

function channelMult(c: NaiveConv, oc: number): [number, number] {
  const ws = Math.fround(c.wScales.length === 1 ? c.wScales[0]! : c.wScales[oc]!);
  return naiveQuantizeMultiplier((Math.fround(c.xScale) * ws) / Math.fround(c.outScale));
}

/** reference_ops::Conv / reference_integer_ops::ConvPerChannel. Filter OHWI. */
export function naiveConv(c: NaiveConv): { shape: number[]; data: number[] } {
  const [B, H, W, C] = c.xShape as [number, number, number, number];
  const [O, FH, FW] = c.wShape as [number, number, number, number];
  const OH = outSize(c.same, H, FH, c.strideH, c.dilH), OW = outSize(c.same, W, FW, c.strideW, c.dilW);
  const pt = padBefore(c.same, H, FH, c.strideH, c.dilH), pl = padBefore(c.same, W, FW, c.strideW, c.dilW);
  const [amin, amax] = actRange(c.act, c.isUint8, c.outScale, c.outZp);
  const out: number[] = [];
  for (let b = 0; b < B; b++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let oc = 0; oc < O; oc++) {
    let acc = 0;
    for (let ky = 0; ky < FH; ky++) for (let kx = 0; kx < FW; kx++) for (let ic = 0; ic < C; ic++) {
      const iy = oy * c.strideH - pt + ky * c.dilH, ix = ox * c.strideW - pl + kx * c.dilW;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      acc += (c.w[((oc * FH + ky) * FW + kx) * C + ic]! - c.wZp) * (c.x[((b * H + iy) * W + ix) * C + ic]! - c.xZp);
    }
    if (c.bias) acc += c.bias[oc]!;
    const [m, s] = channelMult(c, oc);
    out.push(clamp(mbqm(acc, m, s) + c.outZp, amin, amax));
  }
  return { shape: [B, OH, OW, O], data: out };
}

/** reference_ops::DepthwiseConv / reference_integer_ops::DepthwiseConvPerChannel. Filter [1,H,W,C*mult]. */
export function naiveDepthwise(c: NaiveConv): { shape: number[]; data: number[] } {
  const [B, H, W, C] = c.xShape as [number, number, number, number];
  const [, FH, FW, OC] = c.wShape as [number, number, number, number];
  const mult = OC / C;
  const OH = outSize(c.same, H, FH, c.strideH, c.dilH), OW = outSize(c.same, W, FW, c.strideW, c.dilW);
  const pt = padBefore(c.same, H, FH, c.strideH, c.dilH), pl = padBefore(c.same, W, FW, c.strideW, c.dilW);
  const [amin, amax] = actRange(c.act, c.isUint8, c.outScale, c.outZp);
  const out: number[] = [];
  for (let b = 0; b < B; b++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let ic = 0; ic < C; ic++) {
    for (let m = 0; m < mult; m++) {
      const oc = ic * mult + m;
      let acc = 0;
      for (let ky = 0; ky < FH; ky++) for (let kx = 0; kx < FW; kx++) {
        const iy = oy * c.strideH - pt + ky * c.dilH, ix = ox * c.strideW - pl + kx * c.dilW;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        acc += (c.w[(ky * FW + kx) * OC + oc]! - c.wZp) * (c.x[((b * H + iy) * W + ix) * C + ic]! - c.xZp);
      }
      if (c.bias) acc += c.bias[oc]!;
      const [mm, s] = channelMult(c, oc);
      out.push(clamp(mbqm(acc, mm, s) + c.outZp, amin, amax));
    }
  }
  return { shape: [B, OH, OW, OC], data: out };
}

/** reference FullyConnected: x [rows, K], w [units, K]. */
export function naiveFullyConnected(c: Omit<NaiveConv, 'strideH' | 'strideW' | 'dilH' | 'dilW' | 'same'>): number[] {
  const K = c.wShape[1]!, U = c.wShape[0]!;
  const rows = c.x.length / K;
  const [amin, amax] = actRange(c.act, c.isUint8, c.outScale, c.outZp);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let u = 0; u < U; u++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += (c.w[u * K + k]! - c.wZp) * (c.x[r * K + k]! - c.xZp);
    if (c.bias) acc += c.bias[u]!;
    const [m, s] = channelMult(c as NaiveConv, u);
    out.push(clamp(mbqm(acc, m, s) + c.outZp, amin, amax));
  }
  return out;
}

/** reference TransposeConv (uint8) / reference_integer_ops::TransposeConv: scatter, then requantize. */
export function naiveTransposeConv(c: NaiveConv & { outShape: number[] }): number[] {
  const [B, H, W, C] = c.xShape as [number, number, number, number];
  const [O, FH, FW] = c.wShape as [number, number, number, number];
  const [, OH, OW] = c.outShape as [number, number, number, number];
  const pt = padBefore(c.same, OH, FH, c.strideH, 1), pl = padBefore(c.same, OW, FW, c.strideW, 1);
  const acc = new Array<number>(B * OH * OW * O).fill(0);
  for (let b = 0; b < B; b++) for (let iy = 0; iy < H; iy++) for (let ix = 0; ix < W; ix++) for (let ic = 0; ic < C; ic++) {
    const oy0 = iy * c.strideH - pt, ox0 = ix * c.strideW - pl;
    for (let ky = 0; ky < FH; ky++) for (let kx = 0; kx < FW; kx++) for (let oc = 0; oc < O; oc++) {
      const oy = oy0 + ky, ox = ox0 + kx;
      if (oy < 0 || oy >= OH || ox < 0 || ox >= OW) continue;
      acc[((b * OH + oy) * OW + ox) * O + oc]! += (c.x[((b * H + iy) * W + ix) * C + ic]! - c.xZp)
        * (c.w[((oc * FH + ky) * FW + kx) * C + ic]! - c.wZp);
    }
  }
  const [amin, amax] = actRange(c.act, c.isUint8, c.outScale, c.outZp);
  return acc.map((a, i) => {
    const oc = i % O;
    const [m, s] = channelMult(c, oc);
    return clamp(mbqm(a + (c.bias ? c.bias[oc]! : 0), m, s) + c.outZp, amin, amax);
  });
}

/** Deterministic PRNG (mulberry32) and helpers for random cases. */
export function rng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(a: T[]): T } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (a) => a[Math.floor(next() * a.length)]!,
  };
}

export function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
}
