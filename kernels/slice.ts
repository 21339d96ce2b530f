/**
 * SLICE: any element type, rank ≤ 6; constant begin (input 1) and size (input 2), INT32 or INT64;
 * size -1 takes the rest of the dimension (mirrors slice.cc / reference_ops::Slice).
 */
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, stridesOf } from './internal/data_movement.js';
import type { CopyData } from './transpose.js';
import { evalCopy } from './transpose.js';

export const slice: Kernel<CopyData> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    ensure(node, x.rank <= 6, () => `input rank ${x.rank} exceeds 6`);
    const begin = constantInts(node, input(node, 1), 'begin input');
    const size = constantInts(node, input(node, 2), 'size input');
    ensure(node, begin.length === x.rank && size.length === x.rank,
      () => `begin has ${begin.length} and size ${size.length} entries for an input of rank ${x.rank}`);
    const shape: number[] = [];
    for (let i = 0; i < x.rank; i++) {
      const dim = x.shape[i]!, b = begin[i]!;
      const s = size[i] === -1 ? dim - b : size[i]!;
      ensure(node, b >= 0 && s >= 0 && b + s <= dim,
        () => `dimension ${i}: begin ${b} size ${size[i]} does not fit in ${dim}`);
      shape.push(s);
    }
    out.shape = shape;
    const inStrides = stridesOf(x.shape);
    let srcBase = 0;
    for (let i = 0; i < x.rank; i++) srcBase += begin[i]! * inStrides[i]!;
    const lanes = lanesPerElement(x.type);
    return { plan: planCopy(shape, inStrides, stridesOf(shape), lanes), srcBase: srcBase * lanes, src: new LaneView(), dst: new LaneView() };
  },
  eval: evalCopy,
};
