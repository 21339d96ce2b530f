/**
 * MEAN of uint8/int8 over the two spatial axes of an NHWC tensor in 'tflite-cpu' mode (XNNPACK's global average
 * pooling) on `q{u8,s8}_gavg_fp32`. The typed-array kernel's prepare (kernels/quantized/mean.ts) validates and
 * computes the float32 scale and the zero-point correction; other reductions and the reference arithmetic stay
 * on it.
 */
import { meanQuantized } from '../../quantized/mean.js';
import type { ReducerOptions } from '../../../schema/builtin_options.js';
import { TensorType } from '../../../schema/enums.js';
import type { KernelNode } from '../../kernel.js';
import type { QRuntime, QSimdKernel } from './conv.js';
import { gavgName } from './elementwise.js';
import { writeRequantBlock } from './requant.js';

type Export = (...args: number[]) => number;

export interface QMeanPlan {
  fn: Export;
  batch: number;
  pixels: number;
  c: number;
  init: number;
  pp: number;
  zp: number;
  lo: number;
  hi: number;
}

export const meanQuantizedSimd: QSimdKernel<QMeanPlan, ReducerOptions> = {
  prepare(node: KernelNode<ReducerOptions>, rt: QRuntime) {
    const d = meanQuantized.prepare(node);
    const x = node.inputs[0]!;
    if (d.fp32Scale <= 0 || x.isConstant) return null; // not the spatial 'tflite-cpu' case
    const [batch, h, w, c] = x.shape as [number, number, number, number];
    const pp = rt.alloc(32);
    writeRequantBlock(new DataView(rt.memory.buffer, pp, 32), 0, { mode: 'fp32', scales: new Float32Array(8).fill(d.fp32Scale) }, 0, 8);
    // `| 0`: small-integer fields (a double field would box a new number at every kernel call).
    return {
      fn: rt.fn(gavgName(x.type === TensorType.UINT8 ? 'u8' : 's8')), batch: batch | 0, pixels: (h * w) | 0, c: c | 0,
      init: -d.correction | 0, pp, zp: d.outZeroPoint | 0, lo: d.min | 0, hi: d.max | 0,
    };
  },
  eval(node, d) {
    const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
    for (let b = 0; b < d.batch; b++) {
      d.fn(d.pixels, d.c, x + b * d.pixels * d.c, y + b * d.c, d.init, d.pp, d.zp, d.lo, d.hi);
    }
  },
};
