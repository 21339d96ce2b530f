/**
 * Image pipeline benchmark.
 * - JPEG decoding of a 12 MP (4000x3000) 4:2:0 photo-like JPEG made with cjpeg: embedlite's decoder (libjpeg and stb
 *   pixels) next to `djpeg -dct int` (process time, same run), and the fast path: DCT-domain reduced decode
 *   (decodeScale 'auto') + preprocessing to a 224x224 input.
 * - Decoding streamed into preprocessing (decodeAndPreprocess, the embedder's path: no full-size frame).
 * - Preprocessing of the decoded frame (crop -> resize -> convert -> rotate, no full-size copy) and tensor filling.
 * - Peak RSS of a child process embedding a 50 MP JPEG, with and without fast decoding.
 * Run alone: npx tsx bench/image.ts [--runs N]; `npm run bench` calls runImageBench(). Without cjpeg/djpeg
 * (Debian: libjpeg-turbo-progs) the JPEG is made with jpeg-js (4:4:4) and djpeg's column is skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { encode as jpegEncode } from 'jpeg-js';
import { convertFormat } from '../src/image/color.js';
import { decodeImage } from '../src/image/decode.js';
import { decodeAndPreprocess } from '../src/image/decode_preprocess.js';
import type { FrameBuffer } from '../src/image/frame_buffer.js';
import { preprocess, type PreprocessOptions } from '../src/image/preprocess.js';
import { fillInputTensor } from '../src/image/tensor_fill.js';
import { type Timing, timeRuns } from './timing.js';

export type ImageBenchTiming = Timing;

const here = path.dirname(fileURLToPath(import.meta.url));
const time = (runs: number, fn: () => void, warmups = 1): Timing => timeRuns(runs, fn, warmups);
const haveTool = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;

/** A photo-like PPM: smooth gradients, soft shapes and sensor-like noise (deterministic). */
export function photoPpm(width: number, height: number): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + width * height * 3);
  out.set(header);
  let o = header.length, seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      const n = ((seed >>> 24) & 15) - 8;
      const blob = Math.sin(x / 97) * Math.cos(y / 61) * 60;
      out[o++] = Math.max(0, Math.min(255, 110 + (x * 90) / width + blob + n));
      out[o++] = Math.max(0, Math.min(255, 90 + (y * 100) / height - blob / 2 + n));
      out[o++] = Math.max(0, Math.min(255, 140 + ((x + y) * 60) / (width + height) - blob + n));
    }
  }
  return out;
}

/** A width x height JPEG: cjpeg -quality 90 4:2:0 when available, else jpeg-js (4:4:4). */
export function makeBenchJpeg(width = 4000, height = 3000): { bytes: Uint8Array; encoder: string } {
  const ppm = photoPpm(width, height);
  if (haveTool('cjpeg')) {
    const r = spawnSync('cjpeg', ['-quality', '90', '-sample', '2x2'], { input: ppm, maxBuffer: 1 << 30 });
    if (r.status === 0) return { bytes: new Uint8Array(r.stdout), encoder: 'cjpeg -quality 90 (4:2:0)' };
  }
  const rgba = new Uint8Array(width * height * 4);
  const off = ppm.length - width * height * 3;
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = ppm[off + 3 * i]!; rgba[4 * i + 1] = ppm[off + 3 * i + 1]!; rgba[4 * i + 2] = ppm[off + 3 * i + 2]!; rgba[4 * i + 3] = 255;
  }
  return { bytes: new Uint8Array(jpegEncode({ data: rgba, width, height }, 90).data), encoder: 'jpeg-js quality 90 (4:4:4)' };
}

/**
 * CPU time (user + system) of `fn`, median over runs: on a shared machine this is steadier than wall time, and it
 * is what "process time" of djpeg means below.
 */
function cpuTime(runs: number, fn: () => void, warmups = 1): Timing {
  for (let i = 0; i < warmups; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return { medianMs: t[t.length >> 1]!, minMs: t[0]!, runs } as Timing;
}

/** Median CPU time of the process `djpeg -dct int [-scale 1/N]` writing to /dev/null (the shell's `times`). */
function timeDjpeg(file: string, runs: number, scale = 1): Timing | null {
  if (!haveTool('djpeg')) return null;
  const t: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const r = spawnSync('sh', ['-c', `djpeg -dct int -scale 1/${scale} -outfile /dev/null "$1" && times`, 'sh', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`djpeg failed: ${r.stderr}`);
    // `times`: the shell's own user/system times, then its children's ("0m0.052s 0m0.004s").
    const child = r.stdout.trim().split('\n').pop()!.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
    if (!child) return null;
    if (i > 0) t.push((Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000);
  }
  t.sort((a, b) => a - b);
  return { medianMs: t[t.length >> 1]!, minMs: t[0]!, runs } as Timing;
}

/**
 * Peak RSS (MB) of a child process that embeds `file` with the default model, run two ways:
 * - 'node': plain node on an esbuild bundle of the current src/ (what a user of the library or the CLI gets);
 * - 'tsx': node --import tsx on the sources (what this bench used to measure; tsx's compiler service and loader
 *   thread add some 40 MB).
 */
export function peakRss(file: string, fast: boolean, runner: 'node' | 'tsx' = 'node'): number | null {
  const script = `
    import fs from 'node:fs';
    import { ImageEmbedder } from ${JSON.stringify(path.join(here, '../src/embedder/image_embedder.ts'))};
    const model = new Uint8Array(fs.readFileSync(${JSON.stringify(path.join(here, '../fixtures/embedder.tflite'))}));
    const e = ImageEmbedder.createFromModelBuffer(model, { decodeScale: ${fast ? "'auto'" : "'full'"} });
    e.embed(fs.readFileSync(${JSON.stringify(file)}));
    // VmHWM: this process image's peak. (getrusage's maxRSS survives exec, so it can report the parent's peak.)
    const hwm = fs.existsSync('/proc/self/status') ? /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8')) : null;
    console.log(hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS);`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-rss-'));
  const entry = path.join(dir, 'entry.mts');
  fs.writeFileSync(entry, script);
  try {
    let args: string[];
    if (runner === 'node') {
      const out = path.join(dir, 'bundle.mjs');
      buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
      args = [out];
    } else {
      args = ['--import', 'tsx', entry];
    }
    const r = spawnSync(process.execPath, args, { cwd: path.join(here, '..'), encoding: 'utf8' });
    if (r.status !== 0) return null;
    return Number(r.stdout.trim().split('\n').pop()) / 1024;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImageBenchResult {
  jpegBytes: number;
  size: string;
  encoder: string;
  decodeMs: ImageBenchTiming;
  decodeStbMs: ImageBenchTiming;
  djpegMs: ImageBenchTiming | null;
  decodeVsDjpeg: number | null;
  fastDecodeTo224Ms: ImageBenchTiming;
  djpegScale8Ms: ImageBenchTiming | null;
  decodeAndPreprocessMs: ImageBenchTiming;
  /** decodeAndPreprocess (the embedder's path), libjpeg and stb pixels. */
  streamedTo224Ms: ImageBenchTiming;
  streamedStbTo224Ms: ImageBenchTiming;
  preprocessMs: Record<string, ImageBenchTiming>;
  fillFloat32Ms: ImageBenchTiming;
  /** Plain node (the library / CLI), and under tsx. */
  peakRss50MpMB: { fast: number | null; full: number | null; fastTsx: number | null; fullTsx: number | null } | null;
}

/** Runs the image benchmark, prints a table and returns the numbers. */
export function runImageBench(runs = 30): ImageBenchResult {
  const t0 = performance.now();
  const { bytes: jpeg, encoder } = makeBenchJpeg();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-bench-'));
  const file = path.join(tmpDir, 'photo12mp.jpg');
  fs.writeFileSync(file, jpeg);
  console.log(`image bench: 4000x3000 JPEG of ${(jpeg.length / 1e6).toFixed(2)} MB (${encoder}) made in ${(performance.now() - t0).toFixed(0)} ms`);
  const to224: PreprocessOptions = { width: 224, height: 224 };
  let frame: FrameBuffer = decodeImage(jpeg);
  const decodeRuns = 5;
  const decodeMs = cpuTime(decodeRuns, () => { frame = decodeImage(jpeg); });
  const decodeStbMs = cpuTime(decodeRuns, () => { decodeImage(jpeg, { jpegDecoder: 'stb' }); });
  const djpegMs = timeDjpeg(file, decodeRuns);
  const fastDecodeTo224Ms = cpuTime(runs, () => {
    preprocess(decodeImage(jpeg, { decodeScale: 'auto', minSize: { width: 224, height: 224 } }), to224);
  }, 2);
  const djpegScale8Ms = timeDjpeg(file, decodeRuns, 8);
  const decodeAndPreprocessMs = time(3, () => { preprocess(decodeImage(jpeg), to224); });
  // The embedder's path: rows streamed into the resize, no full-size frame (decode_preprocess.ts).
  const streamedTo224Ms = cpuTime(decodeRuns, () => { decodeAndPreprocess(jpeg, {}, to224); });
  const streamedStbTo224Ms = cpuTime(decodeRuns, () => { decodeAndPreprocess(jpeg, { jpegDecoder: 'stb' }, to224); });
  const nv21 = convertFormat(frame, 'NV21');
  const cases: Record<string, [FrameBuffer, PreprocessOptions]> = {
    'RGB 4000x3000 -> 224x224 RGB': [frame, to224],
    'RGB 4000x3000 -> 224x224 GRAY': [frame, { ...to224, format: 'GRAY' }],
    'RGB ROI 3000x3000 + rotate 90 -> 224x224': [frame, { ...to224, roi: { x: 500, y: 0, width: 3000, height: 3000 }, rotation: 90 }],
    'NV21 4000x3000 -> 224x224 RGB': [nv21, to224],
  };
  const preprocessMs: Record<string, ImageBenchTiming> = {};
  for (const [name, [f, o]] of Object.entries(cases)) preprocessMs[name] = time(runs, () => { preprocess(f, o); }, 5);
  const small = preprocess(frame, to224);
  const data = new Float32Array(224 * 224 * 3);
  const fillFloat32Ms = time(runs, () => fillInputTensor(small, {
    data, shape: [1, 224, 224, 3], dtype: 'float32', normalization: { mean: [127.5], std: [127.5] },
  }), 5);

  let peakRss50MpMB: ImageBenchResult['peakRss50MpMB'] = null;
  if (encoder.startsWith('cjpeg')) {
    const big = path.join(tmpDir, 'photo50mp.jpg');
    fs.writeFileSync(big, makeBenchJpeg(8660, 5773).bytes);
    peakRss50MpMB = {
      fast: peakRss(big, true), full: peakRss(big, false), fastTsx: peakRss(big, true, 'tsx'), fullTsx: peakRss(big, false, 'tsx'),
    };
  }
  fs.rmSync(tmpDir, { recursive: true, force: true });

  const rows: [string, ImageBenchTiming | null][] = [
    ['decode 4000x3000 4:2:0 JPEG (libjpeg pixels), cpu', decodeMs],
    ['decode 4000x3000 4:2:0 JPEG (stb pixels), cpu', decodeStbMs],
    ['djpeg -dct int, same file, process cpu', djpegMs],
    ['fast decode (1/8, DCT domain) + preprocess to 224x224, cpu', fastDecodeTo224Ms],
    ['djpeg -dct int -scale 1/8, process cpu', djpegScale8Ms],
    ['full decode + preprocess to 224x224', decodeAndPreprocessMs],
    ['decode rows streamed into the resize to 224x224 (libjpeg), cpu', streamedTo224Ms],
    ['decode rows streamed into the resize to 224x224 (stb: embedder default), cpu', streamedStbTo224Ms],
    ...Object.entries(preprocessMs).map(([k, v]) => [`preprocess only: ${k}`, v] as [string, ImageBenchTiming]),
    ['fill float32 [1,224,224,3] tensor', fillFloat32Ms],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'step'.padEnd(w)}  median ms     min ms  runs`);
  for (const [name, t] of rows) {
    if (!t) { console.log(`${name.padEnd(w)}  (djpeg not installed)`); continue; }
    console.log(`${name.padEnd(w)}  ${t.medianMs.toFixed(3).padStart(9)}  ${t.minMs.toFixed(3).padStart(9)}  ${String(t.runs).padStart(4)}`);
  }
  const decodeVsDjpeg = djpegMs ? decodeMs.medianMs / djpegMs.medianMs : null;
  if (decodeVsDjpeg !== null) console.log(`decode / djpeg: ${decodeVsDjpeg.toFixed(2)}x (target <= 3x)`);
  if (peakRss50MpMB) {
    const mb = (v: number | null): string => v?.toFixed(0) ?? '?';
    console.log(`peak RSS embedding a 50 MP JPEG (node): ${mb(peakRss50MpMB.fast)} MB with fast decoding, ` +
      `${mb(peakRss50MpMB.full)} MB full size (target < 250 MB); under tsx: ${mb(peakRss50MpMB.fastTsx)} / ${mb(peakRss50MpMB.fullTsx)} MB`);
  }
  return {
    jpegBytes: jpeg.length, size: '4000x3000', encoder, decodeMs, decodeStbMs, djpegMs, decodeVsDjpeg, fastDecodeTo224Ms,
    djpegScale8Ms, decodeAndPreprocessMs, streamedTo224Ms, streamedStbTo224Ms, preprocessMs, fillFloat32Ms, peakRss50MpMB,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  runImageBench(i > 0 ? Number(process.argv[i + 1]) : 30);
}
