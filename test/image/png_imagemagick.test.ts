/**
 * The PNG reader against ImageMagick on a PngSuite-like set generated during the test: every colour type and bit
 * depth, Adam7 interlacing, palettes with tRNS, grey and RGB colour keys, 16-bit samples.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { decodeImage } from '../../src/image/decode.js';
import { crc32 } from '../../src/image/png.js';
import { packedPixels } from '../../src/image/frame_buffer.js';
import { HAVE_CONVERT, run, synthPhoto } from './jpeg_tools.js';
import { loadTaskpixOracle, taskpixSkipReason } from '../helpers/taskpix_oracle.js';

interface Case { name: string; src: 'rgb8' | 'rgb16' | 'grey16'; args: string[]; trns?: 'key' | 'palette'; depth: number; colorType: number; interlaced?: boolean }

const alpha = ['-alpha', 'set', '-channel', 'A', '-fx', '(i+j)/(w+h)', '+channel'];
const def = (ct: number, depth: number): string[] => ['-define', `png:color-type=${ct}`, '-define', `png:bit-depth=${depth}`];

const cases: Case[] = [
  ...[1, 2, 4, 8].map((d): Case => ({ name: `grey${d}`, src: 'rgb8', args: ['-colorspace', 'Gray', ...def(0, d)], depth: d, colorType: 0 })),
  { name: 'grey16', src: 'grey16', args: def(0, 16), depth: 16, colorType: 0 },
  { name: 'rgb8', src: 'rgb8', args: def(2, 8), depth: 8, colorType: 2 },
  { name: 'rgb16', src: 'rgb16', args: def(2, 16), depth: 16, colorType: 2 },
  ...[[1, 2], [2, 4], [4, 16], [8, 200]].map(([d, k]): Case => ({ name: `palette${d}`, src: 'rgb8', args: ['-colors', String(k), ...def(3, d!)], depth: d!, colorType: 3 })),
  { name: 'greyalpha8', src: 'rgb8', args: ['-colorspace', 'Gray', ...alpha, ...def(4, 8)], depth: 8, colorType: 4 },
  { name: 'greyalpha16', src: 'grey16', args: [...alpha, ...def(4, 16)], depth: 16, colorType: 4 },
  { name: 'rgba8', src: 'rgb8', args: [...alpha, ...def(6, 8)], depth: 8, colorType: 6 },
  { name: 'rgba16', src: 'rgb16', args: [...alpha, ...def(6, 16)], depth: 16, colorType: 6 },
  { name: 'palette-trns', src: 'rgb8', args: ['-colors', '30', ...def(3, 8)], trns: 'palette', depth: 8, colorType: 3 },
  { name: 'palette4-trns', src: 'rgb8', args: ['-colors', '9', ...def(3, 4)], trns: 'palette', depth: 4, colorType: 3 },
  { name: 'rgb-trns', src: 'rgb8', args: def(2, 8), trns: 'key', depth: 8, colorType: 2 },
  { name: 'rgb16-trns', src: 'rgb16', args: def(2, 16), trns: 'key', depth: 16, colorType: 2 },
  { name: 'grey-trns', src: 'rgb8', args: ['-colorspace', 'Gray', ...def(0, 8)], trns: 'key', depth: 8, colorType: 0 },
  { name: 'grey2-trns', src: 'rgb8', args: ['-colorspace', 'Gray', ...def(0, 2)], trns: 'key', depth: 2, colorType: 0 },
  { name: 'grey4-interlaced', src: 'rgb8', args: ['-colorspace', 'Gray', ...def(0, 4), '-interlace', 'PNG'], depth: 4, colorType: 0, interlaced: true },
  { name: 'rgb8-interlaced', src: 'rgb8', args: [...def(2, 8), '-interlace', 'PNG'], depth: 8, colorType: 2, interlaced: true },
  { name: 'rgba16-interlaced', src: 'rgb16', args: [...alpha, ...def(6, 16), '-interlace', 'PNG'], depth: 16, colorType: 6, interlaced: true },
  { name: 'palette2-interlaced', src: 'rgb8', args: ['-colors', '4', ...def(3, 2), '-interlace', 'PNG'], depth: 2, colorType: 3, interlaced: true },
];

const be32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** Inserts a chunk before the first IDAT. */
function withChunk(png: Uint8Array, type: string, data: number[]): Uint8Array {
  let o = 8;
  while (o + 8 <= png.length && String.fromCharCode(...png.subarray(o + 4, o + 8)) !== 'IDAT') {
    o += 12 + (((png[o]! << 24) | (png[o + 1]! << 16) | (png[o + 2]! << 8) | png[o + 3]!) >>> 0);
  }
  const body = Uint8Array.from([...type].map((c) => c.charCodeAt(0)).concat(data));
  const chunk = Uint8Array.from([...be32(data.length), ...body, ...be32(crc32(body))]);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, o)); out.set(chunk, o); out.set(png.subarray(o), o + chunk.length);
  return out;
}

/** A tRNS chunk: palette alphas 0, 40, 80... or the colour key of pixel (1, 1), read from our own decode. */
function trnsFor(c: Case, png: Uint8Array): number[] {
  if (c.trns === 'palette') {
    const colours = decodeImage(png).width === 1 ? 1 : 7; // no more alphas than palette entries
    return Array.from({ length: colours }, (_, i) => (i * 40 + 20) & 255);
  }
  const f = decodeImage(png);
  const px = packedPixels(f);
  const ch = c.colorType === 0 ? 1 : 3;
  const x = Math.min(1, f.width - 1), y = Math.min(1, f.height - 1);
  const at = (y * f.width + x) * ch;
  const max = (1 << c.depth) - 1;
  // Back to the stored sample value: exact for 8 bits and below; 16-bit keys use v * 257, which is then rarely hit,
  // so the test also checks that non-matching pixels stay opaque.
  const to = (v: number): number => (c.depth === 16 ? v * 257 : Math.round((v * max) / 255));
  return Array.from(px.subarray(at, at + ch)).flatMap((v) => [to(v) >> 8, to(v) & 255]);
}

describe.skipIf(!HAVE_CONVERT)('PNG decoding equals ImageMagick', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-png-'));
  for (const [w, h] of [[61, 47], [7, 5], [1, 1]] as const) {
    const srcs = {
      rgb8: path.join(dir, `rgb8-${w}x${h}.ppm`), rgb16: path.join(dir, `rgb16-${w}x${h}.ppm`), grey16: path.join(dir, `grey16-${w}x${h}.pgm`),
    };
    fs.writeFileSync(srcs.rgb8, synthPhoto(w, h));
    fs.writeFileSync(srcs.rgb16, synthPnm16(w, h, 3));
    fs.writeFileSync(srcs.grey16, synthPnm16(w, h, 1));
    for (const c of cases) {
      it(`${c.name} ${w}x${h}`, () => {
        const file = path.join(dir, `${c.name}-${w}x${h}.png`);
        run('convert', [srcs[c.src], '-strip', ...c.args, `PNG:${file}`]);
        let bytes: Uint8Array = new Uint8Array(fs.readFileSync(file));
        expect([bytes[24], bytes[25], bytes[28]], 'ImageMagick wrote the intended depth, colour type, interlace')
          .toEqual([c.depth, c.colorType, c.interlaced ? 1 : 0]);
        if (c.trns) {
          bytes = withChunk(bytes, 'tRNS', trnsFor(c, bytes));
          fs.writeFileSync(file, bytes);
        }
        const frame = decodeImage(bytes);
        const ours = packedPixels(frame);
        const map = frame.format === 'RGBA' ? 'rgba' : frame.format === 'RGB' ? 'rgb' : 'gray';
        let ref: Uint8Array;
        if (c.depth === 16) {
          const r16 = run('convert', [file, '-endian', 'MSB', '-depth', '16', `${map}:-`]);
          ref = new Uint8Array(r16.length / 2);
          for (let i = 0; i < ref.length; i++) ref[i] = Math.round(((r16[2 * i]! << 8) | r16[2 * i + 1]!) * 255 / 65535);
        } else {
          ref = new Uint8Array(run('convert', [file, '-depth', '8', `${map}:-`]));
        }
        expect(ours.length).toBe(ref.length);
        let differ = 0;
        for (let i = 0; i < ref.length; i++) if (ours[i] !== ref[i]) differ++;
        expect(differ, `${file} (${frame.format}): bytes that differ from ImageMagick`).toBe(0);
        if (c.trns) expect(frame.format).toBe('RGBA');
      });
    }
  }
});

/** A 16-bit PNM (P6 or P5, maxval 65535) with smooth, full-range samples. */
function synthPnm16(width: number, height: number, channels: 1 | 3): Uint8Array {
  const header = new TextEncoder().encode(`${channels === 3 ? 'P6' : 'P5'}\n${width} ${height}\n65535\n`);
  const out = new Uint8Array(header.length + width * height * channels * 2);
  out.set(header);
  let o = header.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = Math.floor(((x * 977 + y * 1531 + c * 20011) * 37) % 65536);
        out[o++] = v >> 8; out[o++] = v & 255;
      }
    }
  }
  return out;
}

describe('16-bit PNGs under the stb pipeline', () => {
  const oracle = loadTaskpixOracle();
  if (!oracle) console.warn(`SKIPPED 16-bit PNG vs stb_image: ${taskpixSkipReason()}`);
  it.skipIf(!oracle || !HAVE_CONVERT)('jpegDecoder stb keeps the high byte, as stbi_load does; libjpeg rounds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-png16-'));
    try {
      for (const channels of [1, 3] as const) {
        const pnm = path.join(dir, `in${channels}.pnm`), png = path.join(dir, `in${channels}.png`);
        fs.writeFileSync(pnm, synthPnm16(37, 11, channels));
        run('convert', [pnm, '-depth', '16', png]);
        const bytes = new Uint8Array(fs.readFileSync(png));
        const want = oracle!.decode(png);
        const stb = decodeImage(bytes, { jpegDecoder: 'stb' });
        expect(packedPixels(stb)).toEqual(want.data);
        const rounded = packedPixels(decodeImage(bytes, { jpegDecoder: 'libjpeg' }));
        expect(rounded).not.toEqual(want.data); // the two reductions part on these samples
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PNG errors are our own', () => {
  it('bad CRC, truncated data, missing palette', () => {
    const b = new Uint8Array(fs.readFileSync(path.join(__dirname, '../../fixtures/images/png_rgb8.png')));
    const idat = Buffer.from(b).indexOf('IDAT');
    const bad = b.slice(); bad[idat + 6] ^= 0xff; // inside IDAT: its CRC no longer matches
    expect(() => decodeImage(bad)).toThrow(/CRC/);
    expect(() => decodeImage(b.subarray(0, b.length - 30))).toThrow(ImageError);
    for (const e of [bad, b.subarray(0, 60)]) {
      try { decodeImage(e); } catch (err) { expect((err as Error).message).toMatch(/^(corrupt|truncated|unsupported) PNG/); }
    }
  });
});
