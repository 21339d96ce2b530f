/**
 * `embed` and `nearest` over folders as a photo library has them, one test per finding of the ecosystem issue:
 * folders recurse, unsupported and unreadable files are counted and listed, a missing path is one failure, exit 0
 * only when nothing failed (embed and nearest alike), --jobs keeps the order, --resume continues a file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { writeLibrary, type Library } from './library_files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = path.join(repo, 'fixtures/embedder.tflite');
const DEMO = path.join(repo, 'fixtures/demo');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-batch-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const pathsOf = (file: string): string[] => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path);

let lib: Library;
const libDir = path.join(tmp, 'library');
beforeAll(() => {
  lib = writeLibrary(libDir, 120); // 114 pictures in 3 nested folders, 1 corrupt, 2 WebP (one named .jpg), ...
  fs.writeFileSync(path.join(libDir, 'year0', 'notes.txt'), 'not a picture');
});

describe('embed over a photo library', () => {
  it('recurses into folders, lists skipped and failed files in a closing summary, exits 1 when something failed', async () => {
    const out = path.join(tmp, 'all.jsonl');
    const r = await cli('embed', '--model', MODEL, libDir, '--out', out, '--jobs', '1');
    expect(r.code).toBe(1);
    expect(pathsOf(out)).toEqual(lib.good);
    const summary = r.err.indexOf(`embedded ${lib.good.length}, skipped ${lib.unsupported.length + 1} (unsupported format), failed ${lib.corrupt.length}`);
    expect(summary, r.err.join('\n')).toBeGreaterThanOrEqual(0);
    const listed = r.err.slice(summary).join('\n');
    for (const f of [...lib.unsupported, ...lib.corrupt, path.join(libDir, 'year0', 'notes.txt')]) expect(listed).toContain(f);
    // A failure is also reported when it happens, with its path.
    expect(r.err.slice(0, summary)).toContainEqual(expect.stringMatching(new RegExp(`^embedlite: ${lib.corrupt[0]}: .*JPEG`)));
  });

  it('a folder of WebP says so and embeds nothing (it said "wrote 0 embedding(s)")', async () => {
    const dir = path.join(tmp, 'webp');
    fs.mkdirSync(dir);
    for (const f of lib.unsupported) fs.copyFileSync(f, path.join(dir, path.basename(f)));
    const r = await cli('embed', '--model', MODEL, dir, '--out', path.join(tmp, 'webp.jsonl'));
    expect(r.code).toBe(0);
    expect(r.err).toContain(`embedded 0, skipped ${lib.unsupported.length} (unsupported format), failed 0`);
  });

  it('--no-recursive stays in the folder', async () => {
    const r = await cli('embed', '--model', MODEL, path.join(libDir, 'year0'), '--no-recursive', '--json');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.err).toContain('embedded 0, skipped 1 (unsupported format), failed 0');
  });

  it('a missing path is one failure, not an abort; a file named on the command line in another format fails', async () => {
    const out = path.join(tmp, 'missing.jsonl');
    const missing = path.join(tmp, 'no-such.jpg');
    const r = await cli('embed', '--model', MODEL, missing, DEMO, lib.unsupported[0]!, '--out', out);
    expect(r.code).toBe(1);
    expect(pathsOf(out).map((p) => path.basename(p))).toEqual(['checkerboard.png', 'house.jpg', 'house_zoomed.jpg']);
    expect(r.err).toContain(`embedlite: cannot read '${missing}': no such file or directory (ENOENT)`);
    expect(r.err).toContain('embedded 3, failed 2');
  });

  it('--jobs 2 writes the same lines in the same order as --jobs 1', async () => {
    const one = path.join(tmp, 'one.jsonl'), two = path.join(tmp, 'two.jsonl');
    const dir = path.join(libDir, 'year0', 'album01');
    expect((await cli('embed', '--model', MODEL, dir, '--out', one, '-j', '1')).code).toBe(1);
    expect((await cli('embed', '--model', MODEL, dir, '--out', two, '-j', '2')).code).toBe(1);
    expect(fs.readFileSync(two, 'utf8')).toBe(fs.readFileSync(one, 'utf8'));
  });

  it('--resume embeds only what is missing and repairs a cut-off last line', async () => {
    const out = path.join(tmp, 'resume.jsonl');
    const dir = path.join(libDir, 'year0', 'album00');
    await cli('embed', '--model', MODEL, dir, '--out', out, '-j', '1');
    const full = fs.readFileSync(out, 'utf8');
    const lines = full.split('\n');
    // As if killed while writing line 11: ten whole lines and half of the next.
    fs.writeFileSync(out, `${lines.slice(0, 10).join('\n')}\n${lines[10]!.slice(0, 50)}`);
    const r = await cli('embed', '--model', MODEL, dir, '--out', out, '--resume', '-j', '1');
    expect(r.code).toBe(0);
    expect(r.err).toContainEqual(expect.stringMatching(/^embedded 39, already in the output 10, skipped 1 \(unsupported format\), failed 0$/));
    expect(fs.readFileSync(out, 'utf8')).toBe(full);
    expect((await cli('embed', '--model', MODEL, dir, '--resume')).code).toBe(2); // --resume needs --out
  });

  it('progress goes to stderr as a line every N images when it is not a terminal', async () => {
    const r = await cli('embed', '--model', MODEL, path.join(libDir, 'year0', 'album00'), '--progress', '20', '-j', '1', '--json');
    expect(r.err.filter((l) => l.startsWith('progress: '))).toEqual([
      expect.stringMatching(/^progress: 20\/49 \(40%\)/), expect.stringMatching(/^progress: 40\/49 \(81%\)/), expect.stringMatching(/^progress: 49\/49 \(100%\)/),
    ]);
    expect(r.out.length).toBe(49); // one line per picture (the WebP is skipped by its name)
  });
});

describe('nearest', () => {
  it('exits 1 after per-file errors, as embed does (it exited 0)', async () => {
    const r = await cli('nearest', '--model', MODEL, path.join(DEMO, 'house.jpg'), DEMO, lib.corrupt[0]!, '-k', '2');
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(2);
    expect(r.err).toContainEqual(expect.stringMatching(new RegExp(`^embedlite: ${lib.corrupt[0]}: .*JPEG`)));
  });

  it('--index ranks a saved embed output like embedding the folder does', async () => {
    const index = path.join(tmp, 'index.jsonl');
    const dir = path.join(libDir, 'year0', 'album02');
    await cli('embed', '--model', MODEL, dir, '--out', index);
    const query = pathsOf(index)[7]!;
    const folder = await cli('nearest', '--model', MODEL, query, dir, '-k', '5');
    const inIndex = await cli('nearest', '--index', index, query, '-k', '5'); // the query's vector comes from the index
    const outside = await cli('nearest', '--index', index, path.join(DEMO, 'house.jpg'), '--model', MODEL, '-k', '3');
    expect(folder.code).toBe(0);
    expect(inIndex.code).toBe(0);
    const rank = (lines: string[]): [string, number][] => lines.map((l) => { const [, , s, p] = l.split(/\s+/); return [p!, Number(s)]; });
    const a = rank(folder.out), b = rank(inIndex.out);
    expect(b.map(([p]) => p)).toEqual(a.map(([p]) => p));
    b.forEach(([, s], i) => expect(s).toBeCloseTo(a[i]![1], 5));
    expect(outside.out).toHaveLength(3);
    const notThere = await cli('nearest', '--index', index, path.join(DEMO, 'house.jpg'));
    expect(notThere).toMatchObject({ code: 2, err: [expect.stringMatching(/is not in .*index\.jsonl: give --model to embed it/)] });
  });
});

describe('command-line details', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(await cli('--version')).toMatchObject({ code: 0, out: [`embedlite ${pkg.version}`] });
  });

  it('names flags as typed: `-k abc` is reported as -k (it said --k)', async () => {
    const r = await cli('nearest', '--model', MODEL, path.join(DEMO, 'house.jpg'), DEMO, '-k', 'abc');
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^embedlite: -k expects a number, got 'abc'/);
    expect((await cli('nearest', '--model', MODEL, path.join(DEMO, 'house.jpg'), DEMO, '-k', '0')).err[0]).toMatch(/^embedlite: -k needs a positive whole number, got 0/);
    expect((await cli('nearest', '--model', MODEL, path.join(DEMO, 'house.jpg'), DEMO, '--k', '1.5')).err[0]).toMatch(/^embedlite: --k needs/);
    expect((await cli('embed', '--model', MODEL, DEMO, '-j', '0')).err[0]).toMatch(/^embedlite: -j needs a positive whole number/);
    expect((await cli('embed', '--model', MODEL, DEMO, '-x')).err[0]).toMatch(/^embedlite: unknown option -x/);
  });

  it('--max-pixels is a flag (an error named it but it did not exist)', async () => {
    const r = await cli('similarity', '--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house.jpg'), '--max-pixels', '1000');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/house\.jpg.*pixel budget of 0\.0 MP/);
    expect((await cli('similarity', '--model', MODEL, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house.jpg'), '--max-pixels', '100000000')).code).toBe(0);
  });

  it('file errors name the path: a folder as an image (EISDIR), a folder as the model', async () => {
    const r = await cli('similarity', '--model', MODEL, DEMO, path.join(DEMO, 'house.jpg'));
    expect(r).toMatchObject({ code: 1, err: [`embedlite: cannot read image '${DEMO}': is a directory, not a file (EISDIR)`] });
    const m = await cli('similarity', '--model', DEMO, path.join(DEMO, 'house.jpg'), path.join(DEMO, 'house.jpg'));
    expect(m).toMatchObject({ code: 1, err: [`embedlite: cannot read model '${DEMO}': is a directory, not a file (EISDIR)`] });
  });
});
