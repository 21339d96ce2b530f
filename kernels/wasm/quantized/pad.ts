/**
 * PAD / PADV2 for uint8/int8 on wasm bulk memory: when input and output share their quantization (the usual
 * case: the padded values are copied unchanged), the output is filled with the pad value (memory.fill) and the
 * input copied in as runs (memory.copy) of a rank <= 4 layout seen as [N, H, W, C]; runs merge when the inner
 * dimensions are not padded. Other nodes stay on the typed-array kernel (kernels/quantized/pad.ts), whose
 * prepare validates first.
 */
import { padQuantized } from '../../quantized/pad.js';
import type { KernelNode } from '../../kernel.js';
import type { QRuntime, QSimdKernel } from './conv.js';

type Export = (...args: number[]) => number;

export interface QPadPlan {
  fill: Export;
  copy: Export;
  value: number;
  outBytes: number;
  batch: number;
  inBatch: number;
  outBatch: number;
  /** Output offset of input element 0. */
  base: number;
  n1: number; n2: number; bytes: number; s1: number; s2: number; d1: number; d2: number;
}

export const padQuantizedSimd: QSimdKernel<QPadPlan, unknown> = {
  prepare(node: KernelNode<unknown>, rt: QRuntime) {
    const d = padQuantized.prepare(node); // validation, output shape, pad value
    const x = node.inputs[0]!, out = node.outputs[0]!;
    if (!d.identity || x.shape.length > 4 || x.isConstant) return null;
    const lead = 4 - x.shape.length;
    const inS = [...Array<number>(lead).fill(1), ...x.shape];
    const outS = [...Array<number>(lead).fill(1), ...out.shape];
    const [n, h, w, c] = inS as [number, number, number, number];
    const [, oh, ow, oc] = outS as [number, number, number, number];
    let n1 = h, n2 = w, bytes = c;
    const s2 = c, s1 = w * c, d2 = oc, d1 = ow * oc;
    if (oc === c) { bytes = w * c; n2 = 1; }
    if (oc === c && ow === w) { bytes = h * w * c; n1 = 1; }
    return {
      fill: rt.fn('q8_fill'), copy: rt.fn('q8_copy3d'), value: d.padValue & 255, outBytes: out.size | 0,
      batch: n, inBatch: h * w * c, outBatch: oh * ow * oc, base: d.base,
      n1, n2, bytes, s1, s2, d1, d2,
    };
  },

  eval(node, d) {
    const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
    d.fill(y, d.value, d.outBytes);
    if (d.bytes === 0) return;
    for (let b = 0; b < d.batch; b++) {
      d.copy(x + b * d.inBatch, y + d.base + b * d.outBatch, d.n1, d.n2, d.bytes, d.s1, d.s2, d.d1, d.d2);
    }
  },
};
