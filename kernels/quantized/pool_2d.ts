/**
 * AVERAGE_POOL_2D and MAX_POOL_2D for uint8 / int8 (pooling.cc; reference_ops::AveragePool / MaxPool for uint8,
 * reference_integer_ops::AveragePool / MaxPool for int8). Input and output share scale and zero point.
 * The window is clipped to the image (padding is never counted). Average rounding differs by type:
 *   uint8: (sum + n/2) / n;   int8: round half away from zero, (sum ± n/2) / n truncated.
 * Then the fused activation clamp. MAX starts from the type minimum.
 */
import type { Pool2DOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { prepareWindow, type ConvGeometry } from '../internal/conv_geometry.js';
import { fusedActivationRange, perTensorQuant, quantizedType, rankIs, sameType } from './internal/params.js';

interface PoolData {
  g: ConvGeometry;
  uint8: boolean;
  actMin: number;
  actMax: number;
}

function preparePool(node: KernelNode<Pool2DOptions>): PoolData {
  const x = input(node, 0), out = node.outputs[0]!;
  const opt = node.options;
  ensure(node, !!opt, () => 'missing Pool2DOptions');
  const type = quantizedType(node, x, 'input');
  sameType(node, x, out, 'output');
  rankIs(node, x, 4, 'input');
  const xq = perTensorQuant(node, x, 'input'), oq = perTensorQuant(node, out, 'output');
  ensure(node, Math.abs(xq.scale - oq.scale) <= 1e-6 && xq.zeroPoint === oq.zeroPoint,
    () => `input and output quantization must match (scale ${xq.scale} vs ${oq.scale}, zero point ${xq.zeroPoint} vs ${oq.zeroPoint})`);
  const g = prepareWindow(node, {
    inputShape: x.shape, filterH: opt.filterHeight, filterW: opt.filterWidth, outC: x.shape[3]!,
    strideH: opt.strideH, strideW: opt.strideW, padding: opt.padding,
  });
  const act = fusedActivationRange(node, opt.fusedActivationFunction, out, oq.scale, oq.zeroPoint);
  return { g, uint8: type === TensorType.UINT8, actMin: act.min, actMax: act.max };
}

function pool(node: KernelNode<Pool2DOptions>, d: PoolData, max: boolean): void {
  const x = node.inputs[0]!.data as Uint8Array | Int8Array;
  const out = node.outputs[0]!.data as Uint8Array | Int8Array;
  const g = d.g, C = g.inC;
  const lowest = d.uint8 ? 0 : -128;
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      const fy0 = Math.max(0, -y0), fy1 = Math.min(g.filterH, g.inH - y0);
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = ox * g.strideW - g.padLeft;
        const fx0 = Math.max(0, -x0), fx1 = Math.min(g.filterW, g.inW - x0);
        const count = (fy1 - fy0) * (fx1 - fx0);
        for (let c = 0; c < C; c++) {
          let acc = max ? lowest : 0;
          for (let fy = fy0; fy < fy1; fy++) {
            let p = ((b * g.inH + y0 + fy) * g.inW + x0 + fx0) * C + c;
            for (let fx = fx0; fx < fx1; fx++, p += C) {
              const v = x[p]!;
              if (max) { if (v > acc) acc = v; } else acc += v;
            }
          }
          if (!max) {
            const half = (count / 2) | 0;
            // C++ integer division truncates toward zero.
            acc = d.uint8 || acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
          }
          out[o++] = acc < d.actMin ? d.actMin : acc > d.actMax ? d.actMax : acc;
        }
      }
    }
  }
}

/** AVERAGE_POOL_2D, uint8/int8. */
export const averagePool2DQuantized: Kernel<PoolData, Pool2DOptions> = {
  prepare: preparePool,
  eval: (node, d) => pool(node, d, false),
};

/** MAX_POOL_2D, uint8/int8. */
export const maxPool2DQuantized: Kernel<PoolData, Pool2DOptions> = {
  prepare: preparePool,
  eval: (node, d) => pool(node, d, true),
};
