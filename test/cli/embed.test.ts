/** `embedlite similarity | embed | nearest` with the default model and the demo pictures. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = path.join(repo, 'fixtures/embedder.tflite');
const DEMO = path.join(repo, 'fixtures/demo');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-embed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('embedlite similarity', () => {
  it('prints the cosine similarity with six decimals, like the Task Library demo', async () => {
    const r = await cli('similarity', '--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house_zoomed.jpg'));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/^Cosine similarity: 0\.9\d{5}$/);
    const other = await cli('similarity', '--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'checkerboard.png'));
    expect(Number(other.out[0]!.split(': ')[1])).toBeLessThan(Number(r.out[0]!.split(': ')[1]) - 0.5);
  });

  it('applies --roi/--rotation to image A and the -b forms to image B', async () => {
    const a = path.join(DEMO, 'house.jpg');
    const same = await cli('similarity', '--model', MODEL, a, a, '--roi', '0,0,160,120', '--roi-b', '0,0,160,120', '--rotation', '90', '--rotation-b', '90');
    expect(same.out[0]).toBe('Cosine similarity: 1.000000');
    const differ = await cli('similarity', '--model', MODEL, a, a, '--roi', '0,0,160,120');
    expect(Number(differ.out[0]!.split(': ')[1])).toBeLessThan(0.999);
  });

  it('--quantize and --l2-normalize give nearly the float similarity', async () => {
    const args = ['--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house_zoomed.jpg')];
    const f = Number((await cli('similarity', ...args)).out[0]!.split(': ')[1]);
    const q = Number((await cli('similarity', ...args, '--l2-normalize', '--quantize')).out[0]!.split(': ')[1]);
    expect(Math.abs(f - q)).toBeLessThan(0.01);
  });

  it('errors are one line and a non-zero exit', async () => {
    const missing = await cli('similarity', '--model', MODEL, path.join(DEMO, 'nope.jpg'), path.join(DEMO, 'house.jpg'));
    expect(missing.code).toBe(1);
    expect(missing.err).toHaveLength(1);
    expect(missing.err[0]).toMatch(/^embedlite: .*nope\.jpg/);
    const notImage = await cli('similarity', '--model', MODEL, MODEL, path.join(DEMO, 'house.jpg'));
    expect(notImage.code).toBe(1);
    expect(notImage.err[0]).toMatch(/^embedlite: /);
    expect(notImage.err[0]).not.toMatch(/internal error|\n/);
    const usage = await cli('similarity', path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house.jpg'));
    expect(usage.code).toBe(2);
    expect(usage.err[0]).toMatch(/--model is required/);
    const badRoi = await cli('similarity', '--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house.jpg'), '--roi', '0,0,9999,10');
    expect(badRoi.code).toBe(1);
    expect(badRoi.err).toHaveLength(1);
  });
});

describe('embedlite embed and nearest', () => {
  it('embed writes one JSON line per image of a folder', async () => {
    const out = path.join(tmp, 'e.jsonl');
    const r = await cli('embed', '--model', MODEL, DEMO, '--out', out);
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => path.basename(l['path'] as string))).toEqual(['checkerboard.png', 'house.jpg', 'house_zoomed.jpg']);
    for (const l of lines) {
      expect(l['headIndex']).toBe(0);
      expect(l['headName']).toBe('embedding');
      expect((l['embedding'] as number[]).length).toBe(205);
    }
    const json = await cli('embed', '--model', MODEL, path.join(DEMO, 'house.jpg'), '--json', '--quantize', '--l2-normalize');
    const line = JSON.parse(json.out[0]!) as { quantized: boolean; embedding: number[] };
    expect(line.quantized).toBe(true);
    expect(line.embedding.every((v) => Number.isInteger(v) && v >= -128 && v <= 127)).toBe(true);
  });

  it('nearest ranks the other view of the scene first', async () => {
    const r = await cli('nearest', '--model', MODEL, path.join(DEMO, 'house.jpg'), DEMO, '-k', '2');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(/^\s+1\s+0\.9\d+\s+.*house_zoomed\.jpg$/);
    expect(r.out[1]).toMatch(/checkerboard\.png$/);
  });
});
