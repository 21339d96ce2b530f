/**
 * Embeds a list of files, in the calling thread (`jobs` 1) or in `jobs` worker threads, and hands the results to
 * `onResult` in the order of the list, each as soon as it and all before it are done. Each worker has two files
 * queued, so it never waits for the main thread; at most 4 x jobs files are in flight or waiting for an earlier
 * one, so memory stays bounded on any library size.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createEmbedder, embedTask, type EmbedSetup, type TaskResult } from './embed_task.js';

export interface PoolOptions {
  jobs: number;
  setup: EmbedSetup;
  onResult(r: TaskResult): void;
}

export async function embedFiles(files: readonly string[], opts: PoolOptions): Promise<void> {
  if (opts.jobs <= 1 || files.length <= 1) {
    const embedder = createEmbedder(opts.setup);
    files.forEach((f, i) => opts.onResult(embedTask(embedder, opts.setup.processing, i, f)));
    embedder.close();
    return;
  }
  const workers = Array.from({ length: Math.min(opts.jobs, files.length) }, () => startWorker(opts.setup));
  try {
    await runOrdered(files, workers, opts.onResult);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runOrdered(files: readonly string[], workers: Worker[], onResult: (r: TaskResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const window = 4 * workers.length;
    const waiting = new Map<number, TaskResult>();
    let next = 0; // next index to hand out
    let emitted = 0; // results passed to onResult
    let failed = false;
    const dispatch = (w: Worker): void => {
      if (next < files.length && next < emitted + window) {
        w.postMessage({ index: next, path: files[next] });
        next++;
      } else idle.push(w);
    };
    const idle: Worker[] = [];
    for (const w of workers) {
      w.on('message', (m: TaskResult | { ready: true }) => {
        if (failed) return;
        if ('ready' in m) {
          // Two files per worker in flight: the next one is already queued when a result goes back.
          dispatch(w);
          return dispatch(w);
        }
        waiting.set(m.index, m);
        try {
          for (let r = waiting.get(emitted); r; r = waiting.get(emitted)) {
            waiting.delete(emitted);
            emitted++;
            onResult(r);
          }
        } catch (e) {
          failed = true;
          return reject(e);
        }
        if (emitted === files.length) return resolve();
        dispatch(w);
        while (idle.length > 0 && next < files.length && next < emitted + window) dispatch(idle.pop()!);
      });
      w.on('error', (e) => {
        failed = true;
        reject(e);
      });
    }
  });
}

/** A worker running embed_worker; under tsx (tests, `npm run embedlite`) it loads the TypeScript source through tsx. */
function startWorker(setup: EmbedSetup): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./embed_worker.js', here), { workerData: setup });
  const tsxApi = createRequire(here).resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs');
  const entry = new URL('./embed_worker.ts', here).href;
  const source = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(source, { eval: true, workerData: setup });
}
