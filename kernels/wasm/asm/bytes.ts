/** A growable byte buffer with the WebAssembly binary encodings (LEB128, IEEE-754 little-endian, names). */
import { AsmError } from './types.js';

export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(data: ArrayLike<number>): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Unsigned LEB128 of a u32. */
  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new AsmError(`u32 immediate out of range: ${value}`);
    }
    let v = value;
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of an i32 (values in [-2^31, 2^32) are taken modulo 2^32, so 0xffffffff encodes -1). */
  s32(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
      throw new AsmError(`i32 immediate out of range: ${value}`);
    }
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** Signed LEB128 of an i64. */
  s64(value: bigint): this {
    if (value < -(1n << 63n) || value >= 1n << 64n) throw new AsmError(`i64 immediate out of range: ${value}`);
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(value: number): this {
    const tmp = new DataView(new ArrayBuffer(4));
    tmp.setFloat32(0, value, true);
    return this.bytes(new Uint8Array(tmp.buffer));
  }

  f64(value: number): this {
    const tmp = new DataView(new ArrayBuffer(8));
    tmp.setFloat64(0, value, true);
    return this.bytes(new Uint8Array(tmp.buffer));
  }

  /** A name: u32 byte length, then UTF-8. */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** A vector or section body: u32 byte length, then the bytes. */
  sized(inner: ByteWriter): this {
    return this.u32(inner.length).bytes(inner.finish());
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}
