import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import {
  decodeImage, detectImageFormat, packedPixels, readImageInfo,
} from '../../src/image/index.js';
import { encodeJpeg, fixtureImages, hasShared, readBytes, repoRoot, sharedImages } from './helpers.js';

interface Refs {
  exact: Record<string, { layout: string; width: number; height: number; sha256: string; samples16?: string }>;
  jpeg: Record<string, { layout: string; width: number; height: number; step: number; samples: string; fullMaxDiff: number; fullMeanDiff: number }>;
  refused: Record<string, string>;
}
const refs = JSON.parse(fs.readFileSync(path.join(repoRoot, 'fixtures/image_refs.json'), 'utf8')) as Refs;

function fileOf(key: string): string {
  return key.startsWith('shared/') ? path.join(sharedImages, key.slice('shared/images/'.length)) : path.join(repoRoot, key);
}
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('decoding matches ImageMagick exactly (PNG, BMP)', () => {
  for (const [key, ref] of Object.entries(refs.exact)) {
    const shared = key.startsWith('shared/');
    it.skipIf(shared && !hasShared)(key, () => {
      const frame = decodeImage(readBytes(fileOf(key)));
      expect(frame.format.toLowerCase()).toBe(ref.layout);
      expect([frame.width, frame.height]).toEqual([ref.width, ref.height]);
      const ours = packedPixels(frame);
      if (!ref.samples16) {
        expect(sha(ours)).toBe(ref.sha256);
        return;
      }
      // 16-bit PNG: ImageMagick's 16-bit samples reduced by round(v * 255 / 65535) must give our bytes exactly
      // (IM6 itself truncates, so its own 8-bit output is within 1).
      const s16 = Buffer.from(ref.samples16, 'base64');
      expect(s16.length).toBe(2 * ours.length);
      let maxVsIm8 = 0;
      for (let i = 0; i < ours.length; i++) {
        const v = s16.readUInt16BE(2 * i);
        expect(ours[i]).toBe(Math.floor((v * 255) / 65535 + 0.5));
        maxVsIm8 = Math.max(maxVsIm8, Math.abs(ours[i]! - Math.floor(v / 257)));
      }
      expect(maxVsIm8).toBeLessThanOrEqual(1);
    });
  }
  it('covers every PNG variant asked for', () => {
    const keys = Object.keys(refs.exact).join(' ');
    for (const v of ['png_rgb8', 'png_rgb16', 'png_gray8', 'png_gray16', 'png_gray4', 'png_palette', 'png_palette_trns',
      'png_graya8', 'png_rgba8', 'png_rgba16', 'png_interlaced', 'bmp24', 'bmp24_topdown', 'bmp32_alpha', 'bmp8_gray',
      'bmp8_palette', 'bmp4_palette', 'bmp16_565']) {
      expect(keys).toContain(`fixtures/images/${v}.`);
    }
  });
});

describe('JPEG decoding vs ImageMagick (libjpeg)', () => {
  for (const [key, ref] of Object.entries(refs.jpeg)) {
    it.skipIf(key.startsWith('shared/') && !hasShared)(key, () => {
      const frame = decodeImage(readBytes(fileOf(key)), { exifOrientation: 'ignore' });
      expect([frame.format.toLowerCase(), frame.width, frame.height]).toEqual([ref.layout, ref.width, ref.height]);
      const ch = ref.layout === 'gray' ? 1 : 3;
      const rgb = packedPixels(frame);
      const samples = Buffer.from(ref.samples, 'base64');
      let max = 0, sum = 0, n = 0;
      for (let y = 0; y < ref.height; y += ref.step) {
        for (let x = 0; x < ref.width; x += ref.step) {
          for (let c = 0; c < ch; c++) {
            const d = Math.abs(rgb[ch * (y * ref.width + x) + c]! - samples[n]!);
            max = Math.max(max, d); sum += d; n++;
          }
        }
      }
      expect(n).toBe(samples.length);
      const mean = sum / n;
      console.log(`${key}: sampled max ${max} mean ${mean.toFixed(3)} (full image at fixture time: max ${ref.fullMaxDiff} mean ${ref.fullMeanDiff})`);
      // Our decoder is libjpeg-exact (ImageMagick decodes with libjpeg-turbo); only Adobe CMYK differs, by up to 1:
      // ImageMagick converts CMYK to RGB in 16-bit quantum arithmetic, we as djpeg does (round(C * K / 255)).
      expect(max).toBeLessThanOrEqual(/cmyk/.test(key) ? 1 : 0);
    });
  }
  it('covers the progressive photo, a grey JPEG (decoded as GRAY) and an Adobe CMYK JPEG', () => {
    expect(Object.keys(refs.jpeg)).toEqual(expect.arrayContaining([
      'shared/images/cats_and_dogs.jpg', 'fixtures/images/jpeg_gray.jpg', 'fixtures/images/jpeg_cmyk_adobe.jpg']));
    expect(refs.jpeg['fixtures/images/jpeg_gray.jpg']!.layout).toBe('gray');
  });
});

describe('format detection and refusals', () => {
  it('detects from bytes, not names', () => {
    expect(detectImageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(detectImageFormat(readBytes(path.join(fixtureImages, 'png_rgb8.png')))).toBe('png');
    expect(detectImageFormat(readBytes(path.join(fixtureImages, 'bmp24.bmp')))).toBe('bmp');
    expect(detectImageFormat(new TextEncoder().encode('GIF89a....'))).toBeUndefined();
  });
  it('refuses unknown formats with ImageError naming them', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'))).toThrow(/GIF/);
    expect(() => decodeImage(new Uint8Array(0))).toThrow(ImageError);
  });
  for (const [key, message] of Object.entries(refs.refused)) {
    it(`refuses ${key}`, () => {
      expect(() => decodeImage(readBytes(fileOf(key)))).toThrow(ImageError);
      expect(() => decodeImage(readBytes(fileOf(key)))).toThrow(message);
    });
  }
  it('refuses 4-component JPEGs without an Adobe marker and arithmetic coding clearly', () => {
    const jpeg = encodeJpeg(new Uint8Array(16 * 16 * 3), 16, 16);
    const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    const cmyk = jpeg.slice();
    cmyk[sof + 9] = 4;
    expect(() => decodeImage(cmyk)).toThrow(/4-component|CMYK|corrupt/);
    const arith = jpeg.slice();
    arith[sof + 1] = 0xc9;
    expect(() => decodeImage(arith)).toThrow(/arithmetic/);
  });
});

describe('limits', () => {
  function pngWithSize(w: number, h: number): Uint8Array {
    const b = readBytes(path.join(fixtureImages, 'png_rgb8.png')).slice();
    new DataView(b.buffer).setUint32(16, w);
    new DataView(b.buffer).setUint32(20, h);
    return b;
  }
  it('refuses images over the pixel budget before decoding', () => {
    expect(() => decodeImage(pngWithSize(20000, 20000))).toThrow(/pixel budget/);
    expect(() => decodeImage(pngWithSize(13, 7), { maxPixels: 90 })).toThrow(/pixel budget/);
    const jpeg = encodeJpeg(new Uint8Array(16 * 16 * 3), 16, 16);
    expect(() => decodeImage(jpeg, { maxPixels: 255 })).toThrow(/pixel budget/);
    expect(decodeImage(jpeg, { maxPixels: 256 }).width).toBe(16);
    const bmp = readBytes(path.join(fixtureImages, 'bmp24.bmp')).slice();
    new DataView(bmp.buffer).setInt32(18, 60000, true);
    new DataView(bmp.buffer).setInt32(22, 60000, true);
    expect(() => decodeImage(bmp)).toThrow(/pixel budget/);
  });
  it('refuses zero dimensions', () => {
    expect(() => decodeImage(pngWithSize(0, 7))).toThrow(/empty size/);
    const jpeg = encodeJpeg(new Uint8Array(16 * 16 * 3), 16, 16).slice();
    const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
    jpeg[sof + 5] = 0; jpeg[sof + 6] = 0; // height 0
    expect(() => decodeImage(jpeg)).toThrow(/empty size/);
    const bmp = readBytes(path.join(fixtureImages, 'bmp24.bmp')).slice();
    new DataView(bmp.buffer).setInt32(18, 0, true);
    expect(() => decodeImage(bmp)).toThrow(/empty size/);
  });
  it('turns truncation into ImageError', () => {
    for (const f of ['png_rgb8.png', 'bmp24.bmp', 'bmp8_palette.bmp']) {
      const b = readBytes(path.join(fixtureImages, f));
      expect(() => decodeImage(b.subarray(0, b.length - 40))).toThrow(ImageError);
    }
    const jpeg = encodeJpeg(new Uint8Array(32 * 32 * 3).fill(90), 32, 32);
    for (const cut of [1, 3, 20, 200]) {
      try {
        decodeImage(jpeg.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(ImageError);
        continue;
      }
      throw new Error(`truncated JPEG of ${cut} bytes decoded`);
    }
  });
  it('readImageInfo reads size and orientation from headers', () => {
    expect(readImageInfo(readBytes(path.join(fixtureImages, 'bmp24_topdown.bmp')))).toEqual({ format: 'bmp', width: 13, height: 7, orientation: 1 });
    expect(readImageInfo(readBytes(path.join(fixtureImages, 'png_interlaced.png')))).toEqual({ format: 'png', width: 13, height: 7, orientation: 1 });
  });
});
