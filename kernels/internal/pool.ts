/**
 * Shared loops of AVERAGE_POOL_2D and MAX_POOL_2D (float32), mirroring tflite::reference_ops::AveragePool and
 * MaxPool (reference/pooling.h): the window of output (oy, ox) starts at (oy*strideH - padTop, ox*strideW - padLeft),
 * is clipped to the input, and padded cells take no part: the average divides by the number of in-bounds cells,
 * the maximum starts from the lowest float. The fused activation clamps the result.
 */
import type { Pool2DOptions } from '../../schema/builtin_options.js';
import { TensorType } from '../../schema/enums.js';
import { ensure, input, type KernelNode } from '../kernel.js';
import { floatActivationRange } from './activation.js';
import { prepareWindow, type ConvGeometry } from './conv_geometry.js';

export interface PoolData {
  geo: ConvGeometry;
  /** Fused activation clamp [min, max] (a Float64Array: no double is boxed in eval). */
  range: Float64Array;
}

/** Validates a float32 2-D pool node, sets the output shape and returns the geometry and clamp range. */
export function preparePoolFloat(node: KernelNode<Pool2DOptions>): PoolData {
  const o = node.options;
  const x = input(node, 0);
  ensure(node, !!o && o.kind === 'Pool2DOptions', () => 'missing Pool2DOptions');
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  ensure(node, x.rank === 4, () => `input must have rank 4 (NHWC), got [${x.shape.join(',')}]`);
  ensure(node, node.outputs[0]!.type === TensorType.FLOAT32, () => 'output type must be FLOAT32');
  ensure(node, o.filterHeight >= 1 && o.filterWidth >= 1, () =>
    `filter size must be >= 1, got ${o.filterHeight}x${o.filterWidth}`);
  const range = floatActivationRange(o.fusedActivationFunction);
  ensure(node, range !== null, () => `fused activation ${o.fusedActivationFunction} is not supported`);
  const geo = prepareWindow(node, {
    inputShape: x.shape, filterH: o.filterHeight, filterW: o.filterWidth, outC: x.shape[3]!,
    strideH: o.strideH, strideW: o.strideW, padding: o.padding,
  });
  return { geo, range: Float64Array.of(range.min, range.max) };
}

/** Average (isMax false) or maximum (isMax true) over each clipped window, channels innermost; one call per output row. */
export function poolFloat(x: Float32Array, y: Float32Array, d: PoolData, isMax: boolean): void {
  const g = d.geo;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outH; oy++) poolFloatRow(x, y, d, isMax, b, oy);
  }
}

/** Output row `oy` of image `b`. */
function poolFloatRow(x: Float32Array, y: Float32Array, d: PoolData, isMax: boolean, b: number, oy: number): void {
  const { inH, inW, inC: C, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = d.geo;
  const lo = d.range[0]!, hi = d.range[1]!;
  const init = isMax ? -3.4028234663852886e38 : 0;
  const xb = b * inH * inW * C;
  let o = ((b * outH + oy) * outW) * C;
  const iy0 = oy * strideH - padTop;
  const ky0 = Math.max(0, -iy0), ky1 = Math.min(filterH, inH - iy0);
  for (let ox = 0; ox < outW; ox++, o += C) {
    const ix0 = ox * strideW - padLeft;
    const kx0 = Math.max(0, -ix0), kx1 = Math.min(filterW, inW - ix0);
    for (let c = 0; c < C; c++) y[o + c] = init;
    for (let ky = ky0; ky < ky1; ky++) {
      let i = xb + ((iy0 + ky) * inW + ix0 + kx0) * C;
      for (let kx = kx0; kx < kx1; kx++, i += C) {
        if (isMax) {
          for (let c = 0; c < C; c++) {
            const v = x[i + c]!;
            if (v > y[o + c]!) y[o + c] = v;
          }
        } else {
          for (let c = 0; c < C; c++) y[o + c] += x[i + c]!;
        }
      }
    }
    const count = (ky1 - ky0) * (kx1 - kx0);
    for (let c = 0; c < C; c++) {
      const v = isMax ? y[o + c]! : y[o + c]! / count;
      y[o + c] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}
