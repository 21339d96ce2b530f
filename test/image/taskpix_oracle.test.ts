/**
 * The Task Library pixel oracle itself (test/oracle/taskpix.c): it builds, decodes like stb_image and its pure
 * data moves (rotations, same-size crops) agree with embedlite's, so the pixel tests can trust its arithmetic.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/decode.js';
import { packedPixels } from '../../src/image/frame_buffer.js';
import { preprocess } from '../../src/image/preprocess.js';
import { loadTaskpixOracle } from '../helpers/taskpix_oracle.js';
import { hasShared, readBytes, sharedImages } from './helpers.js';

const oracle = loadTaskpixOracle();
const pngs = ['color_grid.png', 'grey_grid.png', 'burger-224.png'];

describe.skipIf(!oracle || !hasShared)('taskpix oracle', () => {
  it('decodes PNGs as embedlite does', () => {
    for (const name of pngs) {
      const file = path.join(sharedImages, name);
      const stb = oracle!.decode(file);
      const ours = decodeImage(readBytes(file));
      expect([stb.width, stb.height, stb.channels]).toEqual([ours.width, ours.height, 3]);
      expect(Buffer.compare(Buffer.from(stb.data), Buffer.from(packedPixels(ours)))).toBe(0);
    }
  });

  it('rotates and crops (no resize) as embedlite does', () => {
    const file = path.join(sharedImages, 'color_grid.png');
    const frame = decodeImage(readBytes(file));
    const cases = [1, 3, 6, 8].flatMap((orientation) => [
      { orientation }, { orientation, roi: { x: 7, y: 3, width: 31, height: 1 } },
    ]);
    const res = oracle!.run(cases.map((c) => ({ kind: 'image' as const, file, ...c })));
    cases.forEach((c, i) => {
      const r = res[i]!;
      if (!r.ok) throw new Error(r.error);
      const ours = preprocess({ ...frame, orientation: c.orientation as 1 }, { roi: c.roi });
      expect([r.width, r.height]).toEqual([ours.width, ours.height]);
      expect(Buffer.compare(Buffer.from(r.data), Buffer.from(packedPixels(ours)))).toBe(0);
    });
  });

  it('reports refusals as errors', () => {
    const file = path.join(sharedImages, 'color_grid.png');
    const [r] = oracle!.run([{ kind: 'image', file, roi: { x: 90, y: 0, width: 20, height: 5 } }]);
    expect(r!.ok).toBe(false);
  });
});
