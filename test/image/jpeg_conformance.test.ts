/**
 * The JPEG decoder against libjpeg-turbo: every file of the generated corpus and of ../shared/images(/jpeg) must
 * equal `djpeg -dct int` byte for byte at full size and at 1/2, 1/4 and 1/8 (or be refused, as djpeg refuses it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { decodeJpegPixels } from '../../src/image/jpeg/index.js';
import { hasShared, sharedImages } from './helpers.js';
import { djpeg, HAVE_LIBJPEG_TOOLS, jpegCorpus } from './jpeg_tools.js';

function compare(file: string, bytes: Uint8Array, scale: 1 | 2 | 4 | 8): void {
  const ref = djpeg(file, scale);
  if (!ref) {
    expect(() => decodeJpegPixels(bytes, { scaleDenom: scale }), `${file}: djpeg refuses it`).toThrow(ImageError);
    return;
  }
  const got = decodeJpegPixels(bytes, { scaleDenom: scale });
  expect([got.width, got.height, got.channels], `${file} 1/${scale} size`).toEqual([ref.width, ref.height, ref.channels]);
  let differ = 0;
  for (let i = 0; i < got.data.length; i++) if (got.data[i] !== ref.data[i]) differ++;
  expect(differ, `${file} at 1/${scale}: bytes that differ from djpeg -dct int`).toBe(0);
}

describe.skipIf(!HAVE_LIBJPEG_TOOLS)('JPEG decoding equals djpeg -dct int', () => {
  it('generated corpus: sampling factors, progressive, restarts, grey, RGB, CMYK, qualities, odd sizes', () => {
    const { files } = jpegCorpus();
    expect(files.length).toBeGreaterThan(40);
    for (const f of files) {
      const bytes = new Uint8Array(fs.readFileSync(f.file));
      for (const s of [1, 2, 4, 8] as const) compare(f.file, bytes, s);
    }
  });

  it('truncated sequential files: the missing part is grey, as in libjpeg, with a warning', () => {
    const { files } = jpegCorpus();
    for (const name of ['photo-420', 'photo-444', 'photo-rst1', 'photo-grey', 'photo-411']) {
      const f = files.find((x) => x.name === name)!;
      const full = new Uint8Array(fs.readFileSync(f.file));
      for (const frac of [0.4, 0.75, 0.98]) {
        const cut = full.subarray(0, Math.floor(full.length * frac));
        const file = `${f.file}.cut${frac}.jpg`;
        fs.writeFileSync(file, cut);
        compare(file, cut, 1);
        compare(file, cut, 2);
        expect(decodeJpegPixels(cut).warnings.join(' ')).toMatch(/missing/);
      }
    }
  });

  it.skipIf(!hasShared)('../shared/images: photos and libjpeg-turbo test images', () => {
    const dirs = [sharedImages, path.join(sharedImages, 'jpeg')];
    const jpegs = dirs.flatMap((d) => fs.readdirSync(d).filter((n) => n.endsWith('.jpg')).map((n) => path.join(d, n)));
    expect(jpegs.length).toBeGreaterThanOrEqual(9);
    for (const file of jpegs) {
      const bytes = new Uint8Array(fs.readFileSync(file));
      for (const s of [1, 2, 4, 8] as const) {
        if (file.endsWith('testimgari.jpg') || file.endsWith('monkey12.jpg')) continue;
        compare(file, bytes, s);
      }
    }
  });
});

describe.skipIf(!hasShared)('refused JPEGs say why', () => {
  it('arithmetic coding and 12-bit samples', () => {
    const read = (n: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(sharedImages, 'jpeg', n)));
    expect(() => decodeJpegPixels(read('testimgari.jpg'))).toThrow(/arithmetic-coded/);
    expect(() => decodeJpegPixels(read('monkey12.jpg'))).toThrow(/12-bit samples/);
  });
});

describe('scan bomb', () => {
  it('a file of thousands of empty progressive scans is refused quickly', () => {
    const { files } = HAVE_LIBJPEG_TOOLS ? jpegCorpus() : { files: [] };
    const f = files.find((x) => x.name === 'photo-prog');
    if (!f) return;
    const bytes = new Uint8Array(fs.readFileSync(f.file));
    // Repeat the last scan (SOS header + data up to EOI) 1,500 times.
    let sos = -1;
    for (let i = bytes.length - 4; i > 2; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xda) { sos = i; break; }
    const scan = bytes.subarray(sos, bytes.length - 2);
    const out = new Uint8Array(sos + scan.length * 1500 + 2);
    out.set(bytes.subarray(0, sos));
    for (let k = 0; k < 1500; k++) out.set(scan, sos + k * scan.length);
    out.set([0xff, 0xd9], out.length - 2);
    expect(() => decodeJpegPixels(out)).toThrow(/more than 1000 scans/);
  });
});
