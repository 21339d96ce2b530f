import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { decodeImage } from '../../src/image/index.js';
import { encodeJpeg, fixtureImages, readBytes, rng } from './helpers.js';

/** One seeded mutation: byte flips, overwrites, truncation, insertion, or a 16/32-bit header field smashed. */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const kind = Math.floor(r() * 6);
  const b = src.slice();
  const at = (): number => Math.floor(r() * b.length);
  switch (kind) {
    case 0: for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[at()] ^= 1 << Math.floor(r() * 8); return b;
    case 1: for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[at()] = Math.floor(r() * 256); return b;
    case 2: return b.subarray(0, Math.floor(r() * b.length));
    case 3: {
      const p = at(), n = 1 + Math.floor(r() * 16);
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, p)); for (let i = 0; i < n; i++) out[p + i] = Math.floor(r() * 256); out.set(b.subarray(p), p + n);
      return out;
    }
    case 4: { // header region: the first 64 bytes hold sizes, depths, offsets
      const p = Math.floor(r() * Math.min(64, b.length - 4));
      const v = [0, 0xff, 0x7f, 0x80][Math.floor(r() * 4)]!;
      b[p] = v; b[p + 1] = v; if (r() < 0.5) { b[p + 2] = v; b[p + 3] = v; }
      return b;
    }
    default: { // copy a random span elsewhere (duplicated markers and chunks)
      const s = at(), d = at(), n = Math.min(1 + Math.floor(r() * 32), b.length - Math.max(s, d));
      b.copyWithin(d, s, s + n);
      return b;
    }
  }
}

describe('fuzz: mutated JPEG/PNG/BMP files decode or throw ImageError', () => {
  it('1,000 mutated files (seeded)', () => {
    const r = rng(20240607);
    const photo = new Uint8Array(48 * 32 * 3);
    for (let i = 0; i < photo.length; i++) photo[i] = (i * 37 + (i >> 5) * 11) & 255;
    const seeds = [
      encodeJpeg(photo, 48, 32, 80),
      readBytes(path.join(fixtureImages, 'jpeg_gray.jpg')),
      readBytes(path.join(fixtureImages, 'png_rgb8.png')),
      readBytes(path.join(fixtureImages, 'png_interlaced_rgba16.png')),
      readBytes(path.join(fixtureImages, 'png_palette_trns.png')),
      readBytes(path.join(fixtureImages, 'bmp24.bmp')),
      readBytes(path.join(fixtureImages, 'bmp8_palette.bmp')),
      readBytes(path.join(fixtureImages, 'bmp32_alpha.bmp')),
    ];
    const t0 = performance.now();
    let decoded = 0, refused = 0;
    for (let i = 0; i < 1000; i++) {
      const input = mutate(seeds[i % seeds.length]!, r);
      try {
        // A small pixel budget keeps mutated sizes from making single cases slow.
        const f = decodeImage(input, { maxPixels: 1 << 20 });
        expect(f.width * f.height).toBeGreaterThan(0);
        decoded++;
      } catch (e) {
        if (!(e instanceof ImageError)) throw new Error(`case ${i}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        refused++;
      }
    }
    const ms = performance.now() - t0;
    console.log(`fuzz: ${decoded} decoded, ${refused} refused with ImageError, ${ms.toFixed(0)} ms`);
    expect(decoded + refused).toBe(1000);
  });
});
