/**
 * CAST: between FLOAT32, INT32, UINT8, INT8, INT16, INT64 and BOOL (mirrors cast.cc: static_cast, so
 * float → integer truncates toward zero; anything → BOOL is x != 0). INT64 goes through two Int32 lanes,
 * exact up to 2^53, without BigInt.
 */
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { LaneView, copyData } from './internal/data_movement.js';

const TYPES = [TensorType.FLOAT32, TensorType.INT32, TensorType.UINT8, TensorType.INT8, TensorType.INT16, TensorType.INT64, TensorType.BOOL];
const TWO_32 = 4294967296;

interface CastData { same: boolean; inLanes: number; outLanes: number; toBool: boolean; src: LaneView; dst: LaneView }

export const cast: Kernel<CastData> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    const names = TYPES.map((t) => TensorType[t]).join(', ');
    ensure(node, TYPES.includes(x.type), () => `input type ${TensorType[x.type]} is not supported (${names})`);
    ensure(node, TYPES.includes(out.type), () => `output type ${TensorType[out.type]} is not supported (${names})`);
    out.shape = x.shape.slice();
    return {
      same: x.type === out.type,
      inLanes: x.type === TensorType.INT64 ? 2 : 1, outLanes: out.type === TensorType.INT64 ? 2 : 1,
      toBool: out.type === TensorType.BOOL, src: new LaneView(), dst: new LaneView(),
    };
  },
  eval(node, d) {
    if (d.same) { copyData(node.inputs[0]!.data, node.outputs[0]!.data); return; }
    const x = d.src.of(node.inputs[0]!.data), y = d.dst.of(node.outputs[0]!.data);
    const n = node.outputs[0]!.data.length;
    for (let i = 0; i < n; i++) {
      // Read: an INT64 is hi * 2^32 + unsigned lo.
      let v = d.inLanes === 2 ? x[2 * i + 1]! * TWO_32 + (x[2 * i]! >>> 0) : x[i]!;
      if (d.toBool) v = v !== 0 ? 1 : 0;
      else v = Math.trunc(v);
      if (d.outLanes === 2) {
        if (v !== v) v = 0;
        y[2 * i] = v >>> 0 | 0;
        y[2 * i + 1] = Math.floor(v / TWO_32);
      } else {
        y[i] = v;
      }
    }
  },
};
