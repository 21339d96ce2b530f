/**
 * SHAPE: any input type; writes the input's shape as INT32 or INT64 (out_type, mirrors shape.cc).
 * The values are known at prepare; INT64 is written as two Int32 lanes (little-endian), no BigInt.
 */
import type { ShapeOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { LaneView } from './internal/data_movement.js';

interface ShapeData { dims: Int32Array; out: LaneView; lanes: number }

export const shape: Kernel<ShapeData, ShapeOptions | null> = {
  // The output depends only on the input's shape: the interpreter evaluates SHAPE at prepare time, so a
  // RESHAPE fed by SHAPE sees a constant shape input.
  shapeOnly: true,
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, out.type === TensorType.INT32 || out.type === TensorType.INT64,
      () => `output type ${TensorType[out.type]} is not supported (INT32 or INT64)`);
    const want = node.options?.outType;
    // out_type 0 (FLOAT32) is the schema default of an unset field: the output tensor's type decides then.
    ensure(node, !want || want === out.type,
      () => `out_type ${TensorType[want!]} differs from the output tensor type ${TensorType[out.type]}`);
    out.shape = [x.rank];
    return { dims: Int32Array.from(x.shape), out: new LaneView(), lanes: out.type === TensorType.INT64 ? 2 : 1 };
  },
  eval(node, d) {
    const o = d.out.of(node.outputs[0]!.data);
    for (let i = 0; i < d.dims.length; i++) {
      if (d.lanes === 2) { o[2 * i] = d.dims[i]!; o[2 * i + 1] = 0; } else o[i] = d.dims[i]!;
    }
  },
};
