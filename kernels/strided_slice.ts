/**
 * STRIDED_SLICE: any element type; begin/end/strides INT32 vectors (inputs 1-3) with begin, end,
 * ellipsis, new_axis and shrink_axis masks, negative strides and `offset` (end = begin + end).
 * Mirrors strided_slice.cc (BuildStridedSliceParams: ellipsis and new axes are expanded into an
 * "effective" input shape) and strided_slice_logic.h (StridedSliceStartForAxis / EndForAxis).
 * Strides must be constant; begin and end too, except begin with `offset`, whose slice size is then
 * known at prepare and whose start is read at eval.
 */
import type { StridedSliceOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import { InterpreterError } from '../schema/errors.js';
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import type { CopyPlan } from './internal/data_movement.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, runCopy, stridesOf } from './internal/data_movement.js';

/** One axis of the effective (ellipsis- and new-axis-expanded) input. */
interface EffAxis {
  size: number;
  /** Index into begin/end/strides, or -1 for axes filled in by an ellipsis, a new axis or the implicit tail. */
  orig: number;
  begin: number; end: number; stride: number;
  beginMasked: boolean; endMasked: boolean; shrink: boolean;
  /** Element stride in the real input (0 for new axes). */
  inStride: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v > hi ? hi : v < lo ? lo : v;
}

/** StridedSliceStartForAxis: negative wrap, clamp by direction, then the begin mask. */
function startForAxis(a: EffAxis, begin: number): number {
  let s = begin;
  if (s < 0) s += a.size;
  s = a.stride > 0 ? clamp(s, 0, a.size) : clamp(s, -1, a.size - 1);
  if (a.beginMasked) s = a.stride > 0 ? 0 : a.size - 1;
  return s;
}

/** StridedSliceEndForAxis: shrink gives one element; `offset` makes end relative to start. */
function endForAxis(a: EffAxis, start: number, offset: boolean): number {
  if (a.shrink) return start >= a.size ? start : start + 1;
  let e = a.end;
  if (offset) e += start;
  if (e < 0) e += a.size;
  e = a.stride > 0 ? clamp(e, 0, a.size) : clamp(e, -1, a.size - 1);
  if (a.endMasked) e = a.stride > 0 ? a.size : -1;
  return e;
}

function countOf(start: number, end: number, stride: number): number {
  return Math.max(0, Math.ceil((end - start) / stride));
}

/** BuildStridedSliceParams: expands the ellipsis and new axes into effective axes. */
function effectiveAxes(shape: readonly number[], begin: number[], end: number[], strides: number[], o: StridedSliceOptions): EffAxis[] {
  const n = strides.length, rank = shape.length;
  let numAddAxis = 0;
  for (let i = 0; i < n; i++) if (!(o.ellipsisMask & (1 << i)) && (o.newAxisMask & (1 << i))) numAddAxis++;
  const effDims = rank + numAddAxis;
  let ellipsisMask = 0, newAxisMask = 0, ellipsisStart = effDims, expanded = 0;
  for (let i = 0; i < effDims;) {
    if (o.ellipsisMask & (1 << i)) {
      ellipsisStart = i;
      const ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + numAddAxis + rank - n, effDims));
      expanded = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) ellipsisMask |= 1 << i;
      continue;
    }
    if ((1 << (i - expanded)) & o.newAxisMask) newAxisMask |= 1 << i;
    i++;
  }
  const inStrides = stridesOf(shape);
  const axes: EffAxis[] = [];
  let addedEllipsis = 0, addedAxes = 0;
  for (let i = 0; i < effDims; i++) {
    const base = { orig: -1, begin: 0, end: 0, stride: 1, beginMasked: true, endMasked: true, shrink: false };
    if (ellipsisMask & (1 << i)) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      axes.push({ ...base, size: shape[i - addedAxes]!, inStride: inStrides[i - addedAxes]! });
    } else if (newAxisMask & (1 << i)) {
      axes.push({ ...base, size: 1, end: 1, beginMasked: false, endMasked: false, inStride: 0 });
      addedAxes++;
    } else if (i >= n + expanded) {
      axes.push({ ...base, size: shape[i - addedAxes]!, inStride: inStrides[i - addedAxes]! });
    } else {
      const k = i - addedEllipsis;
      axes.push({
        size: shape[i - addedAxes]!, inStride: inStrides[i - addedAxes]!, orig: k,
        begin: begin[k]!, end: end[k]!, stride: strides[k]!,
        beginMasked: !!(o.beginMask & (1 << k)), endMasked: !!(o.endMask & (1 << k)), shrink: !!(o.shrinkAxisMask & (1 << k)),
      });
    }
  }
  return axes;
}

interface StridedSliceData {
  plan: CopyPlan;
  srcBase: number;
  lanes: number;
  src: LaneView; dst: LaneView;
  /** Set when begin is read at eval (offset mode with a non-constant begin). */
  dynamic: { axes: EffAxis[]; counts: Int32Array; offset: boolean } | null;
}

const DEFAULTS: StridedSliceOptions = {
  kind: 'StridedSliceOptions', beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false,
};

export const stridedSlice: Kernel<StridedSliceData, StridedSliceOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const o = { ...DEFAULTS, ...(node.options ?? {}) };
    const bT = input(node, 1), eT = input(node, 2), sT = input(node, 3);
    for (const [t, what] of [[bT, 'begin'], [eT, 'end'], [sT, 'strides']] as const) {
      ensure(node, t.type === TensorType.INT32 && t.rank === 1, () => `${what} must be an INT32 vector, got ${t.describe()}`);
    }
    ensure(node, bT.size === eT.size && eT.size === sT.size, () => `begin, end and strides have ${bT.size}, ${eT.size}, ${sT.size} entries`);
    ensure(node, x.rank <= 6, () => `input rank ${x.rank} exceeds 6`);
    const strides = constantInts(node, sT, 'strides input');
    const end = constantInts(node, eT, 'end input');
    const dynamicBegin = !bT.isConstant;
    ensure(node, !dynamicBegin || o.offset,
      () => `begin input (${bT.describe()}) is not constant; a non-constant begin is only supported with offset=true`);
    const begin = dynamicBegin ? new Array<number>(strides.length).fill(0) : constantInts(node, bT, 'begin input');
    ensure(node, strides.every((s) => s !== 0), () => 'stride value has to be non-zero');
    ensure(node, (o.ellipsisMask & (o.ellipsisMask - 1)) === 0, () => 'only one ellipsis is allowed');
    const axes = effectiveAxes(x.shape, begin, end, strides, o);
    ensure(node, axes.length <= 6, () => `${axes.length} dimensions after adding new axes; at most 6 are supported`);
    const counts: number[] = [], shape: number[] = [];
    let srcBase = 0;
    for (const a of axes) {
      let count: number;
      if (dynamicBegin) {
        // Offset mode: the size along a sliced axis is end / stride (ResizeOutputTensor); filled-in axes
        // (ellipsis, new axis, implicit tail) keep their full extent.
        const s0 = startForAxis(a, 0);
        count = a.shrink ? 1 : a.orig >= 0 ? Math.max(0, Math.ceil(a.end / a.stride)) : countOf(s0, endForAxis(a, s0, true), a.stride);
      } else {
        const s = startForAxis(a, a.begin);
        const e = endForAxis(a, s, o.offset);
        count = countOf(s, e, a.stride);
        srcBase += s * a.inStride;
      }
      counts.push(count);
      if (!a.shrink) shape.push(count);
    }
    out.shape = shape;
    const lanes = lanesPerElement(x.type);
    const plan = planCopy(counts, axes.map((a) => a.inStride * a.stride), stridesOf(counts), lanes);
    return {
      plan, srcBase: srcBase * lanes, lanes, src: new LaneView(), dst: new LaneView(),
      dynamic: dynamicBegin ? { axes, counts: Int32Array.from(counts), offset: o.offset } : null,
    };
  },
  eval(node, d) {
    let base = d.srcBase;
    if (d.dynamic) base = dynamicBase(node, d);
    runCopy(d.plan, d.src.of(node.inputs[0]!.data), base, d.dst.of(node.outputs[0]!.data), 0);
  },
};

/** Offset mode with a run-time begin: the start of each axis is read now; the slice size was fixed at prepare. */
function dynamicBase(node: KernelNode<unknown>, d: StridedSliceData): number {
  const dyn = d.dynamic!;
  const b = node.inputs[1]!.data as Int32Array;
  let base = 0;
  for (let i = 0; i < dyn.axes.length; i++) {
    const a = dyn.axes[i]!;
    const s = startForAxis(a, a.orig >= 0 ? b[a.orig]! : 0);
    const e = endForAxis(a, s, dyn.offset);
    if (countOf(s, e, a.stride) !== dyn.counts[i]) {
      throw new InterpreterError(`node ${node.index} STRIDED_SLICE: begin ${b[a.orig]} on axis ${i} leaves fewer than the ${dyn.counts[i]} elements the output was prepared for`);
    }
    base += s * a.inStride;
  }
  return base * d.lanes;
}
