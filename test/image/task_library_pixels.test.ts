/**
 * embedlite's `preprocess` against the Task Library's pixels, byte for byte: the oracle (test/oracle/taskpix.c) runs
 * the libyuv calls of the Task Library's FrameBufferUtils::Preprocess on the same input. Covered: every image in
 * ../shared/images (decoded by stb_image, as the Task Library decodes), at full size and 224x224, 160x120, 96x96,
 * 300x200 (shrinking and enlarging), with ROIs (odd offsets, 1 pixel wide or tall), every rotation and the flips,
 * RGB and GRAY output; RGBA, GRAY and NV12/NV21/YV12/YV21 frames built here, at odd and even sizes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertFormat } from '../../src/image/color.js';
import { createFrameBuffer, packedPixels, type FrameBuffer, type Orientation, type PixelFormat } from '../../src/image/frame_buffer.js';
import { decodeImage } from '../../src/image/decode.js';
import { preprocess } from '../../src/image/preprocess.js';
import { loadTaskpixOracle, type OracleJob, type OracleRequest } from '../helpers/taskpix_oracle.js';
import { hasShared, readBytes, rng, sharedImages } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, jpegCorpus } from './jpeg_tools.js';

const oracle = loadTaskpixOracle();

const SIZES: ([number, number] | null)[] = [null, [224, 224], [160, 120], [96, 96], [300, 200]];

/** ROIs for a w x h frame: none, odd offsets, 1 pixel wide, 1 pixel tall. */
function rois(w: number, h: number): (OracleRequest['roi'] | undefined)[] {
  const out: (OracleRequest['roi'] | undefined)[] = [undefined];
  if (w > 8 && h > 8) {
    out.push({ x: 3, y: 5, width: Math.floor(w / 2) + 1, height: Math.floor(h / 3) + 1 });
    out.push({ x: 7, y: 1, width: 1, height: h - 2 });
    out.push({ x: 1, y: Math.floor(h / 2), width: w - 3, height: 1 });
  }
  return out;
}

interface Case extends OracleRequest {
  label: string;
}

/** The request matrix: sizes x ROIs x orientations (rotations; flips at one size) x output formats. */
function matrix(w: number, h: number, formats: readonly ('RGB' | 'GRAY')[] = ['RGB', 'GRAY']): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    for (const roi of rois(w, h)) {
      const orientations: Orientation[] = size?.[0] === 160 ? [1, 2, 3, 4, 5, 6, 7, 8] : [1, 3, 6, 8];
      for (const orientation of orientations) {
        for (const format of formats) {
          if (format === 'GRAY' && formats.length > 1 && orientation !== 1 && orientation !== 6) continue;
          const label = `${size ? size.join('x') : 'full'} roi=${roi ? `${roi.x},${roi.y},${roi.width}x${roi.height}` : '-'} ` +
            `orientation=${orientation} ${format}`;
          cases.push({ label, orientation, roi, format, width: size?.[0], height: size?.[1] });
        }
      }
    }
  }
  return cases;
}

function ours(frame: FrameBuffer, c: Case): Uint8Array {
  const out = preprocess({ ...frame, orientation: (c.orientation ?? 1) as Orientation },
    { roi: c.roi, format: c.format, width: c.width, height: c.height });
  return packedPixels(out);
}

/** Runs the cases through the oracle (as `jobOf` builds them) and embedlite; returns the failing labels. */
function compare(frame: FrameBuffer, cases: Case[], jobOf: (c: Case) => OracleJob): string[] {
  const results = oracle!.run(cases.map(jobOf));
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const r = results[i]!;
    if (!r.ok) {
      failures.push(`${c.label}: oracle refused (${r.error})`);
      return;
    }
    const mine = ours(frame, c);
    if (mine.length !== r.data.length) {
      failures.push(`${c.label}: ${mine.length} bytes, oracle ${r.data.length}`);
      return;
    }
    let n = 0, max = 0;
    for (let k = 0; k < mine.length; k++) {
      const d = Math.abs(mine[k]! - r.data[k]!);
      if (d) { n++; max = Math.max(max, d); }
    }
    if (n) failures.push(`${c.label}: ${n} bytes differ (max ${max})`);
  });
  return failures;
}

function sharedFiles(): string[] {
  if (!hasShared) return [];
  const top = fs.readdirSync(sharedImages).filter((f) => /\.(png|jpe?g|bmp)$/i.test(f)).map((f) => path.join(sharedImages, f));
  const jpegDir = path.join(sharedImages, 'jpeg');
  const more = fs.existsSync(jpegDir) ? fs.readdirSync(jpegDir).map((f) => path.join(jpegDir, f)) : [];
  return [...top, ...more];
}

describe.skipIf(!oracle)('preprocess equals the Task Library (libyuv) byte for byte', () => {
  describe.skipIf(!hasShared)('shared images, decoded by stb_image', () => {
    for (const file of sharedFiles()) {
      it(path.relative(sharedImages, file), () => {
        const [dec] = oracle!.run([{ kind: 'decode', file }]);
        if (!dec!.ok) {
          // stb_image refuses arithmetic-coded and 12-bit JPEGs; so does the Task Library.
          console.warn(`${path.basename(file)}: stb_image refuses it (${dec!.error}); no Task Library pixels to compare`);
          return;
        }
        const fmt: PixelFormat = dec!.channels === 1 ? 'GRAY' : dec!.channels === 4 ? 'RGBA' : 'RGB';
        const frame = createFrameBuffer(dec!.width, dec!.height, fmt, dec!.data);
        const formats = fmt === 'GRAY' ? (['GRAY'] as const) : (['RGB', 'GRAY'] as const);
        // The decoded frame goes to the oracle once per batch (its 'image' jobs would decode the file per request; the
        // whole-pipeline tests below cover decoding).
        const failures = compare(frame, matrix(frame.width, frame.height, formats), (c) => ({ kind: 'frame', frame, ...c }));
        expect(failures).toEqual([]);
      });
    }
  });

  /**
   * The whole pipeline from bytes: decodeImage with the stb JPEG decoder (the Task Library's) and no EXIF rotation
   * (the Task Library ignores it), then preprocess; two requests per file.
   */
  function wholePipeline(files: string[]): string[] {
    const requests: Case[] = [
      { label: '224x224 RGB', format: 'RGB', width: 224, height: 224 },
      { label: '160x120 orientation=6 RGB', format: 'RGB', width: 160, height: 120, orientation: 6 },
    ];
    const jobs = files.flatMap((file) => requests.map((c) => ({ kind: 'image' as const, file, ...c })));
    const results = oracle!.run(jobs);
    const failures: string[] = [];
    const decoded = new Map<string, FrameBuffer>();
    let compared = 0;
    jobs.forEach((job, i) => {
      const r = results[i]!;
      if (!r.ok) return; // stb or the Task Library refuses it (arithmetic coding, 12-bit, grey -> RGB)
      let frame = decoded.get(job.file);
      if (!frame) {
        frame = decodeImage(readBytes(job.file), { jpegDecoder: 'stb', exifOrientation: 'ignore' });
        decoded.set(job.file, frame);
      }
      const mine = ours(frame, job);
      compared++;
      if (Buffer.compare(Buffer.from(mine), Buffer.from(r.data)) !== 0) failures.push(`${path.basename(job.file)} ${job.label}`);
    });
    console.log(`whole pipeline: ${compared} of ${jobs.length} requests compared (the rest refused by stb / the Task Library)`);
    return failures;
  }

  it.skipIf(!hasShared)('whole pipeline from bytes: shared images', () => {
    expect(wholePipeline(sharedFiles())).toEqual([]);
  });

  it.skipIf(!HAVE_LIBJPEG_TOOLS)('whole pipeline from bytes: the JPEG conformance corpus', () => {
    expect(wholePipeline(jpegCorpus().files.map((f) => f.file))).toEqual([]);
  });

  /** A frame of `format` built from a smooth random picture (YUV via embedlite's RGB -> YUV). */
  function builtFrame(format: PixelFormat, w: number, h: number, seed: number): FrameBuffer {
    const rgb = createFrameBuffer(w, h, format === 'RGBA' ? 'RGBA' : 'RGB');
    const r = rng(seed);
    const p = rgb.planes[0]!;
    const c = p.pixelStride;
    const phase = [r() * 6, r() * 6, r() * 6];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < 3; k++) {
          const v = 128 + 90 * Math.sin(x / (5 + 7 * k) + phase[k]!) * Math.cos(y / (9 - 2 * k) + phase[k]!) + 30 * (r() - 0.5);
          p.data[y * p.rowStride + x * c + k] = Math.max(0, Math.min(255, Math.round(v)));
        }
        if (c === 4) p.data[y * p.rowStride + x * c + 3] = Math.floor(r() * 256);
      }
    }
    return format === 'RGB' || format === 'RGBA' ? rgb : convertFormat(rgb, format);
  }

  const built: [PixelFormat, number, number][] = [
    ['RGBA', 101, 77], ['GRAY', 128, 128], ['GRAY', 99, 61],
    ['NV12', 120, 90], ['NV12', 101, 77], ['NV21', 101, 77], ['NV21', 64, 48],
    ['YV12', 101, 77], ['YV12', 448, 336], ['YV21', 101, 77], ['YV21', 320, 240],
  ];
  for (const [format, w, h] of built) {
    it(`${format} ${w}x${h} frames`, () => {
      const frame = builtFrame(format, w, h, w * 31 + h);
      // The Task Library cannot convert GRAY to RGB (its frames go GRAY -> GRAY only).
      const cases = matrix(w, h, format === 'GRAY' ? ['GRAY'] : ['RGB', 'GRAY']);
      const failures = compare(frame, cases, (c) => ({ kind: 'frame', frame, ...c }));
      expect(failures).toEqual([]);
    });
  }
});
