/** `embedlite preprocess`: raw pixels of the image pipeline, printed WxHxC. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { decodeImage, packedPixels, preprocess } from '../../src/image/index.js';
import { encodeJpeg, fixtureImages, withExifOrientation } from '../image/helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-preprocess-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(['preprocess', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const png = path.join(fixtureImages, 'png_rgb8.png'); // 13x7

describe('embedlite preprocess', () => {
  it('without --size writes the decoded image', async () => {
    const file = path.join(tmp, 'a.rgb');
    const r = await cli(png, '--out', file);
    expect(r).toMatchObject({ code: 0, out: [`13x7x3 (raw bytes, no header) -> ${file}`] });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(packedPixels(decodeImage(new Uint8Array(fs.readFileSync(png)))));
  });
  it('--size --roi --rotation --gray equal the library pipeline', async () => {
    const file = path.join(tmp, 'b.gray');
    const r = await cli(png, '--size', '4x6', '--roi', '1,1,10,5', '--rotation', '-90', '--gray', '--out', file);
    expect(r).toMatchObject({ code: 0, out: [expect.stringMatching(/^4x6x1 \(raw/)] });
    const want = preprocess(decodeImage(new Uint8Array(fs.readFileSync(png))), {
      width: 4, height: 6, roi: { x: 1, y: 1, width: 10, height: 5 }, rotation: -90, format: 'GRAY',
    });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(packedPixels(want));
  });
  it('applies EXIF orientation unless --no-exif', async () => {
    const jpeg = withExifOrientation(encodeJpeg(new Uint8Array(16 * 8 * 3).fill(128), 16, 8), 6);
    const src = path.join(tmp, 'exif.jpg');
    fs.writeFileSync(src, jpeg);
    expect((await cli(src, '--out', path.join(tmp, 'c.rgb'))).out[0]).toMatch(/^8x16x3 /);
    expect((await cli(src, '--no-exif', '--out', path.join(tmp, 'c.rgb'))).out[0]).toMatch(/^16x8x3 /);
  });
  it('reports usage mistakes (exit 2) and image errors (exit 1) on one line', async () => {
    expect((await cli(png)).code).toBe(2);
    expect((await cli(png, '--size', '12', '--out', path.join(tmp, 'x'))).code).toBe(2);
    expect((await cli(png, '--rotation', '45', '--out', path.join(tmp, 'x'))).code).toBe(2);
    const oob = await cli(png, '--roi', '10,0,5,5', '--out', path.join(tmp, 'x'));
    expect(oob.code).toBe(1);
    expect(oob.err).toEqual([expect.stringMatching(/^embedlite: region of interest .* out of bounds/)]);
    const bad = path.join(tmp, 'bad.png');
    fs.writeFileSync(bad, fs.readFileSync(png).subarray(0, 40));
    expect((await cli(bad, '--out', path.join(tmp, 'x'))).code).toBe(1);
  });

  it('writes a PNG for a .png name and says so (it wrote raw RGB before)', async () => {
    const file = path.join(tmp, 'out.png');
    const r = await cli(png, '--size', '5x4', '--out', file);
    expect(r).toMatchObject({ code: 0, out: [`5x4x3 (PNG) -> ${file}`] });
    const back = decodeImage(new Uint8Array(fs.readFileSync(file)));
    expect([back.width, back.height]).toEqual([5, 4]);
    expect(packedPixels(back)).toEqual(packedPixels(preprocess(decodeImage(new Uint8Array(fs.readFileSync(png))), { width: 5, height: 4, format: 'RGB' })));
    const gray = path.join(tmp, 'gray.PNG');
    expect((await cli(png, '--gray', '--out', gray)).out[0]).toMatch(/^13x7x1 \(PNG\)/);
    expect(decodeImage(new Uint8Array(fs.readFileSync(gray))).width).toBe(13);
  });
  it('refuses an absurd --size before allocating, naming --max-pixels', async () => {
    const r = await cli(png, '--size', '100000x100000', '--out', path.join(tmp, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/^embedlite: --size 100000x100000 is 10000\.0 MP, over the limit of 100\.0 MP \(raise it with --max-pixels\)/)]);
    expect((await cli(png, '--size', '200x200', '--max-pixels', '1000', '--out', path.join(tmp, 'x'))).code).toBe(2);
    expect((await cli(png, '--size', '20x20', '--max-pixels', '1000', '--out', path.join(tmp, 'x'))).code).toBe(0);
  });
  it('names the path in file errors: a directory as the image, a missing image, an unwritable output', async () => {
    const dir = await cli(tmp, '--out', path.join(tmp, 'x'));
    expect(dir).toMatchObject({ code: 1, err: [`embedlite: cannot read image '${tmp}': is a directory, not a file (EISDIR)`] });
    const missing = await cli(path.join(tmp, 'none.png'), '--out', path.join(tmp, 'x'));
    expect(missing.err[0]).toContain(`'${path.join(tmp, 'none.png')}': no such file or directory (ENOENT)`);
    const unwritable = await cli(png, '--out', path.join(tmp, 'no/such/dir/x.png'));
    expect(unwritable).toMatchObject({ code: 1, err: [expect.stringContaining(`cannot write '${path.join(tmp, 'no/such/dir/x.png')}'`)] });
    expect(unwritable.err[0]).not.toMatch(/internal error/);
  });
});
