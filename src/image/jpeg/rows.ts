/**
 * A JPEG decoded as a stream of rows: the decoder writes its output rows into a band of a few rows (one iMCU row
 * plus the rows a consumer still holds), so that a consumer reading rows in increasing order, such as libyuv's
 * shrinking scalers, never needs the whole frame. A 50 MP photo then takes its file, the band (under 1 MB) and,
 * for progressive files only, the coefficients libjpeg keeps too, instead of a 150 MB frame.
 */
import { JpegDecoder, type JpegDecodeOptions } from './decoder.js';
import type { OutputPipeline } from './pipeline.js';

/** The most rows a consumer may hold at once (two: the row pair a bilinear filter blends). */
const HELD_ROWS = 2;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class JpegRows {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** The band: row y at (y - lo) * rowStride while lo <= y < hi. The array never changes. */
  readonly data: Uint8Array;
  readonly rowStride: number;
  /** Milliseconds spent in the decoder (header parsing, entropy decoding, IDCT, upsampling, colour). */
  decodeMs = 0;
  private readonly decoder: JpegDecoder;
  private readonly out: OutputPipeline;
  private lo = 0;
  private hi = 0;

  /** Parses the headers (progressive and multi-scan files: decodes all scans); throws ImageError. */
  constructor(bytes: Uint8Array, options: JpegDecodeOptions) {
    const t0 = now();
    this.decoder = new JpegDecoder(bytes, options);
    this.out = this.decoder.start(HELD_ROWS);
    this.decodeMs += now() - t0;
    this.width = this.out.width;
    this.height = this.out.height;
    this.channels = this.out.channels;
    this.data = this.out.data;
    this.rowStride = this.width * this.channels;
  }

  /**
   * Makes rows y0..y1 available (0 <= y0 <= y1 < height, y1 - y0 < 2) and returns the byte offset of row y0 in
   * `data`. Rows below y0 are dropped: y0 must never go below an earlier call's y0.
   */
  rows(y0: number, y1: number): number {
    if (y0 < this.lo || y1 < y0 || y1 - y0 >= HELD_ROWS || y1 >= this.height) {
      throw new Error(`internal: JPEG rows ${y0}..${y1} requested with rows ${this.lo}..${this.hi - 1} held`);
    }
    if (y1 >= this.hi) {
      const t0 = now();
      while (y1 >= this.hi) {
        this.drop(y0);
        this.out.rowBase = this.lo;
        if (!this.decoder.step()) throw new Error('internal: the JPEG decoder ended before its last row');
        this.hi = this.decoder.rowsDone;
      }
      this.decodeMs += now() - t0;
    }
    return (y0 - this.lo) * this.rowStride;
  }

  /**
   * Decodes the rows nobody asked for, so that damage anywhere is reported (and refused, for stb pixels) as the
   * whole-frame decode reports it. Returns the decoder's warnings.
   */
  finish(): string[] {
    const t0 = now();
    for (;;) {
      this.drop(this.hi);
      this.out.rowBase = this.lo;
      if (!this.decoder.step()) break;
      this.hi = this.decoder.rowsDone;
    }
    this.decodeMs += now() - t0;
    return this.decoder.warningList;
  }

  /** Keeps rows from y on (moving them to the start of the band). */
  private drop(y: number): void {
    if (y >= this.hi) {
      this.lo = this.hi;
    } else if (y > this.lo) {
      this.data.copyWithin(0, (y - this.lo) * this.rowStride, (this.hi - this.lo) * this.rowStride);
      this.lo = y;
    }
  }
}
