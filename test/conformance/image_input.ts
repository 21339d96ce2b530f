/**
 * Real-image inputs for the conformance tests: decode a shared JPEG/PNG (jpeg-js / pngjs), resize it naively
 * (nearest neighbour: the tests compare two runtimes on the same bytes, so resampling quality does not matter),
 * and lay it out as a model input tensor.
 */
import fs from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved RGB bytes, row-major. */
  data: Uint8Array;
}

/** Decodes a .jpg or .png file into RGB (alpha dropped). */
export function loadRgb(file: string): RgbImage {
  const bytes = fs.readFileSync(file);
  let width: number, height: number, rgba: Uint8Array;
  if (file.toLowerCase().endsWith('.png')) {
    const png = PNG.sync.read(bytes);
    ({ width, height } = png);
    rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  } else {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    ({ width, height } = img);
    rgba = img.data;
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    data[i * 3] = rgba[j]!;
    data[i * 3 + 1] = rgba[j + 1]!;
    data[i * 3 + 2] = rgba[j + 2]!;
  }
  return { width, height, data };
}

/** Nearest-neighbour resize to width x height. */
export function resizeNearest(img: RgbImage, width: number, height: number): RgbImage {
  if (img.width === width && img.height === height) return img;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(img.height - 1, Math.floor(((y + 0.5) * img.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor(((x + 0.5) * img.width) / width));
      const s = (sy * img.width + sx) * 3, d = (y * width + x) * 3;
      data[d] = img.data[s]!;
      data[d + 1] = img.data[s + 1]!;
      data[d + 2] = img.data[s + 2]!;
    }
  }
  return { width, height, data };
}

export type InputKind = 'uint8' | 'int8' | 'float32';

export interface ImageInputSpec {
  kind: InputKind;
  /** [1,H,W,3] (NHWC, default) or [1,3,H,W] (NCHW). */
  shape: readonly number[];
  layout?: 'NHWC' | 'NCHW';
  /** Float range the bytes 0..255 map to (default [0, 1]). */
  range?: readonly [number, number];
}

/**
 * The image resized to the input shape, as a typed array: uint8 gets the bytes, int8 gets byte - 128,
 * float32 gets lo + byte * (hi - lo) / 255.
 */
export function imageInput(file: string, spec: ImageInputSpec): Uint8Array | Int8Array | Float32Array {
  const layout = spec.layout ?? 'NHWC';
  const [h, w, c] = layout === 'NHWC' ? [spec.shape[1]!, spec.shape[2]!, spec.shape[3]!] : [spec.shape[2]!, spec.shape[3]!, spec.shape[1]!];
  if (c !== 3) throw new Error(`image input needs 3 channels, shape is [${spec.shape}]`);
  const img = resizeNearest(loadRgb(file), w, h);
  const n = h * w * 3;
  const out = spec.kind === 'uint8' ? new Uint8Array(n) : spec.kind === 'int8' ? new Int8Array(n) : new Float32Array(n);
  const [lo, hi] = spec.range ?? [0, 1];
  const k = (hi - lo) / 255;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < 3; ch++) {
        const v = img.data[(y * w + x) * 3 + ch]!;
        const d = layout === 'NHWC' ? (y * w + x) * 3 + ch : ch * h * w + y * w + x;
        out[d] = spec.kind === 'uint8' ? v : spec.kind === 'int8' ? v - 128 : lo + v * k;
      }
    }
  }
  return out;
}
