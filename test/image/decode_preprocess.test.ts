/**
 * decodeAndPreprocess streams a JPEG's rows into the resize (a band of a few rows instead of a full frame): its
 * output must equal preprocess(decodeImage(...)) byte for byte, for every libyuv shrinking path (bilinear, box,
 * point sampling, rows only), odd sizes and ROIs, sampling factors, progressive files, restart intervals, both
 * pixel variants, DCT scales and EXIF tags; damaged files must give the same warnings, and the same errors.
 */
import { describe, expect, it } from 'vitest';
import { decodeImage, type DecodeOptions } from '../../src/image/decode.js';
import { decodeAndPreprocess } from '../../src/image/decode_preprocess.js';
import { JpegRows } from '../../src/image/jpeg/rows.js';
import { packedPixels } from '../../src/image/frame_buffer.js';
import { preprocess, type PreprocessOptions } from '../../src/image/preprocess.js';
import { encodeJpeg, rng, withExifOrientation } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, run, synthPhoto } from './jpeg_tools.js';

type Outcome = { error: string } | { width: number; height: number; orientation: number; pixels: Uint8Array; warnings: string[] };

function viaFrame(bytes: Uint8Array, d: DecodeOptions, p: PreprocessOptions): Outcome {
  try {
    const decoded = decodeImage(bytes, d);
    const f = preprocess(decoded, p);
    return { width: f.width, height: f.height, orientation: f.orientation, pixels: packedPixels(f), warnings: decoded.warnings };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaRows(bytes: Uint8Array, d: DecodeOptions, p: PreprocessOptions): Outcome & { streamed?: boolean } {
  try {
    const r = decodeAndPreprocess(bytes, d, p);
    const f = r.frame;
    return { width: f.width, height: f.height, orientation: f.orientation, pixels: packedPixels(f), warnings: r.warnings, streamed: r.streamed };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Compares the two paths; returns whether the rows were streamed. */
function expectSame(bytes: Uint8Array, d: DecodeOptions, p: PreprocessOptions, label: string): boolean {
  const a = viaFrame(bytes, d, p);
  const { streamed, ...b } = viaRows(bytes, d, p);
  if ('error' in a || 'error' in b) {
    expect(b, label).toEqual(a);
    return false;
  }
  expect([b.width, b.height, b.orientation, b.warnings], label).toEqual([a.width, a.height, a.orientation, a.warnings]);
  let diff = -1;
  for (let i = 0; i < a.pixels.length; i++) if (a.pixels[i] !== b.pixels[i]) { diff = i; break; }
  expect(diff, `${label}: first differing byte`).toBe(-1);
  return streamed === true;
}

function ppm(width: number, height: number): Uint8Array {
  return synthPhoto(width, height);
}

/** JPEGs of odd sizes and every layout the decoder has (cjpeg when installed, else jpeg-js). */
function files(): { name: string; bytes: Uint8Array }[] {
  if (!HAVE_LIBJPEG_TOOLS) {
    const p = ppm(301, 197);
    return [{ name: 'jpeg-js 301x197', bytes: encodeJpeg(p.subarray(p.length - 301 * 197 * 3), 301, 197, 90) }];
  }
  const cj = (w: number, h: number, args: string[]): Uint8Array => new Uint8Array(run('cjpeg', args, ppm(w, h)));
  return [
    { name: '301x197 4:2:0', bytes: cj(301, 197, ['-quality', '90', '-sample', '2x2']) },
    { name: '299x203 4:4:4 restart 2 rows', bytes: cj(299, 203, ['-quality', '85', '-sample', '1x1', '-restart', '2']) },
    { name: '257x131 4:2:2 progressive', bytes: cj(257, 131, ['-quality', '80', '-sample', '2x1', '-progressive']) },
    { name: '163x277 4:4:0', bytes: cj(163, 277, ['-quality', '75', '-sample', '1x2']) },
    { name: '333x95 4:1:1 restart 7 blocks', bytes: cj(333, 95, ['-quality', '70', '-sample', '4x1', '-restart', '7B']) },
    { name: '17x9 4:2:0', bytes: cj(17, 9, ['-quality', '90', '-sample', '2x2']) },
  ];
}

describe('decodeAndPreprocess: JPEG rows streamed into the resize == preprocess(decodeImage(...))', () => {
  const corpus = files();

  it('every shrinking path, odd ROIs and rotations, both variants and DCT scales', () => {
    let streamed = 0, total = 0;
    const decs: DecodeOptions[] = [{}, { jpegDecoder: 'stb' }, { decodeScale: 2 }, { decodeScale: 8 }];
    for (const f of corpus) {
      for (const d of decs) {
        const info = decodeImage(f.bytes, d);
        const W = info.width, H = info.height;
        const roi = { x: Math.floor(W / 5), y: Math.floor(H / 7), width: Math.max(1, W - Math.floor(W / 5) - 3), height: Math.max(1, H - Math.floor(H / 7) - 1) };
        const pres: PreprocessOptions[] = [
          { width: 224, height: 224 }, // bilinear (enlarging for the small files: not streamed)
          { width: 37, height: 23 }, // bilinear down
          { width: Math.max(1, W >> 1), height: Math.max(1, H >> 1) }, // box 2x2 when even, else bilinear
          { width: Math.max(1, W >> 2), height: Math.max(1, H >> 2) },
          { width: W, height: Math.max(1, H >> 1) }, // rows only (equal width)
          { width: Math.max(1, Math.floor(W / 3)), height: Math.max(1, Math.floor(H / 3)) }, // odd steps: point sampling
          { width: 29, height: 31, roi, rotation: 90 },
          { width: 13, height: 11, roi: { x: W - 1, y: H - 2, width: 1, height: 2 } },
          { width: 40, height: 30, format: 'GRAY', roi, rotation: 270 },
          { width: W, height: H }, // no resize: not streamed
        ];
        if (W >= 110 && H >= 90) {
          pres.push(
            { width: 50, height: 40, roi: { x: 3, y: 5, width: 100, height: 80 } }, // 2x2 box (ScaleARGBDown2)
            { width: 25, height: 20, roi: { x: 3, y: 5, width: 100, height: 80 } }, // even steps (ScaleARGBDownEven)
            { width: 33, height: 20, roi: { x: 1, y: 2, width: 99, height: 60 } }, // odd steps: ScaleARGBSimple
          );
        }
        for (const p of pres) {
          total++;
          if (expectSame(f.bytes, d, p, `${f.name} ${JSON.stringify(d)} ${JSON.stringify(p)}`)) streamed++;
        }
      }
    }
    expect(streamed).toBeGreaterThan(total / 2);
  });

  it('EXIF orientations: tagged and ignored ones stream, applied ones resize an upright view of the stored frame', () => {
    const f = corpus[0]!;
    const { width: W, height: H } = decodeImage(f.bytes, { exifOrientation: 'ignore' });
    const pres: PreprocessOptions[] = [
      { width: 50, height: 40, rotation: 180 },
      { width: 300, height: 260 }, // enlarging (ScaleARGBBilinearUp)
      { width: 23, height: 37, roi: { x: 3, y: 5, width: Math.min(W, H) - 9, height: Math.min(W, H) - 7 }, rotation: 90 },
      { width: 8, height: 6, roi: { x: 1, y: 2, width: 16, height: 12 } }, // 2x2 box
      { width: 12, height: 13, format: 'GRAY', roi: { x: 0, y: 1, width: 36, height: 39 } }, // odd steps
    ];
    for (let o = 1; o <= 8; o++) {
      const bytes = withExifOrientation(f.bytes, o);
      for (const exifOrientation of ['apply', 'ignore', 'tag'] as const) {
        for (const d of [{ exifOrientation }, { exifOrientation, jpegDecoder: 'stb' as const }]) {
          for (const p of pres) expectSame(bytes, d, p, `orientation ${o} ${JSON.stringify(d)} ${JSON.stringify(p)}`);
        }
      }
    }
  });

  it('EXIF turns by 90 degrees, applied: a bilinear shrink reads the upright columns from the stored rows as they come', () => {
    let streamed = 0;
    for (const f of corpus.slice(0, 4)) {
      for (const o of [5, 6, 7, 8]) {
        const bytes = withExifOrientation(f.bytes, o);
        const up = decodeImage(bytes);
        const W = up.width, H = up.height;
        const pres: PreprocessOptions[] = [
          { width: 37, height: 23 },
          { width: Math.max(1, (W >> 1) - 1), height: Math.max(1, Math.floor(H / 3) + 1) },
          { width: 9, height: 11, roi: { x: 2, y: 3, width: W - 5, height: H - 4 }, rotation: 270 },
          { width: 5, height: 4, roi: { x: W - 7, y: H - 6, width: 7, height: 6 } },
        ];
        for (const d of [{}, { jpegDecoder: 'stb' as const }, { decodeScale: 2 as const }]) {
          for (const p of pres) if (expectSame(bytes, d, p, `${f.name} orientation ${o} ${JSON.stringify(d)} ${JSON.stringify(p)}`)) streamed++;
        }
      }
    }
    expect(streamed).toBeGreaterThan(100);
  });

  it('damaged files: same pixels and warnings, or the same error (stb refuses truncated data)', () => {
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const f = corpus[i % corpus.length]!;
      const b = f.bytes.slice();
      const at = 300 + Math.floor(r() * (b.length - 300));
      let bytes: Uint8Array;
      if (i % 3 === 0) bytes = b.subarray(0, at);
      else { b[at] ^= 1 << Math.floor(r() * 8); bytes = b; }
      const d: DecodeOptions = i % 2 ? { jpegDecoder: 'stb' } : {};
      expectSame(bytes, d, { width: 41, height: 27 }, `case ${i} ${f.name}`);
      if (i % 4 === 0) expectSame(withExifOrientation(bytes, 6), d, { width: 41, height: 27 }, `case ${i} ${f.name}, orientation 6`);
    }
  });

  it('the band holds one iMCU row plus two rows, whatever the image height', () => {
    if (!HAVE_LIBJPEG_TOOLS) return;
    const bytes = new Uint8Array(run('cjpeg', ['-quality', '90', '-sample', '2x2'], ppm(640, 480)));
    const rows = new JpegRows(bytes, {});
    expect(rows.data.length).toBe(640 * 3 * (16 + 2));
    let last = 0;
    for (let y = 0; y < 479; y += 3) last = rows.rows(y, y + 1);
    expect(last).toBeLessThan(rows.data.length);
    expect(() => rows.rows(0, 1)).toThrow(/internal/);
    expect(rows.finish()).toEqual([]);
  });
});
