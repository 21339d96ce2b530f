/**
 * Float32 AVERAGE_POOL_2D, MAX_POOL_2D and MEAN (over H and W of NHWC) on the SIMD kernels of pool.ts, as
 * variants of the typed-array kernels, whose prepare validates and sets the output shape.
 */
import type { Pool2DOptions, ReducerOptions } from '../../../schema/builtin_options.js';
import { TensorType } from '../../../schema/enums.js';
import { constantInts } from '../../internal/constant_values.js';
import type { PoolData } from '../../internal/pool.js';
import type { ReduceData } from '../../internal/reduce.js';
import type { Kernel } from '../../kernel.js';
import type { KernelExport } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { f32Pair } from './params.js';

export interface PoolPlan {
  fn: KernelExport;
  /** [batch, inH, inW, C, outH, outW, fH, fW, sH, sW, padT, padL]. */
  g: Int32Array;
  inBatchBytes: number;
  outBatchBytes: number;
  /** Clamp bounds (two f32) in wasm memory. */
  clamp: number;
}

/** The SIMD variant of AVERAGE_POOL_2D (isMax false) or MAX_POOL_2D. */
export function poolSimd(isMax: boolean, js: Kernel<PoolData, Pool2DOptions>): SimdKernel<PoolPlan, Pool2DOptions> {
  return {
    prepare(node, rt) {
      const { geo: g, range } = js.prepare(node);
      return {
        fn: rt.fn(isMax ? 'f32_maxpool' : 'f32_avgpool'),
        g: Int32Array.of(g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.filterH, g.filterW, g.strideH, g.strideW, g.padTop, g.padLeft),
        inBatchBytes: g.inH * g.inW * g.inC * 4, outBatchBytes: g.outH * g.outW * g.inC * 4,
        clamp: f32Pair(rt, range[0]!, range[1]!),
      };
    },
    eval(node, d) {
      const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset, g = d.g;
      for (let b = 0; b < g[0]!; b++) {
        d.fn(x + b * d.inBatchBytes, y + b * d.outBatchBytes, g[1]!, g[2]!, g[3]!, g[4]!, g[5]!, g[6]!, g[7]!, g[8]!,
          g[9]!, g[10]!, g[11]!, d.clamp);
      }
    },
  };
}

export interface MeanPlan {
  fn: KernelExport;
  batch: number;
  pixels: number;
  C: number;
}

/** The SIMD variant of MEAN for FLOAT32 NHWC input reduced over exactly axes 1 and 2 (any keep_dims). */
export function meanSimd(js: Kernel<ReduceData, ReducerOptions | null>): SimdKernel<MeanPlan, ReducerOptions | null> {
  return {
    prepare(node, rt) {
      js.prepare(node);
      const x = node.inputs[0]!;
      if (x.type !== TensorType.FLOAT32 || x.rank !== 4) return null;
      const axes = new Set(constantInts(node, node.inputs[1]!, 'axes input').map((a) => (a < 0 ? a + 4 : a)));
      if (axes.size !== 2 || !axes.has(1) || !axes.has(2)) return null;
      const [batch, H, W, C] = x.shape as [number, number, number, number];
      return { fn: rt.fn('f32_mean_pixels'), batch, pixels: H * W, C };
    },
    eval(node, d) {
      const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
      const inBytes = d.pixels * d.C * 4;
      for (let b = 0; b < d.batch; b++) d.fn(x + b * inBytes, y + b * d.C * 4, d.pixels, d.C, d.pixels);
    },
  };
}
