/**
 * Regenerates fixtures/image_refs.json from ImageMagick (Debian package `imagemagick`, `convert` of IM6), so the
 * tests do not need ImageMagick. Run: `npx tsx test/image/make_image_refs.ts` (set IM_CONVERT to the binary if
 * `convert` on PATH is not ImageMagick).
 *
 * - exact: for every PNG/BMP (fixtures/images and ../shared/images), the sha256 of ImageMagick's 8-bit raw pixels
 *   in the layout our decoder produces (rgb, rgba or gray), with that layout and the size; for 16-bit PNGs also
 *   ImageMagick's 16-bit samples (big-endian, base64), since IM6 reduces 16 to 8 bits by truncation (floor(v/257),
 *   alpha 255 - floor((65535 - v)/257)) where we round (round(v * 255 / 65535), as libpng's strip_16 and pngjs);
 * - jpeg: for every JPEG (fixtures/images and ../shared/images), ImageMagick's RGB (or grey) sampled on a grid (every `step` pixels in x and y,
 *   base64), plus the max/mean absolute difference of our decoder over the full image at generation time;
 * - refused: files our decoder rejects on purpose (e.g. RLE BMP), with the message.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../src/image/decode.js';
import { packedPixels } from '../../src/image/frame_buffer.js';
import { readPngInfo } from '../../src/image/png.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const shared = path.resolve(repo, '../shared/images');
const fixtures = path.join(repo, 'fixtures/images');
const convert = process.env.IM_CONVERT ?? (fs.existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert');

function im(file: string, layout: string): Buffer {
  const cs = layout === 'gray' ? [] : ['-colorspace', 'sRGB']; // CMYK JPEGs: ImageMagick's plain CMYK -> RGB
  return execFileSync(convert, [file, ...cs, '-depth', '8', `${layout}:-`], { maxBuffer: 1 << 28 });
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every `step`-th pixel of an image with `channels` bytes per pixel, in x and y. */
function sampleGrid(pixels: Uint8Array, width: number, height: number, step: number, channels: number): Uint8Array {
  const xs = Math.ceil(width / step), ys = Math.ceil(height / step);
  const out = new Uint8Array(xs * ys * channels);
  let o = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      for (let c = 0; c < channels; c++) out[o++] = pixels[channels * (y * width + x) + c]!;
    }
  }
  return out;
}

function main(): void {
  const exact: Record<string, { layout: string; width: number; height: number; sha256: string; samples16?: string }> = {};
  const jpeg: Record<string, { layout: string; width: number; height: number; step: number; samples: string; fullMaxDiff: number; fullMeanDiff: number }> = {};
  const refused: Record<string, string> = {};
  const files = [
    ...fs.readdirSync(fixtures).sort().map((f) => ({ key: `fixtures/images/${f}`, file: path.join(fixtures, f) })),
    ...fs.readdirSync(shared).sort().map((f) => ({ key: `shared/images/${f}`, file: path.join(shared, f) })),
  ];
  for (const { key, file } of files) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    let frame;
    try {
      frame = decodeImage(bytes, { exifOrientation: 'ignore' });
    } catch (e) {
      refused[key] = (e as Error).message;
      console.log(`${key}: refused (${(e as Error).message})`);
      continue;
    }
    const ours = packedPixels(frame);
    if (/\.jpe?g$/i.test(file)) {
      const layout = frame.format.toLowerCase();
      const ref = im(file, layout);
      const channels = layout === 'gray' ? 1 : 3;
      let max = 0, sum = 0;
      for (let i = 0; i < ref.length; i++) {
        const d = Math.abs(ref[i]! - ours[i]!);
        sum += d; if (d > max) max = d;
      }
      const step = Math.max(1, Math.ceil(Math.sqrt((frame.width * frame.height) / 8000)));
      jpeg[key] = {
        width: frame.width, height: frame.height, step,
        layout, samples: Buffer.from(sampleGrid(ref, frame.width, frame.height, step, channels)).toString('base64'),
        fullMaxDiff: max, fullMeanDiff: +(sum / ref.length).toFixed(4),
      };
      console.log(`${key}: ${frame.width}x${frame.height} jpeg max ${max} mean ${(sum / ref.length).toFixed(3)}`);
    } else {
      const layout = frame.format.toLowerCase();
      const ref = im(file, layout);
      const entry: (typeof exact)[string] = { layout, width: frame.width, height: frame.height, sha256: sha(ref) };
      if (/\.png$/i.test(file) && readPngInfo(bytes).bitDepth === 16) {
        entry.samples16 = Buffer.from(execFileSync(convert, [file, '-endian', 'MSB', '-depth', '16', `${layout}:-`])).toString('base64');
      }
      exact[key] = entry;
      console.log(`${key}: ${frame.width}x${frame.height} ${layout} ${sha(ref) === sha(ours) ? 'matches' : 'differs from IM 8-bit'}`);
    }
  }
  const out = {
    generator: 'test/image/make_image_refs.ts',
    imagemagick: execFileSync(convert, ['-version']).toString().split('\n')[0],
    exact, jpeg, refused,
  };
  fs.writeFileSync(path.join(repo, 'fixtures/image_refs.json'), JSON.stringify(out, null, 1) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
