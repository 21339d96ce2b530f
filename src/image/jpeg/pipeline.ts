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
import { acquireJpegKernels, type JpegBackend, type JpegKernels, releaseJpegKernels } from './wasm.js';

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
  /** With the SIMD stages: this component's block rows of one iMCU row and its quantization table, in wasm memory. */
  coef: Int16Array | null;
  quant: Int32Array | null;
}

/** The SIMD stages of a pipeline and where they write. */
interface WasmStages {
  k: JpegKernels;
  /** 4:2:0 (libjpeg's or stb's filter), 4:2:2 (libjpeg's or stb's) or 4:4:0 (stb's) YCbCr: upsampling fused with
   *  colour; else null. */
  fused: 'h2v2' | 'h2v1' | 'v2' | null;
  /** YCbCr converted by the SIMD colour kernel after the typed-array upsamplers (other layouts). */
  ycc: boolean;
  /** Scratch for the fused kernels' column sums. */
  tb: number;
  /** RGB rows of one iMCU row, copied to the output when complete. */
  rgb: Uint8Array;
  /** The variant's kernels (stb: its IDCT with 16-bit quant tables, its hv2 / h2 filters and colour). */
  idct: (...args: number[]) => number;
  h2v2Ycc: (...args: number[]) => number;
  h2v1Ycc: (...args: number[]) => number;
  yccRgb: (...args: number[]) => number;
  stb: boolean;
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
  /**
   * The output frame; or, made with `bandRows` > 0, a band of one iMCU row of output plus `bandRows` rows, holding
   * rows rowBase... (the band's owner moves rowBase and the rows it keeps between emitRow calls).
   */
  readonly data: Uint8Array;
  /** The image row stored at the start of `data` (0 for a whole frame; moved by the band's owner). */
  rowBase = 0;
  private readonly stages: CompStage[];
  private readonly convert: ColorConverter | null;
  private readonly rowsPerIMCU: number;
  private readonly ws = new Int32Array(128);
  /** 4:2:0 YCbCr: upsampling and colour conversion fused (fused.ts). */
  private readonly fused420: typeof libjpegH2v2YccRow | null;

  /** The SIMD stages (where WebAssembly SIMD runs and backend is not 'js'), or null for the typed-array stages. */
  private readonly wasm: WasmStages | null = null;

  constructor(g: FrameGeometry, space: ColorSpace, variant: JpegVariant, denom: number, backend: JpegBackend = 'auto',
    bandRows = 0) {
    const min = 8 / denom;
    this.width = Math.ceil((g.width * min) / 8);
    this.height = Math.ceil((g.height * min) / 8);
    this.rowsPerIMCU = g.vmax * min;
    const sizes = variant === 'stb' ? g.comps.map(() => 8) : scaledSizes(g, denom);
    const outWidthPadded = g.mcusX * g.hmax * min + 8;
    const plans = g.comps.map((c, i) => {
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
      return { size, rowWidth, ringRows: 3 * c.v * size, dsw, dsh, up, tmpWidth: up.row ? outWidthPadded : 0, coefs: c.v * c.bw * 64 };
    });
    this.channels = space === 'gray' ? 1 : 3;
    const rows = bandRows > 0 ? Math.min(this.rowsPerIMCU + bandRows, this.height) : this.height;
    this.data = new Uint8Array(this.width * rows * this.channels);
    const stb = variant === 'stb';
    switch (space) {
      case 'gray': this.convert = null; break;
      case 'rgb': this.convert = interleaveRgb; break;
      case 'ycc': this.convert = stb ? stbYccToRgb : libjpegYccToRgb; break;
      case 'cmyk': this.convert = stb ? stbCmykToRgb : libjpegCmykToRgb; break;
      default: this.convert = stb ? stbYcckToRgb : libjpegYcckToRgb;
    }
    const [s0, s1, s2] = plans;
    const chromaPair = (name: string): boolean => space === 'ycc' && plans.length === 3 && !s0!.up.row &&
      s0!.up.vx === 1 && s0!.up.vertical === 'nearest' && s1!.up.name === name && s2!.up.name === name &&
      s1!.dsw === s2!.dsw && s1!.dsh === s2!.dsh && s1!.ringRows === s2!.ringRows && s1!.rowWidth === s2!.rowWidth;
    const h2v2 = chromaPair(stb ? 'stb hv2' : 'h2v2 fancy');

    // Memory for the SIMD stages: rings, upsampling rows, coefficients, tables and RGB rows all in wasm memory.
    const rgbBytes = this.channels === 3 ? this.width * 3 * this.rowsPerIMCU : 0;
    const tbBytes = 4 * (Math.max(...plans.map((pl) => pl.dsw)) + 24);
    const need = plans.reduce((a, pl) => a + pl.rowWidth * pl.ringRows + pl.tmpWidth + 2 * pl.coefs + 256 + 4 * 80, 0) + rgbBytes + tbBytes + 160;
    const k = acquireJpegKernels(backend, need, this);
    const ptrs = k ? plans.map((pl) => ({
      ring: k.alloc(pl.rowWidth * pl.ringRows), tmp: k.alloc(pl.tmpWidth), coef: k.alloc(2 * pl.coefs), quant: k.alloc(256),
    })) : null;
    if (k) {
      const tb = k.alloc(tbBytes), rgb = k.alloc(rgbBytes);
      const fused = h2v2 ? 'h2v2' : chromaPair(stb ? 'stb h2' : 'h2v1 fancy') ? 'h2v1' : stb && chromaPair('stb v2') ? 'v2' : null;
      this.wasm = {
        k, fused, ycc: !fused && space === 'ycc', tb, rgb: k.u8(rgb, rgbBytes),
        idct: stb ? k.idctStb : k.idct, h2v2Ycc: stb ? k.stbH2v2Ycc : k.h2v2Ycc,
        h2v1Ycc: stb ? k.stbH2v1Ycc : k.h2v1Ycc, yccRgb: stb ? k.stbYccRgb : k.yccRgb, stb,
      };
    }
    this.stages = plans.map((pl, i) => {
      const mem = ptrs?.[i];
      return {
        size: pl.size, idct: stb ? idctStb8 : libjpegIdct(pl.size), rowWidth: pl.rowWidth, ringRows: pl.ringRows,
        ring: mem ? k!.u8(mem.ring, pl.rowWidth * pl.ringRows) : new Uint8Array(pl.rowWidth * pl.ringRows),
        dsw: pl.dsw, dsh: pl.dsh, up: pl.up,
        tmp: mem ? k!.u8(mem.tmp, pl.tmpWidth) : new Uint8Array(pl.tmpWidth),
        coef: mem ? new Int16Array(k!.memory.buffer, mem.coef, pl.coefs) : null,
        quant: mem ? new Int32Array(k!.memory.buffer, mem.quant, 64) : null,
      };
    });
    this.fused420 = h2v2 ? (stb ? stbHv2YccRow : libjpegH2v2YccRow) : null;
  }

  /**
   * Where the decoder puts the coefficients of one iMCU row of component `ci` (c.v block rows) when it decodes
   * row by row: in wasm memory for the SIMD IDCT, else a typed array.
   */
  coefRows(ci: number, length: number): Int16Array {
    const c = this.stages[ci]!.coef;
    return c && c.length === length ? c : new Int16Array(length);
  }

  /**
   * IDCT of iMCU row k. coefs[c] holds component c's blocks, `bw` per block row, with block row `rowBase[c]` at
   * its start; quant[c] is its dequantization table (natural order).
   */
  idctRow(g: FrameGeometry, k: number, coefs: Int16Array[], rowBase: number[], quant: Int32Array[]): void {
    const wasm = this.wasm;
    for (let ci = 0; ci < this.stages.length; ci++) {
      const st = this.stages[ci]!, c = g.comps[ci]!;
      const s = st.size, blk = coefs[ci]!, q = quant[ci]!, fn = st.idct, ring = st.ring, rw = st.rowWidth;
      if (wasm && s === 8) {
        const stage = st.coef!, sq = st.quant!, own = blk.buffer === stage.buffer;
        if (wasm.stb) new Int16Array(sq.buffer, sq.byteOffset, 64).set(q); // wraps, as stb's shorts do
        else sq.set(q);
        for (let by = 0; by < c.v; by++) {
          const br = k * c.v + by;
          if (br >= c.ch) break;
          const b = (br - rowBase[ci]!) * c.bw * 64;
          let ptr = blk.byteOffset + 2 * b;
          if (!own) { stage.set(blk.subarray(b, b + c.cw * 64)); ptr = stage.byteOffset; }
          wasm.idct(ptr, sq.byteOffset, ring.byteOffset + ((br * 8) % st.ringRows) * rw, rw, c.cw, wasm.k.consts);
        }
        continue;
      }
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
    this.emitRows(y0, y1);
    if (y1 === this.height) this.release();
  }

  private emitRows(y0: number, y1: number): void {
    const W = this.width, st = this.stages, n = st.length, ch = this.channels;
    const wasm = this.wasm;
    if (wasm?.fused) {
      const sy = st[0]!, sc = st[1]!, cb = sc.ring.byteOffset, cr = st[2]!.ring.byteOffset, rw = sc.rowWidth;
      const yRing = sy.ring.byteOffset, rgb = wasm.rgb.byteOffset, dsw = sc.dsw, tb = wasm.tb;
      for (let y = y0; y < y1; y++) {
        const yp = yRing + (y % sy.ringRows) * sy.rowWidth, out = rgb + (y - y0) * W * 3;
        if (wasm.fused === 'h2v1') {
          const row = (y % sc.ringRows) * rw;
          wasm.h2v1Ycc(yp, cb + row, cr + row, dsw, out, tb, wasm.k.consts);
        } else {
          const r = y >> 1;
          const near = (r % sc.ringRows) * rw;
          const far = ((y & 1 ? Math.min(r + 1, sc.dsh - 1) : Math.max(r - 1, 0)) % sc.ringRows) * rw;
          if (wasm.fused === 'h2v2') wasm.h2v2Ycc(yp, cb + near, cb + far, cr + near, cr + far, dsw, out, tb, wasm.k.consts);
          else wasm.k.stbV2Ycc(yp, cb + near, cb + far, cr + near, cr + far, W, out, wasm.k.consts);
        }
      }
      this.data.set(wasm.rgb.subarray(0, (y1 - y0) * W * 3), (y0 - this.rowBase) * W * 3);
      return;
    }
    const fused = this.fused420;
    if (fused) {
      const sy = st[0]!, sc = st[1]!, cb = sc.ring, cr = st[2]!.ring, d = this.data;
      const out = new Uint8ClampedArray(d.buffer, d.byteOffset, d.length);
      for (let y = y0; y < y1; y++) {
        const r = y >> 1;
        const far = y & 1 ? Math.min(r + 1, sc.dsh - 1) : Math.max(r - 1, 0);
        fused(sy.ring, (y % sy.ringRows) * sy.rowWidth, cb, cr, (r % sc.ringRows) * sc.rowWidth,
          (far % sc.ringRows) * sc.rowWidth, sc.dsw, out, (y - this.rowBase) * W * 3, W);
      }
      return;
    }
    const ycc = wasm?.ycc ? wasm : null;
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
      const o = (y - this.rowBase) * W * ch;
      if (!this.convert) {
        this.data.set(src[0]!.subarray(off[0]!, off[0]! + W), o);
      } else if (ycc) {
        ycc.yccRgb(src[0]!.byteOffset + off[0]!, src[1]!.byteOffset + off[1]!, src[2]!.byteOffset + off[2]!,
          ycc.rgb.byteOffset + (y - y0) * W * 3, W, ycc.k.consts);
      } else {
        const k4 = n > 3 ? src[3]! : src[0]!;
        this.convert(src[0]!, off[0]!, src[1]!, off[1]!, src[2]!, off[2]!, k4, off[3]!, this.data, o, W);
      }
    }
    if (ycc) this.data.set(ycc.rgb.subarray(0, (y1 - y0) * W * 3), (y0 - this.rowBase) * W * 3);
  }

  /** The decode is over (its last rows are out, or it failed): frees the SIMD stages' memory for the next decode. */
  release(): void {
    if (this.wasm) releaseJpegKernels(this);
  }

  /** Output rows per iMCU row. */
  get iMCURows(): number {
    return this.rowsPerIMCU;
  }
}
