/**
 * SPACE_TO_DEPTH: any element type, NHWC; out[b, h, w, (dh*bs+dw)*C + c] = in[b, h*bs+dh, w*bs+dw, c]
 * (mirrors reference_ops::SpaceToDepth). One strided copy.
 */
import type { SpaceToDepthOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { ensure, input } from './kernel.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement, planCopy, stridesOf } from './internal/data_movement.js';
import type { CopyData } from './transpose.js';
import { evalCopy } from './transpose.js';

export const spaceToDepth: Kernel<CopyData, SpaceToDepthOptions | null> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    ensure(node, x.rank === 4, () => `input must be 4-D NHWC, got rank ${x.rank}`);
    const bs = node.options?.blockSize ?? 0;
    ensure(node, Number.isInteger(bs) && bs >= 1, () => `block_size ${bs} must be a positive integer`);
    const [B, H, W, C] = x.shape as [number, number, number, number];
    ensure(node, H % bs === 0 && W % bs === 0, () => `height ${H} and width ${W} must be multiples of block_size ${bs}`);
    const Ho = H / bs, Wo = W / bs;
    out.shape = [B, Ho, Wo, bs * bs * C];
    // Output walked as [B, H', W', dh, dw, C].
    const view = [B, Ho, Wo, bs, bs, C];
    const src = [H * W * C, bs * W * C, bs * C, W * C, C, 1];
    return { plan: planCopy(view, src, stridesOf(view), lanesPerElement(x.type)), srcBase: 0, src: new LaneView(), dst: new LaneView() };
  },
  eval: evalCopy,
};
