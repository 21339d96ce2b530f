/** Times `fn` over `runs` calls after `warmups` uncounted ones: median and minimum in milliseconds. */
export interface Timing { medianMs: number; minMs: number; runs: number }

export function timeRuns(runs: number, fn: () => void, warmups = 2): Timing {
  for (let i = 0; i < warmups; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { medianMs: +t[Math.floor(t.length / 2)]!.toFixed(3), minMs: +t[0]!.toFixed(3), runs };
}
