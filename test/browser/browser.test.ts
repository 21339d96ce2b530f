/**
 * The browser entry, bundled with esbuild for the browser platform (a Node built-in anywhere in it fails the
 * build), embeds an image in headless Chromium — on the page and in a Web Worker — and the vector equals Node's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEmbedder } from '../../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`SKIPPED: browser test needs Debian's chromium at ${CHROMIUM} (.ci/run installs it).`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>embedlite</title><body>embedlite browser test</body>`;

/** Runs in the page and in the worker: fetch the model and image, embed, return the vector. */
const EMBED_SOURCE = `
  async function embedHere(lib) {
    const model = new Uint8Array(await (await fetch('/model.tflite')).arrayBuffer());
    const image = new Uint8Array(await (await fetch('/image.jpg')).arrayBuffer());
    const embedder = lib.ImageEmbedder.createFromModelBuffer(model, { l2Normalize: true });
    return Array.from(embedder.embed(image).embeddings[0].floatEmbedding);
  }`;

const WORKER = `${EMBED_SOURCE}
  self.onmessage = async () => {
    try { self.postMessage({ vector: await embedHere(await import('/bundle.js')) }); }
    catch (e) { self.postMessage({ error: String(e && e.stack || e) }); }
  };`;

describe.skipIf(!haveChromium)('browser entry in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base = '';
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedlite-browser-'));
    const result = await build({
      entryPoints: [join(repo, 'src/index.ts')], bundle: true, format: 'esm', platform: 'browser',
      outfile: join(dir, 'bundle.js'), logLevel: 'silent', write: true,
    });
    expect(result.errors).toEqual([]);
    const files: Record<string, { body: Buffer | string; type: string }> = {
      '/': { body: PAGE, type: 'text/html' },
      '/bundle.js': { body: readFileSync(join(dir, 'bundle.js')), type: 'text/javascript' },
      '/worker.js': { body: WORKER, type: 'text/javascript' },
      '/model.tflite': { body: readFileSync(join(repo, 'fixtures/embedder.tflite')), type: 'application/octet-stream' },
      '/image.jpg': { body: readFileSync(join(repo, 'fixtures/demo/house.jpg')), type: 'image/jpeg' },
    };
    server = createServer((req, res) => {
      const f = files[req.url ?? ''];
      if (!f) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': f.type }).end(f.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // launch() gives Chromium a fresh, empty user-data dir of its own (and refuses a --user-data-dir argument).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-quic', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('embeds on the page and in a worker, equal to the vector from Node', async () => {
    const node = ImageEmbedder.createFromModelBuffer(readFileSync(join(repo, 'fixtures/embedder.tflite')), { l2Normalize: true });
    const expected = Array.from(node.embed(new Uint8Array(readFileSync(join(repo, 'fixtures/demo/house.jpg')))).embeddings[0]!.floatEmbedding!);

    const page = await browser.newPage();
    await page.goto(base);
    const onPage = await page.evaluate(`(async () => { ${EMBED_SOURCE}; return embedHere(await import('/bundle.js')); })()`) as number[];
    expect(onPage.length).toBe(expected.length);
    expect(onPage).toEqual(expected);

    const inWorker = await page.evaluate(`new Promise((resolve) => {
      const w = new Worker('/worker.js', { type: 'module' });
      w.onmessage = (e) => resolve(e.data);
      w.postMessage('go');
    })`) as { vector?: number[]; error?: string };
    expect(inWorker.error).toBeUndefined();
    expect(inWorker.vector).toEqual(expected);
  });
});
