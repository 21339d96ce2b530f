/**
 * The fast entropy paths (inline refill before the next 0xFF, the fast-AC table, the multi-symbol skip tables
 * of 1/8-scale decodes, the progressive AC scans 1/8-scale decodes skip) against the reference path (symbol by
 * symbol through the bit reader, every coefficient stored, every scan decoded): same pixels and same warnings on
 * intact and on damaged files (flipped bits, stray markers, stuffing, truncation), at every scale and with both
 * variants (skipped scans report no damage: there only the pixels must match).
 */
import { describe, expect, it } from 'vitest';
import { buildHuffmanTable, buildSkipTable, SKIP_BITS } from '../../src/image/jpeg/huffman.js';
import { decodeJpegPixels, type JpegDecodeOptions } from '../../src/image/jpeg/index.js';
import { STD_AC_LUMA } from '../../src/image/jpeg/tables.js';
import { encodeJpeg, rng } from './helpers.js';
import { HAVE_LIBJPEG_TOOLS, run, synthPhoto } from './jpeg_tools.js';

/** A width x height PPM of uniform noise (large coefficients: long codes and many extra bits). */
function noisePpm(width: number, height: number, seed: number): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const out = new Uint8Array(header.length + width * height * 3);
  out.set(header);
  const r = rng(seed);
  for (let i = header.length; i < out.length; i++) out[i] = Math.floor(r() * 256);
  return out;
}

function ppmToRgb(ppm: Uint8Array, width: number, height: number): Uint8Array {
  return ppm.subarray(ppm.length - width * height * 3);
}

/** Seed files: cjpeg with varied settings when installed, else jpeg-js. */
function seeds(): { name: string; bytes: Uint8Array }[] {
  const photo = synthPhoto(123, 77), noise = noisePpm(61, 45, 7);
  if (!HAVE_LIBJPEG_TOOLS) {
    return [
      { name: 'jpeg-js photo q90', bytes: encodeJpeg(ppmToRgb(photo, 123, 77), 123, 77, 90) },
      { name: 'jpeg-js noise q100', bytes: encodeJpeg(ppmToRgb(noise, 61, 45), 61, 45, 100) },
    ];
  }
  const cj = (ppm: Uint8Array, args: string[]): Uint8Array => new Uint8Array(run('cjpeg', args, ppm));
  return [
    { name: 'photo 4:2:0 q90', bytes: cj(photo, ['-quality', '90', '-sample', '2x2']) },
    { name: 'photo 4:4:4 q100 optimized', bytes: cj(photo, ['-quality', '100', '-sample', '1x1', '-optimize']) },
    { name: 'photo 4:2:2 q60 restart every 3 MCUs', bytes: cj(photo, ['-quality', '60', '-sample', '2x1', '-restart', '3B']) },
    { name: 'photo grey q75 restart every row', bytes: cj(photo, ['-quality', '75', '-grayscale', '-restart', '1']) },
    { name: 'noise 4:2:0 q100', bytes: cj(noise, ['-quality', '100', '-sample', '2x2']) },
    { name: 'noise 4:4:4 q95 optimized', bytes: cj(noise, ['-quality', '95', '-sample', '1x1', '-optimize']) },
    { name: 'noise 4:1:1 q30 restart every MCU', bytes: cj(noise, ['-quality', '30', '-sample', '4x1', '-restart', '1B']) },
  ];
}

/** Offset of the first scan's entropy-coded data. */
function scanStart(b: Uint8Array): number {
  for (let p = 2; p + 4 <= b.length;) {
    const m = b[p + 1]!, len = (b[p + 2]! << 8) | b[p + 3]!;
    if (m === 0xda) return p + 2 + len;
    p += 2 + len;
  }
  return b.length;
}

function mutateData(src: Uint8Array, r: () => number): Uint8Array {
  const start = scanStart(src), span = Math.max(1, src.length - 2 - start);
  const at = (): number => start + Math.floor(r() * span);
  const b = src.slice();
  switch (Math.floor(r() * 6)) {
    case 0: for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[at()] ^= 1 << Math.floor(r() * 8); return b;
    case 1: for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) b[at()] = Math.floor(r() * 256); return b;
    case 2: return b.subarray(0, at());
    case 3: { // a marker or a stuffed 0xFF inside the data
      const p = at();
      b[p] = 0xff;
      b[p + 1] = [0x00, 0xd9, 0xd0 + Math.floor(r() * 8), 0xff, 0xc4, 0x01][Math.floor(r() * 6)]!;
      return b;
    }
    case 4: { // a run of 0xFF bytes (fill bytes before a marker, or garbage)
      const p = at();
      for (let i = 0, n = 1 + Math.floor(r() * 6); i < n && p + i < b.length - 2; i++) b[p + i] = 0xff;
      return b;
    }
    default: { // a span of data copied elsewhere
      const s = at(), d = at(), n = Math.min(1 + Math.floor(r() * 32), b.length - 2 - Math.max(s, d));
      if (n > 0) b.copyWithin(d, s, s + n);
      return b;
    }
  }
}

type Outcome = { error: string } | { width: number; height: number; data: Uint8Array; warnings: string[] };

function decode(bytes: Uint8Array, options: JpegDecodeOptions): Outcome {
  try {
    const d = decodeJpegPixels(bytes, options);
    return { width: d.width, height: d.height, data: d.data, warnings: d.warnings };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function expectSame(bytes: Uint8Array, options: JpegDecodeOptions, label: string): void {
  const fast = decode(bytes, options), ref = decode(bytes, { ...options, entropy: 'reference' });
  if ('error' in ref || 'error' in fast) {
    expect(fast, label).toEqual(ref);
    return;
  }
  expect(fast.width, label).toBe(ref.width);
  expect(fast.height, label).toBe(ref.height);
  expect(fast.warnings, label).toEqual(ref.warnings);
  // Compare without vitest's deep diff of megabyte arrays: first differing byte.
  let diff = -1;
  for (let i = 0; i < ref.data.length; i++) if (fast.data[i] !== ref.data[i]) { diff = i; break; }
  expect(diff, `${label}: first differing byte`).toBe(-1);
}

const VARIANTS: JpegDecodeOptions[] = [
  { scaleDenom: 1 }, { scaleDenom: 2 }, { scaleDenom: 4 }, { scaleDenom: 8 }, { scaleDenom: 1, variant: 'stb' },
];

describe('JPEG entropy decoding: fast paths == reference path', () => {
  const files = seeds();

  it('intact files, every scale and variant', () => {
    for (const f of files) for (const o of VARIANTS) expectSame(f.bytes, o, `${f.name} ${JSON.stringify(o)}`);
  });

  it('data at any byte alignment (the reader scans for 0xFF four bytes at a time)', () => {
    for (const f of files.slice(0, 3)) {
      const want = decode(f.bytes, {});
      for (let shift = 1; shift < 4; shift++) {
        const buf = new Uint8Array(f.bytes.length + shift);
        buf.set(f.bytes, shift);
        expect(decode(buf.subarray(shift), {}), `${f.name} at offset ${shift}`).toEqual(want);
      }
    }
  });

  it('1,500 files damaged in their entropy-coded data (seeded)', () => {
    const r = rng(20261128);
    for (let i = 0; i < 1500; i++) {
      const f = files[i % files.length]!;
      const bytes = mutateData(f.bytes, r);
      const o = VARIANTS[(i >> 2) % VARIANTS.length]!;
      expectSame(bytes, o, `case ${i} (${f.name}) ${JSON.stringify(o)}`);
    }
  });

  it('1/8 scale of progressive files: AC scans of DC-only components skipped, same pixels (damaged files too)', () => {
    if (!HAVE_LIBJPEG_TOOLS) return;
    const progressive = files.slice(0, 5).flatMap((f) => [
      { name: `${f.name} progressive`, bytes: new Uint8Array(run('jpegtran', ['-progressive'], f.bytes)) },
      { name: `${f.name} progressive, restart every 2 MCUs`, bytes: new Uint8Array(run('jpegtran', ['-progressive', '-restart', '2B'], f.bytes)) },
    ]);
    const r = rng(42);
    for (let i = 0; i < 600; i++) {
      const f = progressive[i % progressive.length]!;
      const bytes = i < progressive.length ? f.bytes : mutateData(f.bytes, r);
      const fast = decode(bytes, { scaleDenom: 8 }), ref = decode(bytes, { scaleDenom: 8, entropy: 'reference' });
      const label = `case ${i} (${f.name})`;
      if ('error' in ref || 'error' in fast) {
        expect(fast, label).toEqual(ref);
        continue;
      }
      if (i < progressive.length) expect(fast.warnings, label).toEqual(ref.warnings);
      expect([fast.width, fast.height], label).toEqual([ref.width, ref.height]);
      expect(Buffer.compare(Buffer.from(fast.data), Buffer.from(ref.data)), label).toBe(0);
    }
  });

  it('skip table entries equal symbol-by-symbol decoding of their prefix', () => {
    const t = buildHuffmanTable(Uint8Array.from(STD_AC_LUMA.bits), Uint8Array.from(STD_AC_LUMA.vals), false);
    const skip = buildSkipTable(t);
    for (let i = 0; i < 1 << SKIP_BITS; i++) {
      // Decode the prefix symbol by symbol with the canonical code.
      let used = 0, adv = 0, eob = 0, firstBits = 0, firstAdv = 0;
      for (;;) {
        let l = 1, code = -1;
        for (; l <= SKIP_BITS - used; l++) {
          const c = (i >> (SKIP_BITS - used - l)) & ((1 << l) - 1);
          if (c <= t.maxcode[l]!) { code = c; break; }
        }
        if (code < 0) break;
        const rs = t.symbols[code + t.valoffset[l]!]!;
        if (used + l + (rs & 15) > SKIP_BITS) break;
        used += l + (rs & 15);
        adv += rs & 15 ? (rs >> 4) + 1 : rs === 0xf0 ? 16 : 1;
        if (!firstBits) { firstBits = used; firstAdv = adv; }
        if ((rs & 15) === 0 && rs !== 0xf0) { eob = 1; break; }
        if (adv >= 64) break;
      }
      const e = skip[i]!;
      expect([e & 31, (e >> 5) & 127, (e >> 12) & 1, (e >> 13) & 31, (e >> 18) & 31], `prefix ${i}`)
        .toEqual(firstBits ? [used, adv, eob, firstBits, firstAdv] : [0, 0, 0, 0, 0]);
    }
  });
});
