/**
 * RESIZE_BILINEAR: FLOAT32, NHWC, constant size; align_corners and half_pixel_centers (not both)
 * as reference_ops::ResizeBilinear: source coordinate = (o + 0.5) * scale - 0.5 with half-pixel centers,
 * else o * scale (float32 arithmetic); y0 = max(floor, 0), y1 = min(ceil, in - 1), and the lerp weights
 * use (coordinate - y0), so edge samples reproduce TFLite exactly. Row/column tables are built at prepare.
 */
import type { ResizeBilinearOptions } from '../schema/builtin_options.js';
import { TensorType } from '../schema/enums.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { prepareResize, resizeScale } from './internal/resize.js';

/** Lower/upper source index and lerp weight (coordinate - lower) of every output coordinate. */
export function bilinearTable(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): { lo: Int32Array; hi: Int32Array; w: Float64Array } {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize), w = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const v = halfPixel ? Math.fround(Math.fround((i + 0.5) * scale) - 0.5) : Math.fround(i * scale);
    const l = Math.max(Math.floor(v), 0);
    lo[i] = l;
    hi[i] = Math.min(Math.ceil(v), inSize - 1);
    w[i] = Math.fround(v - l);
  }
  return { lo, hi, w };
}

export interface BilinearData {
  batch: number; inH: number; inW: number; channels: number;
  ys: ReturnType<typeof bilinearTable>; xs: ReturnType<typeof bilinearTable>;
}

export const resizeBilinear: Kernel<BilinearData, ResizeBilinearOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not supported (FLOAT32)`);
    ensure(node, out.type === TensorType.FLOAT32, () => `output type ${TensorType[out.type]} must be FLOAT32`);
    const align = node.options?.alignCorners ?? false, half = node.options?.halfPixelCenters ?? false;
    ensure(node, !(align && half), () => 'align_corners and half_pixel_centers cannot both be true');
    const g = prepareResize(node, x, out);
    return {
      batch: g.batch, inH: g.inH, inW: g.inW, channels: g.channels,
      ys: bilinearTable(g.inH, g.outH, align, half), xs: bilinearTable(g.inW, g.outW, align, half),
    };
  },
  eval(node, d) {
    const src = node.inputs[0]!.data as Float32Array, dst = node.outputs[0]!.data as Float32Array;
    const outH = d.ys.lo.length;
    // One call per output row (see "Allocation-free eval" in internal/elementwise.ts).
    for (let b = 0; b < d.batch; b++) {
      for (let y = 0; y < outH; y++) bilinearRow(src, dst, d, b, y);
    }
  },
};

/** Output row `y` of image `b`. */
function bilinearRow(src: Float32Array, dst: Float32Array, d: BilinearData, b: number, y: number): void {
  const C = d.channels, rowLen = d.inW * C;
  const ys = d.ys, xs = d.xs;
  const outW = xs.lo.length;
  let o = (b * ys.lo.length + y) * outW * C;
  const bBase = b * d.inH * rowLen;
  const r0 = bBase + ys.lo[y]! * rowLen, r1 = bBase + ys.hi[y]! * rowLen;
  const dy = ys.w[y]!, ey = 1 - dy;
  for (let x = 0; x < outW; x++) {
    const c0 = xs.lo[x]! * C, c1 = xs.hi[x]! * C;
    const dx = xs.w[x]!, ex = 1 - dx;
    const w00 = ey * ex, w10 = dy * ex, w01 = ey * dx, w11 = dy * dx;
    const p00 = r0 + c0, p10 = r1 + c0, p01 = r0 + c1, p11 = r1 + c1;
    for (let c = 0; c < C; c++) {
      dst[o + c] = src[p00 + c]! * w00 + src[p10 + c]! * w10 + src[p01 + c]! * w01 + src[p11 + c]! * w11;
    }
    o += C;
  }
}
