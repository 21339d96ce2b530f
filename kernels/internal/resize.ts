/** Shared prepare steps of RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR (NHWC, constant size input). */
import { TensorType } from '../../schema/enums.js';
import type { Tensor } from '../tensor.js';
import type { KernelNode } from '../kernel.js';
import { ensure, input } from '../kernel.js';
import { constantInts } from './constant_values.js';

export interface ResizeGeometry { batch: number; inH: number; inW: number; channels: number; outH: number; outW: number }

/** Checks the 4-D input and the constant INT32 [2] size input (new_height, new_width); sets the output shape. */
export function prepareResize(node: KernelNode<unknown>, x: Tensor, out: Tensor): ResizeGeometry {
  ensure(node, x.rank === 4, () => `input must be 4-D NHWC, got rank ${x.rank}`);
  const sizeT = input(node, 1);
  ensure(node, sizeT.type === TensorType.INT32 && sizeT.size === 2, () => `size input must be INT32 [2], got ${sizeT.describe()}`);
  const [outH, outW] = constantInts(node, sizeT, 'size input') as [number, number];
  ensure(node, outH > 0 && outW > 0, () => `output size ${outH}x${outW} must be positive`);
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  out.shape = [batch, outH, outW, channels];
  return { batch, inH, inW, channels, outH, outW };
}

/**
 * TFLite's float scale: in/out, or (in-1)/(out-1) with align_corners when out > 1, computed in float32.
 */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? Math.fround((inSize - 1) / (outSize - 1)) : Math.fround(inSize / outSize);
}
