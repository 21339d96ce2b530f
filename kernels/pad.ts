/**
 * PAD (and the shared implementation of PADV2): any rank ≤ 6, constant paddings [rank, 2] (INT32/INT64)
 * in input 1, non-negative (mirrors pad.cc / reference_ops::PadImpl). PAD fills with 0; PADV2 fills with its
 * input 2 scalar, read at eval. The output is filled, then the input is copied into its interior.
 */
import { TensorType } from '../schema/enums.js';
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy, stridesOf } from './internal/data_movement.js';
import type { NumArray } from './internal/elementwise.js';

export interface PadData {
  plan: CopyPlan;
  dstBase: number;
  lanes: number;
  src: LaneView; dst: LaneView; value: LaneView;
  /** PADV2: fill from input 2; PAD: fill with zeros. */
  hasValue: boolean;
}

/** Prepare shared by PAD and PADV2. */
export function preparePad(node: KernelNode<unknown>, hasValue: boolean): PadData {
  const x = input(node, 0), out = node.outputs[0]!;
  ensureCopyableType(node, x);
  ensureSameTypeAndQuant(node, x, out);
  ensure(node, x.rank <= 6, () => `input rank ${x.rank} exceeds 6`);
  const padT = input(node, 1);
  ensure(node, padT.rank === 2 && padT.shape[0] === x.rank && padT.shape[1] === 2,
    () => `paddings must have shape [${x.rank},2], got [${padT.shape.join(',')}]`);
  const pads = constantInts(node, padT, 'paddings input');
  ensure(node, pads.every((p) => p >= 0), () => `paddings [${pads.join(',')}] must be non-negative`);
  if (hasValue) {
    const v = node.inputs[2];
    if (v) {
      ensure(node, v.type === x.type, () => `constant value type ${TensorType[v.type]} differs from input type ${TensorType[x.type]}`);
      ensure(node, v.size === 1, () => `constant value must be a scalar, got [${v.shape.join(',')}]`);
      ensureSameTypeAndQuant(node, x, v);
    }
  }
  out.shape = x.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  const outStrides = stridesOf(out.shape);
  let dstBase = 0;
  for (let i = 0; i < x.rank; i++) dstBase += pads[2 * i]! * outStrides[i]!;
  const lanes = lanesPerElement(x.type);
  return {
    plan: planCopy(x.shape, stridesOf(x.shape), outStrides, lanes), dstBase: dstBase * lanes, lanes,
    src: new LaneView(), dst: new LaneView(), value: new LaneView(), hasValue: hasValue && !!node.inputs[2],
  };
}

/** Eval shared by PAD and PADV2. */
export function evalPad(node: KernelNode<unknown>, d: PadData): void {
  const dst = d.dst.of(node.outputs[0]!.data);
  let lo = 0, hi = 0;
  if (d.hasValue) {
    const v = d.value.of(node.inputs[2]!.data);
    lo = v[0]!;
    if (d.lanes === 2) hi = v[1]!;
  }
  if (d.lanes === 2 && hi !== lo) {
    for (let i = 0; i < dst.length; i += 2) { dst[i] = lo; dst[i + 1] = hi; }
  } else {
    dst.fill(lo);
  }
  runCopy(d.plan, d.src.of(node.inputs[0]!.data), 0, dst, d.dstBase);
}

export const pad: Kernel<PadData> = {
  prepare: (node) => preparePad(node, false),
  eval: evalPad,
};
