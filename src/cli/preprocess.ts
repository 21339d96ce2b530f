/**
 * `embedlite preprocess IMAGE [--size WxH] [--roi x,y,w,h] [--rotation deg] [--gray] [--no-exif] [--decoder D] --out FILE`
 *
 * Writes the uint8 pixels the image pipeline produces (RGB, or one channel with --gray): as a PNG when FILE ends in
 * `.png`, else raw row-major bytes; prints `WxHxC` and which it wrote. Without --size the output is the decoded
 * (EXIF-oriented unless --no-exif) image, cropped to --roi and rotated by --rotation (clockwise). The ROI is in
 * pixels of the decoded, oriented image. View raw output with e.g. `convert -size WxH -depth 8 rgb:FILE out.png`.
 * JPEGs decode as the Task Library decodes them (stb_image) unless --decoder libjpeg.
 */
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { decodeImage } from '../image/decode.js';
import { encodePng } from '../image/png_encode.js';
import { readBytes, writeBytes } from './files.js';
import { packedPixels } from '../image/frame_buffer.js';
import { preprocess, type PreprocessOptions } from '../image/preprocess.js';
import { parseArgs, UsageError } from './args.js';
import { ImageError } from '../../schema/errors.js';
import type { CliIo } from './io.js';
import { profileLine } from './profile.js';

export const PREPROCESS_USAGE =
  'usage: embedlite preprocess IMAGE [--size WxH] [--roi x,y,w,h] [--rotation deg] [--gray] [--no-exif] [--max-pixels N] ' +
  '[--scale 1/N] [--decoder stb|libjpeg] [--profile] --out FILE';

const DEFAULT_MAX_PIXELS = 100_000_000;

/** WxH, refused before anything is allocated when it is over the pixel budget. */
function parseSize(s: string, maxPixels: number): { width: number; height: number } {
  const m = /^(\d+)[xX](\d+)$/.exec(s.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new UsageError(`--size expects WxH with positive integers, got '${s}'`, PREPROCESS_USAGE);
  const width = Number(m[1]), height = Number(m[2]);
  if (width * height > maxPixels) {
    throw new UsageError(`--size ${width}x${height} is ${((width * height) / 1e6).toFixed(1)} MP, over the limit of ${(maxPixels / 1e6).toFixed(1)} MP (raise it with --max-pixels)`, PREPROCESS_USAGE);
  }
  return { width, height };
}

function parseRoi(s: string): { x: number; y: number; width: number; height: number } {
  const parts = s.split(',').map((p) => p.trim());
  if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p))) {
    throw new UsageError(`--roi expects x,y,w,h as non-negative integers, got '${s}'`, PREPROCESS_USAGE);
  }
  const [x, y, width, height] = parts.map(Number) as [number, number, number, number];
  return { x, y, width, height };
}

/** The `preprocess` subcommand (see the module comment). */
export function preprocessCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, {
    usage: PREPROCESS_USAGE,
    flags: {
      size: { type: 'string' }, roi: { type: 'string' }, rotation: { type: 'number' }, gray: { type: 'boolean' },
      'no-exif': { type: 'boolean' }, out: { type: 'string', short: 'o' }, 'max-pixels': { type: 'number' },
      scale: { type: 'string' }, decoder: { type: 'string' }, profile: { type: 'boolean' },
    },
    positionals: { min: 1, max: 1 },
  });
  if (args.help) {
    io.out(PREPROCESS_USAGE);
    io.out('  --out FILE   FILE.png: a PNG; any other name: raw bytes (WxHxC, row-major)');
    io.out('  --scale 1/N  decode a JPEG at 1/2, 1/4 or 1/8 in the DCT domain (as djpeg -scale 1/N)');
    io.out('  --decoder D  JPEG pixels of stb (stb_image, the Task Library; default) or libjpeg (libjpeg-turbo, browsers)');
    io.out('  --profile    print "IMAGE: decode N ms, preprocess N ms, inference n/a" on stderr');
    return 0;
  }
  const maxPixels = args.number('max-pixels') ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(maxPixels) || maxPixels < 1) throw new UsageError(`${args.flag('max-pixels')} needs a positive whole number, got ${maxPixels}`, PREPROCESS_USAGE);
  const out = args.string('out');
  if (!out) throw new UsageError('--out FILE is required', PREPROCESS_USAGE);
  const rotation = args.number('rotation') ?? 0;
  if (!Number.isInteger(rotation) || rotation % 90 !== 0) {
    throw new UsageError(`--rotation must be a multiple of 90, got ${rotation}`, PREPROCESS_USAGE);
  }
  const options: PreprocessOptions = { format: args.bool('gray') ? 'GRAY' : 'RGB', rotation };
  const size = args.string('size');
  if (size !== undefined) Object.assign(options, parseSize(size, maxPixels));
  const roi = args.string('roi');
  if (roi !== undefined) options.roi = parseRoi(roi);

  const scale = args.string('scale') ?? '1/1';
  const sm = /^1\/([1248])$/.exec(scale);
  if (!sm) throw new UsageError(`--scale expects 1/1, 1/2, 1/4 or 1/8, got '${scale}'`, PREPROCESS_USAGE);
  const decoder = args.string('decoder') ?? 'stb';
  if (decoder !== 'libjpeg' && decoder !== 'stb') {
    throw new UsageError(`--decoder expects libjpeg or stb, got '${decoder}'`, PREPROCESS_USAGE);
  }
  const file = args.positionals[0]!;
  let frame;
  const t0 = performance.now();
  try {
    frame = decodeImage(readBytes(file, 'cannot read image'), {
      exifOrientation: args.bool('no-exif') ? 'ignore' : 'apply', maxPixels,
      decodeScale: Number(sm[1]) as 1 | 2 | 4 | 8, jpegDecoder: decoder,
    });
  } catch (e) {
    if (e instanceof ImageError) throw new ImageError(`${file}: ${e.message}`);
    throw e;
  }
  const t1 = performance.now();
  const result = preprocess(frame, options);
  if (args.bool('profile')) io.err(profileLine(file, { decodeMs: t1 - t0, preprocessMs: performance.now() - t1 }));
  const pixels = packedPixels(result);
  const channels = result.format === 'GRAY' ? 1 : 3;
  const png = path.extname(out).toLowerCase() === '.png';
  writeBytes(out, png ? encodePng({ width: result.width, height: result.height, channels, data: pixels }, (raw) => deflateSync(raw)) : pixels);
  io.out(`${result.width}x${result.height}x${channels} (${png ? 'PNG' : 'raw bytes, no header'}) -> ${out}`);
  return 0;
}
