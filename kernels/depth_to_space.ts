/**
 * DEPTH_TO_SPACE: any element type, NHWC; out[b, h*bs+dh, w*bs+dw, c] = in[b, h, w, (dh*bs+dw)*C' + c]
 * with C' = C / bs² (mirrors reference_ops::DepthToSpace). One strided copy.
 */
import type { DepthToSpaceOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, stridesOf } from './internal/data_movement.js';
import type { CopyData } from './transpose.js';
import { evalCopy } from './transpose.js';

export const depthToSpace: Kernel<CopyData, DepthToSpaceOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    ensure(node, x.rank === 4, () => `input must be 4-D NHWC, got rank ${x.rank}`);
    const bs = node.options?.blockSize ?? 0;
    ensure(node, Number.isInteger(bs) && bs >= 1, () => `block_size ${bs} must be a positive integer`);
    const [B, H, W, C] = x.shape as [number, number, number, number];
    ensure(node, C % (bs * bs) === 0, () => `depth ${C} is not divisible by block_size² = ${bs * bs}`);
    const Co = C / (bs * bs);
    out.shape = [B, H * bs, W * bs, Co];
    // Output walked as [B, H, dh, W, dw, C'].
    const view = [B, H, bs, W, bs, Co];
    const src = [H * W * C, W * C, bs * Co, C, Co, 1];
    return { plan: planCopy(view, src, stridesOf(view), lanesPerElement(x.type)), srcBase: 0, src: new LaneView(), dst: new LaneView() };
  },
  eval: evalCopy,
};
