/**
 * End-to-end `similarity` time: decode + preprocess + inference for both images, with
 * mobilenet_v1_0.25_224 float (pooled features as the head) on burger.jpg / burger_crop.jpg, next to the
 * inference-only time of the same model; and `embed --jobs N` over a folder: images per second with 1 and with
 * N worker threads (N = the cores), the speed-up that --jobs gives on this machine.
 * Runnable alone: `npx tsx bench/embedder.ts`.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { embedFiles as EmbedFiles } from '../src/cli/pool.js';
import { ImageEmbedder } from '../src/embedder/image_embedder.js';
import { Interpreter } from '../src/interpreter.js';
import { timeRuns } from './timing.js';

const shared = fileURLToPath(new URL('../../shared/', import.meta.url));
const MODEL = `${shared}models/mobilenet_v1_0.25_224_1_metadata_1.tflite`;

export async function runEmbedderBench(runs = 20): Promise<Record<string, unknown>> {
  const jobs = await runJobsBench();
  const jobsPhotos = runJobsPhotos ? await runJobsBench(24, 'photos') : { skipped: 'ImageMagick convert absent' };
  if (!existsSync(MODEL)) {
    console.log('similarity bench skipped: ../shared/models is absent');
    return { skipped: '../shared absent', jobs, jobsPhotos };
  }
  const bytes = new Uint8Array(readFileSync(MODEL));
  const a = new Uint8Array(readFileSync(`${shared}images/burger.jpg`));
  const b = new Uint8Array(readFileSync(`${shared}images/burger_crop.jpg`));
  const embedder = ImageEmbedder.createFromModelBuffer(bytes, { outputTensors: ['MobilenetV1/Logits/AvgPool_1a/AvgPool'] });
  let similarity = 0;
  const endToEnd = timeRuns(runs, () => {
    similarity = ImageEmbedder.cosineSimilarity(embedder.embed(a).embeddings[0]!, embedder.embed(b).embeddings[0]!);
  });
  const it = Interpreter.create(bytes);
  const inference = timeRuns(runs, () => it.invoke());
  const result = {
    model: 'mobilenet_v1_0.25_224_1_metadata_1 (pooled features)', images: 'burger.jpg / burger_crop.jpg', similarity,
    similarityMs: endToEnd, inferenceOnlyMs: inference,
    overheadMs: endToEnd.medianMs - 2 * inference.medianMs, jobs, jobsPhotos,
  };
  console.log(`similarity (2 x decode + preprocess + inference): median ${endToEnd.medianMs.toFixed(2)} ms, min ${endToEnd.minMs.toFixed(2)} ms`);
  console.log(`inference only (one image):                     median ${inference.medianMs.toFixed(2)} ms, min ${inference.minMs.toFixed(2)} ms`);
  console.log(`decode + preprocess overhead for both images:  ~${result.overheadMs.toFixed(2)} ms; cosine similarity ${similarity.toFixed(6)}`);
  return result;
}

/** Whether camera-sized photos can be made for the --jobs bench (ImageMagick). */
const runJobsPhotos = spawnSync('convert', ['-version']).status === 0;

/**
 * `embed --jobs`: the same folder (the demo pictures, and the shared burger photos when present, copied to 40 of
 * each; or, as `photos`, one 3000x2000 JPEG made from the demo house picture, copied `copies` times) embedded with the default model in the main thread (jobs 1) and in `cores` worker threads, wall time
 * including the workers' start, best of two alternating rounds. It runs the built CLI (dist/, `npm run build`) as `npx embedlite` does; without a
 * build it falls back to the sources, where each worker also compiles the TypeScript through tsx (slower start).
 */
export async function runJobsBench(copies = 40, set: 'small' | 'photos' = 'small'): Promise<Record<string, unknown>> {
  const repo = fileURLToPath(new URL('../', import.meta.url));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedlite-jobs-'));
  const sources = [`${repo}fixtures/demo/house.jpg`, `${repo}fixtures/demo/house_zoomed.jpg`, `${repo}fixtures/demo/checkerboard.png`];
  if (set === 'photos') {
    // A camera-sized photo: decoding dominates each image, as in a real photo library.
    const photo = path.join(dir, 'source_3000x2000.jpg');
    spawnSync('convert', [sources[0]!, '-resize', '3000x2000!', '-quality', '90', photo]);
    sources.splice(0, sources.length, photo);
  } else {
    for (const f of [`${shared}images/burger.jpg`, `${shared}images/burger_crop.jpg`]) if (existsSync(f)) sources.push(f);
  }
  const files: string[] = [];
  for (let i = 0; i < copies; i++) {
    for (const src of sources) {
      const f = path.join(dir, `${String(i).padStart(3, '0')}_${path.basename(src)}`);
      copyFileSync(src, f);
      files.push(f);
    }
  }
  const built = `${repo}dist/src/cli/pool.js`;
  const from = existsSync(built) ? built : `${repo}src/cli/pool.ts`;
  const { embedFiles } = (await import(pathToFileURL(from).href)) as { embedFiles: typeof EmbedFiles };
  const setup = { model: new Uint8Array(readFileSync(`${repo}fixtures/embedder.tflite`)), options: {}, processing: {} };
  const cores = os.availableParallelism();
  /** Wall time of one run; `cpu` collects the process's CPU time (all threads) of the same run. */
  const cpu = new Map<number, number>();
  const time = async (jobs: number): Promise<number> => {
    const t0 = performance.now(), c0 = process.cpuUsage();
    let done = 0;
    await embedFiles(files, { jobs, setup, onResult: (r) => { if (r.status === 'done') done++; } });
    if (done !== files.length) throw new Error(`jobs ${jobs}: ${files.length - done} image(s) failed`);
    const wall = performance.now() - t0, c = process.cpuUsage(c0);
    cpu.set(jobs, Math.min(cpu.get(jobs) ?? Infinity, (c.user + c.system) / 1000));
    return wall;
  };
  try {
    // Alternating runs, the best of each: on a shared machine, other load comes and goes.
    const n = Math.max(2, cores);
    let one = Infinity, many = Infinity;
    for (let round = 0; round < 2; round++) {
      one = Math.min(one, await time(1));
      many = Math.min(many, await time(n));
    }
    const result = {
      set, images: files.length, cores, model: 'fixtures/embedder.tflite', code: path.relative(repo, from), loadAverage: os.loadavg()[0],
      jobs1: { ms: +one.toFixed(0), cpuMs: +cpu.get(1)!.toFixed(0), imagesPerSecond: +((files.length * 1000) / one).toFixed(1) },
      jobsN: { jobs: n, ms: +many.toFixed(0), cpuMs: +cpu.get(n)!.toFixed(0), imagesPerSecond: +((files.length * 1000) / many).toFixed(1) },
      speedUp: +(one / many).toFixed(2),
    };
    // CPU time / wall time: how many cores the process really got (other load on the machine takes the rest).
    const share = (c: number, w: number): string => (c / w).toFixed(2);
    console.log(`embed --jobs over ${files.length} ${set === 'photos' ? '3000x2000 JPEGs' : 'small images'} (${cores} cores, load average ${os.loadavg()[0]!.toFixed(1)}, ${path.relative(repo, from)}): `
      + `jobs 1 ${result.jobs1.imagesPerSecond} images/s (${share(result.jobs1.cpuMs, one)} cores used), `
      + `jobs ${n} ${result.jobsN.imagesPerSecond} images/s (${share(result.jobsN.cpuMs, many)} cores used): speed-up ${result.speedUp}x`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runEmbedderBench();
