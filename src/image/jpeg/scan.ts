/**
 * Entropy decoding of one scan into 8x8 coefficient blocks (natural order): sequential Huffman, and the four
 * progressive kinds (DC first / refine, AC first / refine with end-of-band runs), with restart markers handled
 * as libjpeg handles them, damaged ones included (jpeg_resync_to_restart).
 */
import {
  BitReader, buildSkipTable, LOOKAHEAD, NATURAL_ORDER as NATURAL_ORDER_TABLE, SKIP_ALL_ADV_SHIFT, SKIP_ALL_BITS, SKIP_ALL_EOB,
  SKIP_BITS, SKIP_ONE_ADV_SHIFT, SKIP_ONE_BITS_SHIFT, SKIP_ONE_EOB, type HuffmanTable,
} from './huffman.js';

// A module-local alias: hot loops then read a plain constant, not an imported binding.
const NATURAL_ORDER = NATURAL_ORDER_TABLE;
const SKIP_MASK = (1 << SKIP_BITS) - 1;
const LB = LOOKAHEAD, LM = (1 << LB) - 1;

export interface ScanComponent {
  /** Frame component index. */
  index: number;
  h: number;
  v: number;
  dc: HuffmanTable | null;
  ac: HuffmanTable | null;
  /** DC predictor. */
  pred: number;
  /**
   * Progressive AC scans: per block (coefficient offset / 64), the highest zig-zag index holding a non-zero
   * coefficient, so that refinement inside end-of-band runs stops there instead of walking all 64.
   */
  lastNz?: Uint8Array;
  /**
   * Sequential scans: only the DC coefficient of this component is used (1/8-scale decodes), so its AC codes are
   * skipped without being stored (ScanDecoder.skipAc).
   */
  dcOnly?: boolean;
}

export const enum ScanKind { Sequential, DcFirst, DcRefine, AcFirst, AcRefine }

export class ScanDecoder {
  readonly reader: BitReader;
  readonly comps: ScanComponent[];
  readonly kind: ScanKind;
  readonly ss: number;
  readonly se: number;
  readonly al: number;
  readonly restartInterval: number;
  private restartsToGo: number;
  private nextRestart = 0;
  private eobrun = 0;
  /** Damage seen: libjpeg would print these as "Corrupt JPEG data" warnings. */
  damaged = false;
  /** Sequential blocks through `sequentialReference` (for tests: the fast paths must consume and store the same). */
  reference = false;

  constructor(data: Uint8Array, pos: number, comps: ScanComponent[], kind: ScanKind, ss: number, se: number,
    al: number, restartInterval: number) {
    this.reader = new BitReader(data, pos);
    this.comps = comps;
    this.kind = kind;
    this.ss = ss;
    this.se = se;
    this.al = al;
    this.restartInterval = restartInterval;
    this.restartsToGo = restartInterval;
  }

  /**
   * Decodes one MCU. `blocks` holds, per block of the MCU in scan order, the coefficient array and the offset
   * of its 64 coefficients; `owner` the ScanComponent of each.
   */
  decodeMcu(arrays: Int16Array[], offsets: Int32Array, owner: Uint8Array, count: number): void {
    if (this.restartInterval) {
      if (this.restartsToGo === 0) this.processRestart();
      this.restartsToGo--;
    }
    const r = this.reader;
    if (r.insufficient) return; // libjpeg leaves the rest of the segment empty
    switch (this.kind) {
      case ScanKind.Sequential:
        for (let b = 0; b < count; b++) {
          const sc = this.comps[owner[b]!]!;
          if (this.reference) this.sequentialReference(arrays[b]!, offsets[b]!, sc);
          else if (sc.dcOnly) this.sequentialDcOnly(arrays[b]!, offsets[b]!, sc);
          else this.sequential(arrays[b]!, offsets[b]!, sc);
        }
        break;
      case ScanKind.DcFirst:
        for (let b = 0; b < count; b++) {
          const sc = this.comps[owner[b]!]!;
          const t = r.decode(sc.dc!);
          const diff = t === 0 ? 0 : r.receiveExtend(t);
          sc.pred = (sc.pred + diff) | 0;
          arrays[b]![offsets[b]!] = sc.pred << this.al;
        }
        break;
      case ScanKind.DcRefine:
        for (let b = 0; b < count; b++) if (r.getBit()) arrays[b]![offsets[b]!] |= 1 << this.al;
        break;
      case ScanKind.AcFirst:
        this.acFirst(arrays[0]!, offsets[0]!, this.comps[0]!.ac!);
        break;
      default:
        this.acRefine(arrays[0]!, offsets[0]!, this.comps[0]!.ac!);
    }
    r.checkInsufficient();
    if (r.badCode) this.damaged = true;
  }

  /**
   * Sequential scans: MCUs 0..n-1 of an MCU row, as n decodeMcu calls would decode them; block b of MCU mx is at
   * arrays[b], offset start[b] + mx * step[b].
   */
  decodeSequentialMcus(arrays: Int16Array[], start: Int32Array, step: Int32Array, owner: Uint8Array, count: number,
    n: number): void {
    const r = this.reader, comps = this.comps;
    for (let mx = 0; mx < n; mx++) {
      if (this.restartInterval) {
        if (this.restartsToGo === 0) this.processRestart();
        this.restartsToGo--;
      }
      if (r.insufficient) continue; // libjpeg leaves the rest of the segment empty
      for (let b = 0; b < count; b++) {
        const sc = comps[owner[b]!]!, blk = arrays[b]!, o = start[b]! + mx * step[b]!;
        if (this.reference) this.sequentialReference(blk, o, sc);
        else if (sc.dcOnly) this.sequentialDcOnly(blk, o, sc);
        else this.sequential(blk, o, sc);
      }
      r.checkInsufficient();
      if (r.badCode) this.damaged = true;
    }
  }

  // The block decoders below keep the bit buffer in locals (buf, cnt) and write it back before any call into the
  // reader, which is what makes them fast in JavaScript. REFILL: r.buf = buf; r.cnt = cnt; r.fill(); reload.

  /** A sequential block symbol by symbol through the reader's own methods (libjpeg's decode_mcu_slow). */
  private sequentialReference(blk: Int16Array, o: number, sc: ScanComponent): void {
    const r = this.reader;
    const t = r.decode(sc.dc!);
    sc.pred = (sc.pred + (t === 0 ? 0 : r.receiveExtend(t))) | 0;
    blk[o] = sc.pred;
    for (let k = 1; k < 64; k++) {
      const rs = r.decode(sc.ac!), s = rs & 15, run = rs >> 4;
      if (s) {
        k += run;
        blk[o + NATURAL_ORDER[k]!] = r.receiveExtend(s);
      } else {
        if (run !== 15) break;
        k += 15;
      }
    }
  }

  /**
   * The block's DC coefficient (the difference decoded, added to the component's predictor) into blk[o], after
   * topping the bit buffer up; shared by `sequential` and `sequentialDcOnly`, which continue from the reader's state.
   */
  private decodeDc(blk: Int16Array, o: number, sc: ScanComponent): void {
    const r = this.reader, d = r.data, dct = sc.dc!;
    let buf = r.buf, cnt = r.cnt, pos = r.pos, ff = r.ff;
    // Plain bytes (before `ff`, the next 0xFF) are read inline; the rest goes through r.fill().
    if (cnt < 17) {
      if (pos + 3 <= ff) {
        buf = (buf << 16) | (d[pos]! << 8) | d[pos + 1]!; pos += 2; cnt += 16;
        if (cnt <= 24) { buf = (buf << 8) | d[pos++]!; cnt += 8; }
      } else {
        r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff;
      }
    }
    let e = dct.fastDc![(buf >>> (cnt - LB)) & LM]!, diff = 0;
    if (e) {
      cnt -= e & 31; diff = e >> 8;
    } else {
      e = dct.look[(buf >>> (cnt - LB)) & LM]!;
      let t: number;
      if (e) { cnt -= e >> 8; t = e & 255; } else { r.buf = buf; r.cnt = cnt; t = r.decodeLong(dct); buf = r.buf; cnt = r.cnt; }
      if (t) {
        if (cnt < t) { r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff; }
        cnt -= t;
        const v = (buf >>> cnt) & ((1 << t) - 1);
        diff = v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
      }
    }
    sc.pred = (sc.pred + diff) | 0;
    blk[o] = sc.pred;
    r.buf = buf; r.cnt = cnt; r.pos = pos; r.ff = ff;
  }

  private sequential(blk: Int16Array, o: number, sc: ScanComponent): void {
    const r = this.reader, d = r.data;
    const act = sc.ac!, look = act.look, fast = act.seqAc!;
    this.decodeDc(blk, o, sc);
    let buf = r.buf, cnt = r.cnt, pos = r.pos, ff = r.ff, e: number;
    // Two table lookups per refill: a refill leaves at least 25 bits and a table entry takes at most LB (11).
    let k = 1;
    while (k < 64) {
      if (cnt < 25) {
        if (pos + 3 <= ff) {
          buf = (buf << 8) | d[pos++]!; cnt += 8;
          if (cnt < 25) {
            buf = (buf << 8) | d[pos++]!; cnt += 8;
            if (cnt < 25) { buf = (buf << 8) | d[pos++]!; cnt += 8; }
          }
        } else {
          r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff;
        }
      }
      let f = fast[(buf >>> (cnt - LB)) & LM]!;
      if (f !== 0) {
        cnt -= f & 15;
        if (f >> 4 === 0) break; // end of block
        k += (f >> 4) & 15;
        blk[o + NATURAL_ORDER[k]!] = f >> 8;
        if (++k >= 64) break;
        f = fast[(buf >>> (cnt - LB)) & LM]!;
        if (f !== 0) {
          cnt -= f & 15;
          if (f >> 4 === 0) break;
          k += (f >> 4) & 15;
          blk[o + NATURAL_ORDER[k]!] = f >> 8;
          k++;
          continue;
        }
        if (cnt < 17) { r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff; }
      }
      // A pair longer than the table (or a symbol it leaves out): the code, then its extra bits.
      e = look[(buf >>> (cnt - LB)) & LM]!;
      let rs: number;
      if (e) { cnt -= e >> 8; rs = e & 255; } else { r.buf = buf; r.cnt = cnt; rs = r.decodeLong(act); buf = r.buf; cnt = r.cnt; }
      const sz = rs & 15, run = rs >> 4;
      if (sz) {
        k += run;
        if (cnt < sz) { r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff; }
        cnt -= sz;
        const v = (buf >>> cnt) & ((1 << sz) - 1);
        blk[o + NATURAL_ORDER[k]!] = v < 1 << (sz - 1) ? v - (1 << sz) + 1 : v;
      } else {
        if (run !== 15) break;
        k += 15;
      }
      k++;
    }
    r.buf = buf; r.cnt = cnt; r.pos = pos; r.ff = ff;
  }

  /**
   * A sequential block of which only the DC coefficient is wanted: the DC as in `sequential`, then the AC codes are
   * skipped, several per lookup (buildSkipTable), consuming exactly the bits `sequential` would.
   */
  private sequentialDcOnly(blk: Int16Array, o: number, sc: ScanComponent): void {
    const r = this.reader, d = r.data;
    const act = sc.ac!, skip = act.skip ?? buildSkipTable(act);
    this.decodeDc(blk, o, sc);
    let buf = r.buf, cnt = r.cnt, pos = r.pos, ff = r.ff, e: number;
    // Two table lookups per refill: a refill leaves at least 25 bits and an entry takes at most SKIP_BITS (12).
    let k = 1;
    for (;;) {
      if (cnt < 25) {
        if (pos + 3 <= ff) {
          buf = (buf << 8) | d[pos++]!; cnt += 8;
          if (cnt < 25) {
            buf = (buf << 8) | d[pos++]!; cnt += 8;
            if (cnt < 25) { buf = (buf << 8) | d[pos++]!; cnt += 8; }
          }
        } else {
          r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff;
        }
      }
      e = skip[(buf >>> (cnt - SKIP_BITS)) & SKIP_MASK]!;
      if (e) {
        if (k + ((e >> SKIP_ALL_ADV_SHIFT) & 127) <= 64) {
          cnt -= e & SKIP_ALL_BITS; k += (e >> SKIP_ALL_ADV_SHIFT) & 127;
          if (e & SKIP_ALL_EOB || k >= 64) break;
        } else {
          cnt -= (e >> SKIP_ONE_BITS_SHIFT) & 31; k += (e >> SKIP_ONE_ADV_SHIFT) & 31;
          if (e & SKIP_ONE_EOB || k >= 64) break;
        }
        e = skip[(buf >>> (cnt - SKIP_BITS)) & SKIP_MASK]!;
        if (e) {
          if (k + ((e >> SKIP_ALL_ADV_SHIFT) & 127) <= 64) {
            cnt -= e & SKIP_ALL_BITS; k += (e >> SKIP_ALL_ADV_SHIFT) & 127;
            if (e & SKIP_ALL_EOB || k >= 64) break;
          } else {
            cnt -= (e >> SKIP_ONE_BITS_SHIFT) & 31; k += (e >> SKIP_ONE_ADV_SHIFT) & 31;
            if (e & SKIP_ONE_EOB || k >= 64) break;
          }
          continue;
        }
        if (cnt < 17) { r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff; }
      }
      // A code, or code + extra bits, longer than the skip table's lookahead.
      e = act.look[(buf >>> (cnt - LB)) & LM]!;
      let rs: number;
      if (e) { cnt -= e >> 8; rs = e & 255; } else { r.buf = buf; r.cnt = cnt; rs = r.decodeLong(act); buf = r.buf; cnt = r.cnt; }
      const sz = rs & 15, run = rs >> 4;
      if (sz) {
        if (cnt < sz) { r.buf = buf; r.cnt = cnt; r.pos = pos; r.fill(); if (r.pos > ff) r.syncFF(); buf = r.buf; cnt = r.cnt; pos = r.pos; ff = r.ff; }
        cnt -= sz;
        k += run + 1;
      } else if (run === 15) {
        k += 16;
      } else {
        break;
      }
      if (k >= 64) break;
    }
    r.buf = buf; r.cnt = cnt; r.pos = pos; r.ff = ff;
  }

  private acFirst(blk: Int16Array, o: number, act: HuffmanTable): void {
    if (this.eobrun > 0) { this.eobrun--; return; }
    const r = this.reader, se = this.se, mul = 1 << this.al, look = act.look, fast = act.fastAc!;
    let buf = r.buf, cnt = r.cnt, last = 0;
    for (let k = this.ss; k <= se; k++) {
      if (cnt < 17) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
      const idx = (buf >>> (cnt - LB)) & LM;
      const f = fast[idx]!;
      if (f) {
        k += (f >> 4) & 15;
        cnt -= f & 15;
        blk[o + NATURAL_ORDER[k]!] = (f >> 8) * mul;
        last = k;
        continue;
      }
      const e = look[idx]!;
      let rs: number;
      if (e) { cnt -= e >> 8; rs = e & 255; } else { r.buf = buf; r.cnt = cnt; rs = r.decodeLong(act); buf = r.buf; cnt = r.cnt; }
      const sz = rs & 15, run = rs >> 4;
      if (sz) {
        k += run;
        if (cnt < sz) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
        cnt -= sz;
        const v = (buf >>> cnt) & ((1 << sz) - 1);
        blk[o + NATURAL_ORDER[k]!] = (v < 1 << (sz - 1) ? v - (1 << sz) + 1 : v) * mul;
        last = k;
      } else if (run === 15) {
        k += 15;
      } else {
        let eob = (1 << run) - 1;
        if (run) {
          if (cnt < run) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
          cnt -= run;
          eob += (buf >>> cnt) & ((1 << run) - 1);
        }
        this.eobrun = eob;
        break;
      }
    }
    r.buf = buf; r.cnt = cnt;
    const nz = this.comps[0]!.lastNz;
    if (nz && last > nz[o >> 6]!) nz[o >> 6] = Math.min(last, 63);
  }

  private acRefine(blk: Int16Array, o: number, act: HuffmanTable): void {
    const r = this.reader, se = this.se;
    const p1 = 1 << this.al, m1 = -1 << this.al;
    const nz = this.comps[0]!.lastNz;
    let buf = r.buf, cnt = r.cnt;
    let k = this.ss;
    if (this.eobrun === 0) {
      const look = act.look;
      for (; k <= se; k++) {
        if (cnt < 17) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
        const e = look[(buf >>> (cnt - LB)) & LM]!;
        let rs: number;
        if (e) { cnt -= e >> 8; rs = e & 255; } else { r.buf = buf; r.cnt = cnt; rs = r.decodeLong(act); buf = r.buf; cnt = r.cnt; }
        let s = rs & 15, run = rs >> 4;
        if (s) {
          if (s !== 1) this.damaged = true;
          if (cnt < 1) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
          cnt--;
          s = (buf >>> cnt) & 1 ? p1 : m1;
        } else if (run !== 15) {
          let eob = 1 << run;
          if (run) {
            if (cnt < run) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
            cnt -= run;
            eob += (buf >>> cnt) & ((1 << run) - 1);
          }
          this.eobrun = eob;
          break;
        }
        // Skip `run` zero coefficients, refining the non-zero ones passed on the way.
        do {
          const i = o + NATURAL_ORDER[k]!;
          const c = blk[i]!;
          if (c !== 0) {
            if (cnt < 1) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
            cnt--;
            if ((buf >>> cnt) & 1 && (c & p1) === 0) blk[i] = c >= 0 ? c + p1 : c + m1;
          } else if (--run < 0) {
            break;
          }
          k++;
        } while (k <= se);
        if (s) {
          blk[o + NATURAL_ORDER[k]!] = s;
          if (nz && k > nz[o >> 6]!) nz[o >> 6] = Math.min(k, 63);
        }
      }
    }
    if (this.eobrun > 0) {
      // A block inside an end-of-band run: one correction bit per already non-zero coefficient (none past lastNz).
      const end = nz ? Math.min(se, nz[o >> 6]!) : se;
      for (; k <= end; k++) {
        const i = o + NATURAL_ORDER[k]!;
        const c = blk[i]!;
        if (c === 0) continue;
        if (cnt < 1) { r.buf = buf; r.cnt = cnt; r.fill(); buf = r.buf; cnt = r.cnt; }
        cnt--;
        if ((buf >>> cnt) & 1 && (c & p1) === 0) blk[i] = c >= 0 ? c + p1 : c + m1;
      }
      this.eobrun--;
    }
    r.buf = buf; r.cnt = cnt;
  }

  /** libjpeg's process_restart + read_restart_marker + jpeg_resync_to_restart. */
  private processRestart(): void {
    const r = this.reader, d = r.data;
    let m = r.marker >= 0 ? { code: r.marker, pos: r.markerPos } : BitReader.nextMarker(d, r.pos);
    let unread = true;
    if (m.code === 0xd0 + this.nextRestart) {
      r.reset(m.pos + 2); unread = false;
    } else {
      this.damaged = true;
      const want = this.nextRestart;
      for (;;) {
        let action: number;
        if (m.code < 0xc0) action = 2;
        else if (m.code < 0xd0 || m.code > 0xd7) action = 3;
        else if (m.code === 0xd0 + ((want + 1) & 7) || m.code === 0xd0 + ((want + 2) & 7)) action = 3;
        else if (m.code === 0xd0 + ((want - 1) & 7) || m.code === 0xd0 + ((want - 2) & 7)) action = 2;
        else action = 1;
        if (action === 1) { r.reset(m.pos + 2); unread = false; break; }
        if (action === 3) { r.reset(m.pos); break; }
        m = BitReader.nextMarker(d, m.pos + 2);
      }
    }
    this.nextRestart = (this.nextRestart + 1) & 7;
    for (const sc of this.comps) sc.pred = 0;
    this.eobrun = 0;
    this.restartsToGo = this.restartInterval;
    if (!unread) r.insufficient = false;
  }

  /** Where marker parsing resumes after this scan: the marker the reader stopped at, or the next one. */
  endPosition(): number {
    const r = this.reader;
    return r.marker >= 0 ? r.markerPos : BitReader.nextMarker(r.data, r.pos).pos;
  }
}
