/**
 * The image fuzzer: case `i` of seed `s` is a JPEG (a seed file with field mutations), a PNG or a BMP (built from
 * fields, then broken), run through the public API — readImageInfo, decodeImage (with the decoder options of the
 * day), then preprocess of the decoded frame. Failures must be ImageErrors (EmbedliteErrors); a decoder that
 * returns a frame validateFrameBuffer refuses is an escape too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EmbedliteError } from '../../schema/errors.js';
import { decodeImage, readImageInfo, type DecodeOptions } from '../../src/image/decode.js';
import { validateFrameBuffer } from '../../src/image/frame_buffer.js';
import { preprocess } from '../../src/image/preprocess.js';
import { repoRoot } from '../helpers/models.js';
import { fuzzBmp } from './bmp_builder.js';
import { mutateJpeg } from './jpeg_mutator.js';
import { type Rand, caseRng, int, pick } from './model_mutator.js';
import { fuzzPng } from './png_builder.js';

/** Pixel budget of fuzzed images (4 MP): big enough for every seed, small enough to keep cases fast. */
export const FUZZ_MAX_PIXELS = 1 << 22;

export interface JpegSeed { name: string; bytes: Uint8Array }

export function jpegSeeds(): JpegSeed[] {
  const dirs = [path.join(repoRoot, 'test/fuzz/seeds'), path.join(repoRoot, 'fixtures/images')];
  return dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.jpg')).sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(d, f))) })));
}

export interface ImageCase { format: 'jpeg' | 'png' | 'bmp'; mutations: string[]; bytes: Uint8Array }

export function imageCase(seeds: readonly JpegSeed[], seed: number, index: number): ImageCase {
  const r = caseRng(seed ^ 0x1a6e, index);
  const x = r();
  if (x < 0.5) {
    const s = pick(r, seeds);
    const m = mutateJpeg(s.bytes, r);
    return { format: 'jpeg', mutations: [s.name, ...m.mutations], bytes: m.bytes };
  }
  if (x < 0.8) return { format: 'png', ...fuzzPng(r) };
  return { format: 'bmp', ...fuzzBmp(r) };
}

/** Thrown for a decoder result that breaks the FrameBuffer contract (an escape, though no exception escaped). */
export class InvalidFrameEscape extends Error {}

export function runImageCase(bytes: Uint8Array, r: Rand): string {
  let outcome = 'decoded';
  try {
    readImageInfo(bytes);
  } catch (e) {
    if (!(e instanceof EmbedliteError)) throw e;
  }
  const scale = pick(r, ['full', 'full', 'full', 2, 4, 8, 'auto'] as const);
  const options: DecodeOptions = {
    maxPixels: FUZZ_MAX_PIXELS,
    exifOrientation: pick(r, ['apply', 'ignore', 'tag'] as const),
    // Both JPEG decoders (libjpeg-exact and stb_image-exact) and the DCT-domain reductions.
    jpegDecoder: pick(r, ['stb', 'libjpeg'] as const),
    decodeScale: scale,
    ...(scale === 'auto' ? { minSize: { width: 1 + int(r, 16), height: 1 + int(r, 16) } } : {}),
  };
  let frame;
  try {
    frame = decodeImage(bytes, options);
  } catch (e) {
    if (e instanceof EmbedliteError) return e.constructor.name;
    throw e;
  }
  try {
    validateFrameBuffer(frame);
  } catch (e) {
    throw new InvalidFrameEscape(`decodeImage returned an invalid frame: ${(e as Error).message}`);
  }
  try {
    preprocess(frame, { width: 1 + int(r, 9), height: 1 + int(r, 9), format: r() < 0.5 ? 'RGB' : 'GRAY' });
  } catch (e) {
    if (!(e instanceof EmbedliteError)) throw e;
    outcome = `decoded, preprocess ${e.constructor.name}`;
  }
  return outcome;
}
