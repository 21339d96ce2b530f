/**
 * GATHER: any params type; INT32, INT64 or INT16 indices; axis and batch_dims may be negative
 * (mirrors gather.cc / reference_ops::Gather): out.shape = params[:axis] + indices[batch_dims:] + params[axis+1:].
 * An index outside [0, params.shape[axis]) throws at eval, as TFLite's kernel returns an error.
 */
import type { GatherOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import { InterpreterError } from '../schema/errors.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { normalizeAxis } from './internal/constant_values.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement } from './internal/data_movement.js';

interface GatherData {
  batch: number; outer: number; coord: number; axisSize: number;
  /** Lanes copied per gathered slice. */
  inner: number;
  indexLanes: number;
  src: LaneView; dst: LaneView; idx: LaneView;
}

export const gather: Kernel<GatherData, GatherOptions | null> = {
  prepare(node) {
    const params = input(node, 0), indices = input(node, 1), out = node.outputs[0]!;
    ensureCopyableType(node, params);
    ensureSameTypeAndQuant(node, params, out);
    ensure(node, indices.type === TensorType.INT32 || indices.type === TensorType.INT64 || indices.type === TensorType.INT16,
      () => `indices type ${TensorType[indices.type]} is not supported (INT32, INT64, INT16)`);
    const axis = normalizeAxis(node, node.options?.axis ?? 0, params.rank);
    let batchDims = node.options?.batchDims ?? 0;
    if (batchDims < 0) batchDims += indices.rank;
    ensure(node, batchDims >= 0 && batchDims <= axis && batchDims <= indices.rank,
      () => `batch_dims ${node.options?.batchDims} must be in [0, min(axis ${axis}, indices rank ${indices.rank})]`);
    for (let i = 0; i < batchDims; i++) {
      ensure(node, params.shape[i] === indices.shape[i],
        () => `batch dimension ${i}: params has ${params.shape[i]}, indices has ${indices.shape[i]}`);
    }
    out.shape = [...params.shape.slice(0, axis), ...indices.shape.slice(batchDims), ...params.shape.slice(axis + 1)];
    const prod = (a: number[]) => a.reduce((p, v) => p * v, 1);
    return {
      batch: prod(params.shape.slice(0, batchDims)),
      outer: prod(params.shape.slice(batchDims, axis)),
      coord: prod(indices.shape.slice(batchDims)),
      axisSize: params.shape[axis]!,
      inner: prod(params.shape.slice(axis + 1)) * lanesPerElement(params.type),
      indexLanes: lanesPerElement(indices.type),
      src: new LaneView(), dst: new LaneView(), idx: new LaneView(),
    };
  },
  eval(node, d) {
    const src = d.src.of(node.inputs[0]!.data), dst = d.dst.of(node.outputs[0]!.data), ix = d.idx.of(node.inputs[1]!.data);
    const { batch, outer, coord, axisSize, inner, indexLanes } = d;
    let o = 0;
    for (let b = 0; b < batch; b++) {
      for (let q = 0; q < outer; q++) {
        const base = (b * outer + q) * axisSize;
        for (let i = 0; i < coord; i++) {
          const k = (b * coord + i) * indexLanes;
          const v = ix[k]!;
          // INT64 indices: the high lane must be the sign extension of the low one.
          if (v < 0 || v >= axisSize || (indexLanes === 2 && ix[k + 1] !== 0)) {
            throw new InterpreterError(`node ${node.index} GATHER: index ${indexLanes === 2 && ix[k + 1] !== 0 ? 'out of int32 range' : v} is outside [0, ${axisSize})`);
          }
          const s = (base + v) * inner;
          for (let j = 0; j < inner; j++) dst[o + j] = src[s + j]!;
          o += inner;
        }
      }
    }
  },
};
