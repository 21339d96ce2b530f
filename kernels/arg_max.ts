/**
 * ARG_MAX: FLOAT32, INT32, UINT8, INT8, BOOL inputs; constant axis in input 1; INT32 or INT64 output
 * holding the first index of the maximum (mirrors arg_min_max.cc with std::greater).
 */
import type { ArgMaxOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts, normalizeAxis } from './internal/constant_values.js';
import { LaneView } from './internal/data_movement.js';
import type { NumArray } from './internal/elementwise.js';

const INPUT_TYPES = [TensorType.FLOAT32, TensorType.INT32, TensorType.UINT8, TensorType.INT8, TensorType.BOOL];

interface ArgMaxData { outer: number; axisSize: number; inner: number; lanes: number; dst: LaneView }

export const argMax: Kernel<ArgMaxData, ArgMaxOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, INPUT_TYPES.includes(x.type), () => `input type ${TensorType[x.type]} is not supported`);
    ensure(node, out.type === TensorType.INT32 || out.type === TensorType.INT64,
      () => `output type ${TensorType[out.type]} must be INT32 or INT64`);
    const want = node.options?.outputType;
    // output_type 0 (FLOAT32) is the schema default of an unset field.
    ensure(node, !want || want === out.type, () => `output_type ${TensorType[want!]} differs from the output tensor type ${TensorType[out.type]}`);
    const axes = constantInts(node, input(node, 1), 'axis input');
    ensure(node, axes.length === 1, () => `axis input must hold one value, got ${axes.length}`);
    const axis = normalizeAxis(node, axes[0]!, x.rank);
    out.shape = x.shape.filter((_, i) => i !== axis);
    let outer = 1, inner = 1;
    for (let i = 0; i < axis; i++) outer *= x.shape[i]!;
    for (let i = axis + 1; i < x.rank; i++) inner *= x.shape[i]!;
    return { outer, axisSize: x.shape[axis]!, inner, lanes: out.type === TensorType.INT64 ? 2 : 1, dst: new LaneView() };
  },
  eval(node, d) {
    const x = node.inputs[0]!.data as NumArray, o = d.dst.of(node.outputs[0]!.data);
    const { outer, axisSize, inner, lanes } = d;
    for (let p = 0; p < outer; p++) {
      const base = p * axisSize * inner;
      for (let q = 0; q < inner; q++) {
        let best = x[base + q]!, arg = 0;
        for (let k = 1, i = base + q + inner; k < axisSize; k++, i += inner) {
          const v = x[i]!;
          if (v > best) { best = v; arg = k; }
        }
        const w = (p * inner + q) * lanes;
        o[w] = arg;
        if (lanes === 2) o[w + 1] = 0;
      }
    }
  },
};
