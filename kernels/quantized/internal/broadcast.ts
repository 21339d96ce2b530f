/**
 * Broadcasting for the quantized binary kernels (ADD, SUB, MUL, PRELU) on top of kernels/internal/broadcast.ts
 * planBroadcast: the output is walked as at most MAX_OUTER nested outer loops of contiguous runs, with each input
 * stepping by its own stride (0 where it broadcasts). Memory is O(rank), nothing per output element.
 */
import type { KernelNode } from '../../kernel.js';
import { prepareError } from '../../kernel.js';
import { MAX_BROADCAST_RANK, planBroadcast, type BroadcastPlan } from '../../internal/broadcast.js';

export type { BroadcastPlan } from '../../internal/broadcast.js';

type Data8 = Uint8Array | Int8Array;

/** planBroadcast, or a PrepareError naming the node when the shapes do not broadcast (or exceed the rank limit). */
export function broadcastPlan(node: KernelNode<unknown>, a: readonly number[], b: readonly number[]): BroadcastPlan {
  const p = planBroadcast(a, b);
  if (!p) {
    throw prepareError(node,
      `shapes [${a.join(',')}] and [${b.join(',')}] cannot be broadcast (at most ${MAX_BROADCAST_RANK}-D)`);
  }
  return p;
}

/**
 * One contiguous run of `n` outputs: out[o + i] = f(a[ai + i * sa], b[bi + i * sb]) for the kernel's f and data d.
 * Module-level functions (not closures), so eval allocates nothing.
 */
export type RunFn<D> = (d: D, a: Data8, ai: number, sa: number, b: Data8, bi: number, sb: number, out: Data8, o: number, n: number) => void;

/** Calls `run` for every contiguous run of the plan, in output order. */
export function forEachRun<D>(p: BroadcastPlan, d: D, a: Data8, b: Data8, out: Data8, run: RunFn<D>): void {
  const c = p.outerCount, as = p.aStride, bs = p.bStride, len = p.runLength, ra = p.runStrideA, rb = p.runStrideB;
  if (p.size === 0) return;
  let o = 0;
  for (let i0 = 0, a0 = 0, b0 = 0; i0 < c[0]!; i0++, a0 += as[0]!, b0 += bs[0]!) {
    for (let i1 = 0, a1 = a0, b1 = b0; i1 < c[1]!; i1++, a1 += as[1]!, b1 += bs[1]!) {
      for (let i2 = 0, a2 = a1, b2 = b1; i2 < c[2]!; i2++, a2 += as[2]!, b2 += bs[2]!) {
        for (let i3 = 0, a3 = a2, b3 = b2; i3 < c[3]!; i3++, a3 += as[3]!, b3 += bs[3]!) {
          for (let i4 = 0, a4 = a3, b4 = b3; i4 < c[4]!; i4++, a4 += as[4]!, b4 += bs[4]!) {
            run(d, a, a4, ra, b, b4, rb, out, o, len);
            o += len;
          }
        }
      }
    }
  }
}
