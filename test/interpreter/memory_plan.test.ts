import { describe, expect, it } from 'vitest';
import { type BufferRequest, planMemory, plansOverlap } from '../../src/memory_plan.js';
import { rng } from '../helpers/rng.js';

describe('planMemory', () => {
  it('reuses memory of buffers whose lifetimes do not overlap', () => {
    const plan = planMemory([{ size: 10, first: 0, last: 1 }, { size: 20, first: 2, last: 3 }], 1);
    expect(plan.offsets).toEqual([0, 0]);
    expect(plan.size).toBe(20);
  });

  it('stacks buffers that are alive together, largest first', () => {
    const plan = planMemory([{ size: 16, first: 0, last: 2 }, { size: 32, first: 1, last: 3 }], 16);
    expect(plan.offsets).toEqual([32, 0]);
    expect(plan.size).toBe(48);
  });

  it('fills a gap between two live buffers when the new one fits', () => {
    const reqs: BufferRequest[] = [
      { size: 64, first: 0, last: 1 }, // A: offset 0
      { size: 48, first: 0, last: 5 }, // B: offset 64
      { size: 32, first: 2, last: 3 }, // C: A is dead by then → fits at 0
    ];
    const plan = planMemory(reqs, 16);
    expect(plan.offsets).toEqual([0, 64, 0]);
    expect(plan.size).toBe(112);
  });

  it('never overlaps live buffers on random chains (property)', () => {
    const r = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 30);
      const reqs: BufferRequest[] = [];
      for (let i = 0; i < n; i++) {
        const first = Math.floor(r() * 20) - 1;
        reqs.push({ size: 1 + Math.floor(r() * 1000), first, last: first + Math.floor(r() * 6) });
      }
      const plan = planMemory(reqs);
      expect(plansOverlap(reqs, plan)).toBe(false);
      for (const off of plan.offsets) expect(off % 16).toBe(0);
      expect(plan.size).toBeLessThanOrEqual(reqs.reduce((s, q) => s + Math.ceil(q.size / 16) * 16, 0));
    }
  });
});
