/**
 * TRANSPOSE of 8-bit tensors (uint8, int8, bool) on wasm: the typed-array kernel's prepare (kernels/transpose.ts)
 * validates and plans the strided copy (merged dimensions); when the plan has rank <= 4, `q8_copy4` runs it.
 */
import { transpose } from '../../transpose.js';
import type { KernelNode } from '../../kernel.js';
import { bytesPerElement } from '../../tensor.js';
import type { QRuntime, QSimdKernel } from './conv.js';

type Export = (...args: number[]) => number;

export interface Copy4Plan {
  fn: Export;
  /** c0..c3, s0..s3, d0..d3 (outer dimensions first), as separate fields so eval allocates nothing. */
  a0: number; a1: number; a2: number; a3: number; a4: number; a5: number;
  a6: number; a7: number; a8: number; a9: number; a10: number; a11: number;
}

export const transpose8Simd: QSimdKernel<Copy4Plan, unknown> = {
  prepare(node: KernelNode<unknown>, rt: QRuntime) {
    const { plan } = transpose.prepare(node);
    const x = node.inputs[0]!;
    if (bytesPerElement(x.type) !== 1 || plan.rank > 4 || x.isConstant) return null;
    const pad = 4 - plan.rank;
    const c = [...Array<number>(pad).fill(1), ...plan.count];
    const s = [...Array<number>(pad).fill(0), ...plan.srcStride];
    const d = [...Array<number>(pad).fill(0), ...plan.dstStride];
    const args = [...c, ...s, ...d].map((v) => v | 0);
    const [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = args as [number, number, number, number, number, number, number, number, number, number, number, number];
    return { fn: rt.fn('q8_copy4'), a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 };
  },
  eval(node, p) {
    p.fn(node.inputs[0]!.data.byteOffset, node.outputs[0]!.data.byteOffset,
      p.a0, p.a1, p.a2, p.a3, p.a4, p.a5, p.a6, p.a7, p.a8, p.a9, p.a10, p.a11);
  },
};
