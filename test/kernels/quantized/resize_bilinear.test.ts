import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../../schema/enums.js';
import type { ResizeBilinearOptions } from '../../../schema/builtin_options.js';
import { q, runOp } from '../../helpers/run_op.js';
import { countDiff, naiveResizeBilinear, rng } from '../../helpers/naive_quant.js';

function run(type: TensorType, shape: number[], x: number[], size: [number, number], align = false, half = false): number[] {
  const options: ResizeBilinearOptions = { kind: 'ResizeBilinearOptions', alignCorners: align, halfPixelCenters: half };
  const [out] = runOp({ quantizedArithmetic: 'reference',
    op: BuiltinOperator.RESIZE_BILINEAR, version: 3, options,
    inputs: [
      { type, shape, data: x, quant: q(0.5, type === TensorType.UINT8 ? 128 : 0) },
      { type: TensorType.INT32, shape: [2], data: size, constant: true },
    ],
    outputs: [{ type, quant: q(0.5, type === TensorType.UINT8 ? 128 : 0) }],
  });
  expect(out!.shape).toEqual([shape[0], size[0], size[1], shape[3]]);
  return Array.from(out!.data as Uint8Array | Int8Array);
}
const near = (got: number[], want: number[], tol: number) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol));
};

describe('RESIZE_BILINEAR quantized: resize_bilinear_test.cc goldens', () => {
  for (const type of [TensorType.UINT8, TensorType.INT8]) {
    const name = TensorType[type];
    it(`${name}: horizontal, vertical and 2-D resizes (exact goldens)`, () => {
      expect(run(type, [1, 1, 2, 1], [3, 6], [1, 3])).toEqual([3, 5, 6]);
      expect(run(type, [1, 2, 1, 1], [3, 9], [3, 1])).toEqual([3, 7, 9]);
      expect(run(type, [1, 2, 2, 1], [3, 6, 9, 12], [3, 3])).toEqual([3, 5, 6, 7, 9, 10, 9, 11, 12]);
    });
  }
  // The goldens below are published with max_abs_error 1; this implementation's exact bytes are pinned by the
  // naive-reference test.
  it('UINT8 / INT8 two batches, half-pixel centers, three channels (within the published tolerance of 1)', () => {
    const two = [3, 6, 9, 12, 4, 10, 12, 16];
    near(run(TensorType.UINT8, [2, 2, 2, 1], two, [3, 3]), [3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 9, 12, 14, 12, 14, 16], 1);
    near(run(TensorType.INT8, [2, 2, 2, 1], two, [3, 3]), [3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 9, 12, 13, 12, 14, 16], 1);
    near(run(TensorType.UINT8, [2, 2, 2, 1], two, [3, 3], false, true), [2, 4, 6, 6, 7, 9, 9, 10, 12, 4, 7, 10, 8, 10, 13, 12, 14, 16], 1);
    const three = [3, 4, 6, 10, 10, 12, 14, 16];
    near(run(TensorType.UINT8, [1, 2, 2, 2], three, [3, 3]), [3, 4, 5, 8, 6, 10, 7, 9, 10, 12, 11, 14, 10, 12, 12, 14, 14, 16], 1);
    near(run(TensorType.INT8, [1, 2, 2, 2], three, [3, 3]), [3, 4, 5, 8, 6, 10, 7, 9, 10, 12, 11, 13, 10, 12, 12, 14, 14, 16], 1);
  });
});

describe('RESIZE_BILINEAR quantized vs naive reference', () => {
  it('120 random cases (up/down-sampling, align_corners, half_pixel_centers): 0 differing bytes', () => {
    const r = rng(17);
    let diff = 0, total = 0;
    for (let t = 0; t < 120; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      const lo = isUint8 ? 0 : -128;
      const shape = [r.int(1, 2), r.int(1, 7), r.int(1, 7), r.int(1, 4)];
      const oh = r.int(1, 12), ow = r.int(1, 12);
      const mode = t % 3; // 0 plain, 1 align_corners, 2 half_pixel_centers
      const x = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.int(lo, lo + 255));
      const got = run(type, shape, x, [oh, ow], mode === 1, mode === 2);
      diff += countDiff(got, naiveResizeBilinear(x, shape, oh, ow, mode === 1, mode === 2, isUint8));
      total += got.length;
    }
    expect(total).toBeGreaterThan(3000);
    expect(diff).toBe(0);
  });
});
