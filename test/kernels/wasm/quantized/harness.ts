/**
 * A minimal runtime for testing the quantized SIMD kernels on their own: the kernels module built from the
 * quantized sources, instantiated over a private Memory, with a bump allocator (the QMemory of pack.ts).
 */
import { buildKernelModuleBytes } from '../../../../kernels/wasm/module.js';
import { quantizedKernelSources } from '../../../../kernels/wasm/quantized/index.js';
import type { QMemory } from '../../../../kernels/wasm/quantized/pack.js';

let module: WebAssembly.Module | null = null;

export class TestRuntime implements QMemory {
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  readonly exports: Record<string, (...a: number[]) => number>;
  private top = 1024;

  constructor() {
    module ??= new WebAssembly.Module(buildKernelModuleBytes(quantizedKernelSources));
    const inst = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.exports = inst.exports as never;
  }

  alloc(bytes: number, align = 16, slack = 16): number {
    const ptr = Math.ceil(this.top / align) * align;
    const end = ptr + bytes + slack;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    this.top = ptr + bytes;
    new Uint8Array(this.memory.buffer, ptr, bytes + slack).fill(0);
    return ptr;
  }

  put(data: Uint8Array | Int8Array): number {
    const p = this.alloc(data.length);
    new Uint8Array(this.memory.buffer, p, data.length).set(new Uint8Array(data.buffer, data.byteOffset, data.length));
    return p;
  }

  bytes(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, n).slice();
  }
}
