/** PNGs whose tRNS chunk names a transparent colour keep that colour (pngjs alone blanks those pixels to black). */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/decode.js';
import { packedPixels } from '../../src/image/frame_buffer.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inserts a chunk right after IHDR (which ends at byte 33). */
function withChunk(png: Uint8Array, type: string, data: number[]): Uint8Array {
  const body = new Uint8Array([...type].map((ch) => ch.charCodeAt(0)).concat(data));
  const chunk = new Uint8Array(12 + data.length);
  new DataView(chunk.buffer).setUint32(0, data.length);
  chunk.set(body, 4);
  new DataView(chunk.buffer).setUint32(8 + data.length, crc32(body));
  return new Uint8Array([...png.subarray(0, 33), ...chunk, ...png.subarray(33)]);
}

function encode(rgb: number[][], colorType: 0 | 2): Uint8Array {
  const png = new PNG({ width: rgb.length, height: 1, colorType, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(rgb.flat());
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 2, inputHasAlpha: false }));
}

describe('PNG tRNS colour key', () => {
  it('RGB: the keyed pixel keeps its colour with alpha 0', () => {
    const png = withChunk(encode([[10, 20, 30], [200, 100, 50]], 2), 'tRNS', [0, 200, 0, 100, 0, 50]);
    const f = decodeImage(png);
    expect(f.format).toBe('RGBA');
    expect(Array.from(packedPixels(f))).toEqual([10, 20, 30, 255, 200, 100, 50, 0]);
  });

  it('grey: the keyed level keeps its value with alpha 0', () => {
    const png = withChunk(encode([[7, 7, 7], [90, 90, 90]], 0), 'tRNS', [0, 90]);
    const f = decodeImage(png);
    expect(Array.from(packedPixels(f))).toEqual([7, 7, 7, 255, 90, 90, 90, 0]);
  });
});
