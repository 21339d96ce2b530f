/**
 * The requantization epilogues of the uint8/int8 SIMD kernels: two int32x4 accumulators (8 output channels,
 * bias and zero points already in them) → 8 output bytes, in either arithmetic mode, bit-exact with the
 * typed-array kernels (kernels/quantized/internal/requant.ts):
 *
 * - 'tflite-cpu' (XNNPACK's fp32 scheme, kernels/quantized/internal/xnnpack.ts requantizeFp32):
 *     out = clamp(roundHalfEven(f32(f32(acc) * scale[c])) + zp, lo, hi)
 *   done as f32x4.convert → f32x4.mul → clamp to [lo - zp, hi - zp] in float (clamping before rounding is the
 *   same as after: the bounds are integers and rounding is monotone) → + 1.5 * 2^23 (the float add rounds to
 *   an integer, ties to even, exact for |v| < 2^22) → reinterpret - (0x4B400000 - zp).
 * - 'reference' (TFLite MultiplyByQuantizedMultiplier, double rounding, per channel):
 *     x = a << left[c] (int32 wrap; as i32x4.mul by 2^left)
 *     h = floor((x * M[c] + 2^30) / 2^31)            (SaturatingRoundingDoublingHighMul, in i64x2 lanes)
 *     q = (h >> right[c]) + ((h & mask) > (mask >> 1) + (h < 0))   (RoundingDivideByPOT)
 *     out = clamp(q + zp, lo, hi)
 *   The per-lane right shift is five conditional shifts by 1, 2, 4, 8, 16 (v128.bitselect with per-lane masks).
 *
 * Per-channel constants live in a parameter block per 8 channels (written by `writeRequantBlock`); the kernels
 * keep its pointer while they accumulate.
 */
import type { Expr, FunctionBuilder, Local } from '../asm/index.js';

export type QMode = 'fp32' | 'ref';
export type QType = 'u8' | 's8';

/** Bytes of one 8-channel parameter block. */
export function paramBlockBytes(mode: QMode): number {
  return mode === 'fp32' ? 32 : 288;
}

/** Per-channel requantization constants, as kernels/quantized computes them. */
export type ChannelParams =
  | { mode: 'fp32'; scales: Float32Array }
  | { mode: 'ref'; multipliers: Int32Array; shifts: Int32Array };

/** Writes the parameter block of channels c0..c0+7 (missing channels: zeros) at byte offset `off` of `dv`. */
export function writeRequantBlock(dv: DataView, off: number, p: ChannelParams, c0: number, channels: number): void {
  for (let j = 0; j < 8; j++) {
    const c = c0 + j;
    if (c >= channels) continue;
    if (p.mode === 'fp32') {
      dv.setFloat32(off + 4 * j, p.scales[c]!, true);
      continue;
    }
    const shift = p.shifts[c]!;
    const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const mask = right >= 31 ? 0x7fffffff : (1 << right) - 1;
    dv.setInt32(off + 4 * j, 2 ** left | 0, true);
    dv.setInt32(off + 32 + 4 * j, p.multipliers[c]!, true);
    dv.setInt32(off + 64 + 4 * j, mask, true);
    dv.setInt32(off + 96 + 4 * j, mask >> 1, true);
    for (let s = 0; s < 5; s++) dv.setInt32(off + 128 + 32 * s + 4 * j, right & (1 << s) ? -1 : 0, true);
  }
}

/** The output clamp and zero point, as function parameters of a kernel. */
export interface OutParams {
  zp: Local;
  lo: Local;
  hi: Local;
}

export interface Requantizer {
  /**
   * Requantizes a0 (channels 0..3) and a1 (channels 4..7) with the block at `pp`; the result's low 8 bytes are
   * the outputs (already clamped).
   */
  finish(a0: Local, a1: Local, pp: Local): Expr;
}

const MAGIC = 12582912; // 1.5 * 2^23
const MAGIC_BITS = 0x4b400000;

/** Sets up the mode's loop-invariant vectors (call once at the top of the function). */
export function requantizer(f: FunctionBuilder, mode: QMode, type: QType, o: OutParams): Requantizer {
  const narrow = (r0: Expr, r1: Expr): Expr => {
    const h = f.i16x8.narrow_i32x4_s(r0, r1);
    return type === 'u8' ? f.i8x16.narrow_i16x8_u(h, h) : f.i8x16.narrow_i16x8_s(h, h);
  };
  if (mode === 'fp32') {
    const vlo = f.local('v128', 'rq_lo'), vhi = f.local('v128', 'rq_hi');
    const vmagic = f.local('v128', 'rq_magic'), vbias = f.local('v128', 'rq_bias');
    f.set(vlo, f.f32x4.splat(f.f32.convert_i32_s(f.i32.sub(o.lo, o.zp))));
    f.set(vhi, f.f32x4.splat(f.f32.convert_i32_s(f.i32.sub(o.hi, o.zp))));
    f.set(vmagic, f.f32x4.splat(f.f32.const(MAGIC)));
    f.set(vbias, f.i32x4.splat(f.i32.sub(MAGIC_BITS, o.zp)));
    const one = (a: Local, pp: Local, off: number): Expr => {
      const v = f.f32x4.mul(f.f32x4.convert_i32x4_s(a), f.v128.load(pp, off));
      // pmax/pmin (one maxps/minps each; min/max would add NaN and -0 handling): no NaN can occur here.
      return f.i32x4.sub(f.f32x4.add(f.f32x4.pmin(f.f32x4.pmax(v, vlo), vhi), vmagic), vbias);
    };
    return { finish: (a0, a1, pp) => narrow(one(a0, pp, 0), one(a1, pp, 16)) };
  }
  const vzp = f.local('v128', 'rq_zp'), vlo = f.local('v128', 'rq_lo'), vhi = f.local('v128', 'rq_hi');
  const half30 = f.local('v128', 'rq_2p30');
  f.set(vzp, f.i32x4.splat(o.zp));
  f.set(vlo, f.i8x16.splat(o.lo));
  f.set(vhi, f.i8x16.splat(o.hi));
  f.set(half30, f.i64x2.splat(f.i64.const(1n << 30n)));
  const x = f.local('v128', 'rq_x'), h = f.local('v128', 'rq_h'), q = f.local('v128', 'rq_q');
  const r = [f.local('v128', 'rq_r0'), f.local('v128', 'rq_r1')];
  const one = (a: Local, pp: Local, half: number): void => {
    const o16 = 16 * half;
    f.set(x, f.i32x4.mul(a, f.v128.load(pp, o16)));
    const m = f.v128.load(pp, 32 + o16);
    // floor((P + 2^30) / 2^31) is the high half of (P + 2^30) << 1 (i64x2.shr_s has no SSE instruction).
    const lo64 = f.i64x2.shl(f.i64x2.add(f.i64x2.extmul_low_i32x4_s(x, m), half30), 1);
    const hi64 = f.i64x2.shl(f.i64x2.add(f.i64x2.extmul_high_i32x4_s(x, m), half30), 1);
    f.set(h, f.i32x4.shuffle(lo64, hi64, [1, 3, 5, 7]));
    f.set(q, h);
    for (let s = 0; s < 5; s++) {
      f.set(q, f.v128.bitselect(f.i32x4.shr_s(q, 1 << s), q, f.v128.load(pp, 128 + 32 * s + o16)));
    }
    const rem = f.v128.and(h, f.v128.load(pp, 64 + o16));
    const thr = f.i32x4.sub(f.v128.load(pp, 96 + o16), f.i32x4.shr_s(h, 31));
    f.set(r[half]!, f.i32x4.add(f.i32x4.sub(q, f.i32x4.gt_s(rem, thr)), vzp));
  };
  return {
    finish: (a0, a1, pp) => {
      // Statements first (they use locals), then one expression for the caller.
      one(a0, pp, 0);
      one(a1, pp, 1);
      const v = narrow(f.get(r[0]!), f.get(r[1]!));
      return type === 'u8' ? f.i8x16.min_u(f.i8x16.max_u(v, vlo), vhi) : f.i8x16.min_s(f.i8x16.max_s(v, vlo), vhi);
    },
  };
}

/**
 * Stores the low `n` bytes of `v` (a local, clobbered) at `p` (clobbered) for n = nc in 1..7, or all 8 when
 * nc >= 8.
 */
export function storeBytes(f: FunctionBuilder, p: Local, v: Local, nc: Local | Expr): void {
  f.if(f.i32.ge_s(nc, 8), () => f.v128.store64_lane(p, v, 0), () => storeTail(f, p, v, nc));
}

/** Stores the low n & 15 bytes of `v` (a local, clobbered) at `p` (clobbered): 8, 4, 2, 1 bytes as n's bits say. */
export function storeTail(f: FunctionBuilder, p: Local, v: Local, n: Local | Expr): void {
  f.if(f.i32.and(n, 8), () => {
    f.v128.store64_lane(p, v, 0);
    f.set(v, f.i32x4.shuffle(v, v, [2, 3, 2, 3]));
    f.inc(p, 8);
  });
  f.if(f.i32.and(n, 4), () => {
    f.v128.store32_lane(p, v, 0);
    f.set(v, f.i64x2.shr_u(v, 32));
    f.inc(p, 4);
  });
  f.if(f.i32.and(n, 2), () => {
    f.v128.store16_lane(p, v, 0);
    f.set(v, f.i64x2.shr_u(v, 16));
    f.inc(p, 2);
  });
  f.if(f.i32.and(n, 1), () => f.v128.store8_lane(p, v, 0));
}
