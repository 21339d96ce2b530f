/**
 * `embedlite preprocess IMAGE [--size WxH] [--roi x,y,w,h] [--rotation deg] [--gray] [--no-exif] --out FILE`
 *
 * Writes the raw uint8 pixels the image pipeline produces (row-major RGB, or one channel with --gray) and prints
 * `WxHxC`. Without --size the output is the decoded (EXIF-oriented unless --no-exif) image, cropped to --roi and
 * rotated by --rotation (clockwise). The ROI is in pixels of the decoded, oriented image. For debugging a model's
 * preprocessing: view the output with e.g. `convert -size WxH -depth 8 rgb:FILE out.png`.
 */
import fs from 'node:fs';
import { decodeImage } from '../image/decode.js';
import { packedPixels } from '../image/frame_buffer.js';
import { preprocess, type PreprocessOptions } from '../image/preprocess.js';
import { parseArgs, UsageError } from './args.js';
import type { CliIo } from './io.js';

export const PREPROCESS_USAGE =
  'usage: embedlite preprocess IMAGE [--size WxH] [--roi x,y,w,h] [--rotation deg] [--gray] [--no-exif] --out FILE';

function parseSize(s: string): { width: number; height: number } {
  const m = /^(\d+)[xX](\d+)$/.exec(s.trim());
  if (!m || Number(m[1]) <= 0 || Number(m[2]) <= 0) throw new UsageError(`--size expects WxH with positive integers, got '${s}'`, PREPROCESS_USAGE);
  return { width: Number(m[1]), height: Number(m[2]) };
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
      'no-exif': { type: 'boolean' }, out: { type: 'string', short: 'o' },
    },
    positionals: { min: 1, max: 1 },
  });
  if (args.help) {
    io.out(PREPROCESS_USAGE);
    return 0;
  }
  const out = args.string('out');
  if (!out) throw new UsageError('--out FILE is required', PREPROCESS_USAGE);
  const rotation = args.number('rotation') ?? 0;
  if (!Number.isInteger(rotation) || rotation % 90 !== 0) {
    throw new UsageError(`--rotation must be a multiple of 90, got ${rotation}`, PREPROCESS_USAGE);
  }
  const options: PreprocessOptions = { format: args.bool('gray') ? 'GRAY' : 'RGB', rotation };
  const size = args.string('size');
  if (size !== undefined) Object.assign(options, parseSize(size));
  const roi = args.string('roi');
  if (roi !== undefined) options.roi = parseRoi(roi);

  const frame = decodeImage(new Uint8Array(fs.readFileSync(args.positionals[0]!)), {
    exifOrientation: args.bool('no-exif') ? 'ignore' : 'apply',
  });
  const result = preprocess(frame, options);
  const pixels = packedPixels(result);
  fs.writeFileSync(out, pixels);
  io.out(`${result.width}x${result.height}x${result.format === 'GRAY' ? 1 : 3}`);
  return 0;
}
