/**
 * CONCATENATION of 4-byte tensors (FLOAT32, INT32) on `f32_copy_2d` (copy.ts), as a variant of the typed-array
 * kernel, whose prepare validates, sets the output shape and plans one two-level copy per input (runs of the
 * input's block along the axis, one per outer index). Constant inputs are copied into wasm memory at prepare;
 * a fused activation clamps the output afterwards (`f32_vclamp`).
 */
import type { ConcatenationOptions } from '../../../schema/builtin_options.js';
import type { ConcatData } from '../../concatenation.js';
import type { Kernel } from '../../kernel.js';
import { bytesPerElement } from '../../tensor.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { unaryKernelName } from './elementwise.js';
import { f32Pair } from './params.js';

export interface ConcatPlan {
  copy: KernelExport;
  /** Per input: its copy in wasm memory (or -1), and the copy's arguments (bytes for offsets and strides). */
  srcConst: Int32Array;
  dstBase: Int32Array;
  n: Int32Array;
  outer: Int32Array;
  srcStride: Int32Array;
  dstStride: Int32Array;
  /** f32_vclamp and its bounds when the op has a fused activation, else null. */
  clampFn: KernelExport | null;
  clamp: number;
  size: number;
}

export function concatenationSimd(js: Kernel<ConcatData, ConcatenationOptions | null>): SimdKernel<ConcatPlan, ConcatenationOptions | null> {
  return {
    prepare(node, rt) {
      const jd = js.prepare(node);
      if (bytesPerElement(node.outputs[0]!.type) !== 4 || jd.plans.some((p) => p.rank > 2)) return null;
      const k = jd.plans.length;
      const d: ConcatPlan = {
        copy: rt.fn('f32_copy_2d'), srcConst: new Int32Array(k), dstBase: new Int32Array(k), n: new Int32Array(k),
        outer: new Int32Array(k), srcStride: new Int32Array(k), dstStride: new Int32Array(k),
        clampFn: jd.clamp ? rt.fn(unaryKernelName('clamp')) : null, clamp: f32Pair(rt, jd.range[0]!, jd.range[1]!),
        size: node.outputs[0]!.size,
      };
      jd.plans.forEach((p, i) => {
        const t = node.inputs[i]!;
        d.srcConst[i] = t.isConstant ? rt.put(t.data) : -1;
        d.dstBase[i] = jd.dstBases[i]! * 4;
        // Contiguous innermost level: runs of count[r] words, outer level 0 (if any). A single strided level
        // (a block of one element per outer index): runs of one word. Anything else stays with the typed arrays.
        const r = p.rank - 1, contiguous = p.srcStride[r] === 1 && p.dstStride[r] === 1;
        const level = contiguous ? r - 1 : r;
        d.n[i] = contiguous ? p.count[r]! : 1;
        d.outer[i] = p.count[r] === 0 ? 0 : level === 0 ? p.count[0]! : level < 0 ? 1 : -1;
        d.srcStride[i] = level === 0 ? p.srcStride[0]! * 4 : 0;
        d.dstStride[i] = level === 0 ? p.dstStride[0]! * 4 : 0;
      });
      // Any other layout stays with the typed-array kernel.
      return d.outer.some((o) => o < 0) ? null : d;
    },
    eval(node, d) {
      const y = node.outputs[0]!.data.byteOffset;
      for (let i = 0; i < d.n.length; i++) {
        const src = d.srcConst[i]! >= 0 ? d.srcConst[i]! : node.inputs[i]!.data.byteOffset;
        d.copy(src, y + d.dstBase[i]!, d.n[i]!, d.outer[i]!, d.srcStride[i]!, d.dstStride[i]!);
      }
      if (d.clampFn !== null) d.clampFn(y, y, d.size, d.clamp);
    },
  };
}
