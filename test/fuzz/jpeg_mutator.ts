/**
 * JPEG field mutations: a seed file is split into marker segments (and the entropy-coded data after each SOS),
 * one or more fields are changed — SOF sampling factors and sizes, DHT code counts, DQT tables, SOS selectors and
 * spectral/approximation parameters, restart intervals and RST markers, the order of progressive scans, marker
 * order and segment lengths — and the segments are written back (ITU T.81 B.1–B.2 layout).
 */
import { type Rand, int, pick } from './model_mutator.js';

interface Segment {
  /** Marker byte after 0xFF (0xD8 SOI, 0xC0 SOF0, 0xDA SOS …). */
  marker: number;
  /** Payload without the 2-byte length (empty for SOI/EOI/RSTn). */
  payload: Uint8Array;
  /** Entropy-coded bytes following an SOS, RST markers included. */
  scan?: Uint8Array;
  /** A length field that lies (written instead of payload.length + 2). */
  lengthOverride?: number;
}

const SOI = 0xd8, EOI = 0xd9, SOS = 0xda, DHT = 0xc4, DQT = 0xdb, DRI = 0xdd;
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== DHT && m !== 0xc8 && m !== 0xcc;
const standalone = (m: number): boolean => m === SOI || m === EOI || (m >= 0xd0 && m <= 0xd7) || m === 0x01;

/** Splits a JPEG into segments; stops quietly at anything unparsable (the rest becomes one scan tail). */
export function parseJpeg(b: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let p = 0;
  while (p + 1 < b.length) {
    if (b[p] !== 0xff) break;
    const marker = b[p + 1]!;
    p += 2;
    if (marker === 0xff) { p--; continue; }
    if (standalone(marker)) { out.push({ marker, payload: new Uint8Array(0) }); if (marker === EOI) break; continue; }
    if (p + 2 > b.length) break;
    const len = (b[p]! << 8) | b[p + 1]!;
    const payload = b.slice(p + 2, Math.min(b.length, p + len));
    p += len;
    const seg: Segment = { marker, payload };
    if (marker === SOS) {
      let q = p;
      while (q + 1 < b.length && !(b[q] === 0xff && b[q + 1] !== 0 && !(b[q + 1]! >= 0xd0 && b[q + 1]! <= 0xd7))) q++;
      seg.scan = b.slice(p, q);
      p = q;
    }
    out.push(seg);
  }
  return out;
}

export function writeJpeg(segments: readonly Segment[]): Uint8Array {
  const parts: number[] = [];
  for (const s of segments) {
    parts.push(0xff, s.marker);
    if (!standalone(s.marker)) {
      const len = s.lengthOverride ?? s.payload.length + 2;
      parts.push((len >> 8) & 255, len & 255);
      for (const v of s.payload) parts.push(v);
    }
    if (s.scan) for (const v of s.scan) parts.push(v);
  }
  return new Uint8Array(parts);
}

type Mutation = (segs: Segment[], r: Rand) => string;

const find = (segs: Segment[], r: Rand, pred: (s: Segment) => boolean): Segment | undefined => {
  const list = segs.filter(pred);
  return list.length > 0 ? pick(r, list) : undefined;
};

const MUTATIONS: Record<string, Mutation> = {
  frameSize(segs, r) {
    const s = find(segs, r, (x) => isSof(x.marker) && x.payload.length >= 5);
    if (!s) return 'frame size: no SOF';
    const v = (): number => pick(r, [0, 1, 2, 7, 8, 9, 16, 17, 255, 256, 4096, 65535, int(r, 65536)]);
    const which = int(r, 3);
    if (which === 0) s.payload[0] = pick(r, [0, 1, 8, 12, 16, 255]);
    else { const at = which === 1 ? 1 : 3; const x = v(); s.payload[at] = x >> 8; s.payload[at + 1] = x & 255; }
    return `frame size: SOF ${Array.from(s.payload.subarray(0, 5))}`;
  },
  components(segs, r) {
    const s = find(segs, r, (x) => isSof(x.marker) && x.payload.length >= 6);
    if (!s) return 'components: no SOF';
    const n = s.payload[5]!;
    const x = r();
    if (x < 0.3 || n === 0) { s.payload[5] = pick(r, [0, 1, 2, 3, 4, 5, 255]); return `components: count ${s.payload[5]}`; }
    const c = 6 + 3 * int(r, n);
    if (c + 2 >= s.payload.length) return 'components: short SOF';
    if (x < 0.7) s.payload[c + 1] = pick(r, [0x11, 0x22, 0x21, 0x12, 0x44, 0x41, 0x14, 0x00, 0x0f, 0xf0, 0x33, 0x31, int(r, 256)]);
    else if (x < 0.85) s.payload[c + 2] = int(r, 6);
    else s.payload[c] = pick(r, [0, 1, 2, 3, 4, 255]);
    return `components: ${Array.from(s.payload.subarray(c, c + 3))}`;
  },
  sofKind(segs, r) {
    const s = find(segs, r, (x) => isSof(x.marker));
    if (!s) return 'sof kind: none';
    s.marker = pick(r, [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc9, 0xca, 0xcb, 0xcd, 0xcf]);
    return `sof kind: ${s.marker.toString(16)}`;
  },
  huffman(segs, r) {
    const s = find(segs, r, (x) => x.marker === DHT && x.payload.length >= 17);
    if (!s) return 'huffman: no DHT';
    const x = r();
    if (x < 0.2) s.payload[0] = pick(r, [0x00, 0x01, 0x10, 0x11, 0x02, 0x13, 0x20, 0xff]);
    else if (x < 0.6) {
      const k = 1 + int(r, 16);
      s.payload[k] = pick(r, [0, 1, 2, 16, 100, 200, 255]);
    } else if (x < 0.75) for (let k = 1; k <= 16; k++) s.payload[k] = 0;
    else if (x < 0.85) for (let k = 1; k <= 16; k++) s.payload[k] = k === 1 ? 2 : k === 2 ? 4 : 0; // over-subscribed
    else { const at = 17 + int(r, Math.max(1, s.payload.length - 17)); if (at < s.payload.length) s.payload[at] = int(r, 256); }
    return `huffman: class/id ${s.payload[0]} counts ${Array.from(s.payload.subarray(1, 17))}`;
  },
  quant(segs, r) {
    const s = find(segs, r, (x) => x.marker === DQT && x.payload.length >= 2);
    if (!s) return 'quant: no DQT';
    const x = r();
    if (x < 0.3) s.payload[0] = pick(r, [0x00, 0x01, 0x10, 0x04, 0x13, 0xff]);
    else if (x < 0.7) s.payload.fill(pick(r, [0, 255]), 1);
    else s.payload = s.payload.slice(0, int(r, s.payload.length));
    return `quant: pq/tq ${s.payload[0]}`;
  },
  scanHeader(segs, r) {
    const s = find(segs, r, (x) => x.marker === SOS && x.payload.length >= 4);
    if (!s) return 'scan header: no SOS';
    const ns = s.payload[0]!;
    const tail = 1 + 2 * ns;
    const x = r();
    if (x < 0.2) s.payload[0] = pick(r, [0, 1, 2, 3, 4, 5, 255]);
    else if (x < 0.45 && ns > 0 && 2 * ns < s.payload.length) {
      const c = 1 + 2 * int(r, ns);
      if (r() < 0.5) s.payload[c] = pick(r, [0, 1, 2, 3, 4, 9, 255]);
      else s.payload[c + 1] = pick(r, [0x00, 0x11, 0x01, 0x10, 0x22, 0x44, 0xff]);
    } else if (tail + 2 < s.payload.length) {
      const field = int(r, 3);
      s.payload[tail + field] = field < 2 ? pick(r, [0, 1, 5, 6, 62, 63, 64, 200]) : pick(r, [0x00, 0x01, 0x10, 0x12, 0x21, 0xd0, 0x0d, 0xff]);
    }
    return `scan header: ${Array.from(s.payload)}`;
  },
  restart(segs, r) {
    const dri = segs.find((x) => x.marker === DRI);
    const interval = pick(r, [0, 1, 2, 3, 7, 255, 65535]);
    const payload = new Uint8Array([interval >> 8, interval & 255]);
    if (dri && r() < 0.6) dri.payload = payload;
    else {
      const at = Math.max(1, segs.findIndex((x) => x.marker === SOS));
      segs.splice(at, 0, { marker: DRI, payload });
    }
    return `restart: interval ${interval}`;
  },
  rstMarkers(segs, r) {
    const s = find(segs, r, (x) => !!x.scan && x.scan.length > 2);
    if (!s?.scan) return 'rst markers: no scan';
    const scan = Array.from(s.scan);
    const x = r();
    if (x < 0.4) { // insert an RST marker, possibly out of sequence
      const at = int(r, scan.length);
      scan.splice(at, 0, 0xff, 0xd0 + int(r, 8));
    } else if (x < 0.7) { // renumber or delete existing ones
      for (let i = 0; i + 1 < scan.length; i++) {
        if (scan[i] === 0xff && scan[i + 1]! >= 0xd0 && scan[i + 1]! <= 0xd7) {
          if (r() < 0.5) scan[i + 1] = 0xd0 + int(r, 8); else scan.splice(i, 2);
        }
      }
    } else { // a long run of fill bytes
      scan.splice(int(r, scan.length), 0, ...new Array<number>(1 + int(r, 40)).fill(0xff));
    }
    s.scan = new Uint8Array(scan);
    return 'rst markers';
  },
  scanData(segs, r) {
    const s = find(segs, r, (x) => !!x.scan && x.scan.length > 0);
    if (!s?.scan) return 'scan data: none';
    const x = r();
    if (x < 0.3) s.scan = s.scan.slice(0, int(r, s.scan.length));
    else if (x < 0.7) { s.scan = s.scan.slice(); for (let k = 0; k < 1 + int(r, 6); k++) s.scan[int(r, s.scan.length)] ^= 1 << int(r, 8); }
    else if (x < 0.85) s.scan = new Uint8Array(s.scan.length).map(() => int(r, 255)); // no 0xFF: no marker can end it early
    else { const zeros = new Uint8Array(pick(r, [16, 1000, 20000])); const out = new Uint8Array(s.scan.length + zeros.length); out.set(s.scan); out.set(zeros, s.scan.length); s.scan = out; }
    return `scan data: ${s.scan.length} bytes`;
  },
  scanScript(segs, r) {
    // Progressive scan order: the SOS segments (with their data) and the DHTs between them.
    const scans = segs.map((s, i) => (s.marker === SOS ? i : -1)).filter((i) => i >= 0);
    if (scans.length === 0) return 'scan script: no scan';
    const x = r();
    const i = pick(r, scans), j = pick(r, scans);
    if (x < 0.35) [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    else if (x < 0.6) segs.splice(j, 0, { ...segs[i]!, payload: segs[i]!.payload.slice() });
    else if (x < 0.8) segs.splice(i, 1);
    else {
      const s = segs[i]!; // inconsistent successive approximation
      if (s.payload.length >= 3) s.payload[s.payload.length - 1] = pick(r, [0x10, 0x21, 0x01, 0x00, 0xe0, 0x0e]);
    }
    return `scan script: ${scans.length} scans, ${x < 0.35 ? 'swap' : x < 0.6 ? 'duplicate' : x < 0.8 ? 'drop' : 'approximation'}`;
  },
  markerOrder(segs, r) {
    const x = r();
    const i = int(r, segs.length), j = int(r, segs.length);
    if (x < 0.3) [segs[i], segs[j]] = [segs[j]!, segs[i]!];
    else if (x < 0.5) segs.splice(i, 1);
    else if (x < 0.7) segs.splice(j, 0, { ...segs[i]!, payload: segs[i]!.payload.slice() });
    else if (x < 0.85) segs.splice(1 + int(r, segs.length), 0, { marker: pick(r, [0xe0, 0xe1, 0xee, 0xfe, 0xc8, 0xf0, 0x01]), payload: new Uint8Array(int(r, 40)) });
    else segs.splice(1 + int(r, segs.length), 0, { marker: EOI, payload: new Uint8Array(0) });
    return `marker order: ${segs.map((s) => s.marker.toString(16)).join(' ')}`;
  },
  segmentLength(segs, r) {
    const s = find(segs, r, (x) => !standalone(x.marker));
    if (!s) return 'segment length: none';
    s.lengthOverride = pick(r, [0, 1, 2, 3, s.payload.length + 1, s.payload.length + 3, 65535]);
    return `segment length: ${s.marker.toString(16)} says ${s.lengthOverride}`;
  },
  exif(segs, r) {
    // An APP1 Exif with an orientation entry whose count, type, offset or value is hostile.
    const tiff = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    const at = pick(r, [4, 8, 12, 14, 18]);
    tiff[at] = pick(r, [0, 9, 255, 0xff]);
    tiff[at + 1] = pick(r, [0, 0xff, 0x7f]);
    const payload = new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff.slice(0, r() < 0.2 ? int(r, tiff.length) : tiff.length)]);
    segs.splice(1, 0, { marker: 0xe1, payload });
    return `exif: field at ${at}`;
  },
};

const NAMES = Object.keys(MUTATIONS);

/** 1–3 field mutations of a seed JPEG. */
export function mutateJpeg(seed: Uint8Array, r: Rand): { bytes: Uint8Array; mutations: string[] } {
  const segs = parseJpeg(seed);
  const mutations: string[] = [];
  for (let k = 0, n = 1 + int(r, 3); k < n && segs.length > 0; k++) mutations.push(MUTATIONS[pick(r, NAMES)]!(segs, r));
  return { bytes: writeJpeg(segs), mutations };
}
