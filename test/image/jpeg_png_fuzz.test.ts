/**
 * Seeded mutation fuzzing of the JPEG and PNG decoders: 5,000 mutated JPEGs (baseline, progressive, restarts,
 * grey, CMYK, odd sampling; decoded with libjpeg and stb pixels, at reduced scales and streamed into a resize) and 2,000 mutated PNGs
 * (every colour type, interlaced, palette + tRNS; most with their CRCs recomputed after the mutation) must each give pixels or an ImageError: never another error,
 * a crash or a hang. The slowest case is printed (no timed assertion).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { decodeImage } from '../../src/image/decode.js';
import { decodeAndPreprocess } from '../../src/image/decode_preprocess.js';
import { crc32 } from '../../src/image/png.js';
import { encodeJpeg, fixtureImages, readBytes, rng } from './helpers.js';
import { HAVE_CONVERT, HAVE_LIBJPEG_TOOLS, run, synthPhoto } from './jpeg_tools.js';

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const at = (): number => Math.floor(r() * b.length);
  switch (Math.floor(r() * 7)) {
    case 0: for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) b[at()] ^= 1 << Math.floor(r() * 8); return b;
    case 1: for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) b[at()] = Math.floor(r() * 256); return b;
    case 2: return b.subarray(0, Math.floor(r() * b.length));
    case 3: { // headers: the first 700 bytes hold the markers / IHDR, tables and the start of the data
      const p = Math.floor(r() * Math.min(700, b.length));
      b[p] = [0, 0xff, 0x7f, 0x80, 1, Math.floor(r() * 256)][Math.floor(r() * 6)]!;
      return b;
    }
    case 4: { // insert random bytes
      const p = at(), n = 1 + Math.floor(r() * 16);
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, p)); for (let i = 0; i < n; i++) out[p + i] = Math.floor(r() * 256); out.set(b.subarray(p), p + n);
      return out;
    }
    case 5: { // a marker in the middle of the data
      const p = at();
      b[p] = 0xff; if (p + 1 < b.length) b[p + 1] = [0xd9, 0xd0 + Math.floor(r() * 8), 0xda, 0xc4, 0xdb, 0x00][Math.floor(r() * 6)]!;
      return b;
    }
    default: { // copy a span elsewhere (duplicated segments and chunks)
      const s = at(), d = at(), n = Math.min(1 + Math.floor(r() * 64), b.length - Math.max(s, d));
      b.copyWithin(d, s, s + n);
      return b;
    }
  }
}

/** Recomputes every chunk CRC of a (mutated) PNG, so that mutations reach past the CRC checks. */
function fixPngCrcs(b: Uint8Array): Uint8Array {
  for (let o = 8; o + 12 <= b.length;) {
    const len = ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
    if (o + 12 + len > b.length) break;
    const c = crc32(b, o + 4, o + 8 + len);
    b[o + 8 + len] = c >>> 24; b[o + 9 + len] = (c >>> 16) & 255; b[o + 10 + len] = (c >>> 8) & 255; b[o + 11 + len] = c & 255;
    o += 12 + len;
  }
  return b;
}

function campaign(seeds: Uint8Array[], count: number, seed: number, label: string): void {
  const r = rng(seed);
  let decoded = 0, refused = 0, slowest = 0, slowestCase = -1;
  for (let i = 0; i < count; i++) {
    let input = mutate(seeds[i % seeds.length]!, r);
    if (label === 'PNG' && i % 4 !== 3) input = fixPngCrcs(input.slice());
    const options = [{}, { jpegDecoder: 'stb' as const }, { decodeScale: 2 as const }, { decodeScale: 8 as const }][i % 4]!;
    const t0 = performance.now();
    try {
      // Every third case also through the streaming path (rows straight into a shrinking resize).
      const f = i % 3 === 2
        ? decodeAndPreprocess(input, { maxPixels: 1 << 22, ...options }, { width: 7, height: 5 }).frame
        : decodeImage(input, { maxPixels: 1 << 22, ...options });
      expect(f.width * f.height).toBeGreaterThan(0);
      decoded++;
    } catch (e) {
      if (!(e instanceof ImageError)) throw new Error(`${label} case ${i}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      refused++;
    }
    const ms = performance.now() - t0;
    if (ms > slowest) { slowest = ms; slowestCase = i; }
  }
  console.log(`${label} fuzz: ${decoded} decoded, ${refused} refused with ImageError; slowest case ${slowestCase}: ${slowest.toFixed(1)} ms`);
  expect(decoded + refused).toBe(count);
}

function jpegSeeds(): Uint8Array[] {
  const seeds = [readBytes(path.join(fixtureImages, 'jpeg_gray.jpg')), readBytes(path.join(fixtureImages, 'jpeg_cmyk_adobe.jpg'))];
  const photo = new Uint8Array(40 * 24 * 3);
  for (let i = 0; i < photo.length; i++) photo[i] = (i * 37 + (i >> 5) * 11) & 255;
  seeds.push(encodeJpeg(photo, 40, 24, 80));
  if (HAVE_LIBJPEG_TOOLS) {
    const ppm = synthPhoto(45, 29);
    for (const args of [['-sample', '2x2'], ['-progressive'], ['-progressive', '-restart', '1'], ['-restart', '2B'],
      ['-sample', '2x1', '-optimize'], ['-grayscale', '-progressive'], ['-sample', '1x2,2x1,1x1'], ['-sample', '4x1']]) {
      seeds.push(new Uint8Array(run('cjpeg', args, ppm)));
    }
  }
  return seeds;
}

function pngSeeds(): Uint8Array[] {
  const names = fs.readdirSync(fixtureImages).filter((n) => n.endsWith('.png'));
  const seeds = names.map((n) => readBytes(path.join(fixtureImages, n))).filter((b) => b.length < 20000);
  if (HAVE_CONVERT) {
    const src = `ppm:-`;
    const ppm = synthPhoto(23, 17);
    for (const args of [['-colors', '7', '-define', 'png:color-type=3', '-interlace', 'PNG'], ['-colorspace', 'Gray', '-depth', '2', '-define', 'png:color-type=0'],
      ['-depth', '16', '-define', 'png:color-type=2', '-interlace', 'PNG']]) {
      seeds.push(new Uint8Array(run('convert', [src, ...args, 'png:-'], ppm)));
    }
  }
  return seeds;
}

describe('fuzz: mutated JPEGs and PNGs decode or throw ImageError', () => {
  it('5,000 mutated JPEGs (seeded)', () => campaign(jpegSeeds(), 5000, 20261128, 'JPEG'));
  it('2,000 mutated PNGs (seeded)', () => campaign(pngSeeds(), 2000, 1128, 'PNG'));
});
