/**
 * The WebAssembly SIMD stages of the JPEG decoder (kernels/wasm/jpeg/) against the typed-array stages they replace,
 * byte for byte: seeded random coefficient blocks through the islow IDCT (extreme and wrapping values included),
 * random sample planes through the fused upsampling + colour kernels, every (Cb, Cr) pair through the colour
 * conversion, whole files decoded with backend 'wasm' and 'js', and the silent fallback where WebAssembly is
 * missing or compiling is forbidden (workerd).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJpegModuleBytes } from '../../kernels/wasm/jpeg/index.js';
import { libjpegYccToRgb, stbYccToRgb } from '../../src/image/jpeg/color.js';
import { libjpegH2v2YccRow, stbHv2YccRow } from '../../src/image/jpeg/fused.js';
import { idctIslow8, idctStb8 } from '../../src/image/jpeg/idct.js';
import { decodeImage } from '../../src/image/decode.js';
import { decodeAndPreprocess } from '../../src/image/decode_preprocess.js';
import { decodeJpegPixels } from '../../src/image/jpeg/index.js';
import { JpegRows } from '../../src/image/jpeg/rows.js';
import { libjpegUpsampler } from '../../src/image/jpeg/upsample.js';
import { JpegKernels, jpegBackendInUse } from '../../src/image/jpeg/wasm.js';
import { encodeJpeg, fixtureImages, repoRoot, rng } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, fillSampleRuns, jpegCorpus, synthPhoto } from './jpeg_tools.js';

const kernels = (): JpegKernels => new JpegKernels(new WebAssembly.Module(buildJpegModuleBytes()));

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): string {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `first difference at ${i}: ${a[i]} vs ${b[i]}`;
  return a.length === b.length ? 'equal' : `lengths ${a.length} vs ${b.length}`;
}

describe('JPEG SIMD stages', () => {
  it('are what backend auto runs here', () => {
    expect(jpegBackendInUse('auto')).toBe('wasm');
    expect(jpegBackendInUse('js')).toBe('js');
  });

  it('islow and stb IDCTs: seeded random blocks equal the typed-array IDCTs byte for byte', () => {
    const k = kernels();
    const N = 256, stride = N * 8 + 24;
    const coefP = k.alloc(N * 128), quantP = k.alloc(256), outP = k.alloc(stride * 8);
    const coef = new Int16Array(k.memory.buffer, coefP, N * 64), quant = new Int32Array(k.memory.buffer, quantP, 64);
    const r = rng(11);
    const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
    // Kinds of block: photo-like, extremes (+-2047, +-32767), random 16-bit garbage; each with coefficients anywhere,
    // only in the top-left 4x4 (the kernel's half-work path), or DC only; zero-AC columns under a big DC (libjpeg's
    // column shortcut differs from the butterfly there).
    const kinds = ['photo', 'extreme', 'zero-ac-columns', 'garbage'] as const;
    const supports = ['any', 'low4', 'dc'] as const;
    let blocks = 0;
    for (let trial = 0; trial < 72; trial++) {
      const kind = kinds[trial % kinds.length]!, support = supports[Math.floor(trial / 4) % 3]!;
      const q16 = trial % 5 === 2; // 16-bit quantization tables (up to 65535)
      for (let i = 0; i < 64; i++) quant[i] = trial % 7 === 6 ? int(0, 2) : q16 ? int(1, 65535) : int(1, i ? 255 : 64);
      for (let b = 0; b < N; b++) {
        const o = b * 64;
        for (let i = 0; i < 64; i++) {
          const row = i >> 3, col = i & 7;
          if ((support === 'low4' && (row > 3 || col > 3)) || (support === 'dc' && i > 0)) { coef[o + i] = 0; continue; }
          let v: number;
          switch (kind) {
            case 'photo': v = r() < 8 / (i + 8) ? Math.round((r() - 0.5) * 400 / (1 + (i >> 2))) : 0; break;
            case 'extreme': v = r() < 0.5 ? 0 : [-32768, -32767, -2047, 2047, 32767, -1, 1][int(0, 6)]!; break;
            case 'zero-ac-columns': v = row === 0 ? int(-2047, 2047) : col % 3 === b % 3 ? int(-2047, 2047) : 0; break;
            default: v = int(-32768, 32767);
          }
          coef[o + i] = v;
        }
      }
      const c = coef.slice(), q = quant.slice(), ws = new Int32Array(128);
      for (const variant of ['islow', 'stb'] as const) {
        if (variant === 'islow') {
          k.idct(coefP, quantP, outP, stride, N, k.consts);
        } else {
          new Int16Array(k.memory.buffer, quantP, 64).set(q); // stb's kernel takes the table as shorts
          k.idctStb(coefP, quantP, outP, stride, N, k.consts);
          quant.set(q);
        }
        const got = k.u8(outP, stride * 8);
        const ref = new Uint8Array(stride * 8);
        for (let b = 0; b < N; b++) (variant === 'islow' ? idctIslow8 : idctStb8)(c, b * 64, q, ref, b * 8, stride, ws);
        for (let row = 0; row < 8; row++) {
          const a = ref.subarray(row * stride, row * stride + N * 8), g = got.subarray(row * stride, row * stride + N * 8);
          expect(firstDiff(g, a), `${variant}: trial ${trial} (${kind}, ${support}${q16 ? ', 16-bit tables' : ''}), row ${row}`).toBe('equal');
        }
      }
      blocks += N;
    }
    expect(blocks).toBe(72 * 256);
  });

  it('fancy upsampling + YCbCr -> RGB: random planes equal the typed-array stages', () => {
    const k = kernels();
    const r = rng(5);
    const widths = [5, 6, 7, 8, 15, 16, 17, 31, 32, 33, 47, 100, 255, 333, 1001, 4000];
    for (const width of widths) {
      const dsw = Math.ceil(width / 2);
      const pY = k.alloc(width), cb = [k.alloc(dsw), k.alloc(dsw)], cr = [k.alloc(dsw), k.alloc(dsw)];
      const pYf = k.alloc(width), pCbf = k.alloc(width), pCrf = k.alloc(width);
      const out = k.alloc(width * 3), tb = k.alloc(4 * (dsw + 24));
      for (let trial = 0; trial < 4; trial++) {
        for (const [p, n] of [[pY, width], [cb[0], dsw], [cb[1], dsw], [cr[0], dsw], [cr[1], dsw], [pYf, width], [pCbf, width], [pCrf, width]] as const) {
          fillSampleRuns(k.u8(p!, n), r);
        }
        const mem = k.u8(0, k.memory.buffer.byteLength);
        const got = (): Uint8Array => k.u8(out, width * 3).slice();

        // 4:2:0: the fused typed-array row reads cb and cr at the same offsets, so give it a copy.
        k.h2v2Ycc(pY, cb[0]!, cb[1]!, cr[0]!, cr[1]!, dsw, out, tb, k.consts);
        const ref = new Uint8ClampedArray(width * 3);
        const cbCopy = new Uint8Array(2 * dsw), crCopy = new Uint8Array(2 * dsw);
        cbCopy.set(mem.subarray(cb[0]!, cb[0]! + dsw)); cbCopy.set(mem.subarray(cb[1]!, cb[1]! + dsw), dsw);
        crCopy.set(mem.subarray(cr[0]!, cr[0]! + dsw)); crCopy.set(mem.subarray(cr[1]!, cr[1]! + dsw), dsw);
        libjpegH2v2YccRow(mem, pY, cbCopy, crCopy, 0, dsw, dsw, ref, 0, width);
        expect(firstDiff(got(), ref), `h2v2 width ${width}`).toBe('equal');
        k.stbH2v2Ycc(pY, cb[0]!, cb[1]!, cr[0]!, cr[1]!, dsw, out, tb, k.consts);
        stbHv2YccRow(mem, pY, cbCopy, crCopy, 0, dsw, dsw, ref, 0, width);
        expect(firstDiff(got(), ref), `stb hv2 width ${width}`).toBe('equal');

        // 4:2:2: libjpeg's h2v1 fancy upsampler, then ycc_rgb_convert.
        k.h2v1Ycc(pY, cb[0]!, cr[0]!, dsw, out, tb, k.consts);
        const up = libjpegUpsampler(1, 1, 2, 1, dsw, true)!;
        expect(up.name).toBe('h2v1 fancy');
        const ucb = new Uint8Array(2 * dsw + 8), ucr = new Uint8Array(2 * dsw + 8);
        up.row!(mem, cb[0]!, cb[0]!, ucb, dsw, width, false);
        up.row!(mem, cr[0]!, cr[0]!, ucr, dsw, width, false);
        const ref2 = new Uint8Array(width * 3);
        libjpegYccToRgb(mem, pY, ucb, 0, ucr, 0, mem, 0, ref2, 0, width);
        expect(firstDiff(got(), ref2), `h2v1 width ${width}`).toBe('equal');

        // 4:4:4.
        k.yccRgb(pYf, pCbf, pCrf, out, width, k.consts);
        const ref3 = new Uint8Array(width * 3);
        libjpegYccToRgb(mem, pYf, mem, pCbf, mem, pCrf, mem, 0, ref3, 0, width);
        expect(firstDiff(got(), ref3), `ycc width ${width}`).toBe('equal');
        k.stbYccRgb(pYf, pCbf, pCrf, out, width, k.consts);
        stbYccToRgb(mem, pYf, mem, pCbf, mem, pCrf, mem, 0, ref3, 0, width);
        expect(firstDiff(got(), ref3), `stb ycc width ${width}`).toBe('equal');
      }
    }
  });

  it('YCbCr -> RGB (libjpeg and stb): every (Cb, Cr) pair, at Y = 0, 1, 127, 128, 254, 255', () => {
    const k = kernels();
    const n = 65536;
    const py = k.alloc(n), pcb = k.alloc(n), pcr = k.alloc(n), out = k.alloc(n * 3);
    const cb = k.u8(pcb, n), cr = k.u8(pcr, n);
    for (let i = 0; i < n; i++) { cb[i] = i & 255; cr[i] = i >> 8; }
    for (const Y of [0, 1, 127, 128, 254, 255]) {
      k.u8(py, n).fill(Y);
      for (const stb of [false, true]) {
        (stb ? k.stbYccRgb : k.yccRgb)(py, pcb, pcr, out, n, k.consts);
        const mem = k.u8(0, k.memory.buffer.byteLength);
        const ref = new Uint8Array(n * 3);
        (stb ? stbYccToRgb : libjpegYccToRgb)(mem, py, mem, pcb, mem, pcr, mem, 0, ref, 0, n);
        expect(firstDiff(k.u8(out, n * 3), ref), `${stb ? 'stb' : 'libjpeg'}: Y = ${Y}`).toBe('equal');
      }
    }
  });

  it('decoding with backend wasm equals backend js (libjpeg and stb pixels): synthetic and fixture JPEGs', () => {
    const files: [string, Uint8Array][] = [];
    for (const f of fs.readdirSync(fixtureImages).filter((n) => n.endsWith('.jpg'))) {
      files.push([f, new Uint8Array(fs.readFileSync(path.join(fixtureImages, f)))]);
    }
    for (const [w, h] of [[1, 1], [7, 5], [33, 17], [130, 67]]) {
      const ppm = synthPhoto(w, h);
      files.push([`jpeg-js ${w}x${h}`, encodeJpeg(ppm.subarray(ppm.length - w * h * 3), w, h, 90)]);
    }
    for (const [name, bytes] of files) {
      for (const scaleDenom of [1, 2, 8] as const) {
        const a = decodeJpegPixels(bytes, { backend: 'wasm', scaleDenom }), b = decodeJpegPixels(bytes, { backend: 'js', scaleDenom });
        expect(firstDiff(a.data, b.data), `${name} 1/${scaleDenom}`).toBe('equal');
      }
      const a = decodeJpegPixels(bytes, { backend: 'wasm', variant: 'stb' }), b = decodeJpegPixels(bytes, { backend: 'js', variant: 'stb' });
      expect(firstDiff(a.data, b.data), `${name} stb`).toBe('equal');
    }
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('decoding with backend wasm equals backend js (libjpeg and stb pixels): the cjpeg/jpegtran corpus', () => {
    for (const f of jpegCorpus().files) {
      const bytes = new Uint8Array(fs.readFileSync(f.file));
      for (const scaleDenom of [1, 2] as const) {
        const a = decodeJpegPixels(bytes, { backend: 'wasm', scaleDenom }), b = decodeJpegPixels(bytes, { backend: 'js', scaleDenom });
        expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
        expect(firstDiff(a.data, b.data), `${f.name} (${f.recipe}) 1/${scaleDenom}`).toBe('equal');
      }
      const stb = (backend: 'wasm' | 'js'): Uint8Array | string => {
        try {
          return decodeJpegPixels(bytes, { backend, variant: 'stb' }).data;
        } catch (e) {
          return String(e); // stb refuses some files (both backends must)
        }
      };
      const a = stb('wasm'), b = stb('js');
      expect(typeof a === 'string' ? a : firstDiff(a, b as Uint8Array), `${f.name} (${f.recipe}) stb`).toBe(typeof b === 'string' ? b : 'equal');
    }
  });

  it("decodeImage and decodeAndPreprocess take backend 'js' and 'wasm' (same pixels)", () => {
    const ppm = synthPhoto(120, 90);
    const bytes = encodeJpeg(ppm.subarray(ppm.length - 120 * 90 * 3), 120, 90, 85);
    for (const jpegDecoder of ['libjpeg', 'stb'] as const) {
      const js = decodeImage(bytes, { jpegDecoder, backend: 'js' }), wasm = decodeImage(bytes, { jpegDecoder, backend: 'wasm' });
      expect(firstDiff(wasm.planes[0]!.data, js.planes[0]!.data), jpegDecoder).toBe('equal');
      const pre = { width: 50, height: 40, format: 'RGB' as const };
      const a = decodeAndPreprocess(bytes, { jpegDecoder, backend: 'js' }, pre), b = decodeAndPreprocess(bytes, { jpegDecoder, backend: 'wasm' }, pre);
      expect(a.streamed).toBe(true);
      expect(firstDiff(b.frame.planes[0]!.data, a.frame.planes[0]!.data), `${jpegDecoder} streamed`).toBe('equal');
    }
  });

  it('two stepped decodes at once (JpegRows) each keep their own SIMD buffers', () => {
    const make = (w: number, h: number, q: number): Uint8Array => {
      const ppm = synthPhoto(w, h);
      return encodeJpeg(ppm.subarray(ppm.length - w * h * 3), w, h, q);
    };
    const a = make(200, 120, 90), b = make(150, 170, 70);
    const ra = new JpegRows(a, {}), rb = new JpegRows(b, {});
    const wa = decodeJpegPixels(a, { backend: 'js' }).data, wb = decodeJpegPixels(b, { backend: 'js' }).data;
    for (let y = 0; y < Math.max(ra.height, rb.height); y++) {
      for (const [r, want] of [[ra, wa], [rb, wb]] as const) {
        if (y >= r.height) continue;
        const o = r.rows(y, y), n = r.rowStride;
        expect(firstDiff(r.data.subarray(o, o + n), want.subarray(y * n, (y + 1) * n)), `row ${y}`).toBe('equal');
      }
      if (y === 50) expect(decodeJpegPixels(a).data).toEqual(wa); // a whole decode in between
    }
    ra.finish(); rb.finish();
  });

  it('decodes in a synchronous loop hold no memory once collected (the lease is a token, not a WeakRef to the decode)', () => {
    const probe = fileURLToPath(new URL('./jpeg_wasm_loop_probe.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], { cwd: repoRoot, encoding: 'utf8' });
    const { grownBytes } = JSON.parse(out.trim().split('\n').pop()!) as { grownBytes: number };
    // Was ~230 kB per decode (each decode kept alive until the loop ended): ~69 MB for these 300.
    expect(grownBytes).toBeLessThan(32 << 20);
  });

  it('falls back silently without WebAssembly or where compiling is forbidden, and takes a passed kernels module', () => {
    const probe = fileURLToPath(new URL('./jpeg_wasm_probe.ts', import.meta.url));
    const run = (mode: string): Record<string, unknown> => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', probe, mode], { cwd: repoRoot, encoding: 'utf8' });
      return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    };
    const bytes = new Uint8Array(fs.readFileSync(path.join(fixtureImages, 'jpeg_gray.jpg')));
    const ppm = synthPhoto(64, 48);
    const colour = encodeJpeg(ppm.subarray(ppm.length - 64 * 48 * 3), 64, 48, 90);
    const want = [decodeJpegPixels(bytes, { backend: 'js' }), decodeJpegPixels(colour, { backend: 'js' })]
      .map((d) => Array.from(d.data).reduce((a, v, i) => (a + v * (i + 1)) % 1000003, 0));

    const none = run('no-webassembly');
    expect(none.backend).toBe('js');
    expect(none.sums).toEqual(want);
    expect(none.error).toMatch(/ImageError: JPEG backend 'wasm' is unavailable: WebAssembly is not available/);

    const workerd = run('no-compile');
    expect(workerd.before).toBe('js');
    expect(workerd.after).toBe('wasm');
    expect(workerd.sums).toEqual(want);
    expect(workerd.sumsAfter).toEqual(want);
  });
});
