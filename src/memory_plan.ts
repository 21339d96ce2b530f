/**
 * Greedy arena planning by tensor lifetimes (the scheme of TFLite Micro's GreedyMemoryPlanner):
 * buffers are placed largest first; each goes at the lowest offset where it does not overlap, in memory,
 * any already-placed buffer whose lifetime [first, last] overlaps its own. Offsets are aligned.
 */

export interface BufferRequest {
  size: number;
  /** Step at which the buffer is written first (node index; -1 for graph inputs). */
  first: number;
  /** Last step at which it is read (inclusive). */
  last: number;
}

export interface MemoryPlan {
  offsets: number[];
  /** Arena size in bytes. */
  size: number;
}

export const ARENA_ALIGNMENT = 16;

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function planMemory(requests: readonly BufferRequest[], alignment = ARENA_ALIGNMENT): MemoryPlan {
  const order = requests.map((_, i) => i).sort((a, b) => requests[b]!.size - requests[a]!.size || a - b);
  const offsets = new Array<number>(requests.length).fill(0);
  const placed: number[] = [];
  let size = 0;
  for (const i of order) {
    const r = requests[i]!;
    // Memory ranges of placed buffers alive at the same time, sorted by offset.
    const live = placed
      .filter((j) => requests[j]!.first <= r.last && r.first <= requests[j]!.last)
      .map((j) => ({ start: offsets[j]!, end: offsets[j]! + requests[j]!.size }))
      .sort((a, b) => a.start - b.start);
    let candidate = 0;
    for (const range of live) {
      if (candidate + r.size <= range.start) break;
      candidate = Math.max(candidate, alignUp(range.end, alignment));
    }
    offsets[i] = candidate;
    placed.push(i);
    size = Math.max(size, alignUp(candidate + r.size, alignment));
  }
  return { offsets, size };
}

/** True when two buffers alive at the same step share bytes (a debug check for tests). */
export function plansOverlap(requests: readonly BufferRequest[], plan: MemoryPlan): boolean {
  for (let i = 0; i < requests.length; i++) {
    for (let j = i + 1; j < requests.length; j++) {
      const a = requests[i]!, b = requests[j]!;
      if (a.size === 0 || b.size === 0) continue;
      const timeOverlap = a.first <= b.last && b.first <= a.last;
      const memOverlap = plan.offsets[i]! < plan.offsets[j]! + b.size && plan.offsets[j]! < plan.offsets[i]! + a.size;
      if (timeOverlap && memOverlap) return true;
    }
  }
  return false;
}
