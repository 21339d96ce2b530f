/**
 * The measuring half of invoke_memory.test.ts, run in a child process whose V8 cannot be disturbed by other load:
 *
 *   node --single-threaded --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 \
 *        --import tsx test/conformance/invoke_memory_probe.ts MODEL.tflite...
 *
 * `--single-threaded` turns off V8's background threads: optimising compilers run on the main thread when a
 * function's (bytecode-counted) budget runs out, and GC is not concurrent. So when each function is optimised, and
 * thus whether a double is boxed, depends only on the work done, never on how busy the machine is. The pinned 64 MB
 * young generation keeps scavenges out of the measured invokes. Prints one JSON line per model.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { Interpreter } from '../../src/interpreter.js';
import { fillPattern } from '../../src/cli/pattern.js';
import { testBackend } from '../helpers/backend.js';

export interface ProbeResult {
  model: string;
  arenaBytes: number;
  activationBytes: number;
  /** Typed arrays, ArrayBuffers and DataViews constructed during 2 invokes, by constructor. */
  buffers: Record<string, number>;
  /** Garbage collections during the measured invokes. */
  gcs: number;
  /** Young-generation growth over the measured invokes, in bytes. */
  youngBytes: number;
  runs: number;
  /** Invokes before the measurement: the JIT has optimised the kernels' loops by then. */
  warmup: number;
}

const BUFFER_CTORS = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
] as const;

const RUNS = 12;
/** Warm-up: at least 5 invokes, then windows of 5 until one allocates at most WINDOW_SLACK bytes (or 60 in all). */
const MIN_WARMUP = 5, WINDOW = 5, MAX_WARMUP = 60, WINDOW_SLACK = 8 * 1024;

/** Calls `body` with the buffer constructors replaced by counting proxies; returns the counts by constructor. */
export function countBufferAllocations(body: () => void): Record<string, number> {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  const counts: Record<string, number> = {};
  for (const name of BUFFER_CTORS) {
    const ctor = g[name] as (new (...a: unknown[]) => object) | undefined;
    if (!ctor) continue;
    saved.set(name, ctor);
    g[name] = new Proxy(ctor, {
      construct(target, args, newTarget) {
        counts[name] = (counts[name] ?? 0) + 1;
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  try {
    body();
  } finally {
    for (const [name, ctor] of saved) g[name] = ctor;
  }
  return counts;
}

function youngGenerationUsed(): number {
  let used = 0;
  for (const s of v8.getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') used += s.space_used_size;
  }
  return used;
}

function probe(file: string): ProbeResult {
  const interp = Interpreter.create(new Uint8Array(fs.readFileSync(file)), { backend: testBackend() });
  for (let k = 0; k < interp.inputs.length; k++) fillPattern(interp.input(k).data, interp.input(k).type);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // The first call, then let the JIT settle: with --single-threaded this takes the same number of invokes every run.
  let warmup = 0;
  for (; warmup < MIN_WARMUP; warmup++) interp.invoke();
  while (warmup < MAX_WARMUP) {
    gc();
    const before = youngGenerationUsed();
    for (let i = 0; i < WINDOW; i++) interp.invoke();
    warmup += WINDOW;
    if (youngGenerationUsed() - before <= WINDOW_SLACK) break;
  }
  const buffers = countBufferAllocations(() => {
    for (let i = 0; i < 2; i++) interp.invoke();
  });
  gc();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = youngGenerationUsed();
  for (let i = 0; i < RUNS; i++) interp.invoke();
  const after = youngGenerationUsed();
  const gcs = profiler.stop().statistics.length;
  return {
    model: file, arenaBytes: interp.arenaBytes, activationBytes: interp.activationBytes,
    buffers, gcs, youngBytes: after - before, runs: RUNS, warmup,
  };
}

for (const file of process.argv.slice(2)) process.stdout.write(`${JSON.stringify(probe(file))}\n`);
