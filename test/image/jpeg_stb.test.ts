/**
 * The stb_image variant of the JPEG decoder (the Task Library's pixels): equal byte for byte to stbi_load(file, 0)
 * compiled from Debian's libstb-dev (test/oracle/taskpix.c) on the generated corpus and ../shared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { decodeImage } from '../../src/image/decode.js';
import { decodeJpegPixels } from '../../src/image/jpeg/index.js';
import { loadTaskpixOracle } from '../helpers/taskpix_oracle.js';
import { hasShared, sharedImages } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, jpegCorpus } from './jpeg_tools.js';

const oracle = loadTaskpixOracle();

function checkAll(files: string[]): void {
  const results = oracle!.run(files.map((file) => ({ kind: 'decode' as const, file })));
  files.forEach((file, i) => {
    const r = results[i]!;
    const bytes = new Uint8Array(fs.readFileSync(file));
    if (!r.ok) {
      expect(() => decodeJpegPixels(bytes, { variant: 'stb' }), `${file}: stb refuses it (${r.error})`).toThrow(ImageError);
      return;
    }
    const got = decodeJpegPixels(bytes, { variant: 'stb' });
    expect([got.width, got.height, got.channels], file).toEqual([r.width, r.height, r.channels]);
    let differ = 0;
    for (let k = 0; k < got.data.length; k++) if (got.data[k] !== r.data[k]) differ++;
    expect(differ, `${file}: bytes that differ from stbi_load`).toBe(0);
  });
}

describe.skipIf(!oracle)('JPEG stb variant equals stbi_load(desired channels 0)', () => {
  it.skipIf(!HAVE_LIBJPEG_TOOLS)('generated corpus (every sampling factor, progressive, restarts, grey, RGB, CMYK)', () => {
    const { files } = jpegCorpus();
    checkAll(files.map((f) => f.file));
  });

  it.skipIf(!hasShared)('../shared/images', () => {
    const dirs = [sharedImages, path.join(sharedImages, 'jpeg')];
    checkAll(dirs.flatMap((d) => fs.readdirSync(d).filter((n) => n.endsWith('.jpg')).map((n) => path.join(d, n))));
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('truncated files are refused, as stb refuses them', () => {
    const f = jpegCorpus().files.find((x) => x.name === 'photo-420')!;
    const cut = new Uint8Array(fs.readFileSync(f.file)).subarray(0, 5000);
    expect(() => decodeJpegPixels(cut, { variant: 'stb' })).toThrow(/stb_image refuses/);
    expect(decodeJpegPixels(cut).warnings.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasShared)('decodeImage jpegDecoder option', () => {
  it('libjpeg and stb differ on a 4:2:0 photo and agree on sizes; PNG is the same in both', () => {
    const jpg = new Uint8Array(fs.readFileSync(path.join(sharedImages, 'burger_rotation180.jpg')));
    const a = decodeImage(jpg, { jpegDecoder: 'libjpeg' }), b = decodeImage(jpg, { jpegDecoder: 'stb' });
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(Buffer.compare(a.planes[0]!.data, b.planes[0]!.data)).not.toBe(0);
    const png = new Uint8Array(fs.readFileSync(path.join(sharedImages, 'color_grid.png')));
    expect(Buffer.compare(decodeImage(png, { jpegDecoder: 'stb' }).planes[0]!.data, decodeImage(png).planes[0]!.data)).toBe(0);
    expect(() => decodeImage(jpg, { jpegDecoder: 'turbo' as 'stb' })).toThrow(/jpegDecoder/);
  });
});
