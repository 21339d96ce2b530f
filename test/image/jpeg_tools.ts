/**
 * Helpers of the JPEG conformance tests: external tools (libjpeg-turbo's cjpeg/djpeg/jpegtran, ImageMagick's
 * convert), a PNM reader, and the test corpus, generated once per test run into a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasShared, sharedImages } from './helpers.js';

export function haveTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

export const HAVE_LIBJPEG_TOOLS = haveTool('djpeg') && haveTool('cjpeg') && haveTool('jpegtran');
export const HAVE_CONVERT = haveTool('convert');
if (!HAVE_LIBJPEG_TOOLS) console.warn('JPEG conformance: djpeg/cjpeg/jpegtran not found (Debian: libjpeg-turbo-progs), tests SKIPPED');
if (!HAVE_CONVERT) console.warn('image tests: ImageMagick convert not found, tests that need it are SKIPPED');

export function run(cmd: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr?.toString().trim()}`);
  return r.stdout;
}

export interface Pnm { width: number; height: number; channels: number; maxval: number; data: Uint8Array }

/** Reads a binary PGM (P5) or PPM (P6) with maxval 255 or 65535 (16-bit samples are big-endian). */
export function readPnm(b: Uint8Array): Pnm {
  let p = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (p < b.length && /\s/.test(String.fromCharCode(b[p]!))) p++;
    if (b[p] === 0x23) { while (p < b.length && b[p] !== 10) p++; continue; }
    let t = '';
    while (p < b.length && !/\s/.test(String.fromCharCode(b[p]!))) t += String.fromCharCode(b[p++]!);
    tokens.push(t);
  }
  p++;
  const [magic, w, h, maxval] = tokens;
  if (magic !== 'P5' && magic !== 'P6') throw new Error(`not a binary PNM: ${magic}`);
  return { width: Number(w), height: Number(h), channels: magic === 'P5' ? 1 : 3, maxval: Number(maxval), data: b.subarray(p) };
}

/** djpeg -dct int [-scale 1/N] as PNM; null when djpeg refuses the file (exit status 1). Warnings (2) are fine. */
export function djpeg(file: string, scale = 1): Pnm | null {
  const r = spawnSync('djpeg', ['-dct', 'int', '-scale', `1/${scale}`, '-pnm', file], { maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 2) return null;
  return readPnm(r.stdout);
}

export interface CorpusFile { name: string; file: string; /** how it was made */ recipe: string }

let corpus: { dir: string; files: CorpusFile[] } | undefined;

/**
 * The conformance corpus: a few source pictures (a 333x221 synthetic photo, burger.jpg from ../shared when
 * present, odd sizes 1x1, 17x9, 2x3) encoded with every sampling factor libjpeg's cjpeg accepts, progressive
 * (with and without optimisation, custom scripts with successive approximation), restart intervals in MCU rows
 * and in blocks, grey, RGB, CMYK (ImageMagick), qualities 1-100, multi-scan sequential, and jpegtran rewrites.
 * Made once per test run in a temporary directory.
 */
export function jpegCorpus(): { dir: string; files: CorpusFile[] } {
  if (corpus) return corpus;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-jpeg-'));
  const files: CorpusFile[] = [];
  const add = (name: string, recipe: string, bytes: Uint8Array): void => {
    const file = path.join(dir, `${name}.jpg`);
    fs.writeFileSync(file, bytes);
    files.push({ name, file, recipe });
  };
  // Source pictures as PPM.
  const photo = path.join(dir, 'photo.ppm');
  fs.writeFileSync(photo, synthPhoto(333, 221));
  const sources: [string, string][] = [['photo', photo]];
  if (hasShared) {
    const burger = path.join(dir, 'burger.ppm');
    fs.writeFileSync(burger, run('djpeg', ['-pnm', path.join(sharedImages, 'burger.jpg')]));
    sources.push(['burger', burger]);
  }
  for (const [w, h] of [[1, 1], [17, 9], [2, 3]]) {
    const f = path.join(dir, `odd${w}x${h}.ppm`);
    fs.writeFileSync(f, synthPhoto(w!, h!));
    sources.push([`${w}x${h}`, f]);
  }
  fs.writeFileSync(path.join(dir, 'seq.scans'), '0;\n1;\n2;\n');
  fs.writeFileSync(path.join(dir, 'prog.scans'),
    '0,1,2: 0-0, 0, 1;\n0: 1-5, 0, 2;\n2: 1-63, 0, 1;\n1: 1-63, 0, 1;\n0: 6-63, 0, 2;\n0: 1-63, 2, 1;\n' +
    '0,1,2: 0-0, 1, 0;\n2: 1-63, 1, 0;\n1: 1-63, 1, 0;\n0: 1-63, 1, 0;\n');
  const recipes: [string, string[]][] = [
    ['420', ['-sample', '2x2']], ['444', ['-sample', '1x1']], ['422', ['-sample', '2x1']], ['440', ['-sample', '1x2']],
    ['411', ['-sample', '4x1']], ['h1v4', ['-sample', '1x4']], ['h4v2', ['-sample', '4x2']], ['h2v4', ['-sample', '2x4']],
    ['h3v1', ['-sample', '3x1']], ['h3v2', ['-sample', '3x2']], ['mixed1', ['-sample', '2x2,2x1,1x2']], ['mixed2', ['-sample', '1x1,2x2,1x1']],
    ['mixed3', ['-sample', '2x2,1x1,2x1']],
    ['grey', ['-grayscale']], ['rgb', ['-rgb']], ['prog', ['-progressive']], ['prog444', ['-progressive', '-sample', '1x1']],
    ['prog-rst1', ['-progressive', '-restart', '1']], ['prog-rst5b', ['-progressive', '-restart', '5B', '-sample', '2x1']],
    ['prog-grey', ['-progressive', '-grayscale']], ['rst1', ['-restart', '1', '-sample', '2x2']], ['rst3b', ['-restart', '3B']],
    ['opt', ['-optimize']], ['seqscans', ['-scans', path.join(dir, 'seq.scans')]], ['progscript', ['-scans', path.join(dir, 'prog.scans')]],
  ];
  for (const [src, ppm] of sources) {
    const small = src !== 'photo' && src !== 'burger';
    for (const [name, args] of recipes) {
      if (small && !['420', '444', '422', '411', 'h2v4', 'grey', 'prog', 'rst1', 'mixed1'].includes(name)) continue;
      add(`${src}-${name}`, `cjpeg ${args.join(' ')}`, run('cjpeg', [...args, ppm]));
    }
    if (!small) {
      for (const q of [1, 5, 25, 50, 75, 90, 100]) add(`${src}-q${q}`, `cjpeg -quality ${q}`, run('cjpeg', ['-quality', String(q), ppm]));
      add(`${src}-q1-baseline`, 'cjpeg -quality 1 -baseline', run('cjpeg', ['-quality', '1', '-baseline', ppm]));
    }
  }
  const base = files.find((f) => f.name === 'photo-420')!.file;
  add('jt-prog', 'jpegtran -progressive', run('jpegtran', ['-progressive', base]));
  add('jt-prog-opt', 'jpegtran -progressive -optimize', run('jpegtran', ['-progressive', '-optimize', base]));
  add('jt-rst', 'jpegtran -optimize -restart 2', run('jpegtran', ['-optimize', '-restart', '2', base]));
  add('jt-rot90', 'jpegtran -rotate 90 (4:2:2 -> 4:4:0)', run('jpegtran', ['-rotate', '90', files.find((f) => f.name === 'photo-422')!.file]));
  if (HAVE_CONVERT) {
    add('cmyk', 'convert -colorspace CMYK', run('convert', [photo, '-colorspace', 'CMYK', 'jpg:-']));
    add('cmyk-420', 'convert -colorspace CMYK -sampling-factor 2x2', run('convert', [photo, '-colorspace', 'CMYK', '-sampling-factor', '2x2', 'jpg:-']));
  }
  corpus = { dir, files };
  return corpus;
}

/** A photo-like PPM: smooth colour gradients, a few hard edges and fine texture (deterministic). */
export function synthPhoto(width: number, height: number): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + width * height * 3);
  out.set(header);
  let o = header.length, seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const n = (seed >>> 27) - 16;
      const edge = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
      out[o++] = clamp((edge ? 220 : 40) + (x * 60) / width + n);
      out[o++] = clamp(((x + y) * 255) / (width + height) + n);
      out[o++] = clamp((edge ? 30 : 200) - (y * 80) / height + n);
    }
  }
  return out;
}

/** Random 8-bit samples with runs of 0 and 255, ramps and noise (the JPEG filters' extremes and their rounding). */
export function fillSampleRuns(dst: Uint8Array, r: () => number): void {
  let i = 0;
  while (i < dst.length) {
    const run = 1 + Math.floor(r() * 12), mode = Math.floor(r() * 4), base = Math.floor(r() * 256);
    for (let j = 0; j < run && i < dst.length; j++, i++) {
      dst[i] = mode === 0 ? 0 : mode === 1 ? 255 : mode === 2 ? Math.min(255, base + j) : Math.floor(r() * 256);
    }
  }
}
