/**
 * SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND for 4-D NHWC tensors (3-D [N,H,C] as W = 1), any element type
 * (mirrors space_to_batch_nd.cc / batch_to_space_nd.cc). Block shape and paddings/crops must be known at
 * prepare (constants, or folded shape arithmetic as in dilated convolutions).
 *
 * SPACE_TO_BATCH: out[b' = (bh * blockW + bw) * N + n][h][w][c] = padded_in[n][h * blockH + bh][w * blockW + bw][c],
 * zero (the zero point for quantized tensors) where the padded position falls in the padding.
 * BATCH_TO_SPACE is its inverse, with crops taken off the start and end of each spatial dimension.
 */
import { TensorType } from '../schema/enums.js';
import type { Kernel, KernelNode } from './kernel.js';
import { ensure, input } from './kernel.js';
import { constantInts } from './internal/constant_values.js';
import { LaneView, ensureCopyableType, ensureSameTypeAndQuant, lanesPerElement } from './internal/data_movement.js';

interface Geometry {
  n: number; inH: number; inW: number; c: number; outH: number; outW: number;
  blockH: number; blockW: number; padTop: number; padLeft: number; lanes: number; fill: number;
  inView: LaneView; outView: LaneView;
}

function spatial(node: KernelNode<unknown>): { shape4: number[] } {
  const x = input(node, 0);
  ensure(node, x.rank === 4 || x.rank === 3, () => `input must be 3-D or 4-D, got [${x.shape.join(',')}]`);
  return { shape4: x.rank === 4 ? x.shape : [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!] };
}

function blockAndPads(node: KernelNode<unknown>, rank: number, what: string): { block: number[]; pads: number[] } {
  const block = constantInts(node, input(node, 1), 'block_shape');
  const pads = constantInts(node, input(node, 2), what);
  const spatialDims = rank - 2;
  ensure(node, block.length === spatialDims, () => `block_shape must have ${spatialDims} values, got ${block.length}`);
  ensure(node, pads.length === spatialDims * 2, () => `${what} must be [${spatialDims},2], got ${pads.length} values`);
  ensure(node, block.every((b) => b >= 1), () => `block_shape values must be >= 1, got [${block.join(',')}]`);
  ensure(node, pads.every((p) => p >= 0), () => `${what} must be >= 0, got [${pads.join(',')}]`);
  if (spatialDims === 1) { block.push(1); pads.push(0, 0); }
  return { block, pads };
}

function fillValue(node: KernelNode<unknown>): number {
  const x = input(node, 0);
  return x.type === TensorType.UINT8 || x.type === TensorType.INT8 ? x.zeroPoint : 0;
}

/** SPACE_TO_BATCH_ND: inputs (input, block_shape [2], paddings [2,2]). */
export const spaceToBatchNd: Kernel<Geometry> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const [n, h, w, c] = spatial(node).shape4 as [number, number, number, number];
    const { block, pads } = blockAndPads(node, x.rank, 'paddings');
    const [bh, bw] = block as [number, number];
    const ph = h + pads[0]! + pads[1]!, pw = w + pads[2]! + pads[3]!;
    ensure(node, ph % bh === 0 && pw % bw === 0,
      () => `padded spatial size ${ph}x${pw} is not a multiple of block_shape [${block.slice(0, x.rank - 2).join(',')}]`);
    const outH = ph / bh, outW = pw / bw;
    out.shape = x.rank === 4 ? [n * bh * bw, outH, outW, c] : [n * bh * bw, outH, c];
    return {
      n, inH: h, inW: w, c, outH, outW, blockH: bh, blockW: bw, padTop: pads[0]!, padLeft: pads[2]!,
      lanes: lanesPerElement(x.type), fill: fillValue(node), inView: new LaneView(), outView: new LaneView(),
    };
  },
  eval(node, g) {
    const src = g.inView.of(node.inputs[0]!.data), dst = g.outView.of(node.outputs[0]!.data);
    const cl = g.c * g.lanes;
    let o = 0;
    for (let bh = 0; bh < g.blockH; bh++) {
      for (let bw = 0; bw < g.blockW; bw++) {
        for (let n = 0; n < g.n; n++) {
          for (let y = 0; y < g.outH; y++) {
            const iy = y * g.blockH + bh - g.padTop;
            for (let x = 0; x < g.outW; x++, o += cl) {
              const ix = x * g.blockW + bw - g.padLeft;
              if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
                // Padding: the fill value (INT64 lanes: zero in both halves).
                for (let k = 0; k < cl; k++) dst[o + k] = g.lanes === 1 ? g.fill : 0;
                continue;
              }
              const s = ((n * g.inH + iy) * g.inW + ix) * cl;
              for (let k = 0; k < cl; k++) dst[o + k] = src[s + k]!;
            }
          }
        }
      }
    }
  },
};

/** BATCH_TO_SPACE_ND: inputs (input, block_shape [2], crops [2,2]). */
export const batchToSpaceNd: Kernel<Geometry> = {
  prepare(node) {
    const x = input(node, 0), out = node.outputs[0]!;
    ensureCopyableType(node, x);
    ensureSameTypeAndQuant(node, x, out);
    const [nb, h, w, c] = spatial(node).shape4 as [number, number, number, number];
    const { block, pads: crops } = blockAndPads(node, x.rank, 'crops');
    const [bh, bw] = block as [number, number];
    ensure(node, nb % (bh * bw) === 0, () => `batch ${nb} is not a multiple of the block size ${bh * bw}`);
    const outH = h * bh - crops[0]! - crops[1]!, outW = w * bw - crops[2]! - crops[3]!;
    ensure(node, outH >= 0 && outW >= 0, () => `crops [${crops.join(',')}] exceed the spatial size ${h * bh}x${w * bw}`);
    const n = nb / (bh * bw);
    out.shape = x.rank === 4 ? [n, outH, outW, c] : [n, outH, c];
    // Here inH/inW are the *output* spatial sizes and padTop/padLeft the crops: the loop walks the input.
    return {
      n, inH: outH, inW: outW, c, outH: h, outW: w, blockH: bh, blockW: bw, padTop: crops[0]!, padLeft: crops[2]!,
      lanes: lanesPerElement(x.type), fill: 0, inView: new LaneView(), outView: new LaneView(),
    };
  },
  eval(node, g) {
    const src = g.inView.of(node.inputs[0]!.data), dst = g.outView.of(node.outputs[0]!.data);
    const cl = g.c * g.lanes;
    let s = 0;
    for (let bh = 0; bh < g.blockH; bh++) {
      for (let bw = 0; bw < g.blockW; bw++) {
        for (let n = 0; n < g.n; n++) {
          for (let y = 0; y < g.outH; y++) {
            const oy = y * g.blockH + bh - g.padTop;
            for (let x = 0; x < g.outW; x++, s += cl) {
              const ox = x * g.blockW + bw - g.padLeft;
              if (oy < 0 || oy >= g.inH || ox < 0 || ox >= g.inW) continue;
              const o = ((n * g.inH + oy) * g.inW + ox) * cl;
              for (let k = 0; k < cl; k++) dst[o + k] = src[s + k]!;
            }
          }
        }
      }
    }
  },
};
