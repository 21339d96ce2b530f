/**
 * The WebAssembly SIMD stages of the decoder (kernels/wasm/jpeg/: the islow IDCT, fancy upsampling fused with
 * YCbCr -> RGB), byte for byte equal to the typed-array stages, which stay the reference and the fallback.
 *
 * Where the module comes from: the interpreter's kernels module when one is already compiled or was passed as
 * `wasmModule` (it holds the JPEG kernels too, so runtimes that forbid compiling, like workerd, get them from the
 * packaged `embedlite/kernels.wasm`); otherwise a small module of the JPEG kernels alone, built and compiled once
 * per process. Without WebAssembly, SIMD128 or permission to compile, backend 'auto' silently keeps the typed-array
 * stages.
 *
 * Memory: one runtime (instance + memory) per process, reused by every decode (decoding is synchronous, so one
 * decode uses it at a time); a decode that needs more than CACHE_LIMIT bytes gets a runtime of its own, dropped
 * with it. Everything a decode needs is allocated when its pipeline is set up, so views stay valid until the
 * next decode.
 */
import { jpegKernelSources } from '../../../kernels/wasm/jpeg/index.js';
import { buildKernelModuleBytes } from '../../../kernels/wasm/module.js';
import { existingKernelsModule, type KernelExport, WasmRuntime } from '../../../kernels/wasm/runtime.js';
import { ImageError } from '../../../schema/errors.js';

/** 'auto': SIMD stages where they can run, else typed arrays; 'js': typed arrays; 'wasm': SIMD or an ImageError. */
export type JpegBackend = 'auto' | 'wasm' | 'js';

/** Runtimes whose memory grew past this are not kept for the next decode. */
const CACHE_LIMIT = 32 << 20;

const EXPORTS = ['jpeg_idct_islow', 'jpeg_h2v2_ycc', 'jpeg_h2v1_ycc', 'jpeg_ycc_rgb'] as const;

let ownModule: WebAssembly.Module | string | null = null;

/** The JPEG-only module, or why there is none. */
function jpegOnlyModule(): WebAssembly.Module | string {
  if (ownModule === null) {
    try {
      const bytes = buildKernelModuleBytes(jpegKernelSources);
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
        ownModule = 'WebAssembly is not available in this runtime';
      } else if (!WebAssembly.validate(bytes)) {
        ownModule = 'this runtime\'s WebAssembly does not accept SIMD128';
      } else {
        ownModule = new WebAssembly.Module(bytes);
      }
    } catch (e) {
      ownModule = `compiling WebAssembly failed: ${(e as Error).message}`;
    }
  }
  return ownModule;
}

/** The exported JPEG kernels of one instance over its own memory. */
export class JpegKernels {
  readonly rt: WasmRuntime;
  readonly idct: KernelExport;
  readonly h2v2Ycc: KernelExport;
  readonly h2v1Ycc: KernelExport;
  readonly yccRgb: KernelExport;

  constructor(readonly module: WebAssembly.Module) {
    this.rt = new WasmRuntime(module);
    const rt = this.rt;
    [this.idct, this.h2v2Ycc, this.h2v1Ycc, this.yccRgb] = EXPORTS.map((n) => rt.fn(n)) as [KernelExport, KernelExport, KernelExport, KernelExport];
  }
}

let cached: JpegKernels | null = null;
let failure: string | null = null;

function instantiate(): JpegKernels | string {
  const errors: string[] = [];
  for (const get of [existingKernelsModule, jpegOnlyModule]) {
    const m = get();
    if (m === null) continue;
    if (typeof m === 'string') { errors.push(m); continue; }
    try {
      return new JpegKernels(m);
    } catch (e) {
      errors.push(`instantiating the JPEG kernels failed: ${(e as Error).message}`);
    }
  }
  return errors.join('; ') || 'no WebAssembly module';
}

/**
 * The kernels for a decode that needs about `bytes` of wasm memory (which the caller allocates through `rt.alloc`
 * at once, before any other decode), or null for the typed-array stages.
 */
export function acquireJpegKernels(backend: JpegBackend, bytes: number): JpegKernels | null {
  const k = loadKernels(backend);
  if (!k) return null;
  if (bytes > CACHE_LIMIT) return new JpegKernels(k.module);
  if (k.rt.memory.buffer.byteLength > CACHE_LIMIT) cached = new JpegKernels(k.module);
  cached!.rt.reset();
  return cached;
}

function loadKernels(backend: JpegBackend): JpegKernels | null {
  if (backend === 'js') return null;
  if (!cached && !failure) {
    const k = instantiate();
    if (typeof k === 'string') failure = k; else cached = k;
  }
  if (!cached && backend === 'wasm') throw new ImageError(`JPEG backend 'wasm' is unavailable: ${failure}`);
  return cached;
}

/** Which stages backend `backend` runs here: 'wasm' when the SIMD kernels are available (and not refused). */
export function jpegBackendInUse(backend: JpegBackend = 'auto'): 'wasm' | 'js' {
  return loadKernels(backend) ? 'wasm' : 'js';
}
