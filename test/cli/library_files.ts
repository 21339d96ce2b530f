/**
 * Writes a synthetic photo library for the CLI tests: small JPEG, PNG and BMP pictures in nested folders, some
 * corrupt files, some WebP (by name and disguised as .jpg), and a few non-image files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encode as jpegEncode } from 'jpeg-js';
import { encodePng } from '../../src/image/png_encode.js';

/** A 24-bit bottom-up BMP of an RGB image. */
export function encodeBmp(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const stride = (width * 3 + 3) & ~3;
  const out = new Uint8Array(54 + stride * height);
  const v = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d;
  v.setUint32(2, out.length, true); v.setUint32(10, 54, true); v.setUint32(14, 40, true);
  v.setInt32(18, width, true); v.setInt32(22, height, true); v.setUint16(26, 1, true); v.setUint16(28, 24, true);
  v.setUint32(34, stride * height, true);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3, d = 54 + (height - 1 - y) * stride + x * 3;
      out[d] = rgb[s + 2]!; out[d + 1] = rgb[s + 1]!; out[d + 2] = rgb[s]!;
    }
  }
  return out;
}

/** A picture that differs with `seed`: two colour gradients and a square. */
export function picture(seed: number, width = 16, height = 16): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3, inSquare = Math.abs(x - (seed % width)) < 4 && Math.abs(y - ((seed >> 3) % height)) < 4;
      rgb[o] = (x * 16 + seed * 7) & 255;
      rgb[o + 1] = inSquare ? 255 - ((seed * 13) & 255) : (y * 16 + seed * 3) & 255;
      rgb[o + 2] = (seed * 29 + x * y) & 255;
    }
  }
  return rgb;
}

const WEBP = new Uint8Array([...Buffer.from('RIFF'), 0x1a, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0x0e, 0, 0, 0, 0x30, 1, 0, 0x9d, 1, 0x2a, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);

export interface Library {
  /** Files that embed, in the order `embed` lists them. */
  good: string[];
  corrupt: string[];
  /** WebP and other files skipped as an unsupported format. */
  unsupported: string[];
}

/**
 * `count` files under `root`, in folders of 50 nested two deep: every 100th is corrupt, every 50th (offset 25)
 * a WebP (alternately `.webp` and disguised as `.jpg`), the rest JPEG / PNG / BMP in turn.
 */
export function writeLibrary(root: string, count: number): Library {
  const lib: Library = { good: [], corrupt: [], unsupported: [] };
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `year${Math.floor(i / 500)}`, `album${String(Math.floor(i / 50) % 10).padStart(2, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    const name = `img${String(i).padStart(5, '0')}`;
    const rgb = picture(i);
    if (i % 100 === 99) {
      const file = path.join(dir, `${name}.${i % 200 === 99 ? 'jpg' : 'png'}`);
      const junk = Uint8Array.from({ length: 64 }, (_, k) => (k * 31 + i) & 255);
      const sig = i % 200 === 99 ? [0xff, 0xd8, 0xff, 0xdb, 0x00, 0x02] : [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
      fs.writeFileSync(file, new Uint8Array([...sig, ...junk]));
      lib.corrupt.push(file);
    } else if (i % 50 === 25) {
      const file = path.join(dir, `${name}.${i % 100 === 25 ? 'webp' : 'jpg'}`);
      fs.writeFileSync(file, WEBP);
      lib.unsupported.push(file);
    } else {
      const kind = i % 3;
      const file = path.join(dir, `${name}.${['jpg', 'png', 'bmp'][kind]}`);
      const bytes = kind === 0 ? new Uint8Array(jpegEncode({ data: rgbaOf(rgb), width: 16, height: 16 }, 90).data)
        : kind === 1 ? encodePng({ width: 16, height: 16, channels: 3, data: rgb }) : encodeBmp(rgb, 16, 16);
      fs.writeFileSync(file, bytes);
      lib.good.push(file);
    }
  }
  return lib;
}

function rgbaOf(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!; out[j + 1] = rgb[i + 1]!; out[j + 2] = rgb[i + 2]!; out[j + 3] = 255;
  }
  return out;
}
