/** `--profile` on embed, similarity and preprocess: one stderr line per image with the three timings (shape only). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = path.join(repo, 'fixtures/embedder.tflite');
const DEMO = path.join(repo, 'fixtures/demo');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-profile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const MS = '\\d+(?:\\.\\d+)? ms';
const line = (file: string, inference = MS): RegExp =>
  new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: decode ${MS}, preprocess ${MS}, inference ${inference}$`);

describe('--profile', () => {
  const a = path.join(DEMO, 'house.jpg'), b = path.join(DEMO, 'house_zoomed.jpg');

  it('similarity: a line per image on stderr, stdout unchanged', async () => {
    const r = await cli('similarity', '--model', MODEL, a, b, '--profile');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.err).toHaveLength(2);
    expect(r.err[0]).toMatch(line(a));
    expect(r.err[1]).toMatch(line(b));
    const plain = await cli('similarity', '--model', MODEL, a, b);
    expect(plain.err).toHaveLength(0);
  });

  it('embed: a line per embedded image, also from worker threads', async () => {
    for (const jobs of ['1', '2']) {
      const r = await cli('embed', '--model', MODEL, a, b, '--profile', '--jobs', jobs, '--progress', '0');
      expect(r.code).toBe(0);
      const lines = r.err.filter((l) => / decode /.test(l)).sort();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(line(a));
      expect(lines[1]).toMatch(line(b));
    }
  });

  it('preprocess: decode and preprocess times, no inference', async () => {
    const r = await cli('preprocess', a, '--size', '32x32', '--out', path.join(tmp, 'x.rgb'), '--profile');
    expect(r.code).toBe(0);
    expect(r.err).toEqual([expect.stringMatching(line(a, 'n/a'))]);
  });
});
