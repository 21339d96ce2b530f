/**
 * The demo page (demo/, `npm run demo`) in headless Chromium: two real photos give the similarity Node computes,
 * with the time per stage and the backend shown; a folder gives a grid ranked as Node ranks it, re-ranked on a
 * click. The screenshot taken by the test must not be blank, nor the committed docs/demo.png (shown in the README);
 * `EMBEDLITE_UPDATE_DOCS=1 npx vitest run test/demo` writes the fresh screenshot over docs/demo.png.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/serve.js';
import { ImageEmbedder, decodeImage, packedPixels } from '../../src/index.js';
import { IMAGES, repoRoot, sharedAvailable } from '../helpers/models.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) console.warn(`SKIPPED demo page test: needs Debian's chromium at ${CHROMIUM} (.ci/run installs it)`);
const DEMO = path.join(repoRoot, 'fixtures/demo');
const DOCS_SCREENSHOT = path.join(repoRoot, 'docs/demo.png');
const updateDocs = process.env.EMBEDLITE_UPDATE_DOCS === '1';

const embedder = ImageEmbedder.createFromModelBuffer(fs.readFileSync(path.join(repoRoot, 'fixtures/embedder.tflite')));
const vectorOf = (file: string): Float32Array => embedder.embed(new Uint8Array(fs.readFileSync(file))).embeddings[0]!.floatEmbedding!;

describe.skipIf(!haveChromium)('demo page in headless Chromium', () => {
  let server: Server, browser: Browser, page: Page, url = '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-demo-'));
  const folder = path.join(tmp, 'photos');
  const screenshot = updateDocs ? DOCS_SCREENSHOT : path.join(tmp, 'demo.png');

  beforeAll(async () => {
    ({ server, url } = await startDemo({ port: 0 }));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('model')!.textContent!.includes('backend'));
    fs.mkdirSync(folder);
    for (const f of fs.readdirSync(DEMO)) fs.copyFileSync(path.join(DEMO, f), path.join(folder, f));
    if (sharedAvailable) for (const f of [IMAGES.burger, IMAGES.burgerCrop, IMAGES.catsAndDogs, IMAGES.colorGrid]) fs.copyFileSync(f, path.join(folder, path.basename(f)));
    else console.warn('demo page test: ../shared absent, the folder holds the three demo pictures only');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('two photos: the similarity Node computes, the time per stage, the backend', async () => {
    await page.setInputFiles('#file0', path.join(DEMO, 'house.jpg'));
    await page.setInputFiles('#file1', path.join(DEMO, 'house_zoomed.jpg'));
    await page.waitForFunction(() => document.getElementById('similarity')!.dataset['value'] !== undefined);
    const shown = Number(await page.getAttribute('#similarity', 'data-value'));
    const node = ImageEmbedder.cosineSimilarity(vectorOf(path.join(DEMO, 'house.jpg')), vectorOf(path.join(DEMO, 'house_zoomed.jpg')));
    console.log(`demo page: similarity ${shown.toFixed(6)} (Node ${node.toFixed(6)})`);
    expect(shown).toBeCloseTo(node, 9);
    expect(await page.textContent('#similarity')).toBe(node.toFixed(6));
    for (const k of [0, 1]) {
      expect(await page.textContent(`#slot${k} .caption`)).toMatch(/ · \d+x\d+ · decode [\d.]+ ms · resize [\d.]+ ms · inference [\d.]+ ms$/);
    }
    expect(await page.textContent('#backend')).toMatch(/^backend \S/);
  });

  it('a folder: a grid ranked as Node ranks it, re-ranked by a click', async () => {
    await page.setInputFiles('#folder', folder);
    await page.waitForFunction(() => document.getElementById('status')!.dataset['done'] !== undefined);
    const files = fs.readdirSync(folder).sort();
    expect(Number(await page.getAttribute('#status', 'data-done'))).toBe(files.length);
    const grid = async (): Promise<{ name: string; score: number }[]> => page.$$eval('#grid .cell', (cells) =>
      cells.map((c) => ({ name: (c as HTMLElement).dataset['name']!, score: Number((c as HTMLElement).dataset['score']) })));
    const nodeRanking = (query: string): { name: string; score: number }[] => {
      const q = vectorOf(path.join(folder, query));
      return files.map((f) => ({ name: f, score: ImageEmbedder.cosineSimilarity(q, vectorOf(path.join(folder, f))) })).sort((a, b) => b.score - a.score);
    };
    const check = async (query: string): Promise<void> => {
      const shown = await grid(), want = nodeRanking(query);
      expect(shown.map((c) => path.basename(c.name))).toEqual(want.map((c) => c.name));
      shown.forEach((c, i) => expect(c.score).toBeCloseTo(want[i]!.score, 9));
    };
    await check(files[0]!); // the first photo is the query until another is clicked
    await page.click('#grid .cell[data-name$="house.jpg"]');
    await check('house.jpg');
    await page.screenshot({ path: screenshot, fullPage: true });
  });

  it.each([['the fresh screenshot', () => screenshot], ['docs/demo.png', () => DOCS_SCREENSHOT]])('%s is not blank', (name, file) => {
    const shot = decodeImage(new Uint8Array(fs.readFileSync(file())));
    const px = packedPixels(shot), channels = px.length / (shot.width * shot.height);
    const colours = new Set<number>();
    let differing = 0;
    const bg = [px[0]!, px[1]!, px[2]!];
    for (let i = 0; i < px.length; i += channels) {
      colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
      if (Math.abs(px[i]! - bg[0]!) + Math.abs(px[i + 1]! - bg[1]!) + Math.abs(px[i + 2]! - bg[2]!) > 30) differing++;
    }
    console.log(`${name}: ${shot.width}x${shot.height}, ${colours.size} colours, ${((100 * differing) / (shot.width * shot.height)).toFixed(1)}% off the background`);
    expect(shot.width).toBeGreaterThanOrEqual(800);
    expect(colours.size).toBeGreaterThan(1000); // photos in the grid, not a flat page
    expect(differing / (shot.width * shot.height)).toBeGreaterThan(0.05);
  });
});
