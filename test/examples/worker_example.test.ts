/**
 * examples/worker in local workerd (npm `workerd`, on 127.0.0.1): an uploaded image comes back as its embedding,
 * computed by the bundled SIMD kernels module and equal to Node's; bad uploads are a 400 with the library's message. The CPU and memory measurement is printed
 * (the README's numbers come from `npx tsx examples/worker/measure.ts`); nothing here is timed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMeasurement, measure, startWorker, type Running } from '../../examples/worker/measure.js';
import { ImageEmbedder } from '../../src/index.js';
import { repoRoot } from '../helpers/models.js';

const WORKERD = path.join(repoRoot, 'node_modules/.bin/workerd');
let runs = true;
try {
  execFileSync(WORKERD, ['--version'], { stdio: 'ignore' });
} catch (e) {
  runs = false;
  console.warn(`SKIPPED worker example: ${WORKERD} --version failed (${(e as Error).message.split('\n')[0]})`);
}

describe.skipIf(!runs)('examples/worker in local workerd', () => {
  let w: Running;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w?.stop());

  const house = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/demo/house.jpg'))) as Uint8Array<ArrayBuffer>;
  const checker = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/demo/checkerboard.png'))) as Uint8Array<ArrayBuffer>;

  it('answers an uploaded JPEG and PNG with their embeddings, equal to Node\'s', async () => {
    const node = ImageEmbedder.createFromModelBuffer(fs.readFileSync(path.join(repoRoot, 'fixtures/embedder.tflite')), { l2Normalize: true });
    for (const image of [house, checker]) {
      const r = await fetch(w.url, { method: 'POST', body: image });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      const body = await r.json() as { dimension: number; headName: string; backend: string; embedding: number[] };
      const want = Array.from(node.embed(image).embeddings[0]!.floatEmbedding!);
      // The bundled kernels.wasm runs: workerd could not compile the SIMD kernels itself.
      expect(body).toMatchObject({ dimension: 205, headName: 'embedding', backend: 'wasm' });
      body.embedding.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6));
    }
  });

  it('refuses what is not an image with a 400 and a message, and GET with a 405', async () => {
    const bad = await fetch(w.url, { method: 'POST', body: 'hello' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/^unsupported image format/) });
    expect((await fetch(w.url, { method: 'POST', body: new Uint8Array(0) })).status).toBe(400);
    const get = await fetch(w.url);
    expect(get.status).toBe(405);
    expect(await get.text()).toMatch(/^POST an image/);
  });

  it('prints CPU and memory per request', async () => {
    const m = await measure(w, house, 20);
    console.log(describeMeasurement(m, 'worker example, house.jpg'));
    expect(m.requests).toBe(20);
  });
});
