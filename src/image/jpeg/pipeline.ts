/**
 * The output side of the decoder: IDCT of one iMCU row of blocks into per-component ring buffers, then, row by
 * row, upsampling and colour conversion straight into the output frame. Only three iMCU rows of samples per
 * component are kept (the row being emitted and its neighbours, which the triangle filters read), so the only
 * full-size allocation is the output itself.
 */
import { ImageError } from '../../../schema/errors.js';
import {
  interleaveRgb, libjpegCmykToRgb, libjpegYccToRgb, libjpegYcckToRgb, stbCmykToRgb, stbYccToRgb, stbYcckToRgb,
  type ColorConverter,
} from './color.js';
import { libjpegH2v2YccRow, stbHv2YccRow } from './fused.js';
import { idctStb8, libjpegIdct, type IdctFunction } from './idct.js';
import { libjpegUpsampler, stbUpsampler, type Upsampler } from './upsample.js';

export type JpegVariant = 'libjpeg' | 'stb';

/** The frame geometry the pipeline needs. */
export interface FrameGeometry {
  width: number;
  height: number;
  hmax: number;
  vmax: number;
  mcusX: number;
  mcusY: number;
  comps: { h: number; v: number; bw: number; cw: number; ch: number }[];
}

/** How the pixels of 3 and 4-component images are stored. */
export type ColorSpace = 'gray' | 'ycc' | 'rgb' | 'cmyk' | 'ycck';

interface CompStage {
  size: number;
  idct: IdctFunction;
  rowWidth: number;
  ringRows: number;
  ring: Uint8Array;
  dsw: number;
  dsh: number;
  up: Upsampler;
  tmp: Uint8Array;
}

/** libjpeg-turbo's IDCT size per component for a scale 1/denom (jpeg_calc_output_dimensions). */
export function scaledSizes(g: FrameGeometry, denom: number): number[] {
  const min = 8 / denom;
  return g.comps.map((c) => {
    let s = min;
    while (s < 8 && (g.hmax * min) % (c.h * s * 2) === 0 && (g.vmax * min) % (c.v * s * 2) === 0) s *= 2;
    return s;
  });
}

export class OutputPipeline {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
  private readonly stages: CompStage[];
  private readonly convert: ColorConverter | null;
  private readonly rowsPerIMCU: number;
  private readonly ws = new Int32Array(128);
  /** 4:2:0 YCbCr: upsampling and colour conversion fused (fused.ts). */
  private readonly fused420: typeof libjpegH2v2YccRow | null;

  constructor(g: FrameGeometry, space: ColorSpace, variant: JpegVariant, denom: number) {
    const min = 8 / denom;
    this.width = Math.ceil((g.width * min) / 8);
    this.height = Math.ceil((g.height * min) / 8);
    this.rowsPerIMCU = g.vmax * min;
    const sizes = variant === 'stb' ? g.comps.map(() => 8) : scaledSizes(g, denom);
    const outWidthPadded = g.mcusX * g.hmax * min + 8;
    this.stages = g.comps.map((c, i) => {
      const size = sizes[i]!;
      const dsw = Math.ceil((g.width * c.h * size) / (g.hmax * 8));
      const dsh = Math.ceil((g.height * c.v * size) / (g.vmax * 8));
      let up: Upsampler | null;
      if (variant === 'stb') {
        up = g.hmax % c.h === 0 && g.vmax % c.v === 0 ? stbUpsampler(g.hmax / c.h, g.vmax / c.v) : null;
      } else {
        up = libjpegUpsampler(Math.floor((c.h * size) / min), Math.floor((c.v * size) / min), g.hmax, g.vmax, dsw, min > 1);
      }
      if (!up) {
        throw new ImageError(`unsupported JPEG: fractional sampling factors (${g.comps.map((k) => `${k.h}x${k.v}`).join(', ')})`);
      }
      const rowWidth = c.bw * size;
      const ringRows = 3 * c.v * size;
      return {
        size, idct: variant === 'stb' ? idctStb8 : libjpegIdct(size), rowWidth, ringRows,
        ring: new Uint8Array(rowWidth * ringRows), dsw, dsh, up, tmp: new Uint8Array(up.row ? outWidthPadded : 0),
      };
    });
    this.channels = space === 'gray' ? 1 : 3;
    this.data = new Uint8Array(this.width * this.height * this.channels);
    const stb = variant === 'stb';
    switch (space) {
      case 'gray': this.convert = null; break;
      case 'rgb': this.convert = interleaveRgb; break;
      case 'ycc': this.convert = stb ? stbYccToRgb : libjpegYccToRgb; break;
      case 'cmyk': this.convert = stb ? stbCmykToRgb : libjpegCmykToRgb; break;
      default: this.convert = stb ? stbYcckToRgb : libjpegYcckToRgb;
    }
    const [s0, s1, s2] = this.stages;
    const up = stb ? 'stb hv2' : 'h2v2 fancy';
    this.fused420 = space === 'ycc' && this.stages.length === 3 && !s0!.up.row && s0!.up.vx === 1 &&
      s0!.up.vertical === 'nearest' && s1!.up.name === up && s2!.up.name === up &&
      s1!.dsw === s2!.dsw && s1!.dsh === s2!.dsh && s1!.ringRows === s2!.ringRows && s1!.rowWidth === s2!.rowWidth
      ? (stb ? stbHv2YccRow : libjpegH2v2YccRow) : null;
  }

  /**
   * IDCT of iMCU row k. coefs[c] holds component c's blocks, `bw` per block row, with block row `rowBase[c]` at
   * its start; quant[c] is its dequantization table (natural order).
   */
  idctRow(g: FrameGeometry, k: number, coefs: Int16Array[], rowBase: number[], quant: Int32Array[]): void {
    for (let ci = 0; ci < this.stages.length; ci++) {
      const st = this.stages[ci]!, c = g.comps[ci]!;
      const s = st.size, blk = coefs[ci]!, q = quant[ci]!, fn = st.idct, ring = st.ring, rw = st.rowWidth;
      for (let by = 0; by < c.v; by++) {
        const br = k * c.v + by;
        if (br >= c.ch) break;
        let o = (((br * s) % st.ringRows) * rw);
        let b = (br - rowBase[ci]!) * c.bw * 64;
        for (let bx = 0; bx < c.cw; bx++, b += 64, o += s) fn(blk, b, q, ring, o, rw, this.ws);
      }
    }
  }

  /** Upsamples and colour-converts the output rows of iMCU row k (rows k - 1 .. k + 1 must be in the rings). */
  emitRow(k: number): void {
    const y0 = k * this.rowsPerIMCU, y1 = Math.min(this.height, y0 + this.rowsPerIMCU);
    const W = this.width, st = this.stages, n = st.length, ch = this.channels;
    const fused = this.fused420;
    if (fused) {
      const sy = st[0]!, sc = st[1]!, cb = sc.ring, cr = st[2]!.ring, d = this.data;
      const out = new Uint8ClampedArray(d.buffer, d.byteOffset, d.length);
      for (let y = y0; y < y1; y++) {
        const r = y >> 1;
        const far = y & 1 ? Math.min(r + 1, sc.dsh - 1) : Math.max(r - 1, 0);
        fused(sy.ring, (y % sy.ringRows) * sy.rowWidth, cb, cr, (r % sc.ringRows) * sc.rowWidth,
          (far % sc.ringRows) * sc.rowWidth, sc.dsw, out, y * W * 3, W);
      }
      return;
    }
    const src: Uint8Array[] = new Array(4), off = [0, 0, 0, 0];
    for (let y = y0; y < y1; y++) {
      for (let ci = 0; ci < n; ci++) {
        const s = st[ci]!, up = s.up;
        let near: number, far: number;
        if (up.vertical === 'pair') {
          const r = y >> 1;
          near = r;
          far = y & 1 ? Math.min(r + 1, s.dsh - 1) : Math.max(r - 1, 0);
        } else {
          near = far = up.vx === 1 ? y : Math.floor(y / up.vx);
        }
        const no = (near % s.ringRows) * s.rowWidth;
        if (up.row) {
          up.row(s.ring, no, (far % s.ringRows) * s.rowWidth, s.tmp, s.dsw, W, (y & 1) === 1);
          src[ci] = s.tmp; off[ci] = 0;
        } else {
          src[ci] = s.ring; off[ci] = no;
        }
      }
      const o = y * W * ch;
      if (!this.convert) {
        this.data.set(src[0]!.subarray(off[0]!, off[0]! + W), o);
      } else {
        const k4 = n > 3 ? src[3]! : src[0]!;
        this.convert(src[0]!, off[0]!, src[1]!, off[1]!, src[2]!, off[2]!, k4, off[3]!, this.data, o, W);
      }
    }
  }

  /** Output rows per iMCU row. */
  get iMCURows(): number {
    return this.rowsPerIMCU;
  }
}
