/**
 * Memory behaviour on real models: `invoke()` allocates nothing after the first call, and the planned arena is
 * smaller than the sum of the activation tensors' sizes.
 *
 * Two independent checks of "allocates nothing":
 * 1. Buffers: the global typed-array, ArrayBuffer and DataView constructors are replaced by counting proxies during
 *    repeated invokes (module code looks globals up at call time, so kernels see the proxies); the count must be 0.
 * 2. Everything else (arrays, objects, closures, and numbers boxed as heap objects, e.g. doubles passed to or
 *    returned from functions the JIT did not inline): every short-lived JS allocation lands in V8's young
 *    generation ("new space") first. After a full GC, 12 invokes must trigger no GC at all (v8.GCProfiler) and
 *    grow the young generation by at most a fixed slack (the measuring code's own objects) plus 256 B per invoke.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Interpreter } from '../../src/interpreter.js';
import { fillPattern } from '../../src/cli/pattern.js';
import { MODELS, type ModelName, available, loadModelFile } from '../helpers/models.js';

const MODELS_UNDER_TEST: ModelName[] = ['mobilenetFloat', 'mobilenetQuant', 'mobilenetV2Int8', 'faceShort', 'handLite', 'selfie'];

/** Allowed young-generation growth per invoke: V8's own bookkeeping, far below one allocation per node. */
const MAX_BYTES_PER_INVOKE = 256;
/** What the measurement itself allocates (heap statistics objects, the profiler): about 2-10 KB here. */
const FIXED_SLACK = 16 * 1024;
const RUNS = 12;

const BUFFER_CTORS = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
] as const;

/** Calls `body` with the buffer constructors replaced by counting proxies; returns the counts by constructor. */
function countBufferAllocations(body: () => void): Record<string, number> {
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

function getGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function youngGenerationUsed(): number {
  let used = 0;
  for (const s of v8.getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') used += s.space_used_size;
  }
  return used;
}

describe('invoke() allocates nothing after the first call', () => {
  for (const name of MODELS_UNDER_TEST) {
    it.skipIf(!available(`invoke memory ${name}`, [MODELS[name]]))(name, () => {
      const interp = Interpreter.create(loadModelFile(MODELS[name]));
      for (let k = 0; k < interp.inputs.length; k++) fillPattern(interp.input(k).data, interp.input(k).type);
      for (let i = 0; i < 5; i++) interp.invoke(); // the first call, then let the JIT settle

      const counts = countBufferAllocations(() => {
        for (let i = 0; i < 2; i++) interp.invoke();
      });
      expect(counts, `typed arrays / buffers created during invoke: ${JSON.stringify(counts)}`).toEqual({});

      const gc = getGc();
      gc();
      const profiler = new v8.GCProfiler();
      profiler.start();
      const before = youngGenerationUsed();
      for (let i = 0; i < RUNS; i++) interp.invoke();
      const after = youngGenerationUsed();
      const gcs = profiler.stop().statistics.length;
      const grown = after - before;
      console.log(`${name}: arena ${interp.arenaBytes} B, activations ${interp.activationBytes} B; ${RUNS} invokes: ${gcs} GC(s), young generation +${grown} B (${(grown / RUNS).toFixed(0)} B/invoke, fixed cost included)`);
      expect(gcs, `${gcs} garbage collection(s) ran during ${RUNS} invokes: invoke allocates`).toBe(0);
      expect(grown, `${grown} bytes allocated over ${RUNS} invokes`).toBeLessThanOrEqual(FIXED_SLACK + MAX_BYTES_PER_INVOKE * RUNS);
    });
  }
});

describe('the arena is smaller than the sum of activation sizes', () => {
  for (const name of MODELS_UNDER_TEST) {
    it.skipIf(!available(`arena size ${name}`, [MODELS[name]]))(name, () => {
      const interp = Interpreter.create(loadModelFile(MODELS[name]));
      expect(interp.arenaBytes).toBeGreaterThan(0);
      expect(interp.arenaBytes).toBeLessThan(interp.activationBytes);
    });
  }
});
