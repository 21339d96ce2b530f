/**
 * Float32 RESIZE_BILINEAR on the SIMD kernel of resize.ts, as a variant of the typed-array kernel (whose prepare
 * validates, sets the output shape and builds the row and column tables, copied here into wasm memory).
 */
import type { ResizeBilinearOptions } from '../../../schema/builtin_options.js';
import type { BilinearData } from '../../resize_bilinear.js';
import type { Kernel } from '../../kernel.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { IBILINEAR_ENTRY, writeBilinearTable } from './resize.js';

export interface BilinearPlan {
  fn: KernelExport;
  batch: number;
  C: number;
  outH: number;
  outW: number;
  ytab: number;
  xtab: number;
  inBatchBytes: number;
  outBatchBytes: number;
}

export function resizeBilinearSimd(js: Kernel<BilinearData, ResizeBilinearOptions | null>): SimdKernel<BilinearPlan, ResizeBilinearOptions | null> {
  return {
    prepare(node, rt) {
      const jd = js.prepare(node);
      const C = jd.channels, outH = jd.ys.lo.length, outW = jd.xs.lo.length;
      const ytab = rt.alloc(outH * IBILINEAR_ENTRY), xtab = rt.alloc(outW * IBILINEAR_ENTRY);
      writeBilinearTable(new DataView(rt.memory.buffer, ytab, outH * IBILINEAR_ENTRY), jd.ys, jd.inW * C * 4);
      writeBilinearTable(new DataView(rt.memory.buffer, xtab, outW * IBILINEAR_ENTRY), jd.xs, C * 4);
      return {
        fn: rt.fn('f32_ibilinear'), batch: jd.batch, C, outH, outW, ytab, xtab,
        inBatchBytes: jd.inH * jd.inW * C * 4, outBatchBytes: outH * outW * C * 4,
      };
    },
    eval(node, d) {
      const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
      for (let b = 0; b < d.batch; b++) {
        d.fn(x + b * d.inBatchBytes, y + b * d.outBatchBytes, d.C, d.outH, d.outW, d.ytab, d.xtab);
      }
    },
  };
}
