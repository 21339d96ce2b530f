/**
 * DEPTH_TO_SPACE of 4-byte tensors (float32, int32) on `f32_copy_2d` (copy.ts):
 * out[b, h*bs + dh, w*bs + dw, c] = in[b, h, w, (dh*bs + dw)*C' + c]. For fixed (b, h, dh) and w the bs output
 * pixels w*bs .. w*bs+bs-1 are one run of bs*C' words in both tensors, so each (b, h, dh) is one call copying W
 * runs. The typed-array kernel validates and sets the shape first.
 */
import type { DepthToSpaceOptions } from '../../../schema/builtin_options.js';
import type { Kernel } from '../../kernel.js';
import { bytesPerElement } from '../../tensor.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';

export interface DepthToSpacePlan {
  copy: KernelExport;
  /** Calls: B * H * bs. */
  rows: number;
  bs: number;
  /** Runs per call (W), words per run (bs * C'), and the byte strides between runs in the input and the output. */
  runs: number;
  words: number;
  srcRun: number;
  dstRun: number;
  /** Bytes between consecutive input rows (h) and between consecutive dh within an input pixel. */
  srcRow: number;
  srcDh: number;
  /** Bytes between consecutive output rows. */
  dstRow: number;
}

export function depthToSpaceSimd<D>(js: Kernel<D, DepthToSpaceOptions | null>): SimdKernel<DepthToSpacePlan, DepthToSpaceOptions | null> {
  return {
    prepare(node, rt) {
      js.prepare(node);
      const x = node.inputs[0]!;
      if (bytesPerElement(x.type) !== 4) return null;
      const [B, H, W, C] = x.shape as [number, number, number, number];
      const bs = node.options!.blockSize, co = C / (bs * bs);
      return {
        copy: rt.fn('f32_copy_2d'), rows: B * H * bs, bs, runs: W, words: bs * co, srcRun: C * 4, dstRun: bs * co * 4,
        srcRow: W * C * 4, srcDh: bs * co * 4, dstRow: W * bs * co * 4,
      };
    },
    eval(node, d) {
      const src = node.inputs[0]!.data.byteOffset, dst = node.outputs[0]!.data.byteOffset;
      // Output rows in order: row r = (b*H + h)*bs + dh reads input row (b*H + h) at channel block dh.
      for (let r = 0; r < d.rows; r++) {
        const inRow = Math.floor(r / d.bs), dh = r - inRow * d.bs;
        d.copy(src + inRow * d.srcRow + dh * d.srcDh, dst + r * d.dstRow, d.words, d.runs, d.srcRun, d.dstRun);
      }
    },
  };
}
