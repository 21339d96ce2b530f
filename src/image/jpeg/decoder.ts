/**
 * JPEG decoder: marker parsing (libjpeg's rules for what is accepted, refused or skipped), frame setup, scans,
 * and the output pipeline. Sequential files whose single scan holds every component are decoded one iMCU row
 * at a time, straight into the output; progressive and multi-scan files first gather all coefficients, as
 * libjpeg does.
 */
import { ImageError } from '../../../schema/errors.js';
import { BitReader, buildHuffmanTable, NATURAL_ORDER, type HuffmanTable } from './huffman.js';
import { OutputPipeline, scaledSizes, type ColorSpace, type FrameGeometry, type JpegVariant } from './pipeline.js';
import { ScanDecoder, ScanKind, type ScanComponent } from './scan.js';
import { STD_AC_CHROMA, STD_AC_LUMA, STD_DC_CHROMA, STD_DC_LUMA } from './tables.js';
import type { JpegBackend } from './wasm.js';

export interface JpegDecodeOptions {
  /** Output scale 1/denom, by DCT-domain scaling (libjpeg's scaled IDCTs). Default 1. */
  scaleDenom?: 1 | 2 | 4 | 8;
  /** Whose IDCT, upsampling and colour conversion to follow. Default 'libjpeg'. stb has no scaled decoding:
   *  scaled decodes always use libjpeg's stages. */
  variant?: JpegVariant;
  /** Largest width * height accepted (checked from the frame header, before any large allocation). */
  maxPixels?: number;
  /**
   * 'reference' decodes sequential scans symbol by symbol, storing every coefficient (no lookup tables beyond
   * the reader's, no skipping): the tests check that the fast paths give the same pixels and warnings.
   */
  entropy?: 'fast' | 'reference';
  /** 'auto' (default): the WebAssembly SIMD IDCT, upsampling and colour stages where this runtime can run them,
   *  else the typed-array ones (same bytes); 'js': typed arrays only; 'wasm': SIMD or an ImageError. */
  backend?: JpegBackend;
}

export interface DecodedJpeg {
  width: number;
  height: number;
  /** 1: grey, 3: RGB. */
  channels: 1 | 3;
  data: Uint8Array;
  /** Damage found while decoding (the image was still produced, as libjpeg produces it). */
  warnings: string[];
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  /** Blocks per row / rows of blocks, padded to whole MCUs. */
  bw: number;
  bh: number;
  /** Blocks that hold image data (libjpeg's width_in_blocks / height_in_blocks). */
  cw: number;
  ch: number;
  quant: Int32Array | null;
  coefs: Int16Array | null;
  /** Progressive: highest zig-zag index with a non-zero AC coefficient, per block (see ScanComponent.lastNz). */
  lastNz?: Uint8Array;
  /** Progressive: the successive-approximation bit still missing for coefficients 0..9 (-1: never sent). */
  coefBits: Int8Array;
}

interface RawHuffman { counts: Uint8Array; symbols: Uint8Array }

const UNSUPPORTED_SOF: Record<number, string> = {
  0xc3: 'lossless', 0xc5: 'differential sequential', 0xc6: 'differential progressive', 0xc7: 'differential lossless',
  0xc9: 'arithmetic-coded sequential', 0xca: 'arithmetic-coded progressive', 0xcb: 'arithmetic-coded lossless',
  0xcd: 'arithmetic-coded differential sequential', 0xce: 'arithmetic-coded differential progressive',
  0xcf: 'arithmetic-coded differential lossless',
};

/** libjpeg's JPEG_MAX_DIMENSION. */
const MAX_DIMENSION = 65500;

/**
 * Most scans a file may have. Every scan walks the whole image, so a small file made of thousands of empty scans
 * would otherwise take minutes (libjpeg-turbo's fuzzers cap it at 500 for the same reason); real encoders write
 * at most a few dozen.
 */
const MAX_SCANS = 1000;

const hex = (m: number): string => `0x${m.toString(16).toUpperCase().padStart(2, '0')}`;

export class JpegDecoder {
  private readonly data: Uint8Array;
  private readonly variant: JpegVariant;
  private readonly denom: number;
  private readonly maxPixels: number;
  private readonly reference: boolean;
  private readonly backend: JpegBackend;
  private readonly quant: (Int32Array | null)[] = [null, null, null, null];
  private readonly dcTables: (RawHuffman | null)[] = [null, null, null, null];
  private readonly acTables: (RawHuffman | null)[] = [null, null, null, null];
  private restartInterval = 0;
  private jfif = false;
  private jfifLoose = false;
  private adobe = -1;
  private progressive = false;
  private comps: Component[] = [];
  private geometry: FrameGeometry | null = null;
  private output: OutputPipeline | null = null;
  private streaming = false;
  private scans = 0;
  private bandRows = 0;
  private nextRow = 0;
  private rowState: {
    dec: ScanDecoder | null; layout: ReturnType<JpegDecoder['mcuLayout']> | null; coefs: Int16Array[];
    quant: Int32Array[]; dcOnly: boolean[];
  } | null = null;
  private readonly warnings = new Set<string>();

  constructor(data: Uint8Array, options: JpegDecodeOptions) {
    this.data = data;
    this.denom = options.scaleDenom ?? 1;
    this.variant = this.denom === 1 ? options.variant ?? 'libjpeg' : 'libjpeg';
    this.maxPixels = options.maxPixels ?? Infinity;
    this.reference = options.entropy === 'reference';
    this.backend = options.backend ?? 'auto';
  }

  decode(): DecodedJpeg {
    try {
      this.start();
      while (this.step());
    } finally {
      this.output?.release();
    }
    const out = this.output!;
    return { width: out.width, height: out.height, channels: out.channels, data: out.data, warnings: [...this.warnings] };
  }

  /** Damage found so far (complete once `step` has returned false). */
  get warningList(): string[] {
    return [...this.warnings];
  }

  /**
   * Reads the markers up to the image data and decodes what has to be decoded before the first output row: the
   * whole file for progressive and multi-scan JPEGs, nothing more for single-scan sequential ones (`step` decodes
   * those an iMCU row at a time). `bandRows` > 0: the output is a band of that many rows (OutputPipeline.rowBase).
   */
  start(bandRows = 0): OutputPipeline {
    try {
      return this.begin(bandRows);
    } catch (e) {
      this.output?.release(); // the SIMD stages' memory, for the next decode
      throw e;
    }
  }

  private begin(bandRows: number): OutputPipeline {
    this.bandRows = bandRows;
    const d = this.data, n = d.length;
    if (n < 2 || d[0] !== 0xff || d[1] !== 0xd8) throw new ImageError('not a JPEG file (no SOI marker)');
    let pos = 2;
    for (;;) {
      const m = BitReader.nextMarker(d, pos);
      if (m.pos > pos) this.warnings.add('corrupt data: bytes skipped between markers');
      if (m.pos >= n) {
        if (!this.scans) throw new ImageError('truncated JPEG: the file ends before the image data');
        this.warnings.add('truncated: the file ends before the end-of-image marker');
        break;
      }
      const code = m.code;
      pos = m.pos + 2;
      if (code === 0xd9) break;
      if (code === 0xd8) throw new ImageError('corrupt JPEG: a second start-of-image marker');
      if ((code >= 0xd0 && code <= 0xd7) || code === 0x01) continue;
      if (pos + 2 > n) { this.truncatedSegment(); break; }
      const len = (d[pos]! << 8) | d[pos + 1]!;
      if (len < 2) throw new ImageError(`corrupt JPEG: marker ${hex(code)} has a length below 2`);
      if (pos + len > n) { this.truncatedSegment(); break; }
      const body = d.subarray(pos + 2, pos + len);
      pos += len;
      if (code === 0xc0 || code === 0xc1 || code === 0xc2) {
        this.readFrame(body, code === 0xc2);
      } else if (UNSUPPORTED_SOF[code]) {
        throw new ImageError(`unsupported JPEG: ${UNSUPPORTED_SOF[code]} coding (only baseline, extended and ` +
          'progressive Huffman-coded JPEGs are supported)');
      } else if (code === 0xc4) {
        this.readHuffman(body);
      } else if (code === 0xdb) {
        this.readQuant(body);
      } else if (code === 0xdd) {
        if (len !== 4) throw new ImageError('corrupt JPEG: restart interval segment of the wrong length');
        this.restartInterval = (body[0]! << 8) | body[1]!;
      } else if (code === 0xda) {
        pos = this.readScan(body, pos);
        if (this.streaming) break;
      } else if (code === 0xe0) {
        if (body.length >= 5 && body[0] === 0x4a && body[1] === 0x46 && body[2] === 0x49 && body[3] === 0x46 && body[4] === 0) {
          this.jfifLoose = true;
          if (body.length >= 14) this.jfif = true;
        }
      } else if (code === 0xee) {
        if (body.length >= 12 && body[0] === 0x41 && body[1] === 0x64 && body[2] === 0x6f && body[3] === 0x62 && body[4] === 0x65) {
          this.adobe = body[11]!;
        }
      } else if (!((code >= 0xe1 && code <= 0xef) || code === 0xfe || code === 0xcc || code === 0xdc)) {
        throw new ImageError(`corrupt JPEG: unknown marker ${hex(code)}`);
      }
    }
    const out = this.output;
    if (!out) throw new ImageError('corrupt JPEG: no image data (the file ends before its first scan)');
    if (!this.streaming) this.beginRows(null);
    return out;
  }

  private truncatedSegment(): void {
    if (!this.scans) throw new ImageError('truncated JPEG: a header segment runs past the end of the file');
    this.warnings.add('truncated: the file ends inside a marker segment');
  }

  private readFrame(b: Uint8Array, progressive: boolean): void {
    if (this.geometry) throw new ImageError('corrupt JPEG: more than one frame header (SOF)');
    if (b.length < 6) throw new ImageError('corrupt JPEG: short frame header');
    const precision = b[0]!, height = (b[1]! << 8) | b[2]!, width = (b[3]! << 8) | b[4]!, nc = b[5]!;
    if (precision !== 8) throw new ImageError(`unsupported JPEG: ${precision}-bit samples (only 8-bit JPEGs are supported)`);
    if (height === 0) throw new ImageError('unsupported JPEG: the height is defined later by a DNL marker');
    if (width === 0 || nc === 0) throw new ImageError(`corrupt JPEG: empty image (${width}x${height}, ${nc} components)`);
    if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw new ImageError(`unsupported JPEG: ${width}x${height} exceeds the largest JPEG size libjpeg accepts (65500)`);
    }
    if (b.length !== 6 + 3 * nc) throw new ImageError('corrupt JPEG: frame header length does not match its components');
    if (nc !== 1 && nc !== 3 && nc !== 4) throw new ImageError(`unsupported JPEG: ${nc} colour components (1, 3 or 4 are supported)`);
    if (width * height > this.maxPixels) {
      throw new ImageError(`JPEG image of ${width}x${height} (${((width * height) / 1e6).toFixed(1)} MP) exceeds the ` +
        `pixel budget of ${(this.maxPixels / 1e6).toFixed(1)} MP (option maxPixels)`);
    }
    this.progressive = progressive;
    const raw = [];
    for (let i = 0; i < nc; i++) {
      const id = b[6 + 3 * i]!, hv = b[7 + 3 * i]!, tq = b[8 + 3 * i]!;
      const h = hv >> 4, v = hv & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4) throw new ImageError(`corrupt JPEG: sampling factors ${h}x${v} (1 to 4 allowed)`);
      if (tq > 3) throw new ImageError(`corrupt JPEG: quantization table ${tq} (0 to 3 allowed)`);
      raw.push({ id, h, v, tq });
    }
    const hmax = Math.max(...raw.map((c) => c.h)), vmax = Math.max(...raw.map((c) => c.v));
    const mcusX = Math.ceil(width / (8 * hmax)), mcusY = Math.ceil(height / (8 * vmax));
    this.comps = raw.map((c) => ({
      ...c,
      bw: mcusX * c.h, bh: mcusY * c.v,
      cw: Math.ceil(Math.ceil((width * c.h) / hmax) / 8), ch: Math.ceil(Math.ceil((height * c.v) / vmax) / 8),
      quant: null, coefs: null, coefBits: new Int8Array(10).fill(-1),
    }));
    this.geometry = { width, height, hmax, vmax, mcusX, mcusY, comps: this.comps };
  }

  private readHuffman(b: Uint8Array): void {
    let p = 0;
    while (p < b.length) {
      if (p + 17 > b.length) throw new ImageError('corrupt JPEG: short Huffman table segment');
      const index = b[p]!, tc = index >> 4, th = index & 15;
      if (tc > 1 || th > 3) throw new ImageError(`corrupt JPEG: Huffman table index ${hex(index)}`);
      const counts = b.slice(p + 1, p + 17);
      let total = 0;
      for (let i = 0; i < 16; i++) total += counts[i]!;
      if (total > 256 || p + 17 + total > b.length) throw new ImageError('corrupt JPEG: bad Huffman table');
      const table = { counts, symbols: b.slice(p + 17, p + 17 + total) };
      if (tc === 0) this.dcTables[th] = table; else this.acTables[th] = table;
      p += 17 + total;
    }
  }

  private readQuant(b: Uint8Array): void {
    let p = 0;
    while (p < b.length) {
      const pq = b[p]! >> 4, tq = b[p]! & 15;
      if (tq > 3 || pq > 1) throw new ImageError(`corrupt JPEG: quantization table index ${hex(b[p]!)}`);
      const size = pq ? 128 : 64;
      if (p + 1 + size > b.length) throw new ImageError('corrupt JPEG: short quantization table segment');
      const t = new Int32Array(64);
      for (let i = 0; i < 64; i++) {
        t[NATURAL_ORDER[i]!] = pq ? (b[p + 1 + 2 * i]! << 8) | b[p + 2 + 2 * i]! : b[p + 1 + i]!;
      }
      this.quant[tq] = t;
      p += 1 + size;
    }
  }

  /** The first scan fixes the decoding mode, the colour space and the output. */
  private setup(firstScanComps: number): void {
    const g = this.geometry;
    if (!g) throw new ImageError('corrupt JPEG: a scan before the frame header (SOF)');
    // libjpeg-turbo installs the standard tables where the file defines none (Motion-JPEG).
    const std = (t: { bits: number[]; vals: number[] }): RawHuffman => ({ counts: Uint8Array.from(t.bits), symbols: Uint8Array.from(t.vals) });
    this.dcTables[0] ??= std(STD_DC_LUMA); this.dcTables[1] ??= std(STD_DC_CHROMA);
    this.acTables[0] ??= std(STD_AC_LUMA); this.acTables[1] ??= std(STD_AC_CHROMA);
    const out = this.output = new OutputPipeline(g, this.colorSpace(), this.variant, this.denom, this.backend, this.bandRows);
    this.streaming = !this.progressive && firstScanComps === this.comps.length;
    this.comps.forEach((c, i) => {
      c.coefs = this.streaming ? out.coefRows(i, c.v * c.bw * 64) : new Int16Array(c.bh * c.bw * 64);
    });
  }

  /** libjpeg's default_decompress_parms / stb_image's load_jpeg_image rules. */
  private colorSpace(): ColorSpace {
    const n = this.comps.length;
    if (n === 1) return 'gray';
    if (this.variant === 'stb') {
      if (n === 3) {
        const rgbIds = this.comps[0]!.id === 0x52 && this.comps[1]!.id === 0x47 && this.comps[2]!.id === 0x42;
        return rgbIds || (this.adobe === 0 && !this.jfifLoose) ? 'rgb' : 'ycc';
      }
      return this.adobe === 0 ? 'cmyk' : this.adobe === 2 ? 'ycck' : 'ycc';
    }
    if (n === 3) {
      if (this.jfif) return 'ycc';
      if (this.adobe >= 0) return this.adobe === 0 ? 'rgb' : 'ycc';
      const [a, b, c] = this.comps.map((k) => k.id);
      return a === 0x52 && b === 0x47 && c === 0x42 ? 'rgb' : 'ycc';
    }
    return this.adobe < 0 || this.adobe === 0 ? 'cmyk' : 'ycck';
  }

  private table(raw: RawHuffman | null, isDc: boolean, id: number): HuffmanTable {
    if (!raw) throw new ImageError(`corrupt JPEG: a scan uses ${isDc ? 'DC' : 'AC'} Huffman table ${id}, which is not defined`);
    return buildHuffmanTable(raw.counts, raw.symbols, isDc);
  }

  /** Parses an SOS header and decodes its scan; returns where marker parsing resumes. */
  private readScan(b: Uint8Array, dataPos: number): number {
    const ns = b[0] ?? 0;
    if (ns < 1 || ns > 4 || b.length !== 4 + 2 * ns) throw new ImageError('corrupt JPEG: bad scan header');
    if (this.scans > 0 && this.streaming) return dataPos;
    if (!this.output) this.setup(ns);
    const ss = b[1 + 2 * ns]!, se = b[2 + 2 * ns]!, ah = b[3 + 2 * ns]! >> 4, al = b[3 + 2 * ns]! & 15;
    let kind: ScanKind;
    if (this.progressive) {
      const dc = ss === 0;
      if ((dc && se !== 0) || (!dc && (ss > se || se > 63 || ns !== 1)) || (ah !== 0 && al !== ah - 1) || al > 13) {
        throw new ImageError(`corrupt JPEG: invalid progressive scan (Ss=${ss}, Se=${se}, Ah=${ah}, Al=${al})`);
      }
      kind = dc ? (ah === 0 ? ScanKind.DcFirst : ScanKind.DcRefine) : (ah === 0 ? ScanKind.AcFirst : ScanKind.AcRefine);
    } else {
      kind = ScanKind.Sequential;
    }
    const scomps: ScanComponent[] = [];
    // A progressive AC scan of a component whose IDCT reads only the DC coefficient (1/8 scale) changes no pixel:
    // it is skipped (its damage, if any, then goes unreported). Not with restart intervals: where damaged data makes
    // libjpeg resynchronise, the next marker depends on the decoding.
    let skipAc = false;
    for (let i = 0; i < ns; i++) {
      const id = b[1 + 2 * i]!, tables = b[2 + 2 * i]!;
      const index = this.comps.findIndex((c) => c.id === id);
      if (index < 0 || scomps.some((s) => s.index === index)) throw new ImageError(`corrupt JPEG: scan names unknown or repeated component ${id}`);
      const c = this.comps[index]!;
      if (!c.quant) {
        const q = this.quant[c.tq];
        if (!q) throw new ImageError(`corrupt JPEG: quantization table ${c.tq} is not defined`);
        c.quant = q.slice();
      }
      const td = tables >> 4, ta = tables & 15;
      if (td > 3 || ta > 3) throw new ImageError('corrupt JPEG: Huffman table index above 3');
      const needDc = kind === ScanKind.Sequential || kind === ScanKind.DcFirst;
      const needAc = kind === ScanKind.Sequential || kind === ScanKind.AcFirst || kind === ScanKind.AcRefine;
      skipAc = ss > 0 && this.progressive && !this.reference && this.restartInterval === 0 && this.dcOnly(index);
      if (this.progressive && ss > 0 && !skipAc && !c.lastNz) c.lastNz = new Uint8Array(c.bw * c.bh);
      scomps.push({
        index, h: c.h, v: c.v, ...(c.lastNz ? { lastNz: c.lastNz } : {}),
        dc: needDc ? this.table(this.dcTables[td]!, true, td) : null,
        ac: needAc ? this.table(this.acTables[ta]!, false, ta) : null,
        pred: 0,
        // 1/8-scale libjpeg decodes of this component use the DC coefficient alone (jpeg_idct_1x1).
        ...(kind === ScanKind.Sequential && this.dcOnly(index) ? { dcOnly: true } : {}),
      });
      if (this.progressive) for (let k = ss; k <= Math.min(se, 9); k++) c.coefBits[k] = al;
    }
    if (ns > 1 && scomps.reduce((a, s) => a + s.h * s.v, 0) > 10) {
      throw new ImageError('corrupt JPEG: more than 10 blocks per MCU');
    }
    if (++this.scans > MAX_SCANS) throw new ImageError(`corrupt JPEG: more than ${MAX_SCANS} scans`);
    if (skipAc) {
      // Marker parsing resumes at the first marker after the data that is not a restart marker.
      for (let p = dataPos; ;) {
        const m = BitReader.nextMarker(this.data, p);
        if (m.code < 0xd0 || m.code > 0xd7) return m.pos;
        p = m.pos + 2;
      }
    }
    const dec = new ScanDecoder(this.data, dataPos, scomps, kind, ss, se, al, this.restartInterval);
    dec.reference = this.reference;
    if (this.streaming) {
      this.beginRows(dec);
      return dataPos; // marker parsing stops here: the scan is decoded by `step`
    }
    this.decodeWholeScan(dec);
    this.scanDone(dec);
    return dec.endPosition();
  }

  /** Warnings (or, for stb pixels, the refusal) for damage met in a scan. */
  private scanDone(dec: ScanDecoder): void {
    if (dec.reader.insufficient) {
      if (this.variant === 'stb') {
        throw new ImageError("truncated or corrupt JPEG: the image data ends early (stb_image refuses such files; jpegDecoder 'libjpeg' decodes what is there)");
      }
      this.warnings.add('truncated or corrupt data: part of the image is missing (grey)');
    }
    if (dec.damaged) this.warnings.add('corrupt data in the entropy-coded segment');
  }

  /** Does the output use only the DC coefficient of component `index` (an IDCT of size 1)? */
  private dcOnly(index: number): boolean {
    return this.denom !== 1 && this.variant === 'libjpeg' && scaledSizes(this.geometry!, this.denom)[index] === 1;
  }

  /** MCU block lists for the scan: per block, its component's array, offset and scan-component index. */
  private mcuLayout(dec: ScanDecoder): { arrays: Int16Array[]; offsets: Int32Array; owner: Uint8Array; dx: Int32Array; dy: Int32Array } {
    const arrays: Int16Array[] = [], ownerL: number[] = [], dxL: number[] = [], dyL: number[] = [];
    dec.comps.forEach((sc, i) => {
      const c = this.comps[sc.index]!;
      const single = dec.comps.length === 1;
      for (let y = 0; y < (single ? 1 : c.v); y++) {
        for (let x = 0; x < (single ? 1 : c.h); x++) { arrays.push(c.coefs!); ownerL.push(i); dxL.push(x); dyL.push(y); }
      }
    });
    return { arrays, offsets: new Int32Array(arrays.length), owner: Uint8Array.from(ownerL), dx: Int32Array.from(dxL), dy: Int32Array.from(dyL) };
  }

  /** Decodes the MCUs of iMCU row `k` (or, for one-component scans, its block rows), block row `base` = 0. */
  /** decodeRow's per-block offset of MCU 0 and step per MCU (an MCU has at most 10 blocks). */
  private readonly rowStart = new Int32Array(10);
  private readonly rowStep = new Int32Array(10);

  private decodeRow(dec: ScanDecoder, L: ReturnType<JpegDecoder['mcuLayout']>, k: number, base: number): void {
    const g = this.geometry!;
    if (dec.comps.length === 1) {
      const c = this.comps[dec.comps[0]!.index]!;
      for (let by = 0; by < c.v; by++) {
        const br = k * c.v + by;
        if (br >= c.ch) break;
        for (let bx = 0; bx < c.cw; bx++) {
          L.offsets[0] = ((br - base * c.v) * c.bw + bx) * 64;
          dec.decodeMcu(L.arrays, L.offsets, L.owner, 1);
        }
      }
      return;
    }
    const count = L.arrays.length, offsets = L.offsets, start = this.rowStart, step = this.rowStep;
    for (let b = 0; b < count; b++) {
      const c = this.comps[dec.comps[L.owner[b]!]!.index]!;
      start[b] = (((k - base) * c.v + L.dy[b]!) * c.bw + L.dx[b]!) * 64;
      step[b] = c.h * 64;
    }
    if (dec.kind === ScanKind.Sequential) {
      dec.decodeSequentialMcus(L.arrays, start, step, L.owner, count, g.mcusX);
      return;
    }
    for (let mx = 0; mx < g.mcusX; mx++) {
      for (let b = 0; b < count; b++) offsets[b] = start[b]! + mx * step[b]!;
      dec.decodeMcu(L.arrays, offsets, L.owner, count);
    }
  }

  /** Output rows: the scan still to decode row by row (single-scan sequential files) or all coefficients. */
  private beginRows(dec: ScanDecoder | null): void {
    const zero = new Int32Array(64);
    this.rowState = {
      dec, layout: dec ? this.mcuLayout(dec) : null,
      coefs: this.comps.map((c) => c.coefs!), quant: this.comps.map((c) => c.quant ?? zero),
      // Components read at their DC coefficient only need only that cleared (blocks left empty by damage are grey).
      dcOnly: this.comps.map((_, i) => this.dcOnly(i)),
    };
    if (!dec && this.progressive && this.comps.every((c) => c.coefBits[0]! >= 0) &&
        this.comps.some((c) => c.coefBits.some((b, i) => i > 0 && b !== 0))) {
      this.warnings.add('incomplete progressive image: libjpeg would smooth the missing AC coefficients; these pixels are unsmoothed');
    }
  }

  /**
   * The next iMCU row: decodes it (sequential) and runs its IDCT, then emits the output rows of the row before
   * (upsampling reads the rows on both sides); the last call emits the last rows. False when all rows are out.
   */
  step(): boolean {
    const g = this.geometry!, out = this.output!, s = this.rowState!, k = this.nextRow;
    if (k > g.mcusY) return false;
    if (k < g.mcusY) {
      if (s.dec) {
        for (let i = 0; i < s.coefs.length; i++) {
          const c = s.coefs[i]!;
          if (!s.dcOnly[i]) c.fill(0);
          else for (let o = 0; o < c.length; o += 64) c[o] = 0;
        }
        this.decodeRow(s.dec, s.layout!, k, k);
        out.idctRow(g, k, s.coefs, this.comps.map((c) => k * c.v), s.quant);
      } else {
        out.idctRow(g, k, s.coefs, this.comps.map(() => 0), s.quant);
      }
      if (k > 0) out.emitRow(k - 1);
    } else {
      out.emitRow(k - 1);
      if (s.dec) this.scanDone(s.dec);
    }
    this.nextRow++;
    return true;
  }

  /** Output rows emitted so far (rows 0 .. rowsDone - 1). */
  get rowsDone(): number {
    return Math.min(this.output!.height, Math.max(0, this.nextRow - 1) * this.output!.iMCURows);
  }

  private decodeWholeScan(dec: ScanDecoder): void {
    const g = this.geometry!;
    const L = this.mcuLayout(dec);
    for (let k = 0; k < g.mcusY; k++) this.decodeRow(dec, L, k, 0);
  }
}

/** Decodes a JPEG to packed grey or RGB samples. Throws ImageError for unsupported or unreadable files. */
export function decodeJpegPixels(data: Uint8Array, options: JpegDecodeOptions = {}): DecodedJpeg {
  return new JpegDecoder(data, options).decode();
}
