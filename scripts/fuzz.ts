/**
 * Fuzz campaign: `npm run fuzz -- --seconds N --seed S` runs the structure-aware model fuzzer and the image fuzzer
 * (test/fuzz/) side by side, each in its own worker process, for N seconds each, and writes every escape — an
 * error that is not an EmbedliteError, a case over the CPU-time limit (a hang), memory over the limit, a worker
 * that crashed — as a reproducer file plus a .txt description under --out (default fuzz-out/). Exit code 1 when
 * anything escaped.
 *
 * Options: --seconds N (per fuzzer, default 60), --seed S (default 14), --only models|images, --out DIR,
 * --jobs N (worker processes per fuzzer, each taking every N-th case; default 1),
 * --hang-ms MS (CPU time per case counted as a hang, default 1000), --kill-ms MS (wall time after which a worker
 * stuck in one case is killed, default 10 × hang-ms), --memory-mb MB (array buffers after a case, default 768),
 * --json (print the summary as JSON).
 *
 * Case i of seed S depends only on (S, i): the same seed gives the same cases; time-boxing only decides how many.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type FuzzerName, makeFuzzer } from '../test/fuzz/fuzzers.js';
import type { WorkerConfig, WorkerMessage } from '../test/fuzz/worker.js';

const WORKER = fileURLToPath(new URL('../test/fuzz/worker.ts', import.meta.url));

interface Escape { fuzzer: FuzzerName; i: number; kind: string; detail: string; file?: string }

export interface FuzzerSummary {
  fuzzer: FuzzerName;
  cases: number;
  outcomes: Record<string, number>;
  escapes: number;
  hangs: number;
  maxCaseCpuMs: number;
  maxCaseCpuIndex: number;
  peakRssMB: number;
  workers: number;
  seconds: number;
}

export interface CampaignSummary { seed: number; secondsPerFuzzer: number; fuzzers: FuzzerSummary[]; escapes: Escape[]; peakRssMB: number }

interface Options { seconds: number; seed: number; out: string; hangMs: number; killMs: number; memoryLimit: number; jobs: number }

const generators = new Map<FuzzerName, ReturnType<typeof makeFuzzer>>();

function writeReproducer(o: Options, e: Escape, seed: number): void {
  fs.mkdirSync(o.out, { recursive: true });
  const base = path.join(o.out, `${e.fuzzer}-seed${seed}-case${e.i}-${e.kind}`);
  let description = '';
  try {
    if (!generators.has(e.fuzzer)) generators.set(e.fuzzer, makeFuzzer(e.fuzzer));
    const g = generators.get(e.fuzzer)!.generate(seed, e.i);
    if ('bytes' in g) {
      fs.writeFileSync(`${base}.${g.ext}`, g.bytes);
      e.file = `${base}.${g.ext}`;
      description = g.description;
    } else description = g.skipped;
  } catch (err) {
    description = `generating the case failed: ${(err as Error).message}`;
  }
  fs.writeFileSync(`${base}.txt`, `${e.fuzzer} case ${e.i} of seed ${seed}: ${e.kind}\n${description}\n\n${e.detail}\n`);
}

/** Runs one fuzzer for `o.seconds` in `o.jobs` workers (case i goes to worker i mod jobs). */
async function runFuzzer(fuzzer: FuzzerName, o: Options, escapes: Escape[]): Promise<FuzzerSummary> {
  const t0 = Date.now();
  const summary: FuzzerSummary = {
    fuzzer, cases: 0, outcomes: {}, escapes: 0, hangs: 0, maxCaseCpuMs: 0, maxCaseCpuIndex: -1, peakRssMB: 0, workers: 0, seconds: 0,
  };
  await Promise.all(Array.from({ length: o.jobs }, (_, k) => runShard(fuzzer, o, escapes, summary, k, t0 + o.seconds * 1000)));
  summary.seconds = (Date.now() - t0) / 1000;
  return summary;
}

/** One shard of a fuzzer: cases k, k + jobs, …; a worker is restarted after a killed or crashed case. */
async function runShard(fuzzer: FuzzerName, o: Options, escapes: Escape[], summary: FuzzerSummary, k: number, deadline: number): Promise<void> {
  const record = (e: Escape): void => {
    escapes.push(e);
    summary.escapes++;
    if (e.kind === 'hang' || e.kind === 'killed') summary.hangs++;
    writeReproducer(o, e, o.seed);
    console.error(`ESCAPE ${fuzzer} case ${e.i} (${e.kind}): ${e.detail.split('\n')[0]}${e.file ? ` -> ${e.file}` : ''}`);
  };
  let from = k;
  let shardPeakMB = 0;
  while (Date.now() < deadline) {
    summary.workers++;
    from = await new Promise<number>((resolve) => {
      const child: ChildProcess = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const progressFile = path.join(os.tmpdir(), `embedlite-fuzz-${process.pid}-${fuzzer}-${k}`);
      // The case a killed or crashed worker was running: the index it wrote last.
      const runningCase = (): number => {
        try {
          const b = fs.readFileSync(progressFile);
          return b.length >= 8 ? b.readDoubleLE(0) : from;
        } catch {
          return from;
        }
      };
      let current = from, startedAt = Date.now(), ready = false, finished = false, lastTick = Date.now(), seen = 0;
      const watchdog = setInterval(() => {
        // When this process itself was busy (writing reproducers), queued progress messages are not read yet: wait.
        const now = Date.now();
        if (now - lastTick > 1000) startedAt = now;
        lastTick = now;
        // Seed loading is not a case; after that, one case running past kill-ms is a hang.
        if (ready && !finished && now - startedAt > o.killMs) {
          finished = true;
          child.kill('SIGKILL');
          summary.cases += seen;
          current = runningCase();
          record({ fuzzer, i: current, kind: 'killed', detail: `no progress for ${o.killMs} ms: killed` });
        }
      }, 100);
      child.on('message', (m: WorkerMessage) => {
        if (m.t === 'ready' || m.t === 'progress') startedAt = Date.now();
        if (m.t === 'progress') seen = m.cases;
        if (m.t === 'ready') ready = true;
        else if (m.t === 'escape') record({ fuzzer, i: m.i, kind: m.kind, detail: m.detail });
        else if (m.t === 'done') {
          finished = true;
          summary.cases += m.cases;
          for (const [k, v] of Object.entries(m.outcomes)) summary.outcomes[k] = (summary.outcomes[k] ?? 0) + v;
          if (m.maxCpuMs > summary.maxCaseCpuMs) { summary.maxCaseCpuMs = m.maxCpuMs; summary.maxCaseCpuIndex = m.maxCpuCase; }
          shardPeakMB = Math.max(shardPeakMB, m.maxRssBytes / 2 ** 20);
          current = m.next - o.jobs;
        }
      });
      child.on('exit', (code, signal) => {
        clearInterval(watchdog);
        if (!finished) {
          summary.cases += seen;
          current = runningCase();
          record({ fuzzer, i: current, kind: 'crash', detail: `worker exited (code ${code}, signal ${signal}) during the case` });
        }
        fs.rmSync(progressFile, { force: true });
        resolve(current + o.jobs);
      });
      const config: WorkerConfig = {
        fuzzer, seed: o.seed, from, stride: o.jobs, deadline, hangMs: o.hangMs, memoryLimit: o.memoryLimit, progressFile,
      };
      child.send(config);
    });
  }
  summary.peakRssMB += shardPeakMB; // shards run side by side
}

export async function runCampaign(fuzzers: FuzzerName[], o: Options): Promise<CampaignSummary> {
  const escapes: Escape[] = [];
  const results = await Promise.all(fuzzers.map((f) => runFuzzer(f, o, escapes)));
  const self = process.resourceUsage().maxRSS / 1024;
  // Workers run side by side: the campaign's peak is at most the sum of theirs plus this process.
  const peakRssMB = results.reduce((s, r) => s + r.peakRssMB, 0) + self;
  return { seed: o.seed, secondsPerFuzzer: o.seconds, fuzzers: results, escapes, peakRssMB };
}

function format(s: CampaignSummary): string {
  const lines = [`fuzz campaign, seed ${s.seed}, ${s.secondsPerFuzzer} s per fuzzer`];
  for (const f of s.fuzzers) {
    const outcomes = Object.entries(f.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`  ${f.fuzzer}: ${f.cases} cases in ${f.seconds.toFixed(0)} s, ${f.escapes} escapes, ${f.hangs} hangs; ` +
      `slowest case ${f.maxCaseCpuIndex} (${f.maxCaseCpuMs.toFixed(0)} ms CPU); workers' peak RSS ${f.peakRssMB.toFixed(0)} MB; ${f.workers} worker(s)`);
    lines.push(`    ${outcomes}`);
  }
  lines.push(`  campaign peak RSS (sum of processes) ${s.peakRssMB.toFixed(0)} MB; ${s.escapes.length} escapes`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '14' }, only: { type: 'string' },
      out: { type: 'string', default: 'fuzz-out' }, 'hang-ms': { type: 'string', default: '1000' }, 'kill-ms': { type: 'string' },
      'memory-mb': { type: 'string', default: '768' }, jobs: { type: 'string', default: '1' }, json: { type: 'boolean', default: false },
    },
  });
  const hangMs = Number(values['hang-ms']);
  const o: Options = {
    seconds: Number(values.seconds), seed: Number(values.seed), out: values.out!, hangMs,
    killMs: values['kill-ms'] ? Number(values['kill-ms']) : Math.max(10 * hangMs, 5000), memoryLimit: Number(values['memory-mb']) * 2 ** 20,
    jobs: Number(values.jobs),
  };
  if (!(o.seconds > 0) || !Number.isInteger(o.seed) || !(hangMs > 0) || !(o.memoryLimit > 0) || !(Number.isInteger(o.jobs) && o.jobs >= 1)) {
    console.error('usage: npm run fuzz -- [--seconds N] [--seed S] [--only models|images] [--jobs N] [--out DIR] [--hang-ms MS] [--kill-ms MS] [--memory-mb MB] [--json]');
    return 2;
  }
  const fuzzers: FuzzerName[] = values.only === 'models' ? ['models'] : values.only === 'images' ? ['images'] : ['models', 'images'];
  const summary = await runCampaign(fuzzers, o);
  console.log(values.json ? JSON.stringify(summary) : format(summary));
  return summary.escapes.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then((code) => { process.exitCode = code; });
}
