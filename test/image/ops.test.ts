import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import {
  composeOrientations, convertFormat, createFrameBuffer, crop, decodeImage, flip, orient, packedPixels, preprocess,
  resize, rotate, type FrameBuffer, type Orientation, type PixelFormat,
} from '../../src/image/index.js';
import { hasShared, px, randomFrame, readBytes, rng, sharedImages } from './helpers.js';

/** Reference coordinate maps written out per case: output (x, y) of a W x H input -> input pixel. */
const REF: Record<Orientation, (x: number, y: number, W: number, H: number) => [number, number]> = {
  1: (x, y) => [x, y],
  2: (x, y, W) => [W - 1 - x, y], // mirror left-right
  3: (x, y, W, H) => [W - 1 - x, H - 1 - y], // rotate 180
  4: (x, y, _W, H) => [x, H - 1 - y], // mirror top-bottom
  5: (x, y) => [y, x], // transpose
  6: (x, y, _W, H) => [y, H - 1 - x], // rotate 90 clockwise
  7: (x, y, W, H) => [W - 1 - y, H - 1 - x], // transverse
  8: (x, y, W) => [W - 1 - y, x], // rotate 90 counter-clockwise
};

function expectOriented(src: FrameBuffer, out: FrameBuffer, o: Orientation): void {
  const swap = o >= 5;
  expect([out.width, out.height]).toEqual(swap ? [src.height, src.width] : [src.width, src.height]);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const [sx, sy] = REF[o](x, y, src.width, src.height);
      expect(px(out, x, y)).toEqual(px(src, sx, sy));
    }
  }
}

const grid = (name: string): FrameBuffer => decodeImage(readBytes(path.join(sharedImages, name)));
const BLUE = [0, 0, 255], BLACK = [0, 0, 0], GREEN = [0, 255, 0], RED = [255, 0, 0];

describe('orientation: rotations and flips', () => {
  for (const format of ['RGB', 'RGBA', 'GRAY'] as const) {
    for (let o = 1 as Orientation; o <= 8; o = (o + 1) as Orientation) {
      it(`${format} orientation ${o} on a 7x5 frame`, () => {
        const src = randomFrame(7, 5, format, o);
        expectOriented(src, orient(src, o), o);
      });
    }
  }
  it('rotate() is clockwise and flip() mirrors', () => {
    const src = randomFrame(6, 3, 'RGB', 9);
    expectOriented(src, rotate(src, 90), 6);
    expectOriented(src, rotate(src, -90), 8);
    expectOriented(src, rotate(src, 180), 3);
    expectOriented(src, rotate(src, 270), 8);
    expectOriented(src, flip(src, 'horizontal'), 2);
    expectOriented(src, flip(src, 'vertical'), 4);
    expect(() => rotate(src, 45)).toThrow(ImageError);
  });
  it('composition agrees with applying twice, for all 64 pairs', () => {
    const src = randomFrame(4, 3, 'RGB', 3);
    for (let a = 1 as Orientation; a <= 8; a = (a + 1) as Orientation) {
      for (let b = 1 as Orientation; b <= 8; b = (b + 1) as Orientation) {
        expect(packedPixels(orient(src, composeOrientations(a, b)))).toEqual(packedPixels(orient(orient(src, a), b)));
      }
    }
  });
  it('YUV planes rotate consistently with RGB (even size)', () => {
    const rgb = randomFrame(8, 6, 'RGB', 4);
    for (const f of ['NV12', 'NV21', 'YV12', 'YV21'] as const) {
      const yuv = convertFormat(rgb, f);
      for (const o of [2, 3, 4, 5, 6, 7, 8] as Orientation[]) {
        expect(packedPixels(convertFormat(orient(yuv, o), 'RGB'))).toEqual(packedPixels(orient(convertFormat(yuv, 'RGB'), o)));
      }
    }
  });
  it.skipIf(!hasShared)('color_grid.png: quadrants move as expected', () => {
    const g = grid('color_grid.png');
    // stored: top-left blue, top-right black, bottom-left green, bottom-right red
    expect([px(g, 10, 10), px(g, 90, 10), px(g, 10, 90), px(g, 90, 90)]).toEqual([BLUE, BLACK, GREEN, RED]);
    const r = rotate(g, 90);
    expect([px(r, 10, 10), px(r, 90, 10), px(r, 10, 90), px(r, 90, 90)]).toEqual([GREEN, BLUE, RED, BLACK]);
    const h = flip(g, 'horizontal');
    expect([px(h, 0, 0), px(h, 99, 0), px(h, 0, 99), px(h, 99, 99)]).toEqual([BLACK, BLUE, RED, GREEN]);
    expectOriented(g, orient(g, 7), 7);
  });
});

describe('crop', () => {
  it('is a view with the right pixels', () => {
    const src = randomFrame(9, 7, 'RGB', 5);
    const c = crop(src, { x: 2, y: 3, width: 4, height: 2 });
    expect([c.width, c.height]).toEqual([4, 2]);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) expect(px(c, x, y)).toEqual(px(src, x + 2, y + 3));
    expect(c.planes[0]!.data.buffer).toBe(src.planes[0]!.data.buffer);
  });
  it('refuses out-of-bounds and empty regions', () => {
    const src = randomFrame(9, 7, 'GRAY', 5);
    for (const roi of [{ x: -1, y: 0, width: 2, height: 2 }, { x: 8, y: 0, width: 2, height: 2 }, { x: 0, y: 6, width: 1, height: 2 },
      { x: 0, y: 0, width: 0, height: 2 }, { x: 0.5, y: 0, width: 2, height: 2 }]) {
      expect(() => crop(src, roi)).toThrow(ImageError);
    }
    expect(crop(src, { x: 0, y: 0, width: 9, height: 7 }).width).toBe(9);
  });
  it('YUV crops at even origins equal RGB crops', () => {
    const rgb = randomFrame(10, 8, 'RGB', 6);
    for (const f of ['NV12', 'NV21', 'YV12', 'YV21'] as const) {
      const yuv = convertFormat(rgb, f);
      const roi = { x: 2, y: 4, width: 5, height: 3 };
      expect(packedPixels(convertFormat(crop(yuv, roi), 'RGB'))).toEqual(packedPixels(crop(convertFormat(yuv, 'RGB'), roi)));
    }
  });
  it.skipIf(!hasShared)('grey_grid.png crop', () => {
    const g = grid('grey_grid.png');
    const c = packedPixels(crop(g, { x: 45, y: 45, width: 10, height: 10 }));
    // The white quadrant is the bottom-left one: x < 50, y >= 50.
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) expect(c[3 * (y * 10 + x)]).toBe(x < 5 && y >= 5 ? 255 : 0);
  });
});

function row(values: number[]): FrameBuffer {
  return createFrameBuffer(values.length, 1, 'GRAY', Uint8Array.from(values));
}

describe('bilinear resize (libyuv kFilterBilinear conventions)', () => {
  it('same size is the identity', () => {
    const src = randomFrame(7, 5, 'RGBA', 7);
    expect(packedPixels(resize(src, 7, 5))).toEqual(packedPixels(src));
  });
  it('shrinking uses half-pixel centres', () => {
    // 4 -> 2: samples at 0.5 and 2.5 (7-bit blend: a + ((64 (b - a) + 64) >> 7))
    expect(Array.from(packedPixels(resize(row([0, 100, 200, 255]), 2, 1)))).toEqual([50, 228]);
    // 3 -> 1: the centre pixel exactly
    expect(Array.from(packedPixels(resize(row([0, 100, 200]), 1, 1)))).toEqual([100]);
    // 2x2 -> 1x1 vertical then horizontal halves with rounding up
    const sq = createFrameBuffer(2, 2, 'GRAY', Uint8Array.of(0, 10, 21, 40));
    const left = (0 + 21 + 1) >> 1, right = (10 + 40 + 1) >> 1;
    expect(Array.from(packedPixels(resize(sq, 1, 1)))).toEqual([left + ((64 * (right - left) + 64) >> 7)]);
  });
  it('enlarging aligns corners (libyuv FixedDiv1)', () => {
    // RGB 2 -> 3 (ARGBScale, columns only): positions 0, 32767/65536, 65534/65536 -> 7-bit fractions 0, 63, 127,
    // blended with weights (127 - f, f) and truncated, as ScaleARGBFilterCols_SSSE3 does.
    const rgbRow = createFrameBuffer(2, 1, 'RGB', Uint8Array.of(0, 0, 0, 255, 255, 255));
    expect(Array.from(packedPixels(resize(rgbRow, 3, 1))).filter((_, i) => i % 3 === 0))
      .toEqual([0, (63 * 255) >> 7, (127 * 255) >> 7]);
    // GRAY 2 -> 3 is ScalePlaneUp2_Linear: ends copied, the middle 1:3 (rounded).
    expect(Array.from(packedPixels(resize(row([0, 255]), 3, 1)))).toEqual([0, (255 + 2) >> 2, 255]);
    const col = createFrameBuffer(2, 2, 'GRAY', Uint8Array.of(0, 0, 255, 255));
    // rows (ScalePlaneVertical): 8-bit fractions 0, 127, 255 of the way
    expect(Array.from(packedPixels(resize(col, 2, 3))).filter((_, i) => i % 2 === 0))
      .toEqual([0, (255 * 127 + 128) >> 8, (255 * 255 + 128) >> 8]);
    // A 1-pixel-wide plane is point-sampled (ScaleFilterReduce: kFilterNone when the source is 1 wide).
    expect(Array.from(packedPixels(resize(createFrameBuffer(1, 2, 'GRAY', Uint8Array.of(0, 255)), 1, 3)))).toEqual([0, 0, 0]);
  });
  it('a 2x shrink of a frame equals the 2x2 block rule per channel', () => {
    const src = randomFrame(8, 6, 'RGB', 8);
    const out = resize(src, 4, 3);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 3; c++) {
          const a = px(src, 2 * x, 2 * y)[c]!, b = px(src, 2 * x + 1, 2 * y)[c]!;
          const d = px(src, 2 * x, 2 * y + 1)[c]!, e = px(src, 2 * x + 1, 2 * y + 1)[c]!;
          const l = (a * 128 + d * 128 + 128) >> 8, r = (b * 128 + e * 128 + 128) >> 8;
          expect(px(out, x, y)[c]).toBe(l + ((64 * (r - l) + 64) >> 7));
        }
      }
    }
  });
  it.skipIf(!hasShared)('color_grid.png 100x100 -> 50x50 keeps the quadrants exactly, 3x3 blends the centre', () => {
    const g = grid('color_grid.png');
    const s = resize(g, 50, 50);
    for (let y = 0; y < 50; y++) {
      for (let x = 0; x < 50; x++) expect(px(s, x, y)).toEqual(y < 25 ? (x < 25 ? BLUE : BLACK) : x < 25 ? GREEN : RED);
    }
    const t = resize(g, 3, 3);
    // 100 -> 3: step floor(100 * 65536 / 3) = 2184533, first sample (step >> 1) - 32768, so the middle sample sits at
    // 3244031 / 65536 = 49.49998: pixel 49 with row fraction 127/256 and column fraction 63/128. Rows blend rounded
    // (8 bits), columns truncated with weights (127 - f, f): libyuv's ARGB column blend never quite reaches full
    // weight, so even a flat colour loses up to 2 levels (255 -> 253).
    const v = (a: number, b: number): number => (a * 129 + b * 127 + 128) >> 8;
    const h = (l: number, r: number, f: number): number => (l * (127 - f) + r * f) >> 7;
    expect(px(t, 1, 1)).toEqual([0, 1, 2].map((c) => h(v(BLUE[c]!, GREEN[c]!), v(BLACK[c]!, RED[c]!), 63)));
    expect(px(t, 0, 0)).toEqual(BLUE.map((c) => (c * 127) >> 7));
    expect(px(t, 2, 2)).toEqual(RED.map((c) => (c * 127) >> 7));
  });
  it('YUV resizes plane by plane', () => {
    const rgb = randomFrame(12, 8, 'RGB', 10);
    const nv = convertFormat(rgb, 'NV21');
    const r = resize(nv, 6, 4);
    expect(r.format).toBe('NV21');
    const i420 = resize(convertFormat(rgb, 'YV21'), 6, 4);
    expect(packedPixels(convertFormat(r, 'RGB'))).toEqual(packedPixels(convertFormat(i420, 'RGB')));
  });
});

describe('colour conversion', () => {
  it.skipIf(!hasShared)('color_grid.png to GRAY uses full-range JPEG luma (libyuv RGBToYJ)', () => {
    const g = convertFormat(grid('color_grid.png'), 'GRAY');
    const yj = (r: number, gg: number, b: number): number => (77 * r + 150 * gg + 29 * b + 128) >> 8;
    expect([px(g, 10, 10), px(g, 90, 10), px(g, 10, 90), px(g, 90, 90)]).toEqual([[yj(0, 0, 255)], [0], [yj(0, 255, 0)], [yj(255, 0, 0)]]);
    expect([px(g, 10, 10)[0], px(g, 10, 90)[0], px(g, 90, 90)[0]]).toEqual([29, 149, 77]);
    const grey = convertFormat(grid('grey_grid.png'), 'GRAY');
    expect([px(grey, 10, 10), px(grey, 10, 90), px(grey, 90, 90)]).toEqual([[0], [255], [0]]);
  });
  it('GRAY -> RGB replicates, RGBA -> RGB drops alpha, RGB -> RGBA is opaque', () => {
    const g = randomFrame(5, 3, 'GRAY', 11);
    const rgb = convertFormat(g, 'RGB');
    expect(px(rgb, 2, 1)).toEqual([px(g, 2, 1)[0], px(g, 2, 1)[0], px(g, 2, 1)[0]]);
    const rgba = randomFrame(5, 3, 'RGBA', 12);
    expect(px(convertFormat(rgba, 'RGB'), 4, 2)).toEqual(px(rgba, 4, 2).slice(0, 3));
    expect(px(convertFormat(rgb, 'RGBA'), 1, 1)).toEqual([...px(rgb, 1, 1), 255]);
  });
  it('YUV -> RGB: limited-range BT.601 reference points', () => {
    const yuv = (y: number, u: number, v: number): number[] => {
      const f = createFrameBuffer(2, 2, 'YV21', Uint8Array.of(y, y, y, y, u, v));
      return px(convertFormat(f, 'RGB'), 0, 0);
    };
    expect(yuv(16, 128, 128)).toEqual([0, 0, 0]);
    expect(yuv(235, 128, 128)).toEqual([255, 255, 255]);
    expect(yuv(126, 128, 128)).toEqual([128, 128, 128]); // 1.164 * 110 = 128.0
    // pure red in BT.601 limited range: Y 81, U 90, V 240
    // y1 = (81 * 257 * 18997 >>> 16) - 1160 = 4874; R = (4874 + 102 * 112) >> 6 = 254;
    // G = (4874 + 25 * 38 - 52 * 112) >> 6 = 0; B = (4874 - 129 * 38) >> 6 = -1 -> 0
    expect(yuv(81, 90, 240)).toEqual([254, 0, 0]);
    // chroma order of each layout: NV12 = U,V interleaved; NV21 = V,U; YV21 = U plane then V; YV12 = V then U
    const y4 = [81, 81, 81, 81];
    for (const [format, chroma] of [['NV12', [90, 240]], ['NV21', [240, 90]], ['YV21', [90, 240]], ['YV12', [240, 90]]] as const) {
      const f = createFrameBuffer(2, 2, format, Uint8Array.from([...y4, ...chroma]));
      expect(px(convertFormat(f, 'RGB'), 1, 1), format).toEqual([254, 0, 0]);
    }
    // YUV -> GRAY copies Y
    const f = createFrameBuffer(2, 2, 'NV12', Uint8Array.of(10, 20, 30, 40, 128, 128));
    expect(Array.from(packedPixels(convertFormat(f, 'GRAY')))).toEqual([10, 20, 30, 40]);
  });
  it('RGB -> YUV -> RGB round trips within 3 for every YUV layout (2x2-constant colour)', () => {
    const W = 96, H = 64;
    const rgb = createFrameBuffer(W, H, 'RGB');
    const r = rng(13);
    const d = rgb.planes[0]!.data;
    for (let by = 0; by < H; by += 2) {
      for (let bx = 0; bx < W; bx += 2) {
        const c = [0, 1, 2].map(() => Math.floor(r() * 256));
        for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) for (let k = 0; k < 3; k++) d[3 * ((by + dy!) * W + bx + dx!) + k] = c[k]!;
      }
    }
    let max = 0;
    for (const f of ['NV12', 'NV21', 'YV12', 'YV21'] as PixelFormat[]) {
      const back = packedPixels(convertFormat(convertFormat(rgb, f), 'RGB'));
      for (let i = 0; i < d.length; i++) max = Math.max(max, Math.abs(back[i]! - d[i]!));
      // YUV layouts convert into each other losslessly
      for (const g of ['NV12', 'NV21', 'YV12', 'YV21'] as PixelFormat[]) {
        const again = packedPixels(convertFormat(convertFormat(convertFormat(rgb, f), g), 'RGB'));
        expect(Buffer.from(again).equals(Buffer.from(back)), `${f} -> ${g}`).toBe(true);
      }
    }
    console.log(`YUV round trip max abs diff ${max}`);
    // libyuv's blue coefficient is 128/64 where BT.601 says 2.018 (129/64): blue comes back up to 3 levels low.
    expect(max).toBeLessThanOrEqual(3);
  });
});

describe('preprocess (crop -> resize -> convert -> rotate)', () => {
  it('returns the input when nothing is needed', () => {
    const src = randomFrame(5, 4, 'RGB', 14);
    expect(preprocess(src)).toBe(src);
    expect(preprocess(src, { width: 5, height: 4, rotation: 0, roi: { x: 0, y: 0, width: 5, height: 4 } })).toBe(src);
  });
  it('equals the steps applied one by one, in the Task Library order', () => {
    const src = randomFrame(40, 30, 'RGBA', 15);
    const roi = { x: 3, y: 5, width: 25, height: 20 };
    for (const rotation of [0, 90, 180, 270]) {
      for (const format of ['RGB', 'GRAY'] as const) {
        const out = preprocess(src, { roi, width: 12, height: 9, rotation, format });
        const swap = rotation % 180 !== 0;
        const manual = rotate(convertFormat(resize(crop(src, roi), swap ? 9 : 12, swap ? 12 : 9), format), rotation);
        expect([out.width, out.height, out.format, out.orientation]).toEqual([12, 9, format, 1]);
        expect(packedPixels(out)).toEqual(packedPixels(manual));
      }
    }
  });
  it('applies the frame orientation before the extra rotation', () => {
    const src = { ...randomFrame(6, 4, 'RGB', 16), orientation: 6 as Orientation };
    const upright = preprocess(src);
    expect([upright.width, upright.height]).toEqual([4, 6]);
    expect(packedPixels(upright)).toEqual(packedPixels(orient(src, 6)));
    expect(packedPixels(preprocess(src, { rotation: 90 }))).toEqual(packedPixels(rotate(orient(src, 6), 90)));
  });
  it('YUV input: NV21 camera frame to RGB and GRAY', () => {
    const rgb = randomFrame(64, 48, 'RGB', 17);
    const nv21 = convertFormat(rgb, 'NV21');
    const out = preprocess(nv21, { width: 24, height: 32, rotation: 90, roi: { x: 8, y: 4, width: 40, height: 30 } });
    const manual = rotate(convertFormat(resize(crop(nv21, { x: 8, y: 4, width: 40, height: 30 }), 32, 24), 'RGB'), 90);
    expect(packedPixels(out)).toEqual(packedPixels(manual));
    const gray = preprocess(nv21, { format: 'GRAY', width: 32, height: 24 });
    expect(packedPixels(gray)).toEqual(packedPixels(resize(convertFormat(nv21, 'GRAY'), 32, 24)));
  });
  it('refuses bad ROIs and sizes', () => {
    const src = randomFrame(10, 10, 'RGB', 18);
    expect(() => preprocess(src, { roi: { x: 5, y: 5, width: 6, height: 2 } })).toThrow(/out of bounds/);
    expect(() => preprocess(src, { width: 0, height: 3 })).toThrow(ImageError);
    expect(() => preprocess(src, { rotation: 30 })).toThrow(ImageError);
  });
  it.skipIf(!hasShared)('color_grid.png: ROI + rotation + GRAY', () => {
    const g = grid('color_grid.png');
    // ROI = the left half (blue over green), rotated 90 clockwise -> green left, blue right
    const out = preprocess(g, { roi: { x: 0, y: 0, width: 50, height: 100 }, rotation: 90, width: 10, height: 5, format: 'GRAY' });
    expect(Array.from(packedPixels(out).subarray(0, 10))).toEqual([149, 149, 149, 149, 149, 29, 29, 29, 29, 29]);
  });
});

describe.skipIf(!hasShared)('burger_rotation180.jpg', () => {
  it('rotated by 180 is close to burger.jpg', () => {
    const a = packedPixels(decodeImage(readBytes(path.join(sharedImages, 'burger.jpg'))));
    const rot = decodeImage(readBytes(path.join(sharedImages, 'burger_rotation180.jpg')));
    const b = packedPixels(rotate(rot, 180));
    const raw = packedPixels(rot);
    let sum = 0, sumUnrotated = 0;
    for (let i = 0; i < a.length; i++) { sum += Math.abs(a[i]! - b[i]!); sumUnrotated += Math.abs(a[i]! - raw[i]!); }
    const mean = sum / a.length, meanRaw = sumUnrotated / a.length;
    console.log(`burger vs burger_rotation180 rotated: mean abs diff ${mean.toFixed(2)} (unrotated ${meanRaw.toFixed(2)})`);
    expect(mean).toBeLessThan(10);
    expect(meanRaw).toBeGreaterThan(30);
  });
});
