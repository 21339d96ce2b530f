/**
 * Image pipeline benchmark: a 4000x3000 JPEG (made in memory with jpeg-js's encoder) decoded and preprocessed to
 * 224x224, and the preprocessing alone (crop -> resize -> convert -> rotate from an already decoded frame, the part
 * that must stay under 5 ms since it makes no full-size copy), plus a camera-style NV21 frame and the tensor fill.
 * Run alone: npx tsx bench/image.ts [--runs N]; `npm run bench` calls runImageBench().
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { encode as jpegEncode } from 'jpeg-js';
import { convertFormat } from '../src/image/color.js';
import { decodeImage } from '../src/image/decode.js';
import type { FrameBuffer } from '../src/image/frame_buffer.js';
import { preprocess, type PreprocessOptions } from '../src/image/preprocess.js';
import { fillInputTensor } from '../src/image/tensor_fill.js';
import { type Timing, timeRuns } from './timing.js';

export type ImageBenchTiming = Timing;

const time = (runs: number, fn: () => void, warmups = 1): Timing => timeRuns(runs, fn, warmups);

/** A 4000x3000 photo-like JPEG: smooth gradients with fine texture, quality 85. */
export function makeBenchJpeg(width = 4000, height = 3000): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let seed = 1;
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      const n = (seed >>> 24) & 15;
      rgba[o] = ((x * 255) / width + n) & 255;
      rgba[o + 1] = ((y * 255) / height + n) & 255;
      rgba[o + 2] = (((x + y) * 128) / (width + height) + 64 + n) & 255;
      rgba[o + 3] = 255;
    }
  }
  return new Uint8Array(jpegEncode({ data: rgba, width, height }, 85).data);
}

export interface ImageBenchResult {
  jpegBytes: number;
  size: string;
  decodeMs: ImageBenchTiming;
  decodeAndPreprocessMs: ImageBenchTiming;
  preprocessMs: Record<string, ImageBenchTiming>;
  fillFloat32Ms: ImageBenchTiming;
}

/** Runs the image benchmark, prints a table and returns the numbers. */
export function runImageBench(runs = 30): ImageBenchResult {
  const t0 = performance.now();
  const jpeg = makeBenchJpeg();
  console.log(`image bench: 4000x3000 JPEG of ${(jpeg.length / 1e6).toFixed(2)} MB encoded in ${(performance.now() - t0).toFixed(0)} ms`);
  const to224: PreprocessOptions = { width: 224, height: 224 };
  let frame: FrameBuffer = decodeImage(jpeg);
  const decodeRuns = 3;
  const decodeMs = time(decodeRuns, () => { frame = decodeImage(jpeg); });
  const decodeAndPreprocessMs = time(decodeRuns, () => { preprocess(decodeImage(jpeg), to224); });
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

  const rows: [string, ImageBenchTiming][] = [
    ['decode 4000x3000 JPEG (jpeg-js)', decodeMs],
    ['decode + preprocess to 224x224', decodeAndPreprocessMs],
    ...Object.entries(preprocessMs).map(([k, v]) => [`preprocess only: ${k}`, v] as [string, ImageBenchTiming]),
    ['fill float32 [1,224,224,3] tensor', fillFloat32Ms],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'step'.padEnd(w)}  median ms     min ms  runs`);
  for (const [name, t] of rows) {
    console.log(`${name.padEnd(w)}  ${t.medianMs.toFixed(3).padStart(9)}  ${t.minMs.toFixed(3).padStart(9)}  ${String(t.runs).padStart(4)}`);
  }
  return { jpegBytes: jpeg.length, size: '4000x3000', decodeMs, decodeAndPreprocessMs, preprocessMs, fillFloat32Ms };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  runImageBench(i > 0 ? Number(process.argv[i + 1]) : 30);
}
