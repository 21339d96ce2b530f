/**
 * The Task Library pixel oracle: test/oracle/taskpix.c (stb_image decoding + the Task Library's libyuv calls),
 * compiled once per test process with gcc against Debian's libstb-dev and libyuv-dev into a temporary directory.
 *
 * `loadTaskpixOracle()` returns null (and logs a visible "SKIPPED" reason once) when gcc, stb_image.h or libyuv are
 * missing. Jobs run in batches: one process per `run` call, one output line per job.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFrameBuffer, type FrameBuffer, type PixelFormat } from '../../src/image/frame_buffer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.resolve(here, '../oracle/taskpix.c');

/** A preprocessing request, as embedlite's `preprocess` options (ROI in stored-frame pixels). */
export interface OracleRequest {
  orientation?: number;
  roi?: { x: number; y: number; width: number; height: number };
  format?: 'RGB' | 'GRAY';
  width?: number;
  height?: number;
}

export type OracleJob =
  | ({ kind: 'image'; file: string } & OracleRequest)
  | ({ kind: 'frame'; frame: FrameBuffer } & OracleRequest)
  | { kind: 'decode'; file: string }
  | { kind: 'op'; op: 'argbscale' | 'scaleplane' | 'nv12scale' | 'i420scale'; frame: FrameBuffer; width: number; height: number };

/** A job's result: a packed frame, or the oracle's refusal. */
export type OracleResult =
  | { ok: true; width: number; height: number; format: PixelFormat | null; channels: number; data: Uint8Array }
  | { ok: false; error: string };

export interface TaskpixOracle {
  run(jobs: OracleJob[]): OracleResult[];
  /** stbi_load(file, 0): width, height, channels (1..4) and interleaved bytes. */
  decode(file: string): { width: number; height: number; channels: number; data: Uint8Array };
}

let cached: TaskpixOracle | null | undefined;
let skipReason = '';

/** The reason the oracle is unavailable ('' when it is available or not yet loaded). */
export function taskpixSkipReason(): string {
  return skipReason;
}

function packed(frame: FrameBuffer): Uint8Array {
  // Repack through a fresh frame in the Task Library layout (handles strides and views).
  const out = createFrameBuffer(frame.width, frame.height, frame.format);
  for (let i = 0; i < frame.planes.length; i++) {
    const s = frame.planes[i]!, d = out.planes[i]!;
    const isChroma = i > 0;
    const rows = isChroma ? (frame.height + 1) >> 1 : frame.height;
    const cols = isChroma ? (frame.width + 1) >> 1 : frame.width;
    const bytesPerSample = frame.format === 'RGB' ? 3 : frame.format === 'RGBA' ? 4
      : isChroma && (frame.format === 'NV12' || frame.format === 'NV21') ? 2 : 1;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < bytesPerSample; k++) {
          d.data[y * d.rowStride + x * d.pixelStride + k] = s.data[y * s.rowStride + x * s.pixelStride + k]!;
        }
      }
    }
  }
  // createFrameBuffer's planes are views of one buffer starting at plane 0.
  const p0 = out.planes[0]!.data;
  return new Uint8Array(p0.buffer, p0.byteOffset, frameSize(frame.width, frame.height, frame.format));
}

function frameSize(w: number, h: number, f: PixelFormat): number {
  if (f === 'RGB') return w * h * 3;
  if (f === 'RGBA') return w * h * 4;
  if (f === 'GRAY') return w * h;
  return w * h + 2 * ((w + 1) >> 1) * ((h + 1) >> 1);
}

function build(): TaskpixOracle | null {
  const missing = ['/usr/include/stb/stb_image.h', '/usr/include/libyuv.h'].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    skipReason = `missing ${missing.join(', ')} (apt-get install libstb-dev libyuv-dev)`;
    return null;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskpix-'));
  const exe = path.join(dir, 'taskpix');
  try {
    execFileSync('gcc', ['-O2', '-w', SOURCE, '-o', exe, '-lyuv', '-lm'], { stdio: 'pipe' });
  } catch (e) {
    skipReason = `cannot build the oracle with gcc: ${(e as Error).message.split('\n')[0]}`;
    return null;
  }
  let counter = 0;
  const run = (jobs: OracleJob[]): OracleResult[] => {
    if (jobs.length === 0) return [];
    const batch = path.join(dir, `b${counter++}`);
    fs.mkdirSync(batch);
    try {
      const lines: string[] = [];
      const outs: string[] = [];
      const written = new Map<FrameBuffer, string>(); // each input frame is written once per batch
      jobs.forEach((job, i) => {
        const out = path.join(batch, `o${i}`);
        outs.push(out);
        if (job.kind === 'decode') {
          lines.push(`dec ${job.file} ${out}`);
          return;
        }
        let input: string;
        if (job.kind === 'image') {
          input = `img ${job.file}`;
        } else {
          let f = written.get(job.frame);
          if (f === undefined) {
            f = path.join(batch, `i${i}`);
            fs.writeFileSync(f, packed(job.frame));
            written.set(job.frame, f);
          }
          input = `${job.kind === 'op' ? 'ops' : 'pp'} ${f} ${job.frame.format} ${job.frame.width} ${job.frame.height}`;
        }
        if (job.kind === 'op') {
          lines.push(`${input} ${job.op} ${job.width} ${job.height} ${out}`);
          return;
        }
        const r = job.roi;
        lines.push([input, job.orientation ?? 1, r ? `${r.x} ${r.y} ${r.width} ${r.height}` : '0 0 0 0',
          job.format ?? 'RGB', job.width ?? 0, job.height ?? 0, out].join(' '));
      });
      const jobFile = path.join(batch, 'jobs');
      fs.writeFileSync(jobFile, lines.join('\n') + '\n');
      const stdout = execFileSync(exe, [jobFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const results = stdout.trimEnd().split('\n');
      if (results.length !== jobs.length) throw new Error(`taskpix oracle: ${results.length} results for ${jobs.length} jobs`);
      return results.map((line, i): OracleResult => {
        if (!line.startsWith('ok ')) return { ok: false, error: line.replace(/^err /, '') };
        const [, w, h, f] = line.split(' ');
        const data = new Uint8Array(fs.readFileSync(outs[i]!));
        const isDecode = jobs[i]!.kind === 'decode';
        const format = isDecode ? null : (f as PixelFormat);
        const channels = isDecode ? Number(f) : format === 'RGB' ? 3 : format === 'RGBA' ? 4 : 1;
        return { ok: true, width: Number(w), height: Number(h), format, channels, data };
      });
    } finally {
      fs.rmSync(batch, { recursive: true, force: true });
    }
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    run,
    decode(file) {
      const [r] = run([{ kind: 'decode', file }]);
      if (!r || !r.ok) throw new Error(`taskpix oracle cannot decode ${file}: ${r && !r.ok ? r.error : '?'}`);
      return { width: r.width, height: r.height, channels: r.channels, data: r.data };
    },
  };
}

/** The compiled oracle, or null when it cannot be built here (the reason is logged once as SKIPPED). */
export function loadTaskpixOracle(): TaskpixOracle | null {
  if (cached === undefined) {
    cached = build();
    if (!cached) console.warn(`Task Library pixel oracle SKIPPED: ${skipReason}`);
  }
  return cached;
}
