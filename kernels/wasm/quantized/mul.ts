/**
 * MUL for uint8/int8 on SIMD, 'tflite-cpu' mode (XNNPACK's MUL, kernels/quantized/mul.ts mulRunFp32):
 *
 *   out = clamp(roundHalfEven(f32(f32((a - za) * (b - zb)) * scale)) + zp, lo, hi)
 *
 * 16 elements per step: bytes widened to int16 minus their zero points, products in int32 (`extmul`, exact:
 * |product| <= 255^2), converted to f32 (exact) and multiplied by the f32 scale (the same single rounding as the
 * typed-array kernel's fround of a double product of two f32 values), clamped to [lo - zp, hi - zp] in f32 (integer
 * bounds: clamping before rounding equals clamping after), rounded to nearest even, converted, zp added, narrowed.
 * Broadcasting is the typed-array kernel's plan: one call per contiguous run, each input stepping by 1 or 0
 * (a broadcast input is one byte splatted), e.g. a squeeze-and-excitation scale [1,1,1,C] over [1,H,W,C].
 * The reference arithmetic (64-bit rounding multiplies) stays on the typed-array kernel.
 */
import type { MulOptions } from '../../../schema/builtin_options.js';
import { TensorType } from '../../../schema/enums.js';
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { Kernel, KernelNode } from '../../kernel.js';
import { broadcastPlan, forEachRun, type BroadcastPlan } from '../../quantized/internal/broadcast.js';
import { perTensorQuant } from '../../quantized/internal/params.js';
import { xnnActivationRange, xnnMulScale } from '../../quantized/internal/xnnpack.js';
import type { KernelSource } from '../kernel_source.js';
import type { QRuntime, QSimdKernel } from './conv.js';
import { type QType, storeTail } from './requant.js';

type Export = (...args: number[]) => number;

export function mulName(type: QType): string {
  return `q${type}_mul_xnn`;
}

/** Scales at or above this go to the typed-array kernel (no infinities or NaN can then arise in f32). */
const MAX_SIMD_SCALE = 2 ** 24;

/**
 * q{u8,s8}_mul_xnn(n, a, sa, b, sb, out, za, zb, scaleBits, zp, lo, hi): n outputs; sa, sb are 1 (the input
 * steps) or 0 (one byte, broadcast); scaleBits is the f32 scale's bit pattern.
 */
function emitMul(mb: ModuleBuilder, type: QType): void {
  const params = {
    n: 'i32', a: 'i32', sa: 'i32', b: 'i32', sb: 'i32', out: 'i32', za: 'i32', zb: 'i32', scaleBits: 'i32',
    zp: 'i32', lo: 'i32', hi: 'i32',
  } as const;
  mb.addFunction(mulName(type), { params }, (f, p) => {
    const u = type === 'u8';
    const vza = f.local('v128', 'vza'), vzb = f.local('v128', 'vzb'), vscale = f.local('v128', 'vscale');
    const vlo = f.local('v128', 'vlo'), vhi = f.local('v128', 'vhi'), vzp = f.local('v128', 'vzp');
    const va = f.local('v128', 'va'), vb = f.local('v128', 'vb'), out = f.local('v128', 'out');
    const a16 = f.locals('v128', 2, 'a16'), b16 = f.locals('v128', 2, 'b16'), r = f.locals('v128', 4, 'r');
    f.set(vza, f.i16x8.splat(p.za));
    f.set(vzb, f.i16x8.splat(p.zb));
    f.set(vscale, f.f32x4.splat(f.f32.reinterpret_i32(p.scaleBits)));
    f.set(vlo, f.f32x4.splat(f.f32.convert_i32_s(f.i32.sub(p.lo, p.zp))));
    f.set(vhi, f.f32x4.splat(f.f32.convert_i32_s(f.i32.sub(p.hi, p.zp))));
    f.set(vzp, f.i16x8.splat(p.zp));
    const widen = (v: Local, high: boolean, z: Local): Expr => f.i16x8.sub(u
      ? (high ? f.i16x8.extend_high_i8x16_u(v) : f.i16x8.extend_low_i8x16_u(v))
      : (high ? f.i16x8.extend_high_i8x16_s(v) : f.i16x8.extend_low_i8x16_s(v)), z);
    const requant = (prod: Expr): Expr => f.i32x4.trunc_sat_f32x4_s(f.f32x4.nearest(
      f.f32x4.pmin(f.f32x4.pmax(f.f32x4.mul(f.f32x4.convert_i32x4_s(prod), vscale), vlo), vhi)));
    // A broadcast input: its byte splatted once.
    const load = (ptr: Local, stride: Local): Expr => f.select(f.v128.load(ptr), f.v128.load8_splat(ptr), stride);
    const step = (fb: FunctionBuilder): void => {
      fb.set(va, load(p.a, p.sa));
      fb.set(vb, load(p.b, p.sb));
      for (const h of [0, 1]) {
        fb.set(a16[h]!, widen(va, h === 1, vza));
        fb.set(b16[h]!, widen(vb, h === 1, vzb));
        fb.set(r[2 * h]!, requant(fb.i32x4.extmul_low_i16x8_s(a16[h]!, b16[h]!)));
        fb.set(r[2 * h + 1]!, requant(fb.i32x4.extmul_high_i16x8_s(a16[h]!, b16[h]!)));
      }
      // In [lo - zp, hi - zp] after the clamp: the int16 narrowing, + zp and the byte narrowing are exact.
      const lo = fb.i16x8.add(fb.i16x8.narrow_i32x4_s(r[0]!, r[1]!), vzp);
      const hi = fb.i16x8.add(fb.i16x8.narrow_i32x4_s(r[2]!, r[3]!), vzp);
      fb.set(out, u ? fb.i8x16.narrow_i16x8_u(lo, hi) : fb.i8x16.narrow_i16x8_s(lo, hi));
    };
    const sa16 = f.local('i32', 'sa16'), sb16 = f.local('i32', 'sb16');
    f.set(sa16, f.i32.shl(p.sa, 4));
    f.set(sb16, f.i32.shl(p.sb, 4));
    f.while(f.i32.ge_s(p.n, 16), () => {
      step(f);
      f.v128.store(p.out, out);
      f.set(p.a, f.i32.add(p.a, sa16));
      f.set(p.b, f.i32.add(p.b, sb16));
      f.inc(p.out, 16);
      f.set(p.n, f.i32.sub(p.n, 16));
    });
    f.if(f.i32.gt_s(p.n, 0), () => {
      step(f);
      storeTail(f, p.out, out, p.n);
    });
  });
}

export const qMulSource: KernelSource = (mb) => {
  emitMul(mb, 'u8');
  emitMul(mb, 's8');
};

export interface QMulPlan {
  fn: Export;
  plan: BroadcastPlan;
  za: number; zb: number; scaleBits: number; zp: number; lo: number; hi: number;
}

type Data8 = Uint8Array | Int8Array;

/** One contiguous run of the broadcast plan (a module-level function: eval allocates nothing). */
function mulRunSimd(d: QMulPlan, a: Data8, ai: number, sa: number, b: Data8, bi: number, sb: number, out: Data8, o: number, n: number): void {
  d.fn(n, a.byteOffset + ai, sa, b.byteOffset + bi, sb, out.byteOffset + o, d.za, d.zb, d.scaleBits, d.zp, d.lo, d.hi);
}

const bits = new Int32Array(1), asFloat = new Float32Array(bits.buffer);

/** The SIMD variant of the typed-array MUL `js` (which prepares and validates first). */
export function mulQuantizedSimd(js: Kernel<unknown, MulOptions>): QSimdKernel<QMulPlan, MulOptions> {
  return {
    prepare(node: KernelNode<MulOptions>, rt: QRuntime) {
      js.prepare(node); // validation and the output shape
      if (node.context.quantizedArithmetic !== 'tflite-cpu') return null;
      const a = node.inputs[0]!, b = node.inputs[1]!, out = node.outputs[0]!;
      if (a.isConstant || b.isConstant) return null;
      const aq = perTensorQuant(node, a, 'input 0'), bq = perTensorQuant(node, b, 'input 1');
      const oq = perTensorQuant(node, out, 'output');
      const scale = xnnMulScale(aq.scale, bq.scale, oq.scale);
      const act = xnnActivationRange(node.options.fusedActivationFunction, a.type, oq.scale, oq.zeroPoint);
      if (!act || !(scale > 0 && scale < MAX_SIMD_SCALE)) return null;
      const plan = broadcastPlan(node, a.shape, b.shape);
      if ((plan.runStrideA !== 0 && plan.runStrideA !== 1) || (plan.runStrideB !== 0 && plan.runStrideB !== 1)) return null;
      asFloat[0] = scale;
      // `| 0`: int32 fields stay small integers (a double field would box a new number at every call).
      return {
        fn: rt.fn(mulName(a.type === TensorType.UINT8 ? 'u8' : 's8')), plan,
        za: aq.zeroPoint | 0, zb: bq.zeroPoint | 0, scaleBits: bits[0]! | 0, zp: oq.zeroPoint | 0, lo: act.min | 0, hi: act.max | 0,
      };
    },
    eval(node, d) {
      forEachRun(d.plan, d, node.inputs[0]!.data as Data8, node.inputs[1]!.data as Data8, node.outputs[0]!.data as Data8, mulRunSimd);
    },
  };
}
