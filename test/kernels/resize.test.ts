import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { randArray, randInt, rng } from '../helpers/naive_float.js';
import { expectClose, f32, i32, iota, run1, u8 } from './float_misc_helpers.js';

const size = (h: number, w: number) => ({ type: i32, shape: [2], data: [h, w], constant: true });
const bo = (alignCorners: boolean, halfPixelCenters: boolean) => ({ kind: 'ResizeBilinearOptions', alignCorners, halfPixelCenters });
const no = (alignCorners: boolean, halfPixelCenters: boolean) => ({ kind: 'ResizeNearestNeighborOptions', alignCorners, halfPixelCenters });

/** reference_ops::ResizeBilinear written plainly (double arithmetic). */
function naiveBilinear(x: ArrayLike<number>, [B, H, W, C]: number[], oh: number, ow: number, align: boolean, half: boolean): number[] {
  const sc = (i: number, o: number) => (align && o > 1 ? (i - 1) / (o - 1) : i / o);
  const hs = sc(H, oh), ws = sc(W, ow);
  const out: number[] = [];
  const at = (b: number, y: number, xx: number, c: number) => x[((b * H + y) * W + xx) * C + c]!;
  for (let b = 0; b < B; b++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let c = 0; c < C; c++) {
    const iy = half ? (y + 0.5) * hs - 0.5 : y * hs, ix = half ? (xx + 0.5) * ws - 0.5 : xx * ws;
    const y0 = Math.max(Math.floor(iy), 0), y1 = Math.min(Math.ceil(iy), H - 1);
    const x0 = Math.max(Math.floor(ix), 0), x1 = Math.min(Math.ceil(ix), W - 1);
    const dy = iy - y0, dx = ix - x0;
    out.push(at(b, y0, x0, c) * (1 - dy) * (1 - dx) + at(b, y1, x0, c) * dy * (1 - dx) + at(b, y0, x1, c) * (1 - dy) * dx + at(b, y1, x1, c) * dy * dx);
  }
  return out;
}

describe('RESIZE_BILINEAR', () => {
  it('TFLite test vectors: 2x2 → 3x3 plain, align_corners, half_pixel_centers', () => {
    const x = { type: f32, shape: [1, 2, 2, 1], data: [3, 6, 9, 12] };
    expectClose(run1(Op.RESIZE_BILINEAR, [x, size(3, 3)], f32, bo(false, false)).data as Float32Array, [3, 5, 6, 7, 9, 10, 9, 11, 12], 1e-5);
    expectClose(run1(Op.RESIZE_BILINEAR, [x, size(3, 3)], f32, bo(true, false)).data as Float32Array, [3, 4.5, 6, 6, 7.5, 9, 9, 10.5, 12], 1e-5);
    expectClose(run1(Op.RESIZE_BILINEAR, [{ type: f32, shape: [1, 2, 2, 1], data: [1, 2, 3, 4] }, size(3, 3)], f32, bo(false, true)).data as Float32Array,
      [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], 1e-5);
  });
  it('matches a naive reference in every mode on random shapes (up- and downscaling)', () => {
    const r = rng(17);
    for (let t = 0; t < 24; t++) {
      const shape = [randInt(r, 1, 2), randInt(r, 1, 6), randInt(r, 1, 6), randInt(r, 1, 3)];
      const oh = randInt(r, 1, 9), ow = randInt(r, 1, 9);
      const [align, half] = [[false, false], [true, false], [false, true]][t % 3]!;
      const x = randArray(r, shape.reduce((p, v) => p * v, 1), 5);
      const y = run1(Op.RESIZE_BILINEAR, [{ type: f32, shape, data: x }, size(oh, ow)], f32, bo(align!, half!));
      expect(y.shape).toEqual([shape[0], oh, ow, shape[3]]);
      expectClose(y.data as Float32Array, naiveBilinear(x, shape, oh, ow, align!, half!), 2e-5, 1e-5);
    }
  });
  it('prepare errors', () => {
    const x = { type: f32, shape: [1, 2, 2, 1] };
    expect(() => run1(Op.RESIZE_BILINEAR, [x, size(3, 3)], f32, bo(true, true))).toThrow(/align_corners and half_pixel_centers cannot both be true/);
    expect(() => run1(Op.RESIZE_BILINEAR, [x, { type: i32, shape: [2], data: [3, 3] }], f32, bo(false, false))).toThrow(/size input .* is not a constant tensor/);
    expect(() => run1(Op.RESIZE_BILINEAR, [{ type: f32, shape: [2, 2] }, size(3, 3)], f32, bo(false, false))).toThrow(/input must be 4-D NHWC/);
  });
});

describe('RESIZE_NEAREST_NEIGHBOR', () => {
  it('TFLite test vectors: plain, align_corners, half_pixel_centers; any type', () => {
    const x = { type: f32, shape: [1, 2, 2, 1], data: [3, 6, 9, 12] };
    expect(Array.from(run1(Op.RESIZE_NEAREST_NEIGHBOR, [x, size(3, 3)], f32, no(false, false)).data as Float32Array)).toEqual([3, 3, 6, 3, 3, 6, 9, 9, 12]);
    expect(Array.from(run1(Op.RESIZE_NEAREST_NEIGHBOR, [x, size(3, 3)], f32, no(true, false)).data as Float32Array)).toEqual([3, 6, 6, 9, 12, 12, 9, 12, 12]);
    expect(Array.from(run1(Op.RESIZE_NEAREST_NEIGHBOR, [x, size(3, 3)], f32, no(false, true)).data as Float32Array)).toEqual([3, 6, 6, 9, 12, 12, 9, 12, 12]);
    const u = run1(Op.RESIZE_NEAREST_NEIGHBOR, [{ type: u8, shape: [1, 1, 2, 2], data: [1, 2, 3, 4] }, size(1, 4)], u8, no(false, false));
    expect(Array.from(u.data as Uint8Array)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });
  it('matches a naive reference on random shapes', () => {
    const r = rng(8);
    for (let t = 0; t < 24; t++) {
      const [H, W, C] = [randInt(r, 1, 6), randInt(r, 1, 6), randInt(r, 1, 3)];
      const oh = randInt(r, 1, 9), ow = randInt(r, 1, 9);
      const [align, half] = [[false, false], [true, false], [false, true], [true, true]][t % 4]!;
      const y = run1(Op.RESIZE_NEAREST_NEIGHBOR, [{ type: i32, shape: [1, H, W, C], data: iota(H * W * C) }, size(oh, ow)], i32, no(align!, half!));
      const nn = (o: number, i: number, n: number) => {
        const s = align && n > 1 ? (i - 1) / (n - 1) : i / n;
        let v = align ? Math.round((o + (half ? 0.5 : 0)) * s) : Math.floor((o + (half ? 0.5 : 0)) * s);
        v = Math.min(v, i - 1);
        return half ? Math.max(0, v) : v;
      };
      const want: number[] = [];
      for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let c = 0; c < C; c++) want.push((nn(y, H, oh) * W + nn(x, W, ow)) * C + c);
      expect(Array.from(y.data as Int32Array)).toEqual(want);
    }
  });
});
