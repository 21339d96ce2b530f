/**
 * The photo-library run of the ecosystem issue, smaller (200 files; `LIBRARY_FILES=2000` for the full size):
 * JPEG/PNG/BMP in nested folders, 1% corrupt, some WebP. `embed --jobs 2` runs as a process and is killed
 * (SIGKILL) once part of its output is on disk — so the output is streamed — then `--resume` completes it: every
 * picture exactly once, in order, the right summary, exit 1 because of the corrupt files.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeLibrary } from './library_files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = path.join(repo, 'fixtures/embedder.tflite');
const FILES = Number(process.env['LIBRARY_FILES'] ?? 200);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-library-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function lineCount(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Starts `embed --jobs 2` and kills it with SIGKILL once `atLeast` lines are in `out`; resolves with the count then. */
function embedUntilKilled(dir: string, out: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'src/cli/main.ts'), 'embed', '--model', MODEL, dir, '--out', out, '--jobs', '2'], {
      cwd: repo, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '', seen = 0;
    child.stderr.on('data', (d: Buffer) => (err += d));
    const poll = setInterval(() => {
      seen = lineCount(out);
      if (seen >= atLeast) child.kill('SIGKILL');
    }, 20);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      if (signal !== 'SIGKILL') return reject(new Error(`embed ended before it was killed (exit ${code}): ${err}`));
      resolve(seen);
    });
  });
}

describe(`embed --jobs 2 over a ${FILES}-file library, killed, then --resume`, () => {
  it('streams its output, resumes without duplicates, and ends with the right summary and exit code', async () => {
    const dir = path.join(tmp, 'photos');
    const lib = writeLibrary(dir, FILES);
    const out = path.join(tmp, 'embeddings.jsonl');
    const before = await embedUntilKilled(dir, out, Math.floor(lib.good.length / 4));
    expect(before).toBeGreaterThanOrEqual(Math.floor(lib.good.length / 4));
    expect(before).toBeLessThan(lib.good.length);

    const err: string[] = [];
    const code = await main(['embed', '--model', MODEL, dir, '--out', out, '--resume', '--jobs', '2'], { out: () => {}, err: (l) => err.push(l) });
    expect(code).toBe(1);
    const kept = lineCount(out) - (lib.good.length - before);
    expect(kept).toBeGreaterThanOrEqual(before); // the killed run may have written one more line after the last poll
    const summary = `embedded ${lib.good.length - kept}, already in the output ${kept}, skipped ${lib.unsupported.length} (unsupported format), failed ${lib.corrupt.length}`;
    expect(err, err.join('\n')).toContain(summary);
    console.log(`library of ${FILES}: killed after ${kept} lines; resumed: ${summary}`);
    const paths = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path);
    expect(paths).toEqual(lib.good);
  });
});
