/**
 * EXIF orientation reader: the Orientation tag (0x0112) of IFD0 in a JPEG's APP1 "Exif\0\0" segment.
 * Every read is bounds-checked against the segment; anything malformed yields "no orientation" (1), since a
 * broken EXIF block must not make a decodable image fail.
 */
import type { Orientation } from './frame_buffer.js';

const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/**
 * Orientation (1..8) from a TIFF structure (the APP1 payload after "Exif\0\0"); 1 when absent or malformed.
 */
export function orientationFromTiff(tiff: Uint8Array): Orientation {
  const n = tiff.length;
  if (n < 8) return 1;
  let little: boolean;
  if (tiff[0] === 0x49 && tiff[1] === 0x49) little = true; // "II"
  else if (tiff[0] === 0x4d && tiff[1] === 0x4d) little = false; // "MM"
  else return 1;
  const u16 = (o: number): number => (little ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!);
  const u32 = (o: number): number =>
    little
      ? (tiff[o]! | (tiff[o + 1]! << 8) | (tiff[o + 2]! << 16)) + tiff[o + 3]! * 0x1000000
      : ((tiff[o + 1]! << 16) | (tiff[o + 2]! << 8) | tiff[o + 3]!) + tiff[o]! * 0x1000000;
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > n) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > n) return 1;
    if (u16(e) !== ORIENTATION_TAG) continue;
    if (u16(e + 2) !== TYPE_SHORT || u32(e + 4) < 1) return 1;
    const value = u16(e + 8); // a single SHORT sits in the first 2 bytes of the value field
    return value >= 1 && value <= 8 ? (value as Orientation) : 1;
  }
  return 1;
}

/** The TIFF payload of the first APP1 Exif segment of a JPEG, or undefined. Stops at the first scan (SOS). */
export function findExifTiff(jpeg: Uint8Array): Uint8Array | undefined {
  const n = jpeg.length;
  if (n < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return undefined;
  let p = 2;
  while (p + 4 <= n) {
    if (jpeg[p] !== 0xff) return undefined;
    const marker = jpeg[p + 1]!;
    if (marker === 0xff) { p++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { p += 2; continue; }
    if (marker === 0xda || marker === 0xd9) return undefined;
    const len = (jpeg[p + 2]! << 8) | jpeg[p + 3]!;
    if (len < 2 || p + 2 + len > n) return undefined;
    const body = p + 4;
    if (marker === 0xe1 && len >= 8 && jpeg[body] === 0x45 && jpeg[body + 1] === 0x78 && jpeg[body + 2] === 0x69 &&
        jpeg[body + 3] === 0x66 && jpeg[body + 4] === 0 && jpeg[body + 5] === 0) {
      return jpeg.subarray(body + 6, p + 2 + len);
    }
    p += 2 + len;
  }
  return undefined;
}

/** EXIF orientation of a JPEG (1..8); 1 when it has none or it is malformed. */
export function readExifOrientation(jpeg: Uint8Array): Orientation {
  const tiff = findExifTiff(jpeg);
  return tiff ? orientationFromTiff(tiff) : 1;
}
