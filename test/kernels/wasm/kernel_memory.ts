/**
 * A bare instance of some kernel sources over its own memory, with a bump allocator: tests call kernels with
 * pointers before (and independently of) the interpreter's runtime.
 */
import { expect } from 'vitest';
import type { KernelSource } from '../../../kernels/wasm/kernel_source.js';
import { buildKernelModuleBytes, MEMORY_IMPORT } from '../../../kernels/wasm/module.js';

export class KernelMemory {
  readonly memory = new WebAssembly.Memory({ initial: 16 });
  readonly exports: Record<string, (...args: number[]) => number>;
  private top = 1024;

  constructor(sources: readonly KernelSource[]) {
    const bytes = buildKernelModuleBytes(sources);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: this.memory },
    });
    this.exports = inst.exports as never;
  }

  /** `bytes` bytes (16-aligned) plus 32 bytes of slack; the area is filled with NaN garbage-like bytes. */
  alloc(bytes: number, fill = 0xff): number {
    const ptr = Math.ceil(this.top / 16) * 16;
    this.top = ptr + bytes + 32;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    new Uint8Array(this.memory.buffer, ptr, bytes + 32).fill(fill);
    return ptr;
  }

  putF32(data: ArrayLike<number>): number {
    const ptr = this.alloc(data.length * 4);
    this.f32(ptr, data.length).set(data);
    return ptr;
  }

  /** Two f32 (clamp bounds, parameters) in memory: the kernels take their address. */
  pair(a: number, b: number): number {
    return this.putF32([a, b]);
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }
}
