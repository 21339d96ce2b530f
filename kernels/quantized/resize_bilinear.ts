/**
 * RESIZE_BILINEAR for uint8 and int8, NHWC, constant size input; align_corners / half_pixel_centers (not both).
 * Like TFLite's resize_bilinear.cc reference kernels, the values stay in the input's quantized domain (no
 * requantization) and the two types use different arithmetic:
 * - uint8: reference_ops::ResizeBilinear<uint8_t>, float32 arithmetic step by step,
 *     v = x00*(1-dy)*(1-dx) + x10*dy*(1-dx) + x01*(1-dy)*dx + x11*dy*dx (left to right), out = (uint8) v (truncated);
 *   the source coordinates and dy/dx come from the float kernel's bilinearTable (ComputeInterpolationValues).
 * - int8: reference_ops::ResizeBilinearInteger, Q10 fixed point: scale_10 = round(2^10 * in / out) (or the
 *   align_corners ratio), y = o * scale_10 (+ scale_10 / 2 - 2^9 with half-pixel centers), y0 = max(y / 2^10, 0),
 *   y1 = min(ceil, in - 1); the four 2^20-scaled products are summed in 64 bits and divided by 2^20, rounding half
 *   away from zero.
 * 'tflite-cpu' mode (both types): XNNPACK's Q11 interpolation (internal/xnnpack.ts xnnResizeAxis, xnnBilinear).
 */
import type { ResizeBilinearOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { prepareResize } from '../internal/resize.js';
import { bilinearTable } from '../resize_bilinear.js';
import { quantizedType, sameType } from './internal/params.js';
import { xnnResizeAxis, type XnnResizeAxis } from './internal/xnnpack.js';

/** Per output coordinate: source indices (lo, hi) and the weights of lo and hi. */
interface Axis {
  lo: Int32Array;
  hi: Int32Array;
  /** uint8: float32 (1 - d); int8: 2^10 - (scaled - 2^10 * lo). */
  wLo: Float64Array;
  /** uint8: float32 d; int8: scaled - 2^10 * lo. */
  wHi: Float64Array;
}

function floatAxis(inSize: number, outSize: number, align: boolean, half: boolean): Axis {
  const t = bilinearTable(inSize, outSize, align, half);
  const wLo = new Float64Array(outSize), wHi = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    wHi[i] = t.w[i]!;
    wLo[i] = Math.fround(1 - t.w[i]!);
  }
  return { lo: t.lo, hi: t.hi, wLo, wHi };
}

/** ComputeInterpolationValues (int32 overload) with the scale_10 of ResizeBilinearInteger; C++ division truncates. */
export function integerAxis(inSize: number, outSize: number, align: boolean, half: boolean): Axis {
  const scale10 = align && outSize > 1
    ? Math.trunc((1024 * (inSize - 1) + Math.trunc((outSize - 1) / 2)) / (outSize - 1))
    : Math.trunc((1024 * inSize + Math.trunc(outSize / 2)) / outSize);
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize);
  const wLo = new Float64Array(outSize), wHi = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const scaled = half ? i * scale10 + Math.trunc(scale10 / 2) - 512 : i * scale10;
    const l = Math.max(Math.trunc(scaled / 1024), 0);
    lo[i] = l;
    hi[i] = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
    wHi[i] = scaled - 1024 * l;
    wLo[i] = 1024 - wHi[i]!;
  }
  return { lo, hi, wLo, wHi };
}

interface ResizeData {
  batch: number; inH: number; inW: number; channels: number;
  isUint8: boolean;
  ys: Axis;
  xs: Axis;
  /** 'tflite-cpu': XNNPACK's axes; null in reference mode. */
  xnn: { ys: XnnResizeAxis; xs: XnnResizeAxis } | null;
}

/** RESIZE_BILINEAR, uint8/int8. */
export const resizeBilinearQuantized: Kernel<ResizeData, ResizeBilinearOptions | null> = {
  prepare(node: KernelNode<ResizeBilinearOptions | null>): ResizeData {
    const x = input(node, 0), out = node.outputs[0]!;
    const type = quantizedType(node, x, 'input');
    sameType(node, x, out, 'output');
    const align = node.options?.alignCorners ?? false, half = node.options?.halfPixelCenters ?? false;
    ensure(node, !(align && half), () => 'align_corners and half_pixel_centers cannot both be true');
    const g = prepareResize(node, x, out);
    const isUint8 = type === TensorType.UINT8;
    const axis = isUint8 ? floatAxis : integerAxis;
    const xnn = node.context.quantizedArithmetic === 'tflite-cpu'
      ? { ys: xnnResizeAxis(g.inH, g.outH, align, half), xs: xnnResizeAxis(g.inW, g.outW, align, half) } : null;
    return {
      xnn,
      batch: g.batch, inH: g.inH, inW: g.inW, channels: g.channels, isUint8,
      ys: axis(g.inH, g.outH, align, half), xs: axis(g.inW, g.outW, align, half),
    };
  },
  eval(node: KernelNode<ResizeBilinearOptions | null>, d: ResizeData): void {
    const src = node.inputs[0]!.data as Uint8Array | Int8Array, dst = node.outputs[0]!.data as Uint8Array | Int8Array;
    if (d.xnn) evalXnn(d, d.xnn.ys, d.xnn.xs, src, dst);
    else if (d.isUint8) evalUint8(d, src as Uint8Array, dst as Uint8Array);
    else evalInt8(d, src as Int8Array, dst as Int8Array);
  },
};

function evalUint8(d: ResizeData, src: Uint8Array, dst: Uint8Array): void {
  const C = d.channels, rowLen = d.inW * C, ys = d.ys, xs = d.xs, f = Math.fround;
  const outH = ys.lo.length, outW = xs.lo.length;
  let o = 0;
  for (let b = 0; b < d.batch; b++) {
    const bBase = b * d.inH * rowLen;
    for (let y = 0; y < outH; y++) {
      const r0 = bBase + ys.lo[y]! * rowLen, r1 = bBase + ys.hi[y]! * rowLen;
      const ey = ys.wLo[y]!, dy = ys.wHi[y]!;
      for (let x = 0; x < outW; x++) {
        const c0 = xs.lo[x]! * C, c1 = xs.hi[x]! * C;
        const ex = xs.wLo[x]!, dx = xs.wHi[x]!;
        for (let c = 0; c < C; c++) {
          const t00 = f(f(src[r0 + c0 + c]! * ey) * ex);
          const t10 = f(f(src[r1 + c0 + c]! * dy) * ex);
          const t01 = f(f(src[r0 + c1 + c]! * ey) * dx);
          const t11 = f(f(src[r1 + c1 + c]! * dy) * dx);
          const v = Math.trunc(f(f(f(t00 + t10) + t01) + t11));
          dst[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
        o += C;
      }
    }
  }
}

function evalInt8(d: ResizeData, src: Int8Array, dst: Int8Array): void {
  const C = d.channels, rowLen = d.inW * C, ys = d.ys, xs = d.xs;
  const outH = ys.lo.length, outW = xs.lo.length;
  let o = 0;
  for (let b = 0; b < d.batch; b++) {
    const bBase = b * d.inH * rowLen;
    for (let y = 0; y < outH; y++) {
      const r0 = bBase + ys.lo[y]! * rowLen, r1 = bBase + ys.hi[y]! * rowLen;
      const wy0 = ys.wLo[y]!, wy1 = ys.wHi[y]!;
      for (let x = 0; x < outW; x++) {
        const c0 = xs.lo[x]! * C, c1 = xs.hi[x]! * C;
        const wx0 = xs.wLo[x]!, wx1 = xs.wHi[x]!;
        for (let c = 0; c < C; c++) {
          // Every product is below 2^31 in magnitude and the sum below 2^33: exact in doubles.
          const s = src[r0 + c0 + c]! * wy0 * wx0 + src[r1 + c0 + c]! * wy1 * wx0
            + src[r0 + c1 + c]! * wy0 * wx1 + src[r1 + c1 + c]! * wy1 * wx1;
          const v = Math.trunc((s + (s > 0 ? 524288 : -524288)) / 1048576);
          dst[o + c] = v; // an int8 store wraps like static_cast<int8_t>
        }
        o += C;
      }
    }
  }
}

/** XNNPACK's interpolation (internal/xnnpack.ts xnnBilinear, written out inline). */
function evalXnn(d: ResizeData, ys: XnnResizeAxis, xs: XnnResizeAxis, src: Uint8Array | Int8Array, dst: Uint8Array | Int8Array): void {
  const C = d.channels, rowLen = d.inW * C;
  const outH = ys.lo.length, outW = xs.lo.length;
  let o = 0;
  for (let b = 0; b < d.batch; b++) {
    const bBase = b * d.inH * rowLen;
    for (let y = 0; y < outH; y++) {
      const r0 = bBase + ys.lo[y]! * rowLen, r1 = bBase + ys.hi[y]! * rowLen, av = ys.alpha[y]!;
      for (let x = 0; x < outW; x++) {
        const c0 = xs.lo[x]! * C, c1 = xs.hi[x]! * C, ah = xs.alpha[x]!, al = 2048 - ah;
        for (let c = 0; c < C; c++) {
          const top = src[r0 + c0 + c]! * al + src[r0 + c1 + c]! * ah;
          const bottom = src[r1 + c0 + c]! * al + src[r1 + c1 + c]! * ah;
          dst[o + c] = Math.floor((top * 2048 + (bottom - top) * av + 2097152) / 4194304);
        }
        o += C;
      }
    }
  }
}
