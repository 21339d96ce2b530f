/**
 * RESIZE_NEAREST_NEIGHBOR: any element type, NHWC, constant size; align_corners rounds
 * (half away from zero), otherwise floors; half_pixel_centers adds 0.5 before scaling and clamps at 0
 * (mirrors reference_ops::ResizeNearestNeighbor / GetNearestNeighbor, float32 arithmetic).
 * The source row/column of every output row/column is computed at prepare.
 */
import type { ResizeNearestNeighborOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { input } from './kernel.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement } from './internal/data_movement.js';
import { prepareResize, resizeScale } from './internal/resize.js';

/** GetNearestNeighbor for every output coordinate. */
export function nearestMap(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): Int32Array {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const offset = halfPixel ? 0.5 : 0;
  const map = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const v = Math.fround((i + offset) * scale);
    // std::round on a non-negative value equals Math.round; negatives cannot occur here.
    let s = alignCorners ? Math.round(v) : Math.floor(v);
    s = Math.min(s, inSize - 1);
    if (halfPixel) s = Math.max(0, s);
    map[i] = s;
  }
  return map;
}

interface NearestData {
  ys: Int32Array; xs: Int32Array; batch: number; inH: number; inW: number;
  /** Lanes per pixel (channels × lanes per element). */
  pixel: number;
  src: LaneView; dst: LaneView;
}

export const resizeNearestNeighbor: Kernel<NearestData, ResizeNearestNeighborOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const g = prepareResize(node, x, out);
    const align = node.options?.alignCorners ?? false, half = node.options?.halfPixelCenters ?? false;
    return {
      ys: nearestMap(g.inH, g.outH, align, half), xs: nearestMap(g.inW, g.outW, align, half),
      batch: g.batch, inH: g.inH, inW: g.inW, pixel: g.channels * lanesPerElement(x.type),
      src: new LaneView(), dst: new LaneView(),
    };
  },
  eval(node, d) {
    const src = d.src.of(node.inputs[0]!.data), dst = d.dst.of(node.outputs[0]!.data);
    const { ys, xs, pixel } = d;
    let o = 0;
    for (let b = 0; b < d.batch; b++) {
      const bBase = b * d.inH * d.inW;
      for (let y = 0; y < ys.length; y++) {
        const rowBase = bBase + ys[y]! * d.inW;
        for (let x = 0; x < xs.length; x++) {
          const s = (rowBase + xs[x]!) * pixel;
          for (let c = 0; c < pixel; c++) dst[o + c] = src[s + c]!;
          o += pixel;
        }
      }
    }
  },
};
