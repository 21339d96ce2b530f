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

/**
 * XNNPACK's requantization, written independently of kernels/quantized/internal/xnnpack.ts: the scale
 * f32(f32(s_x * s_w) / s_out), acc converted to float32 and multiplied in float32, rounded to nearest even.
 */
export function xnnRequant(acc: number, xScale: number, wScale: number, outScale: number, outZp: number, lo: number, hi: number): number {
  const f = Math.fround;
  const scale = f(f(f(xScale) * f(wScale)) / f(outScale));
  return clamp(roundEven(f(f(acc) * scale)) + outZp, lo, hi);
}

/** Round half to even. */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** XNNPACK's fused-activation clamp: the float bounds quantized with lrintf(clamp(f32(f32(v / s) + zp))). */
export function xnnActRange(act: number, isUint8: boolean, scale: number, zp: number): [number, number] {
  const [lo, hi] = typeRange(isUint8);
  const bounds: [number, number] = act === 1 ? [0, Infinity] : act === 3 ? [0, 6] : act === 2 ? [-1, 1] : [-Infinity, Infinity];
  const q = (v: number) => roundEven(clamp(Math.fround(Math.fround(v / Math.fround(scale)) + zp), lo, hi));
  return [q(bounds[0]), q(bounds[1])];
}

export interface NaiveConv {
  x: ArrayLike<number>; xShape: number[]; xZp: number; xScale: number;
  w: ArrayLike<number>; wShape: number[]; wZp: number; wScales: number[];
  bias: ArrayLike<number> | null;
  outScale: number; outZp: number;
  strideH: number; strideW: number; dilH: number; dilW: number; same: boolean; act: number; isUint8: boolean;
  /** 'tflite-cpu': XNNPACK's requantization and clamp (xnnRequant, xnnActRange); default 'reference'. */
  mode?: 'reference' | 'tflite-cpu';
}

/** The requantized output of channel oc in the case's mode. */
function requantOut(c: NaiveConv, acc: number, oc: number): number {
  if (c.mode === 'tflite-cpu') {
    const [lo, hi] = xnnActRange(c.act, c.isUint8, c.outScale, c.outZp);
    return xnnRequant(acc, c.xScale, c.wScales.length === 1 ? c.wScales[0]! : c.wScales[oc]!, c.outScale, c.outZp, lo, hi);
  }
  const [amin, amax] = actRange(c.act, c.isUint8, c.outScale, c.outZp);
  const [m, s] = channelMult(c, oc);
  return clamp(mbqm(acc, m, s) + c.outZp, amin, amax);
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
    out.push(requantOut(c, acc, oc));
  }
  void amin; void amax;
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
      out.push(requantOut(c, acc, oc));
    }
  }
  void amin; void amax;
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
    out.push(requantOut(c as NaiveConv, acc, u));
  }
  void amin; void amax;
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

// ---- HARD_SWISH (reference_ops::HardSwish, int16 fixed point) ----

const i16 = (x: number): number => ((x % 65536) + 65536 + 32768) % 65536 - 32768;

/** HardSwishPrepare's parameters: [outMult16, outExp, reluishMult16, reluishExp]. */
export function naiveHardSwishParams(inScale: number, outScale: number): [number, number, number, number] {
  const hires = Math.fround(Math.fround(inScale) / 128);
  const down = (m: number): number => (m >= 2147483647 - 32768 ? 32767 : Math.floor((m + 32768) / 65536));
  const [om, oe] = naiveQuantizeMultiplier(Math.fround(hires / Math.fround(outScale)));
  const [rm, re] = naiveQuantizeMultiplier(Math.fround(hires / Math.fround(3 / 32768)));
  return [down(om), oe, down(rm), re];
}

/** gemmlowp RoundingDivideByPOT on an int16 (mask computed in int16, as the template does). */
function rdbp16(x: number, e: number): number {
  const mask = i16(2 ** e - 1);
  const rem = i16(Number(BigInt(x) & BigInt(mask)));
  const th = i16((mask >> 1) + (x < 0 ? 1 : 0));
  return i16(Math.floor(x / 2 ** e) + (rem > th ? 1 : 0));
}

export function naiveHardSwish(x: number[], inScale: number, inZp: number, outScale: number, outZp: number, isUint8: boolean): number[] {
  const [om, oe, rm, re] = naiveHardSwishParams(inScale, outScale);
  const [lo, hi] = typeRange(isUint8);
  const srdhm16 = (a: number, b: number): number => {
    if (a === -32768 && b === -32768) return 32767;
    const ab = a * b;
    return i16(Math.trunc((ab + (ab >= 0 ? 16384 : -16383)) / 32768));
  };
  const satShl = (v: number, n: number): number => clamp(v * 2 ** n, -32768, 32767);
  return x.map((q) => {
    const hires = i16(i16(q - inZp) * 128);
    const pre = srdhm16(hires, om);
    let r = hires;
    if (re > 0) r = satShl(r, re - 1);
    r = srdhm16(r, rm);
    if (re > 0) r = satShl(r, 1);
    if (re < 0) r = rdbp16(r, -re);
    r = Math.floor((r + 32768) / 2);
    const p = r === -32768 && pre === -32768 ? 32767 : i16(Math.trunc((r * pre) / 32768));
    return clamp(i16(rdbp16(p, -oe) + outZp), lo, hi);
  });
}

// ---- L2_NORMALIZATION (GetInvSqrtQuantizedMultiplierExp + reference kernels) ----

function srdhm32(a: number, b: number): number {
  return Number(srdhm(a, b));
}
function satShiftPOT(x: number, e: number): number {
  if (e < 0) return Number(rdbp(BigInt(x), -e));
  const th = 2 ** (31 - e) - 1;
  return x > th ? INT32_MAX : x < -th ? INT32_MIN : x * 2 ** e;
}
const i32 = (x: number): number => Number(BigInt.asIntN(32, BigInt(x)));

export function naiveInvSqrt(input: number): [number, number] {
  if (input <= 1) return [INT32_MAX, 0];
  let shift = 11;
  while (input >= 2 ** 29) { input = Math.trunc(input / 4); shift++; }
  const clz = 32 - input.toString(2).length;
  const pairs = Math.floor((clz - 1) / 2) - 1;
  shift -= pairs;
  input *= 4 ** pairs;
  const halfIn = satShiftPOT(Math.floor(input / 2), -1);
  let x = 2 ** 28;
  for (let i = 0; i < 5; i++) {
    const x3 = satShiftPOT(srdhm32(srdhm32(x, x), x), 6);
    x = satShiftPOT(i32(srdhm32(3 * 2 ** 27, x) - srdhm32(halfIn, x3)), 3);
  }
  let m = srdhm32(x, 1518500250);
  if (shift < 0) { m = i32(m * 2 ** -shift); shift = 0; }
  return [m, -shift];
}

export function naiveL2Norm(x: number[], depth: number, inZp: number, isUint8: boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < x.length; b += depth) {
    let s = 0;
    for (let i = 0; i < depth; i++) s = i32(s + (x[b + i]! - inZp) ** 2);
    const [m, sh] = naiveInvSqrt(s);
    for (let i = 0; i < depth; i++) {
      const v = x[b + i]! - inZp;
      out.push(isUint8 ? clamp(128 + mbqm(128 * v, m, sh), 0, 255) : clamp(mbqm(v, m, sh + 7), -128, 127));
    }
  }
  return out;
}

// ---- RESIZE_BILINEAR (uint8: float32 reference; int8: ResizeBilinearInteger) ----

export function naiveResizeBilinear(
  x: number[], shape: number[], outH: number, outW: number, align: boolean, half: boolean, isUint8: boolean,
): number[] {
  const [B, H, W, C] = shape as [number, number, number, number];
  const f = Math.fround;
  const at = (b: number, y: number, xx: number, c: number): number => x[((b * H + y) * W + xx) * C + c]!;
  const out: number[] = [];
  if (isUint8) {
    const sc = (inS: number, outS: number): number => (align && outS > 1 ? f((inS - 1) / (outS - 1)) : f(inS / outS));
    const coord = (o: number, s: number, n: number): [number, number, number] => {
      const v = half ? f(f(f(o + 0.5) * s) - 0.5) : f(o * s);
      return [v, Math.max(Math.floor(v), 0), Math.min(Math.ceil(v), n - 1)];
    };
    const sh = sc(H, outH), sw = sc(W, outW);
    for (let b = 0; b < B; b++) for (let y = 0; y < outH; y++) {
      const [iy, y0, y1] = coord(y, sh, H);
      for (let xo = 0; xo < outW; xo++) {
        const [ix, x0, x1] = coord(xo, sw, W);
        const dy = f(iy - y0), dx = f(ix - x0);
        for (let c = 0; c < C; c++) {
          let v = f(f(at(b, y0, x0, c) * f(1 - dy)) * f(1 - dx));
          v = f(v + f(f(at(b, y1, x0, c) * dy) * f(1 - dx)));
          v = f(v + f(f(at(b, y0, x1, c) * f(1 - dy)) * dx));
          v = f(v + f(f(at(b, y1, x1, c) * dy) * dx));
          out.push(clamp(Math.trunc(v), 0, 255));
        }
      }
    }
    return out;
  }
  const sc10 = (inS: number, outS: number): number => (align && outS > 1
    ? Math.trunc((1024 * (inS - 1) + Math.trunc((outS - 1) / 2)) / (outS - 1))
    : Math.trunc((1024 * inS + Math.trunc(outS / 2)) / outS));
  const coord = (o: number, s: number, n: number): [number, number, number] => {
    const v = half ? o * s + Math.trunc(s / 2) - 512 : o * s;
    return [v, Math.max(Math.trunc(v / 1024), 0), Math.min(Math.trunc((v + 1023) / 1024), n - 1)];
  };
  const sh = sc10(H, outH), sw = sc10(W, outW);
  for (let b = 0; b < B; b++) for (let y = 0; y < outH; y++) {
    const [iy, y0, y1] = coord(y, sh, H);
    for (let xo = 0; xo < outW; xo++) {
      const [ix, x0, x1] = coord(xo, sw, W);
      for (let c = 0; c < C; c++) {
        const s = BigInt(at(b, y0, x0, c)) * BigInt(1024 - (iy - 1024 * y0)) * BigInt(1024 - (ix - 1024 * x0))
          + BigInt(at(b, y1, x0, c)) * BigInt(iy - 1024 * y0) * BigInt(1024 - (ix - 1024 * x0))
          + BigInt(at(b, y0, x1, c)) * BigInt(1024 - (iy - 1024 * y0)) * BigInt(ix - 1024 * x0)
          + BigInt(at(b, y1, x1, c)) * BigInt(iy - 1024 * y0) * BigInt(ix - 1024 * x0);
        out.push(Number(BigInt.asIntN(8, (s + (s > 0n ? 524288n : -524288n)) / 1048576n)));
      }
    }
  }
  return out;
}
