/**
 * The WebAssembly SIMD stages of the decoder (kernels/wasm/jpeg/: the islow IDCT, fancy upsampling fused with
 * YCbCr -> RGB), byte for byte equal to the typed-array stages, which stay the reference and the fallback.
 *
 * Where the module comes from: the interpreter's kernels module when this process already has one (compiled, or
 * passed as `wasmModule`: it holds the JPEG kernels too, so runtimes that forbid compiling, like workerd, get them
 * from the packaged `embedlite/kernels.wasm`); otherwise a small module of the JPEG kernels alone, built and
 * compiled once per process. Without WebAssembly, SIMD128 or permission to compile, backend 'auto' silently keeps
 * the typed-array stages.
 *
 * Memory: one instance and memory per process, reused by every decode (decoding is synchronous, so one decode
 * uses it at a time); a decode that needs more than CACHE_LIMIT bytes gets an instance of its own, dropped with
 * it. A pipeline allocates everything it needs when it is set up, so its views stay valid for the whole decode.
 */
import { buildJpegModuleBytes, CONSTS_MAX_BYTES } from '../../../kernels/wasm/jpeg/index.js';
import { MEMORY_IMPORT } from '../../../kernels/wasm/kernel_source.js';
import { knownKernelsModule } from '../../../kernels/wasm/registry.js';
import { ImageError } from '../../../schema/errors.js';

/** 'auto': SIMD stages where they can run, else typed arrays; 'js': typed arrays; 'wasm': SIMD or an ImageError. */
export type JpegBackend = 'auto' | 'wasm' | 'js';

type Kernel = (...args: number[]) => number;

/** Instances whose memory grew past this are not kept for the next decode. */
const CACHE_LIMIT = 32 << 20;
const PAGE = 65536;
/** The kernels' constants table (kernels/wasm/jpeg/consts.ts), written once per memory. */
const CONSTS = 1024;
/** Nothing is allocated below this address. */
const HEAP_BASE = CONSTS + CONSTS_MAX_BYTES;

/** The JPEG kernels of one instance over its own memory, with a bump allocator reset per decode. */
export class JpegKernels {
  readonly memory: WebAssembly.Memory;
  readonly idct: Kernel;
  readonly h2v2Ycc: Kernel;
  readonly h2v1Ycc: Kernel;
  readonly yccRgb: Kernel;
  /** stb_image's stages: its IDCT (quant as 64 int16, its products wrapped), hv2 upsampling + colour, colour. */
  readonly idctStb: Kernel;
  readonly stbH2v2Ycc: Kernel;
  readonly stbYccRgb: Kernel;
  /** stb's h2 (4:2:2, its right edge included) and v2 (4:4:0) filters + colour (kernels/wasm/jpeg/stb_color.ts). */
  readonly stbH2v1Ycc: Kernel;
  readonly stbV2Ycc: Kernel;
  /** Pass as the last argument of every kernel. */
  readonly consts = CONSTS;
  private top = HEAP_BASE;

  constructor(readonly module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const ex = new WebAssembly.Instance(module, { [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: this.memory } }).exports;
    const fn = (name: string): Kernel => {
      const f = ex[name];
      if (typeof f !== 'function') throw new Error(`the module has no function '${name}'`);
      return f as Kernel;
    };
    this.idct = fn('jpeg_idct_islow');
    this.h2v2Ycc = fn('jpeg_h2v2_ycc');
    this.h2v1Ycc = fn('jpeg_h2v1_ycc');
    this.yccRgb = fn('jpeg_ycc_rgb');
    this.idctStb = fn('jpeg_idct_stb');
    this.stbH2v2Ycc = fn('jpeg_stb_h2v2_ycc');
    this.stbYccRgb = fn('jpeg_stb_ycc_rgb');
    this.stbH2v1Ycc = fn('jpeg_stb_h2v1_ycc');
    this.stbV2Ycc = fn('jpeg_stb_v2_ycc');
    fn('jpeg_consts')(CONSTS);
  }

  reset(): void {
    this.top = HEAP_BASE;
  }

  /**
   * `bytes` bytes, 16-aligned, followed by 64 readable bytes (kernels read and write a little past rows). May
   * grow the memory, which detaches earlier views: allocate everything first, then take views.
   */
  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes + 64;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  /** Grows the memory at once for `bytes` of allocations (one grow instead of one per buffer). */
  reserve(bytes: number): void {
    const end = this.top + bytes, have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }
}

let ownModule: WebAssembly.Module | string | null = null;

/** The module of the JPEG kernels alone, or why there is none. */
function jpegOnlyModule(): WebAssembly.Module | string {
  if (ownModule === null) {
    try {
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
        ownModule = 'WebAssembly is not available in this runtime';
      } else {
        const bytes = buildJpegModuleBytes();
        ownModule = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes)
          : 'this runtime\'s WebAssembly does not accept SIMD128';
      }
    } catch (e) {
      ownModule = `compiling WebAssembly failed: ${(e as Error).message}`;
    }
  }
  return ownModule;
}

let cached: JpegKernels | null = null;
let failure: string | null = null;
/** The known kernels module last tried, so a module passed later (workerd) is tried once. */
let triedKnown: WebAssembly.Module | null = null;

function instantiate(module: WebAssembly.Module): JpegKernels | string {
  try {
    return new JpegKernels(module);
  } catch (e) {
    return `instantiating the JPEG kernels failed: ${(e as Error).message}`;
  }
}

function loadKernels(backend: JpegBackend): JpegKernels | null {
  if (backend === 'js') return null;
  if (!cached) {
    const known = knownKernelsModule();
    if (known && known !== triedKnown) {
      triedKnown = known;
      const k = instantiate(known);
      if (typeof k !== 'string') cached = k;
    }
    if (!cached && failure === null) {
      const m = jpegOnlyModule();
      const k = typeof m === 'string' ? m : instantiate(m);
      if (typeof k === 'string') failure = k; else cached = k;
    }
  }
  if (!cached && backend === 'wasm') throw new ImageError(`JPEG backend 'wasm' is unavailable: ${failure ?? 'no module'}`);
  return cached;
}

/**
 * The lease on `cached`: a weak reference to a small token that the decode holding it owns (through `tokens`).
 * Not a WeakRef to the decode itself: creating or dereferencing a WeakRef keeps its target alive until the current
 * synchronous job ends, so decodes run in a loop (a batch, the fuzzer) would all stay in memory. The token is tiny;
 * the decode, its buffers and any instance of its own are collected as soon as they are unreachable. A decode
 * abandoned mid-way (a stepped JpegRows never finished) stops holding the lease once it is collected.
 */
let lease: WeakRef<object> | null = null;
const tokens = new WeakMap<object, object>();

/**
 * The kernels for `owner`, a decode that needs about `bytes` of wasm memory (the caller allocates it at once),
 * with an empty heap; null for the typed-array stages. The process's instance is reused unless another decode
 * still holds it (a stepped decode, JpegRows, not yet finished): then `owner` gets an instance of its own.
 */
export function acquireJpegKernels(backend: JpegBackend, bytes: number, owner: object): JpegKernels | null {
  const k = loadKernels(backend);
  if (!k) return null;
  try {
    let use: JpegKernels;
    if (bytes > CACHE_LIMIT || lease?.deref() !== undefined) {
      use = new JpegKernels(k.module);
    } else {
      if (k.memory.buffer.byteLength > CACHE_LIMIT) cached = new JpegKernels(k.module);
      use = cached!;
      use.reset();
      if (typeof WeakRef === 'function') {
        const token = {};
        tokens.set(owner, token);
        lease = new WeakRef(token);
      }
    }
    use.reserve(bytes);
    return use;
  } catch (e) {
    // No memory for the SIMD stages' buffers (memory.grow refused): the typed-array stages need less.
    if (backend === 'wasm') throw new ImageError(`JPEG backend 'wasm': no memory for the SIMD stages (${(e as Error).message})`);
    return null;
  }
}

/** `owner`'s decode is over (or failed): the next decode may reuse the process's instance. */
export function releaseJpegKernels(owner: object): void {
  const token = tokens.get(owner);
  if (token !== undefined && lease?.deref() === token) lease = null;
  tokens.delete(owner);
}

/** Which stages backend `backend` runs here: 'wasm' when the SIMD kernels are available (and not refused). */
export function jpegBackendInUse(backend: JpegBackend = 'auto'): 'wasm' | 'js' {
  return loadKernels(backend) ? 'wasm' : 'js';
}
