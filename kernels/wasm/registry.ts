/**
 * The kernels module this process already has, for users of the kernels outside the interpreter (the JPEG
 * decoder's SIMD stages): the one compiled by `kernelsModule`/`precompileKernels`, or a `wasmModule` an
 * interpreter accepted (in runtimes that forbid compiling, such as workerd, the packaged `embedlite/kernels.wasm`
 * is the only way to run SIMD). Kept apart from runtime.ts so that importing it pulls in no kernel sources.
 */
let known: WebAssembly.Module | null = null;

export function noteKernelsModule(module: WebAssembly.Module): void {
  known ??= module;
}

/** A compiled kernels module of this embedlite version, or null when none was compiled or passed yet. */
export function knownKernelsModule(): WebAssembly.Module | null {
  return known;
}
