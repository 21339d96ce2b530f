/**
 * A fuzz worker process (forked by scripts/fuzz.ts): runs cases `from`, `from + 1`, … of one fuzzer until the
 * deadline and reports each case start, each escape and a final summary over IPC. Escapes found here: an
 * exception that is not an EmbedliteError, a case that takes more CPU time than `hangMs`, and memory (array
 * buffers) over `memoryLimit` after a case. Real hangs and crashes are caught by the parent, which kills the
 * worker and starts a new one after the case.
 */
import fs from 'node:fs';
import { type FuzzerName, makeFuzzer } from './fuzzers.js';

export interface WorkerConfig {
  fuzzer: FuzzerName;
  seed: number;
  from: number;
  /** Runs cases from, from + stride, from + 2 stride, … (several workers share one fuzzer's case sequence). */
  stride: number;
  /** Case index to stop before (undefined: run until the deadline). */
  to?: number;
  /** Epoch milliseconds after which no case starts. */
  deadline: number;
  hangMs: number;
  memoryLimit: number;
  /** File holding the index of the running case (8 bytes, float64 LE): the parent reads it after killing a hang. */
  progressFile: string;
}

export type WorkerMessage =
  | { t: 'ready' }
  /** Heartbeat, at most every 200 ms: the worker is alive and has started `cases` cases so far. */
  | { t: 'progress'; cases: number }
  | { t: 'escape'; i: number; kind: 'exception' | 'hang' | 'memory'; detail: string; cpuMs: number }
  | { t: 'done'; next: number; cases: number; outcomes: Record<string, number>; maxCpuMs: number; maxCpuCase: number; maxRssBytes: number };

function send(m: WorkerMessage): void {
  process.send!(m);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function runCases(c: WorkerConfig): void {
  const fuzzer = makeFuzzer(c.fuzzer);
  send({ t: 'ready' });
  const outcomes: Record<string, number> = {};
  let maxCpuMs = 0, maxCpuCase = -1;
  let i = c.from, cases = 0, lastBeat = 0;
  const fd = fs.openSync(c.progressFile, 'w');
  const index = Buffer.alloc(8);
  for (; Date.now() < c.deadline && (c.to === undefined || i < c.to); i += c.stride) {
    // One pwrite per case rather than one IPC message: a starved parent cannot fall behind.
    index.writeDoubleLE(i);
    fs.writeSync(fd, index, 0, 8, 0);
    cases++;
    if (Date.now() - lastBeat > 200) { send({ t: 'progress', cases }); lastBeat = Date.now(); }
    const t0 = process.cpuUsage();
    let outcome: string;
    try {
      const g = fuzzer.generate(c.seed, i);
      outcome = 'skipped' in g ? g.skipped : fuzzer.run(g, c.seed, i);
    } catch (e) {
      const err = e as Error;
      outcome = 'escape';
      send({ t: 'escape', i, kind: 'exception', detail: `${err?.constructor?.name}: ${err?.message}\n${err?.stack ?? ''}`, cpuMs: cpuMs(t0) });
    }
    const ms = cpuMs(t0);
    if (ms > maxCpuMs) { maxCpuMs = ms; maxCpuCase = i; }
    if (ms > c.hangMs) send({ t: 'escape', i, kind: 'hang', detail: `case took ${ms.toFixed(0)} ms of CPU time (limit ${c.hangMs} ms)`, cpuMs: ms });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    const mem = process.memoryUsage().arrayBuffers;
    if (mem > c.memoryLimit) {
      send({ t: 'escape', i, kind: 'memory', detail: `${(mem / 2 ** 20).toFixed(0)} MiB of array buffers after the case (limit ${(c.memoryLimit / 2 ** 20).toFixed(0)} MiB)`, cpuMs: ms });
      i += c.stride;
      break; // the next worker starts from a clean heap
    }
  }
  // Exit once the summary has left: the IPC channel may still hold queued messages.
  fs.closeSync(fd);
  process.send!({ t: 'done', next: i, cases, outcomes, maxCpuMs, maxCpuCase, maxRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies WorkerMessage,
    () => process.exit(0));
}

process.once('message', (config: WorkerConfig) => runCases(config));
