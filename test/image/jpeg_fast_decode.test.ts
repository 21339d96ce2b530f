/**
 * decodeScale: DCT-domain reduced JPEG decoding for the embedder (--fast-decode): the reduction picked keeps the
 * region of interest at least the model input, ROIs map onto the reduced frame, and embeddings stay close.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDecodeScale, decodeImage, scaleRegion } from '../../src/image/decode.js';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { repoRoot } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, run, synthPhoto } from './jpeg_tools.js';

describe('decodeScale', () => {
  it('chooses the largest reduction that keeps the minimum size', () => {
    expect(chooseDecodeScale(4000, 3000, 224, 224)).toBe(8);
    expect(chooseDecodeScale(1000, 800, 224, 224)).toBe(2);
    expect(chooseDecodeScale(1792, 1792, 224, 224)).toBe(8);
    expect(chooseDecodeScale(1784, 1792, 224, 224)).toBe(4); // ceil(1784 / 8) = 223
    expect(chooseDecodeScale(300, 300, 224, 224)).toBe(1);
  });

  it('maps regions onto the reduced frame, keeping every touched pixel', () => {
    expect(scaleRegion({ x: 9, y: 0, width: 10, height: 8 }, 4, 100, 100)).toEqual({ x: 2, y: 0, width: 3, height: 2 });
    expect(scaleRegion({ x: 399, y: 399, width: 1, height: 1 }, 8, 50, 50)).toEqual({ x: 49, y: 49, width: 1, height: 1 });
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('decodeImage: auto needs minSize, honours EXIF swaps, reports the reduction', () => {
    const jpeg = new Uint8Array(run('cjpeg', ['-quality', '90'], synthPhoto(1000, 600)));
    expect(() => decodeImage(jpeg, { decodeScale: 'auto' })).toThrow(/minSize/);
    const f = decodeImage(jpeg, { decodeScale: 'auto', minSize: { width: 224, height: 140 } });
    expect([f.width, f.height, f.scaleDenom]).toEqual([250, 150, 4]);
    expect(decodeImage(jpeg, { decodeScale: 8 }).width).toBe(125);
    expect(decodeImage(jpeg).scaleDenom).toBe(1);
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('embedder: auto gives embeddings close to full decoding, with ROI and rotation', () => {
    const model = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/embedder.tflite')));
    const jpeg = new Uint8Array(run('cjpeg', ['-quality', '90', '-sample', '2x2'], synthPhoto(1600, 1200)));
    const full = ImageEmbedder.createFromModelBuffer(model, {});
    const fast = ImageEmbedder.createFromModelBuffer(model, { decodeScale: 'auto' });
    for (const p of [{}, { regionOfInterest: { x: 100, y: 50, width: 900, height: 700 } }, { rotationDegrees: 90 },
      { regionOfInterest: { left: 0.5, top: 0.5, right: 1, bottom: 1 } }]) {
      const cos = ImageEmbedder.cosineSimilarity(full.embed(jpeg, p).embeddings[0]!, fast.embed(jpeg, p).embeddings[0]!);
      expect(cos, JSON.stringify(p)).toBeGreaterThan(0.97);
    }
    expect(() => fast.embed(jpeg, { regionOfInterest: { x: 1500, y: 0, width: 200, height: 10 } })).toThrow(/out of bounds/);
  });
});
