/**
 * Range-checked reads over untrusted FlatBuffer bytes. The `flatbuffers` runtime trusts every offset;
 * this layer checks each read against the byte length and throws `ModelError` (never RangeError),
 * and keeps an allocation budget proportional to the input so aliased offsets (many tables pointing
 * at one big vector) cannot make a small file expand into gigabytes of arrays.
 *
 * FlatBuffer layout (flatbuffers.dev "Internals"): a table starts with an int32 soffset to its vtable
 * (vtable = table - soffset); the vtable holds uint16 vtable size, uint16 table size, then one uint16
 * per field id with the field's offset inside the table (0 = absent, the default applies). Offsets to
 * strings, vectors and sub-tables are uint32 relative to the field's own position; vectors and strings
 * start with a uint32 element count (strings are followed by a NUL byte that we do not require).
 */
import { ModelError } from './errors.js';

const utf8 = new TextDecoder('utf-8');

export class ByteReader {
  readonly bytes: Uint8Array;
  readonly length: number;
  private readonly view: DataView;
  /** Elements the readers may still materialise as JS arrays. */
  private budget: number;

  /** `label` names the structure in messages ("model", "metadata"). */
  constructor(bytes: Uint8Array, readonly label = 'model') {
    this.bytes = bytes;
    this.length = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Every array element costs at least one byte of the file unless offsets alias. Real models use less
    // than one element per byte (all test models read with a budget of exactly 1x); 2x plus a floor for tiny
    // files leaves room for legitimate sharing and stops "many tables point at one big vector" bombs.
    this.budget = bytes.length * 2 + 65536;
  }

  fail(message: string): never {
    throw new ModelError(`${this.label}: ${message}`);
  }

  /** Asserts that `size` bytes at `pos` lie inside the input. */
  check(pos: number, size: number, where: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || size < 0 || pos + size > this.length) {
      this.fail(`${where}: ${size} byte(s) at offset ${pos} are out of range (${this.length} bytes${this.truncHint(pos)})`);
    }
  }

  private truncHint(pos: number): string {
    return pos >= this.length ? ', file truncated?' : '';
  }

  /** Charges `n` materialised elements against the budget. */
  charge(n: number, where: string): void {
    this.budget -= n;
    if (this.budget < 0) this.fail(`${where}: the structure expands far beyond the file size (aliased offsets?)`);
  }

  u8(pos: number, where: string): number { this.check(pos, 1, where); return this.view.getUint8(pos); }
  i8(pos: number, where: string): number { this.check(pos, 1, where); return this.view.getInt8(pos); }
  u16(pos: number, where: string): number { this.check(pos, 2, where); return this.view.getUint16(pos, true); }
  i16(pos: number, where: string): number { this.check(pos, 2, where); return this.view.getInt16(pos, true); }
  u32(pos: number, where: string): number { this.check(pos, 4, where); return this.view.getUint32(pos, true); }
  i32(pos: number, where: string): number { this.check(pos, 4, where); return this.view.getInt32(pos, true); }
  f32(pos: number, where: string): number { this.check(pos, 4, where); return this.view.getFloat32(pos, true); }
  f64(pos: number, where: string): number { this.check(pos, 8, where); return this.view.getFloat64(pos, true); }
  /** int64 as a number (exact below 2^53). */
  i64(pos: number, where: string): number { this.check(pos, 8, where); return Number(this.view.getBigInt64(pos, true)); }
  /** uint64 as a number (exact below 2^53; larger values are out of range for any offset anyway). */
  u64(pos: number, where: string): number { this.check(pos, 8, where); return Number(this.view.getBigUint64(pos, true)); }

  /** Unchecked element reads for vectors whose whole extent was already checked. */
  rawI32(pos: number): number { return this.view.getInt32(pos, true); }
  rawU32(pos: number): number { return this.view.getUint32(pos, true); }
  rawU16(pos: number): number { return this.view.getUint16(pos, true); }
  rawF32(pos: number): number { return this.view.getFloat32(pos, true); }
  rawI64(pos: number): number { return Number(this.view.getBigInt64(pos, true)); }

  /** UTF-8 text of `len` bytes at `pos` (invalid sequences decode to U+FFFD, never throw). */
  text(pos: number, len: number, where: string): string {
    this.check(pos, len, where);
    return utf8.decode(this.bytes.subarray(pos, pos + len));
  }

  /** The root table of a FlatBuffer with a 4-character file identifier at bytes 4..8. */
  root(where: string): FbTable {
    return new FbTable(this, this.u32(0, `${where} root offset`), where);
  }

  identifier(): string {
    if (this.length < 8) return '';
    return String.fromCharCode(this.bytes[4]!, this.bytes[5]!, this.bytes[6]!, this.bytes[7]!);
  }
}

/** Extent of a vector: element count and the position of element 0. */
export interface VectorRef { start: number; length: number }

/** One FlatBuffer table with every field access range-checked. `where` prefixes error messages. */
export class FbTable {
  private readonly vtable: number;
  private readonly vtableSize: number;
  private readonly tableSize: number;

  constructor(readonly r: ByteReader, readonly pos: number, readonly where: string) {
    const soffset = r.i32(pos, `${where} (table header)`);
    const vt = pos - soffset;
    this.vtableSize = r.u16(vt, `${where} (vtable)`);
    this.tableSize = r.u16(vt + 2, `${where} (vtable)`);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) r.fail(`${where}: corrupt vtable (size ${this.vtableSize})`);
    if (this.tableSize < 4) r.fail(`${where}: corrupt table (size ${this.tableSize})`);
    r.check(vt, this.vtableSize, `${where} (vtable)`);
    r.check(pos, this.tableSize, `${where} (table)`);
    this.vtable = vt;
  }

  /** Absolute position of field `id`, or 0 when absent. Checks the field lies inside the table. */
  private field(id: number, size: number, name: string): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const off = this.r.rawU16(this.vtable + slot);
    if (off === 0) return 0;
    if (off < 4 || off + size > this.tableSize) this.r.fail(`${this.where}: field ${name} lies outside its table`);
    return this.pos + off;
  }

  has(id: number): boolean {
    const slot = 4 + 2 * id;
    return slot + 2 <= this.vtableSize && this.r.rawU16(this.vtable + slot) !== 0;
  }

  i8(id: number, def: number, name: string): number { const p = this.field(id, 1, name); return p ? this.r.i8(p, this.where) : def; }
  u8(id: number, def: number, name: string): number { const p = this.field(id, 1, name); return p ? this.r.u8(p, this.where) : def; }
  bool(id: number, def: boolean, name: string): boolean { const p = this.field(id, 1, name); return p ? this.r.u8(p, this.where) !== 0 : def; }
  i32(id: number, def: number, name: string): number { const p = this.field(id, 4, name); return p ? this.r.i32(p, this.where) : def; }
  u32(id: number, def: number, name: string): number { const p = this.field(id, 4, name); return p ? this.r.u32(p, this.where) : def; }
  f32(id: number, def: number, name: string): number { const p = this.field(id, 4, name); return p ? this.r.f32(p, this.where) : def; }
  i64(id: number, def: number, name: string): number { const p = this.field(id, 8, name); return p ? this.r.i64(p, this.where) : def; }
  u64(id: number, def: number, name: string): number { const p = this.field(id, 8, name); return p ? this.r.u64(p, this.where) : def; }

  /** Target of an offset field (string, vector or table), 0 when absent. */
  private target(id: number, name: string): number {
    const p = this.field(id, 4, name);
    if (!p) return 0;
    const t = p + this.r.u32(p, `${this.where} ${name}`);
    this.r.check(t, 4, `${this.where} ${name}`);
    return t;
  }

  table(id: number, name: string, where: string): FbTable | null {
    const t = this.target(id, name);
    return t ? new FbTable(this.r, t, where) : null;
  }

  string(id: number, name: string): string | null {
    const t = this.target(id, name);
    if (!t) return null;
    const len = this.r.u32(t, `${this.where} ${name}`);
    this.r.charge(len >>> 4, `${this.where} ${name}`);
    return this.r.text(t + 4, len, `${this.where} ${name} (string of ${len} bytes)`);
  }

  /** A vector's extent after checking that `length * elemSize` bytes fit in the input. */
  vector(id: number, elemSize: number, name: string): VectorRef | null {
    const t = this.target(id, name);
    if (!t) return null;
    const length = this.r.u32(t, `${this.where} ${name}`);
    const where = `${this.where} ${name}`;
    if (t + 4 + length * elemSize > this.r.length) {
      this.r.fail(`${where}: vector of ${length} element(s) runs past the end of the input (${this.r.length} bytes)`);
    }
    this.r.charge(length, where);
    return { start: t + 4, length };
  }

  i32Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.rawI32(v.start + 4 * i);
    return out;
  }

  u32Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.rawU32(v.start + 4 * i);
    return out;
  }

  u16Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 2, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.rawU16(v.start + 2 * i);
    return out;
  }

  u8Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 1, name);
    return v ? Array.from(this.r.bytes.subarray(v.start, v.start + v.length)) : null;
  }

  f32Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.rawF32(v.start + 4 * i);
    return out;
  }

  i64Vector(id: number, name: string): number[] | null {
    const v = this.vector(id, 8, name);
    if (!v) return null;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.r.rawI64(v.start + 8 * i);
    return out;
  }

  /** A ubyte vector as a view into the input (no copy). */
  bytes(id: number, name: string): Uint8Array | null {
    const t = this.target(id, name);
    if (!t) return null;
    const length = this.r.u32(t, `${this.where} ${name}`);
    this.r.check(t + 4, length, `${this.where} ${name} (${length} bytes)`);
    return this.r.bytes.subarray(t + 4, t + 4 + length);
  }

  /** A vector of tables; `whereOf(i)` names element i in messages. */
  tables(id: number, name: string, whereOf: (i: number) => string): FbTable[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<FbTable>(v.length);
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      const t = p + this.r.rawU32(p);
      this.r.check(t, 4, `${this.where} ${name}[${i}]`);
      out[i] = new FbTable(this.r, t, whereOf(i));
    }
    return out;
  }

  /** A vector of strings. */
  strings(id: number, name: string): string[] | null {
    const v = this.vector(id, 4, name);
    if (!v) return null;
    const out = new Array<string>(v.length);
    for (let i = 0; i < v.length; i++) {
      const p = v.start + 4 * i;
      const t = p + this.r.rawU32(p);
      const where = `${this.where} ${name}[${i}]`;
      const len = this.r.u32(t, where);
      this.r.charge(len >>> 4, where);
      out[i] = this.r.text(t + 4, len, where);
    }
    return out;
  }
}
