/**
 * Memory behaviour on real models: `invoke()` allocates nothing after the first call, and the planned arena is
 * smaller than the sum of the activation tensors' sizes.
 *
 * Two independent checks of "allocates nothing", measured in a child process (invoke_memory_probe.ts) whose V8
 * runs single-threaded with a pinned 64 MB young generation, so the numbers depend only on the code, never on
 * other load on the machine (a loaded machine used to delay background JIT compilation, and the still-unoptimised
 * code boxed doubles: 4.29 MB "allocated" over 12 invokes in one run of the suite):
 * 1. Buffers: the global typed-array, ArrayBuffer and DataView constructors are replaced by counting proxies during
 *    two invokes (module code looks globals up at call time, so kernels see the proxies); the count must be 0.
 * 2. Everything else (arrays, objects, closures, boxed doubles): every short-lived JS allocation lands in V8's
 *    young generation first. Once the JIT has settled (the probe warms up until a window of 5 invokes allocates
 *    under 8 KB, at most 60 invokes; single-threaded, that is the same count on every run), after a full GC,
 *    12 invokes must trigger no GC and grow the young generation by at most a fixed slack (the measuring code's
 *    own objects) plus 256 B per invoke.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interpreter } from '../../src/interpreter.js';
import { MODELS, type ModelName, available, loadModelFile, repoRoot } from '../helpers/models.js';
import type { ProbeResult } from './invoke_memory_probe.js';

const MODELS_UNDER_TEST: ModelName[] = ['mobilenetFloat', 'mobilenetQuant', 'mobilenetV2Int8', 'faceShort', 'handLite', 'selfie'];

/** Allowed young-generation growth per invoke: V8's own bookkeeping, far below one allocation per node. */
const MAX_BYTES_PER_INVOKE = 256;
/** What the measurement itself allocates (heap statistics objects, the profiler): about 2-10 KB here. */
const FIXED_SLACK = 16 * 1024;

/** V8 flags that make the measurement independent of machine load (see the module comment). */
export const PROBE_FLAGS = ['--single-threaded', '--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'];

function runProbe(files: string[]): Promise<Map<string, ProbeResult>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PROBE_FLAGS, '--import', 'tsx', path.join(repoRoot, 'test/conformance/invoke_memory_probe.ts'), ...files], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory probe exited with ${code}: ${err}`));
      const results = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ProbeResult);
      resolve(new Map(results.map((r) => [r.model, r])));
    });
  });
}

const usable = MODELS_UNDER_TEST.filter((name) => available(`invoke memory ${name}`, [MODELS[name]]));

describe('invoke() allocates nothing after the first call', () => {
  let results = new Map<string, ProbeResult>();
  beforeAll(async () => {
    if (usable.length > 0) results = await runProbe(usable.map((n) => MODELS[n]));
  });

  for (const name of MODELS_UNDER_TEST) {
    it.skipIf(!usable.includes(name))(name, () => {
      const r = results.get(MODELS[name])!;
      console.log(`${name}: arena ${r.arenaBytes} B, activations ${r.activationBytes} B; after ${r.warmup} warm-up invokes, ${r.runs} invokes: ${r.gcs} GC(s), young generation +${r.youngBytes} B (${(r.youngBytes / r.runs).toFixed(0)} B/invoke, fixed cost included)`);
      expect(r.buffers, `typed arrays / buffers created during invoke: ${JSON.stringify(r.buffers)}`).toEqual({});
      expect(r.gcs, `${r.gcs} garbage collection(s) ran during ${r.runs} invokes: invoke allocates`).toBe(0);
      expect(r.youngBytes, `${r.youngBytes} bytes allocated over ${r.runs} invokes`).toBeLessThanOrEqual(FIXED_SLACK + MAX_BYTES_PER_INVOKE * r.runs);
    });
  }
});

describe('the arena is smaller than the sum of activation sizes', () => {
  for (const name of MODELS_UNDER_TEST) {
    it.skipIf(!usable.includes(name))(name, () => {
      const interp = Interpreter.create(loadModelFile(MODELS[name]));
      expect(interp.arenaBytes).toBeGreaterThan(0);
      expect(interp.arenaBytes).toBeLessThan(interp.activationBytes);
    });
  }
});
