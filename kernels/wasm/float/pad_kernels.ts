/**
 * PAD of 4-byte tensors (FLOAT32, INT32) on the copy kernels of copy.ts, as a variant of the typed-array kernel
 * (whose prepare validates, sets the output shape and plans the copy): the output is zero-filled, then the input
 * copied into its interior, the two innermost levels of the plan per kernel call.
 */
import { bytesPerElement } from '../../tensor.js';
import type { PadData } from '../../pad.js';
import type { Kernel } from '../../kernel.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';

export interface PadPlan {
  fill: KernelExport;
  copy: KernelExport;
  outWords: number;
  dstBaseBytes: number;
  /** Levels looped here (outermost first; strides in bytes) and their odometer. */
  count: Int32Array;
  srcStride: Int32Array;
  dstStride: Int32Array;
  idx: Int32Array;
  /** Runs per kernel call: `outer` runs of n words. */
  n: number;
  outer: number;
  srcOuter: number;
  dstOuter: number;
}

export function padSimd(js: Kernel<PadData>): SimdKernel<PadPlan> {
  return {
    prepare(node, rt) {
      const jd = js.prepare(node);
      if (bytesPerElement(node.inputs[0]!.type) !== 4) return null;
      const p = jd.plan, r = p.rank;
      // Innermost contiguous in both: runs of count[r-1] words, outer level r-2; else single words, outer r-1.
      const contiguous = p.srcStride[r - 1] === 1 && p.dstStride[r - 1] === 1;
      const inner = contiguous ? r - 2 : r - 1;
      const outerAt = (a: Int32Array, fallback: number) => (inner >= 0 ? a[inner]! : fallback);
      const loops = Math.max(inner, 0);
      return {
        fill: rt.fn('f32_fill'), copy: rt.fn('f32_copy_2d'), outWords: node.outputs[0]!.size, dstBaseBytes: jd.dstBase * 4,
        count: p.count.slice(0, loops), srcStride: p.srcStride.slice(0, loops).map((s) => s * 4),
        dstStride: p.dstStride.slice(0, loops).map((s) => s * 4), idx: new Int32Array(loops),
        n: contiguous ? p.count[r - 1]! : 1, outer: p.outer === 0 ? 0 : outerAt(p.count, 1),
        srcOuter: outerAt(p.srcStride, 0) * 4, dstOuter: outerAt(p.dstStride, 0) * 4,
      };
    },
    eval(node, d) {
      const y = node.outputs[0]!.data.byteOffset;
      d.fill(y, d.outWords, 0);
      if (d.outer === 0) return;
      let s = node.inputs[0]!.data.byteOffset, o = y + d.dstBaseBytes;
      const count = d.count, ss = d.srcStride, ds = d.dstStride, idx = d.idx, levels = count.length;
      idx.fill(0);
      for (;;) {
        d.copy(s, o, d.n, d.outer, d.srcOuter, d.dstOuter);
        // Odometer over the outer levels.
        let j = levels - 1;
        for (; j >= 0; j--) {
          s += ss[j]!; o += ds[j]!;
          if (++idx[j]! < count[j]!) break;
          s -= ss[j]! * count[j]!; o -= ds[j]! * count[j]!;
          idx[j] = 0;
        }
        if (j < 0) return;
      }
    },
  };
}
