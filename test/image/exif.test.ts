import { describe, expect, it } from 'vitest';
import { decodeImage, orient, packedPixels, preprocess, readExifOrientation, type Orientation } from '../../src/image/index.js';
import { orientationFromTiff } from '../../src/image/exif.js';
import { encodeJpeg, px, withExifOrientation } from './helpers.js';

/** 32x16 test picture of four flat 16x8 quadrants (flat 8x8 blocks survive JPEG nearly unchanged). */
const W = 32, H = 16;
const COLORS = { tl: [220, 30, 30], tr: [30, 200, 40], bl: [40, 40, 210], br: [235, 235, 30] };
function quadrants(): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const c = y < H / 2 ? (x < W / 2 ? COLORS.tl : COLORS.tr) : x < W / 2 ? COLORS.bl : COLORS.br;
      rgb.set(c, 3 * (y * W + x));
    }
  }
  return rgb;
}
const base = encodeJpeg(quadrants(), W, H, 95);

function near(a: number[], b: number[]): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= 12);
}

/** Where each stored corner quadrant appears once displayed upright, per EXIF orientation (tl, tr, bl, br of display). */
const DISPLAY: Record<Orientation, (keyof typeof COLORS)[]> = {
  1: ['tl', 'tr', 'bl', 'br'],
  2: ['tr', 'tl', 'br', 'bl'],
  3: ['br', 'bl', 'tr', 'tl'],
  4: ['bl', 'br', 'tl', 'tr'],
  5: ['tl', 'bl', 'tr', 'br'],
  6: ['bl', 'tl', 'br', 'tr'],
  7: ['br', 'tr', 'bl', 'tl'],
  8: ['tr', 'br', 'tl', 'bl'],
};

describe('EXIF orientation', () => {
  for (let o = 1 as Orientation; o <= 8; o = (o + 1) as Orientation) {
    for (const bigEndian of [false, true]) {
      it(`orientation ${o} (${bigEndian ? 'MM' : 'II'}) is read and applied`, () => {
        const jpeg = withExifOrientation(base, o, bigEndian);
        expect(readExifOrientation(jpeg)).toBe(o);
        const stored = decodeImage(jpeg, { exifOrientation: 'ignore' });
        expect([stored.width, stored.height, stored.orientation]).toEqual([W, H, 1]);
        const upright = decodeImage(jpeg);
        const swap = o >= 5;
        expect([upright.width, upright.height]).toEqual(swap ? [H, W] : [W, H]);
        expect(packedPixels(upright)).toEqual(packedPixels(orient(stored, o)));
        const w = upright.width, h = upright.height;
        const corners = [px(upright, 2, 2), px(upright, w - 3, 2), px(upright, 2, h - 3), px(upright, w - 3, h - 3)];
        DISPLAY[o].forEach((q, i) => expect(near(corners[i]!, COLORS[q]), `${q} at corner ${i}: ${corners[i]}`).toBe(true));
        // 'tag' keeps the pixels and lets preprocess orient them
        const tagged = decodeImage(jpeg, { exifOrientation: 'tag' });
        expect(tagged.orientation).toBe(o);
        expect(packedPixels(preprocess(tagged))).toEqual(packedPixels(upright));
      });
    }
  }
  it('malformed or absent EXIF means orientation 1, never an error', () => {
    expect(readExifOrientation(base)).toBe(1);
    expect(orientationFromTiff(new Uint8Array(0))).toBe(1);
    expect(orientationFromTiff(Uint8Array.of(0x49, 0x49, 42, 0, 0xff, 0xff, 0xff, 0x7f))).toBe(1); // IFD offset past the end
    // Layout of withExifOrientation (II): SOI, FF E1, length, "Exif\0\0", then TIFF at byte 12: header (8 bytes),
    // IFD0 entry count at 20, first entry's tag (0x0112, little-endian) at 22.
    const j = withExifOrientation(base, 6);
    expect([j[22], j[23]]).toEqual([0x12, 0x01]);
    const cut = j.slice();
    cut[22] = 0x13; // another tag id instead of 0x0112
    expect(readExifOrientation(cut)).toBe(1);
    expect(readExifOrientation(withExifOrientation(base, 9))).toBe(1); // out-of-range value
    // entry count claims more entries than the segment holds
    const many = j.slice();
    many[20] = 0xff;
    expect(readExifOrientation(many)).toBe(6);
    many[22] = 0; // first entry no longer orientation; the rest is out of bounds
    expect(readExifOrientation(many)).toBe(1);
    expect(decodeImage(many).width).toBe(W);
  });
});
