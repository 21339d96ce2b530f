/**
 * ADD and SUB for uint8 / int8 (with broadcasting). Mirrors add.cc / sub.cc Prepare and reference
 * AddElementwise / SubElementwise (8-bit path, left_shift = 20):
 *   a' = MBQM((a - zp_a) << 20, M_a, s_a), b' = MBQM((b - zp_b) << 20, M_b, s_b),
 *   out = clamp(zp_out + MBQM(a' ± b', M_out, s_out)),
 * with M_a = scale_a / (2 max(scale_a, scale_b)), M_b likewise, M_out = 2 max(scale_a, scale_b) / (2^20 scale_out),
 * each quantized with QuantizeMultiplierSmallerThanOneExp. a' and b' depend on one 8-bit value each, so they are
 * tabulated at prepare (256 entries per input); eval does the final MBQM per element.
 *
 * 'tflite-cpu' mode: XNNPACK's ADD / SUB (internal/xnnpack.ts xnnAddParams), one rounding shift of a sum of two
 * products; the products (bias folded into a's) are tabulated the same way.
 */
import type { AddOptions, SubOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../internal/quantization_util.js';
import { broadcastPlan, forEachRun, type BroadcastPlan } from './internal/broadcast.js';
import { fusedActivationRange, perTensorQuant, quantizedType, sameType } from './internal/params.js';
import { xnnActivationRange, xnnAddParams, xnnAddSupported } from './internal/xnnpack.js';

const LEFT_SHIFT = 20;

interface AddData {
  plan: BroadcastPlan;
  sign: number;
  /** a' and b' for every 8-bit input value (index = value - typeMin): the first two MBQMs as tables. */
  aTable: Int32Array;
  bTable: Int32Array;
  typeMin: number;
  outZeroPoint: number;
  outMul: number; outShift: number;
  actMin: number; actMax: number;
  /** 'tflite-cpu': the right shift of XNNPACK's sum (tables hold the scaled products); -1 in reference mode. */
  xnnShift: number;
}

function smallerThanOne(node: KernelNode<unknown>, real: number, what: string): { multiplier: number; shift: number } {
  ensure(node, real > 0 && real < 1, () => `${what} multiplier ${real} is not in (0, 1)`);
  return quantizeMultiplier(real);
}

function prepareAddSub(node: KernelNode<AddOptions | SubOptions>, sign: number): AddData {
  const a = input(node, 0), b = input(node, 1), out = node.outputs[0]!;
  ensure(node, !!node.options, () => `missing ${sign > 0 ? 'AddOptions' : 'SubOptions'}`);
  const type = quantizedType(node, a, 'input');
  sameType(node, a, b, 'input 1');
  sameType(node, a, out, 'output');
  const aq = perTensorQuant(node, a, 'input 0'), bq = perTensorQuant(node, b, 'input 1');
  const oq = perTensorQuant(node, out, 'output');
  const plan = broadcastPlan(node, a.shape, b.shape);
  out.shape = plan.outShape;
  const typeMin = type === TensorType.UINT8 ? 0 : -128;
  if (node.context.quantizedArithmetic === 'tflite-cpu' && xnnAddSupported(aq.scale, bq.scale, oq.scale)) {
    const p = xnnAddParams(aq.scale, bq.scale, oq.scale, aq.zeroPoint, bq.zeroPoint, sign < 0);
    const act = xnnActivationRange(node.options.fusedActivationFunction, type, oq.scale, oq.zeroPoint);
    ensure(node, !!act, () => `fused activation ${node.options.fusedActivationFunction} is not supported`);
    const aTable = new Int32Array(256), bTable = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      aTable[i] = p.bias + (typeMin + i) * p.aMultiplier;
      bTable[i] = (typeMin + i) * p.bMultiplier;
    }
    return {
      plan, sign, aTable, bTable, typeMin, outZeroPoint: oq.zeroPoint, outMul: 0, outShift: 0,
      actMin: act.min, actMax: act.max, xnnShift: p.shift,
    };
  }
  const twiceMax = 2 * Math.max(aq.scale, bq.scale);
  const am = smallerThanOne(node, aq.scale / twiceMax, 'input 0');
  const bm = smallerThanOne(node, bq.scale / twiceMax, 'input 1');
  const om = smallerThanOne(node, twiceMax / ((1 << LEFT_SHIFT) * oq.scale), 'output');
  const act = fusedActivationRange(node, node.options.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
  const aTable = new Int32Array(256), bTable = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    aTable[i] = multiplyByQuantizedMultiplier((typeMin + i - aq.zeroPoint) * (1 << LEFT_SHIFT), am.multiplier, am.shift);
    bTable[i] = multiplyByQuantizedMultiplier((typeMin + i - bq.zeroPoint) * (1 << LEFT_SHIFT), bm.multiplier, bm.shift);
  }
  return {
    plan, sign, aTable, bTable, typeMin, outZeroPoint: oq.zeroPoint, outMul: om.multiplier, outShift: om.shift,
    actMin: act.min, actMax: act.max, xnnShift: -1,
  };
}

function evalAddSub(node: KernelNode<unknown>, d: AddData): void {
  const a = node.inputs[0]!.data as Uint8Array | Int8Array;
  const b = node.inputs[1]!.data as Uint8Array | Int8Array;
  forEachRun(d.plan, d, a, b, node.outputs[0]!.data as Uint8Array | Int8Array, d.xnnShift >= 0 ? addRunXnn : addRun);
}

function addRunXnn(
  d: AddData, a: Uint8Array | Int8Array, ai: number, sa: number, b: Uint8Array | Int8Array, bi: number, sb: number,
  out: Uint8Array | Int8Array, o: number, n: number,
): void {
  const at = d.aTable, bt = d.bTable, m = d.typeMin, shift = d.xnnShift, zp = d.outZeroPoint, lo = d.actMin, hi = d.actMax;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const v = ((at[a[ai]! - m]! + bt[b[bi]! - m]!) >> shift) + zp;
    out[o + i] = v < lo ? lo : v > hi ? hi : v;
  }
}

function addRun(
  d: AddData, a: Uint8Array | Int8Array, ai: number, sa: number, b: Uint8Array | Int8Array, bi: number, sb: number,
  out: Uint8Array | Int8Array, o: number, n: number,
): void {
  const at = d.aTable, bt = d.bTable, m = d.typeMin;
  for (let i = 0; i < n; i++, ai += sa, bi += sb) {
    const ra = at[a[ai]! - m]!;
    const rb = bt[b[bi]! - m]!;
    let v = multiplyByQuantizedMultiplier((ra + d.sign * rb) | 0, d.outMul, d.outShift) + d.outZeroPoint;
    if (v < d.actMin) v = d.actMin;
    else if (v > d.actMax) v = d.actMax;
    out[o + i] = v;
  }
}

/** ADD, uint8/int8: add.cc (8-bit general path) + reference_ops::Add / BroadcastAdd6DSlow. */
export const addQuantized: Kernel<AddData, AddOptions> = {
  prepare: (node) => prepareAddSub(node, 1),
  eval: evalAddSub,
};

/** SUB, uint8/int8: sub.cc PrepareGeneralSubOp + reference SubElementwise / BroadcastSubSlow. */
export const subQuantized: Kernel<AddData, SubOptions> = {
  prepare: (node) => prepareAddSub(node, -1),
  eval: evalAddSub,
};
