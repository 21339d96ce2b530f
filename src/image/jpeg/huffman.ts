/**
 * Huffman tables and the entropy-coded bit reader (ITU T.81 F.2.2, with libjpeg's handling of damaged data).
 *
 * The reader stops at the first marker (0xFF followed by anything but 0x00) or at the end of the data and then
 * supplies zero bits, as libjpeg does; `insufficient` records that zero bits were actually consumed, after which
 * the scan decoders leave the remaining blocks of the segment empty (grey), again as libjpeg does.
 */
import { ImageError } from '../../../schema/errors.js';

/** Zig-zag index -> natural (row-major) index, padded with 63 so that a corrupt run past 63 stays in the block. */
export const NATURAL_ORDER = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]);

/** Bits of the one-lookup tables (`look`, `fastAc`). */
export const LOOKAHEAD = 11;
const LOOK_MASK = (1 << LOOKAHEAD) - 1;

/** A decoding table: 9-bit lookahead for short codes, canonical max-code walk for the rest. */
export interface HuffmanTable {
  /** (length << 8) | symbol for every LOOKAHEAD-bit prefix that starts with a code that short; 0 otherwise. */
  look: Uint16Array;
  /** Largest code of each length (-1 when there is none); maxcode[17] ends the walk. */
  maxcode: Int32Array;
  /** symbol index = code + valoffset[length]. */
  valoffset: Int32Array;
  symbols: Uint8Array;
  /**
   * AC tables: for LOOKAHEAD-bit prefixes holding a whole (code, extra bits) pair with a non-zero size, the decoded
   * coefficient: (value << 8) | (run << 4) | total bits; 0 otherwise (as stb_image's fast-AC table).
   */
  fastAc: Int32Array | null;
  /**
   * For sequential scans: fastAc plus the end of block (0x00: just its code length, so entry >> 4 is 0) and ZRL
   * (0xF0: run 15, value 0; storing that 0 changes nothing in a cleared block).
   */
  seqAc: Int32Array | null;
  /** DC tables: for prefixes holding a whole (code, extra bits) pair, (difference << 8) | total bits; 0 otherwise. */
  fastDc: Int32Array | null;
  /** AC tables used for skipping (buildSkipTable), built on first use. */
  skip: Int32Array | null;
}

/** Builds a table from a DHT segment's 16 counts and symbols (libjpeg's jpeg_make_d_derived_tbl checks). */
export function buildHuffmanTable(counts: Uint8Array, symbols: Uint8Array, isDc: boolean): HuffmanTable {
  const sizes: number[] = [];
  for (let l = 1; l <= 16; l++) for (let i = 0; i < counts[l - 1]!; i++) sizes.push(l);
  if (sizes.length > 256 || sizes.length > symbols.length) throw new ImageError('corrupt JPEG: bad Huffman table (too many codes)');
  const codes = new Int32Array(sizes.length);
  let code = 0, si = sizes[0] ?? 0, p = 0;
  while (p < sizes.length) {
    while (p < sizes.length && sizes[p] === si) codes[p++] = code++;
    if (code >= 1 << si) throw new ImageError('corrupt JPEG: bad Huffman table (code lengths overflow)');
    code <<= 1; si++;
  }
  const maxcode = new Int32Array(18).fill(-1);
  const valoffset = new Int32Array(18);
  p = 0;
  for (let l = 1; l <= 16; l++) {
    const n = counts[l - 1]!;
    if (n) { valoffset[l] = p - codes[p]!; p += n; maxcode[l] = codes[p - 1]!; }
  }
  maxcode[17] = 0xfffff;
  const look = new Uint16Array(1 << LOOKAHEAD);
  for (let i = 0; i < sizes.length; i++) {
    const l = sizes[i]!;
    if (l > LOOKAHEAD) break;
    const shift = LOOKAHEAD - l, base = codes[i]! << shift;
    for (let j = 0; j < 1 << shift; j++) look[base + j] = (l << 8) | symbols[i]!;
  }
  const syms = symbols.slice(0, Math.max(sizes.length, 1));
  if (isDc) {
    for (let i = 0; i < sizes.length; i++) {
      if (syms[i]! > 15) throw new ImageError('corrupt JPEG: bad Huffman table (DC symbol above 15)');
    }
  }
  let fastAc: Int32Array | null = null, seqAc: Int32Array | null = null, fastDc: Int32Array | null = null;
  if (isDc) {
    fastDc = new Int32Array(1 << LOOKAHEAD);
    for (let i = 0; i < 1 << LOOKAHEAD; i++) {
      const e = look[i]!;
      if (!e) continue;
      const len = e >> 8, size = e & 255;
      if (len + size > LOOKAHEAD) continue;
      let v = size ? (i >> (LOOKAHEAD - len - size)) & ((1 << size) - 1) : 0;
      if (size && v < 1 << (size - 1)) v += 1 - (1 << size);
      fastDc[i] = (v << 8) | (len + size);
    }
  }
  if (!isDc) {
    fastAc = new Int32Array(1 << LOOKAHEAD);
    seqAc = new Int32Array(1 << LOOKAHEAD);
    for (let i = 0; i < 1 << LOOKAHEAD; i++) {
      const e = look[i]!;
      if (!e) continue;
      const len = e >> 8, rs = e & 255, size = rs & 15;
      if (rs === 0x00 || rs === 0xf0) seqAc[i] = rs | len;
      if (size === 0 || len + size > LOOKAHEAD) continue;
      let v = (i >> (LOOKAHEAD - len - size)) & ((1 << size) - 1);
      if (v < 1 << (size - 1)) v += 1 - (1 << size);
      fastAc[i] = seqAc[i] = (v << 8) | ((rs >> 4) << 4) | (len + size);
    }
  }
  return { look, maxcode, valoffset, symbols: syms, fastAc, seqAc, fastDc, skip: null };
}

/** Lookahead of the skip tables (buildSkipTable): 2^12 entries, 16 KB, stays in the L1 cache. */
export const SKIP_BITS = 12;

/** Fields of a skip-table entry: the whole run of complete symbols, then the first symbol alone. */
export const SKIP_ALL_BITS = 0x1f, SKIP_ALL_ADV_SHIFT = 5, SKIP_ALL_EOB = 1 << 12;
export const SKIP_ONE_BITS_SHIFT = 13, SKIP_ONE_ADV_SHIFT = 18, SKIP_ONE_EOB = 1 << 23;

/**
 * For sequential AC decoding whose coefficients are not needed (1/8-scale decodes use only the DC coefficient):
 * for every 12-bit prefix, how many bits the complete (code, extra bits) pairs at its start take and how far they
 * move the coefficient index (run + 1 per coefficient, 16 per ZRL, 1 for an end of block, which ends the run).
 * Entry: bits | adv << 5 | eob << 12 for all of them, and the same for the first alone at bits 13-23
 * (used when the whole run would pass coefficient 63). 0: the first pair is longer than 12 bits.
 */
export function buildSkipTable(t: HuffmanTable): Int32Array {
  if (t.skip) return t.skip;
  const skip = new Int32Array(1 << SKIP_BITS);
  const { maxcode, valoffset, symbols } = t;
  for (let i = 0; i < 1 << SKIP_BITS; i++) {
    let used = 0, adv = 0, eob = 0, first = 0;
    while (adv < 64 && !eob) {
      const left = SKIP_BITS - used;
      // Canonical decode of the code at bit `used`, within the `left` bits that remain.
      let l = 1, code = -1;
      for (; l <= left; l++) {
        const c = (i >> (left - l)) & ((1 << l) - 1);
        if (c <= maxcode[l]!) { code = c; break; }
      }
      if (code < 0) break;
      const rs = symbols[(code + valoffset[l]!) & 255]!, size = rs & 15, run = rs >> 4;
      if (l + size > left) break;
      used += l + size;
      if (size) adv += run + 1;
      else if (run === 15) adv += 16;
      else { adv += 1; eob = 1; }
      if (!first) first = (used << SKIP_ONE_BITS_SHIFT) | (adv << SKIP_ONE_ADV_SHIFT) | (eob ? SKIP_ONE_EOB : 0);
    }
    if (first) skip[i] = first | used | (adv << SKIP_ALL_ADV_SHIFT) | (eob ? SKIP_ALL_EOB : 0);
  }
  t.skip = skip;
  return skip;
}

/** Bit reader over entropy-coded data, with 0xFF00 unstuffing and libjpeg's behaviour at markers. */
export class BitReader {
  data: Uint8Array;
  pos: number;
  /** Bit buffer: the low `cnt` bits are unread; the lowest `pad` of them are zero padding past a marker. */
  buf = 0;
  cnt = 0;
  pad = 0;
  /** The marker code that stopped the reader (0xD9 at the end of the data), -1 while none was met. */
  marker = -1;
  /** Byte offset of that marker's 0xFF. */
  markerPos = 0;
  /** Zero padding was consumed: the data of this segment ran out (libjpeg's insufficient_data). */
  insufficient = false;
  /** A code longer than 16 bits was met (libjpeg's JWRN_HUFF_BAD_CODE). */
  badCode = false;

  /** Offset of the first 0xFF byte at or after `pos` (data.length when none): bytes before it are plain data. */
  ff: number;

  /** The data as aligned 32-bit words (from byte `wordStart`), for finding 0xFF four bytes at a time. */
  private readonly words: Uint32Array;
  private readonly wordStart: number;

  constructor(data: Uint8Array, pos: number) {
    this.data = data;
    this.pos = pos;
    this.wordStart = Math.min(data.length, (4 - (data.byteOffset & 3)) & 3);
    this.words = new Uint32Array(data.buffer, data.byteOffset + this.wordStart, (data.length - this.wordStart) >> 2);
    this.ff = 0;
    this.syncFF();
  }

  /** Recomputes `ff` after `pos` moved past it (or the reader met a marker: then nothing is plain any more). */
  syncFF(): void {
    if (this.marker >= 0) { this.ff = this.pos; return; }
    const d = this.data, n = d.length, ws = this.words, w0 = this.wordStart;
    let p = this.pos;
    // Bytes up to a word boundary, then whole words until one holds an 0xFF byte (the classic has-zero-byte test
    // on the complement), then bytes again.
    while (p < n && (p < w0 || ((p - w0) & 3) !== 0)) {
      if (d[p] === 0xff) { this.ff = p; return; }
      p++;
    }
    let w = (p - w0) >> 2;
    for (const nw = ws.length; w < nw; w++) {
      const v = ws[w]!;
      if ((((~v - 0x01010101) | 0) & v & 0x80808080) !== 0) break;
    }
    p = Math.max(p, w0 + 4 * w);
    while (p < n && d[p] !== 0xff) p++;
    this.ff = p;
  }

  /** Tops the buffer up to at least 25 bits. */
  fill(): void {
    const d = this.data, n = d.length;
    // Fast path: plain bytes (no 0xFF) before any marker.
    if (this.marker < 0) {
      let buf = this.buf, cnt = this.cnt, pos = this.pos;
      while (cnt <= 24 && pos < n) {
        const b = d[pos]!;
        if (b === 0xff) break;
        buf = (buf << 8) | b; cnt += 8; pos++;
      }
      this.buf = buf; this.cnt = cnt; this.pos = pos;
    }
    while (this.cnt <= 24) {
      let b = 0;
      if (this.marker < 0) {
        if (this.pos >= n) {
          this.marker = 0xd9; this.markerPos = n;
        } else {
          b = d[this.pos]!;
          if (b !== 0xff) {
            this.pos++;
          } else {
            let p = this.pos + 1;
            while (p < n && d[p] === 0xff) p++;
            if (p < n && d[p] === 0) {
              this.pos = p + 1;
            } else {
              this.marker = p < n ? d[p]! : 0xd9; this.markerPos = p < n ? p - 1 : n;
              b = 0;
            }
          }
        }
      }
      this.buf = (this.buf << 8) | b;
      this.cnt += 8;
      if (this.marker >= 0) this.pad += 8;
    }
  }

  getBits(n: number): number {
    if (this.cnt < n) this.fill();
    this.cnt -= n;
    return (this.buf >>> this.cnt) & ((1 << n) - 1);
  }

  getBit(): number {
    if (this.cnt < 1) this.fill();
    this.cnt--;
    return (this.buf >>> this.cnt) & 1;
  }

  /** Decodes one Huffman symbol (libjpeg's jpeg_huff_decode: a bad code consumes 17 bits and yields 0). */
  decode(t: HuffmanTable): number {
    if (this.cnt < 17) this.fill();
    const e = t.look[(this.buf >>> (this.cnt - LOOKAHEAD)) & LOOK_MASK]!;
    if (e !== 0) {
      this.cnt -= e >> 8;
      return e & 255;
    }
    return this.decodeLong(t);
  }

  /** The codes longer than the lookahead (needs >= 17 buffered bits). */
  decodeLong(t: HuffmanTable): number {
    let l = LOOKAHEAD + 1;
    let code = (this.buf >>> (this.cnt - l)) & ((1 << l) - 1);
    while (code > t.maxcode[l]!) {
      l++;
      code = (this.buf >>> (this.cnt - l)) & ((1 << l) - 1);
    }
    this.cnt -= l;
    if (l > 16) { this.badCode = true; return 0; }
    return t.symbols[(code + t.valoffset[l]!) & 255]!;
  }

  /** Receives s bits and sign-extends them (T.81 F.2.2.1 EXTEND). */
  receiveExtend(s: number): number {
    const v = this.getBits(s);
    return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
  }

  /** After an MCU: did it read into the zero padding? Then the segment's data ran out. */
  checkInsufficient(): void {
    if (this.pad > this.cnt) this.insufficient = true;
  }

  /** Drops buffered bits; the next fill starts at `pos` (used at restart markers). */
  reset(pos: number): void {
    this.pos = pos; this.buf = 0; this.cnt = 0; this.pad = 0; this.marker = -1;
    this.syncFF();
  }

  /**
   * libjpeg's next_marker from byte `from`: skips garbage and 0xFF00 pairs, returns the marker code and the
   * offset of its 0xFF (0xD9 and the data length at the end).
   */
  static nextMarker(d: Uint8Array, from: number): { code: number; pos: number } {
    const n = d.length;
    let p = from;
    for (;;) {
      while (p < n && d[p] !== 0xff) p++;
      let q = p + 1;
      while (q < n && d[q] === 0xff) q++;
      if (q >= n) return { code: 0xd9, pos: n };
      if (d[q] !== 0) return { code: d[q]!, pos: q - 1 };
      p = q + 1;
    }
  }
}
