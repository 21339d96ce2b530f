/** Shared helpers of the image tests: paths, seeded random numbers, synthetic frames, JPEG building. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as jpegEncode } from 'jpeg-js';
import { createFrameBuffer, type FrameBuffer, type PixelFormat } from '../../src/image/frame_buffer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const sharedImages = path.resolve(repoRoot, '../shared/images');
export const fixtureImages = path.join(repoRoot, 'fixtures/images');
export const hasShared = fs.existsSync(sharedImages);
if (!hasShared) console.warn(`image tests: ${sharedImages} not found, tests on the shared images are SKIPPED`);

export function readBytes(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

import { rng } from '../helpers/rng.js';

export { rng };

/** A packed frame with seeded random bytes. */
export function randomFrame(width: number, height: number, format: PixelFormat, seed = 1): FrameBuffer {
  const f = createFrameBuffer(width, height, format);
  const r = rng(seed);
  for (const p of f.planes) for (let i = 0; i < p.data.length; i++) p.data[i] = Math.floor(r() * 256);
  return f;
}

/** Pixel (x, y) of an RGB/RGBA/GRAY frame as an array of its channels. */
export function px(f: FrameBuffer, x: number, y: number): number[] {
  const p = f.planes[0]!;
  const c = f.format === 'RGBA' ? 4 : f.format === 'RGB' ? 3 : 1;
  const o = y * p.rowStride + x * p.pixelStride;
  return Array.from(p.data.subarray(o, o + c));
}

/** Baseline JPEG (jpeg-js encoder, 4:2:0... as jpeg-js writes it) of an RGB frame, quality q. */
export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality = 95): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = rgb[3 * i]!; rgba[4 * i + 1] = rgb[3 * i + 1]!; rgba[4 * i + 2] = rgb[3 * i + 2]!; rgba[4 * i + 3] = 255;
  }
  return new Uint8Array(jpegEncode({ data: rgba, width, height }, quality).data);
}

/** Inserts an APP1 Exif segment holding a one-entry IFD0 with the Orientation tag right after SOI. */
export function withExifOrientation(jpeg: Uint8Array, orientation: number, bigEndian = false): Uint8Array {
  const tiff: number[] = [];
  const w16 = (v: number): void => { if (bigEndian) tiff.push(v >> 8, v & 255); else tiff.push(v & 255, v >> 8); };
  const w32 = (v: number): void => {
    const b = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    tiff.push(...(bigEndian ? b : b.reverse()));
  };
  tiff.push(...(bigEndian ? [0x4d, 0x4d] : [0x49, 0x49]));
  w16(42); w32(8);
  w16(1); // one entry
  w16(0x0112); w16(3); w32(1); w16(orientation); w16(0);
  w32(0); // no next IFD
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const len = payload.length + 2;
  const seg = [0xff, 0xe1, len >> 8, len & 255, ...payload];
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(seg, 2);
  out.set(jpeg.subarray(2), 2 + seg.length);
  return out;
}
