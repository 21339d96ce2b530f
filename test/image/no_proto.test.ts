/**
 * The image decoders use no `__proto__`, no `Function(...)` and no Buffer polyfill: a browser bundle of src/image
 * runs under `node --disable-proto=throw` (as Deno runs code: Object.prototype.__proto__ disabled) and decodes
 * PNG and JPEG there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fixtureImages, repoRoot } from './helpers.js';

describe('image bundle without __proto__', () => {
  it('decodes PNG and JPEG under node --disable-proto=throw', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-proto-'));
    const bundle = path.join(dir, 'image.mjs');
    await build({
      entryPoints: [path.join(repoRoot, 'src/image/index.ts')], bundle: true, platform: 'browser', format: 'esm',
      outfile: bundle, logLevel: 'silent', minify: true,
    });
    const code = fs.readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/__proto__/);
    expect(code).not.toMatch(/new Function\(|[^.\w]Function\(/);
    const script = path.join(dir, 'run.mjs');
    fs.writeFileSync(script, `
      import fs from 'node:fs';
      import { decodeImage } from ${JSON.stringify(bundle)};
      for (const f of ['png_palette_trns.png', 'png_interlaced_rgba16.png', 'jpeg_gray.jpg', 'jpeg_cmyk_adobe.jpg']) {
        const frame = decodeImage(new Uint8Array(fs.readFileSync(${JSON.stringify(fixtureImages)} + '/' + f)));
        console.log(f, frame.format, frame.width, frame.height);
      }`);
    const r = spawnSync(process.execPath, ['--disable-proto=throw', script], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
  });
});
