/**
 * The WebAssembly side of one interpreter: an instance of the kernels module over its own imported
 * `WebAssembly.Memory`, which holds everything the SIMD kernels read and write — packed weights and other
 * prepare-time buffers (allocated by `alloc`, a bump allocator reset at every full prepare) and, after them, the
 * interpreter's activation arena. Tensors are typed-array views into the same memory, so typed-array kernels and
 * SIMD kernels share data with no copy.
 *
 * Memory grows only at prepare (`alloc`); a grow detaches every view of the old buffer, so kernel data keeps
 * *pointers* (byte offsets), never views of this memory, and the interpreter rebuilds tensor views after
 * planning the arena. `invoke()` then calls exports with numbers only and allocates nothing.
 *
 * The compiled module is cached per process (`kernelsModule`); runtimes that forbid compiling (workerd, a CSP
 * without 'wasm-unsafe-eval') pass the packaged `embedlite/kernels.wasm` as `wasmModule` instead.
 */
import { BudgetError, InterpreterError } from '../../schema/errors.js';
import type { Backend } from '../kernel.js';
import { buildKernelModuleBytes, KERNEL_SOURCES, MEMORY_IMPORT } from './module.js';
import { noteKernelsModule } from './registry.js';

/** An exported kernel: pointers, sizes and clamp values in, nothing out (or an i32). */
export type KernelExport = (...args: number[]) => number;

const PAGE = 65536;
/** Bytes below this address are never handed out, so a pointer of 0 is always a bug. */
const HEAP_BASE = 1024;

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly exports: Readonly<Record<string, KernelExport>>;
  private top = HEAP_BASE;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: this.memory } });
    this.exports = instance.exports as unknown as Record<string, KernelExport>;
  }

  /** An exported kernel by name (a stale or foreign module lacking it is an InterpreterError). */
  fn(name: string): KernelExport {
    const f = this.exports[name];
    if (typeof f !== 'function') throw new InterpreterError(`the WebAssembly kernels module has no function '${name}'`);
    return f;
  }

  /** Bytes handed out so far (prepare-time buffers plus the arena). */
  get used(): number {
    return this.top;
  }

  /** Frees everything: called before the nodes are prepared again. */
  reset(): void {
    this.top = HEAP_BASE;
  }

  /**
   * `bytes` bytes aligned to `align` (default 16, a v128), zero-filled, plus `slack` (64) readable bytes after them
   * (kernels may load a full vector past a tail). Prepare time only: may grow the memory, detaching views.
   */
  alloc(bytes: number, align = 16, slack = 64): number {
    const ptr = Math.ceil(this.top / align) * align;
    const end = ptr + bytes + slack;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new BudgetError(`could not grow WebAssembly memory to ${end} bytes (${(e as Error).message}); use backend 'js' or a smaller model`);
      }
    }
    this.top = ptr + bytes;
    new Uint8Array(this.memory.buffer, ptr, bytes + slack).fill(0);
    return ptr;
  }

  /** Copies `data` into new memory; returns its pointer. */
  put(data: ArrayBufferView, align = 16): number {
    const ptr = this.alloc(data.byteLength, align);
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }

  /** Fresh views at `ptr` (valid until the next `alloc`: fill them at once, never keep them). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  /** True when `view` lies in this runtime's memory (an arena tensor), so kernels can pass its byteOffset. */
  owns(view: ArrayBufferView): boolean {
    return view.buffer === this.memory.buffer;
  }
}

// ------------------------------------------------------------------ module cache and backend selection

let cachedBytes: Uint8Array<ArrayBuffer> | null = null;
let cachedModule: WebAssembly.Module | null = null;
let cachedFailure: string | null = null;

/** The kernels module's bytes, built by TypeScript once per process (what `npm run build` writes to dist/). */
export function kernelsModuleBytes(): Uint8Array<ArrayBuffer> {
  cachedBytes ??= buildKernelModuleBytes(KERNEL_SOURCES);
  return cachedBytes;
}

/**
 * The compiled kernels module, or the reason there is none: no WebAssembly, no SIMD128 (`validate` refuses it),
 * or compiling refused by the embedder (workerd, CSP). Compiled once per process; the outcome is cached.
 */
export function kernelsModule(): WebAssembly.Module | string {
  if (cachedModule) return cachedModule;
  if (cachedFailure) return cachedFailure;
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
      cachedFailure = 'WebAssembly is not available in this runtime';
    } else if (!WebAssembly.validate(kernelsModuleBytes())) {
      cachedFailure = 'this runtime\'s WebAssembly does not accept the kernels module (no SIMD128 support?)';
    } else {
      cachedModule = new WebAssembly.Module(kernelsModuleBytes());
      noteKernelsModule(cachedModule);
    }
  } catch (e) {
    cachedFailure = `compiling WebAssembly failed: ${(e as Error).message} (pass the packaged embedlite/kernels.wasm as wasmModule)`;
  }
  return cachedModule ?? cachedFailure!;
}

/**
 * Compiles the kernels module asynchronously and caches it, for browsers' main threads that refuse to compile
 * large modules synchronously. Later `Interpreter.create` calls use it. Resolves to false where it cannot.
 */
export async function precompileKernels(): Promise<boolean> {
  if (cachedModule) return true;
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(kernelsModuleBytes())) return false;
    cachedModule = await WebAssembly.compile(kernelsModuleBytes());
    noteKernelsModule(cachedModule);
    cachedFailure = null;
    return true;
  } catch {
    return false;
  }
}

/** Names the module must export: those of the kernels this build of embedlite emits. */
let expectedNames: string[] | null = null;
function missingExports(module: WebAssembly.Module): string[] {
  if (!expectedNames) {
    const bytes = kernelsModuleBytes();
    expectedNames = typeof WebAssembly.Module.exports === 'function' && WebAssembly.validate(bytes)
      ? exportNamesOf(bytes) : [];
  }
  const have = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  return expectedNames.filter((n) => !have.has(n));
}

/** Export names read from the module bytes (no compiling needed: workerd may forbid it). */
function exportNamesOf(bytes: Uint8Array): string[] {
  let p = 8;
  const u32 = (): number => {
    let v = 0, shift = 0, b: number;
    do { b = bytes[p++]!; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = u32();
    const end = p + size;
    if (id === 7) {
      const names: string[] = [];
      for (let n = u32(); n > 0; n--) {
        const len = u32();
        names.push(new TextDecoder().decode(bytes.subarray(p, p + len)));
        p += len + 1; // kind byte
        u32();
      }
      return names;
    }
    p = end;
  }
  return [];
}

/**
 * The runtime for an interpreter: null for the typed-array backend. 'auto' falls back to null silently when
 * WebAssembly SIMD cannot run here; 'wasm' throws an InterpreterError naming why.
 */
export function createWasmRuntime(backend: Backend, wasmModule?: WebAssembly.Module): WasmRuntime | null {
  if (backend === 'js') return null;
  let reason: string;
  try {
    let module: WebAssembly.Module | string;
    if (wasmModule !== undefined) {
      if (typeof WebAssembly !== 'object' || !(wasmModule instanceof WebAssembly.Module)) {
        throw new InterpreterError('wasmModule must be a WebAssembly.Module (import embedlite/kernels.wasm)');
      }
      const missing = missingExports(wasmModule);
      if (missing.length === 0) noteKernelsModule(wasmModule);
      module = missing.length === 0 ? wasmModule
        : `wasmModule lacks ${missing.length} kernel(s) of this embedlite version (e.g. '${missing[0]}'): rebuild or re-import embedlite/kernels.wasm`;
    } else {
      module = kernelsModule();
    }
    if (typeof module !== 'string') return new WasmRuntime(module);
    reason = module;
  } catch (e) {
    if (e instanceof InterpreterError) throw e;
    reason = `instantiating the kernels module failed: ${(e as Error).message}`;
  }
  if (backend === 'wasm') throw new InterpreterError(`backend 'wasm' is unavailable: ${reason}`);
  return null;
}
