/**
 * RESHAPE: any element type; copies the data. The new shape comes from input 1 when it is an INT32/INT64
 * vector (TFLite's ShapeIsVector rule) and from the options otherwise; one -1 is inferred, and a legacy
 * new_shape of [0] means a scalar (mirrors reshape.cc). The shape must be known at prepare: a non-constant
 * shape input is accepted only when the options carry the same new_shape, and eval checks that the run-time
 * values still agree (embedlite has no dynamic shapes).
 */
import type { ReshapeOptions } from '../schema/builtin_options.js';
import { InterpreterError } from '../schema/errors.js';
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts, isIndexType } from './internal/constant_values.js';
import { LaneView, copyData, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement } from './internal/data_movement.js';

interface ReshapeData {
  /** Requested shape (with its -1) and the resolved one: a run-time shape tensor must match either, per dim. */
  requested: Int32Array | null;
  resolved: Int32Array;
  /** Lane view of the shape input (INT64 read as its low 32-bit lane). */
  shapeView: LaneView;
  shapeLanes: number;
}

/** Resolves one -1 and checks the element count (reshape.cc, GetOutputShape + ResizeOutput). */
export function resolveShape(node: KernelNode<unknown>, spec: readonly number[], inputCount: number): number[] {
  const shape = spec.slice();
  let stretch = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    const v = shape[i]!;
    if (v === -1) {
      ensure(node, stretch === -1, () => `new shape [${spec.join(',')}] has more than one -1`);
      stretch = i;
    } else {
      ensure(node, Number.isInteger(v) && v >= 0, () => `new shape [${spec.join(',')}] has an invalid dimension ${v}`);
      known *= v;
    }
  }
  if (stretch !== -1) {
    if (inputCount === 0 && known === 0) shape[stretch] = 0;
    else {
      ensure(node, known !== 0 && inputCount % known === 0,
        () => `cannot infer the -1 of [${spec.join(',')}] from ${inputCount} elements`);
      shape[stretch] = inputCount / known;
    }
    known *= shape[stretch]!;
  }
  ensure(node, known === inputCount, () => `new shape [${spec.join(',')}] has ${known} elements but the input has ${inputCount}`);
  return shape;
}

export const reshape: Kernel<ReshapeData, ReshapeOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const shapeInput = node.inputs[1] ?? null;
    const fromOptions = (): number[] | null => {
      const s = node.options?.newShape;
      if (!s) return null;
      return s.length === 1 && s[0] === 0 ? [] : s.slice();
    };
    let spec: number[];
    let requested: Int32Array | null = null;
    let shapeLanes = 1;
    if (shapeInput && shapeInput.rank === 1 && isIndexType(shapeInput.type)) {
      if (shapeInput.isConstant) spec = constantInts(node, shapeInput, 'shape input');
      else {
        const opt = fromOptions();
        ensure(node, opt !== null && opt.length === shapeInput.shape[0],
          () => `shape input (${shapeInput.describe()}) is not constant and the options carry no matching new_shape; `
            + 'a shape computed at run time is not supported (no dynamic shapes)');
        spec = opt;
        requested = Int32Array.from(opt);
        shapeLanes = lanesPerElement(shapeInput.type);
      }
    } else {
      const opt = fromOptions();
      ensure(node, opt !== null, () => 'no new shape: neither a shape input vector nor new_shape in the options');
      spec = opt;
    }
    out.shape = resolveShape(node, spec, x.size);
    return { requested, resolved: Int32Array.from(out.shape), shapeView: new LaneView(), shapeLanes };
  },
  eval(node, d) {
    if (d.requested) {
      const s = d.shapeView.of(node.inputs[1]!.data);
      for (let i = 0; i < d.resolved.length; i++) {
        const v = s[i * d.shapeLanes]!;
        if (v !== d.resolved[i] && v !== d.requested[i]) {
          throw new InterpreterError(`node ${node.index} RESHAPE: the shape input changed at run time (dimension ${i} is ${v}, prepared for ${d.resolved[i]}); dynamic shapes are not supported`);
        }
      }
    }
    copyData(node.inputs[0]!.data, node.outputs[0]!.data);
  },
};
