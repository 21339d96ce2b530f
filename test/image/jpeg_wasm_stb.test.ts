/**
 * stb_image's h2 (4:2:2) and v2 (4:4:0) upsampling fused with its colour conversion in SIMD
 * (kernels/wasm/jpeg/stb_color.ts) against the typed-array stages (stbUpsampler + stbYccToRgb), byte for byte:
 * seeded random planes at every width up to 40 and some wide odd ones (stb's h2 right edge: output 2 (dsw - 1)),
 * which fused path the pipeline takes for each sampling, whole stb decodes of odd-sized 4:2:0 / 4:2:2 / 4:4:0 /
 * 4:4:4 files both ways (and against stbi_load itself, test/oracle/taskpix.c, where it is built), and the
 * typed-array fallback where WebAssembly is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJpegModuleBytes } from '../../kernels/wasm/jpeg/index.js';
import { stbYccToRgb } from '../../src/image/jpeg/color.js';
import { decodeJpegPixels } from '../../src/image/jpeg/index.js';
import { type FrameGeometry, OutputPipeline } from '../../src/image/jpeg/pipeline.js';
import { stbUpsampler } from '../../src/image/jpeg/upsample.js';
import { JpegKernels } from '../../src/image/jpeg/wasm.js';
import { loadTaskpixOracle } from '../helpers/taskpix_oracle.js';
import { repoRoot, rng } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, fillSampleRuns, run, synthPhoto } from './jpeg_tools.js';

const kernels = (): JpegKernels => new JpegKernels(new WebAssembly.Module(buildJpegModuleBytes()));

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): string {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `first difference at ${i}: ${a[i]} vs ${b[i]}`;
  return a.length === b.length ? 'equal' : `lengths ${a.length} vs ${b.length}`;
}

const WIDTHS = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 127, 333, 1001, 4000, 4001];

describe('stb SIMD upsampling + colour (h2, v2)', () => {
  it('h2 (4:2:2): random planes equal stbi__resample_row_h_2 then stbi__YCbCr_to_RGB_row, right edge included', () => {
    const k = kernels();
    const r = rng(23);
    const up = stbUpsampler(2, 1);
    expect(up.name).toBe('stb h2');
    for (const width of WIDTHS) {
      const dsw = Math.ceil(width / 2);
      const pY = k.alloc(width), pCb = k.alloc(dsw), pCr = k.alloc(dsw), out = k.alloc(width * 3), tb = k.alloc(4 * (dsw + 24));
      for (let trial = 0; trial < 6; trial++) {
        for (const [p, n] of [[pY, width], [pCb, dsw], [pCr, dsw]] as const) fillSampleRuns(k.u8(p, n), r);
        k.stbH2v1Ycc(pY, pCb, pCr, dsw, out, tb, k.consts);
        const mem = k.u8(0, k.memory.buffer.byteLength);
        const ucb = new Uint8Array(2 * dsw + 2), ucr = new Uint8Array(2 * dsw + 2);
        up.row!(mem, pCb, pCb, ucb, dsw, width, false);
        up.row!(mem, pCr, pCr, ucr, dsw, width, false);
        const ref = new Uint8Array(width * 3);
        stbYccToRgb(mem, pY, ucb, 0, ucr, 0, mem, 0, ref, 0, width);
        expect(firstDiff(k.u8(out, width * 3), ref), `width ${width}, trial ${trial}`).toBe('equal');
      }
    }
  });

  it('v2 (4:4:0): random planes equal stbi__resample_row_v_2 then stbi__YCbCr_to_RGB_row', () => {
    const k = kernels();
    const r = rng(29);
    const up = stbUpsampler(1, 2);
    expect(up.name).toBe('stb v2');
    for (const width of WIDTHS) {
      const pY = k.alloc(width), cb = [k.alloc(width), k.alloc(width)], cr = [k.alloc(width), k.alloc(width)];
      const out = k.alloc(width * 3);
      for (let trial = 0; trial < 6; trial++) {
        for (const p of [pY, ...cb, ...cr]) fillSampleRuns(k.u8(p!, width), r);
        // Near and far rows either way round (upper and lower output rows), and the same row (the image's edges).
        const [n, f] = trial % 3 === 2 ? [0, 0] : trial % 2 ? [1, 0] : [0, 1];
        k.stbV2Ycc(pY, cb[n]!, cb[f]!, cr[n]!, cr[f]!, width, out, k.consts);
        const mem = k.u8(0, k.memory.buffer.byteLength);
        const ucb = new Uint8Array(width), ucr = new Uint8Array(width);
        up.row!(mem, cb[n]!, cb[f]!, ucb, width, width, trial % 2 === 1);
        up.row!(mem, cr[n]!, cr[f]!, ucr, width, width, trial % 2 === 1);
        const ref = new Uint8Array(width * 3);
        stbYccToRgb(mem, pY, ucb, 0, ucr, 0, mem, 0, ref, 0, width);
        expect(firstDiff(k.u8(out, width * 3), ref), `width ${width}, trial ${trial}`).toBe('equal');
      }
    }
  });

  /** A YCbCr frame of width x height, Y at h x v and both chroma components 1x1. */
  function geometry(width: number, height: number, h: number, v: number): FrameGeometry {
    const mcusX = Math.ceil(width / (8 * h)), mcusY = Math.ceil(height / (8 * v));
    const comp = (ch: number, cv: number): FrameGeometry['comps'][number] => ({
      h: ch, v: cv, bw: mcusX * ch,
      cw: Math.ceil(Math.ceil((width * ch) / h) / 8), ch: Math.ceil(Math.ceil((height * cv) / v) / 8),
    });
    return { width, height, hmax: h, vmax: v, mcusX, mcusY, comps: [comp(h, v), comp(1, 1), comp(1, 1)] };
  }

  it('the pipeline fuses every stb chroma layout it has a kernel for', () => {
    const paths: Record<string, unknown> = {};
    for (const [name, h, v] of [['420', 2, 2], ['422', 2, 1], ['440', 1, 2], ['444', 1, 1]] as const) {
      for (const variant of ['stb', 'libjpeg'] as const) {
        const p = new OutputPipeline(geometry(37, 21, h, v), 'ycc', variant, 1, 'wasm');
        const wasm = (p as unknown as { wasm: { fused: string | null; ycc: boolean } | null }).wasm;
        paths[`${variant} ${name}`] = wasm?.fused ?? (wasm?.ycc ? 'ycc' : 'js');
        p.release();
      }
    }
    expect(paths).toEqual({
      'stb 420': 'h2v2', 'stb 422': 'h2v1', 'stb 440': 'v2', 'stb 444': 'ycc',
      'libjpeg 420': 'h2v2', 'libjpeg 422': 'h2v1', 'libjpeg 440': 'ycc', 'libjpeg 444': 'ycc',
    });
  });

  /** cjpeg files of odd sizes in each sampling (written to a temporary directory). */
  function samplingFiles(): { dir: string; files: [string, string][] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-stbsimd-'));
    const files: [string, string][] = [];
    for (const [w, h] of [[1, 1], [2, 2], [3, 5], [17, 9], [33, 31], [130, 67]] as const) {
      const ppm = path.join(dir, `${w}x${h}.ppm`);
      fs.writeFileSync(ppm, synthPhoto(w, h));
      for (const s of ['2x2', '2x1', '1x2', '1x1']) {
        const f = path.join(dir, `${w}x${h}-${s}.jpg`);
        fs.writeFileSync(f, run('cjpeg', ['-quality', String(60 + ((w * 7) % 40)), '-sample', s, ppm]));
        files.push([`${w}x${h} ${s}`, f]);
      }
    }
    return { dir, files };
  }

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('stb decodes with backend wasm equal backend js: odd sizes, every sampling', () => {
    const { dir, files } = samplingFiles();
    try {
      for (const [name, file] of files) {
        const bytes = new Uint8Array(fs.readFileSync(file));
        const a = decodeJpegPixels(bytes, { backend: 'wasm', variant: 'stb' });
        const b = decodeJpegPixels(bytes, { backend: 'js', variant: 'stb' });
        expect([a.width, a.height]).toEqual([b.width, b.height]);
        expect(firstDiff(a.data, b.data), name).toBe('equal');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const oracle = HAVE_LIBJPEG_TOOLS ? loadTaskpixOracle() : null;
  it.skipIf(!oracle)('stb decodes with the SIMD stages equal stbi_load: odd sizes, every sampling', () => {
    const { dir, files } = samplingFiles();
    try {
      const results = oracle!.run(files.map(([, file]) => ({ kind: 'decode' as const, file })));
      files.forEach(([name, file], i) => {
        const r = results[i]!;
        expect(r.ok, `${name}: stbi_load refused it`).toBe(true);
        if (!r.ok) return;
        const got = decodeJpegPixels(new Uint8Array(fs.readFileSync(file)), { backend: 'wasm', variant: 'stb' });
        expect([got.width, got.height, got.channels], name).toEqual([r.width, r.height, r.channels]);
        expect(firstDiff(got.data, r.data), name).toBe('equal');
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('without WebAssembly, stb decodes fall back to the typed-array stages, same bytes', () => {
    const { dir, files } = samplingFiles();
    try {
      const some = files.filter(([n]) => n.startsWith('33x31') || n.startsWith('17x9'));
      const sum = (d: Uint8Array): number => Array.from(d).reduce((a, v, i) => (a + v * (i + 1)) % 1000003, 0);
      const want = some.map(([, f]) => sum(decodeJpegPixels(new Uint8Array(fs.readFileSync(f)), { backend: 'js', variant: 'stb' }).data));
      const probe = fileURLToPath(new URL('./jpeg_wasm_stb_probe.ts', import.meta.url));
      const out = execFileSync(process.execPath, ['--import', 'tsx', probe, ...some.map(([, f]) => f)], { cwd: repoRoot, encoding: 'utf8' });
      const got = JSON.parse(out.trim().split('\n').pop()!) as { backend: string; sums: number[] };
      expect(got.backend).toBe('js');
      expect(got.sums).toEqual(want);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
