/**
 * The one module of SIMD kernels: every KernelSource of every family, run on one ModuleBuilder.
 * The same function produces the bytes compiled at run time and the `dist/kernels.wasm` the build writes.
 */
import { ModuleBuilder } from './asm/index.js';
import { floatKernelSources } from './float/index.js';
import { jpegKernelSources } from './jpeg/index.js';
import { type KernelSource, MEMORY_IMPORT } from './kernel_source.js';
import { quantizedKernelSources } from './quantized/index.js';

export { MEMORY_IMPORT };

export const KERNEL_SOURCES: readonly KernelSource[] = [...floatKernelSources, ...quantizedKernelSources, ...jpegKernelSources];

/** The module's bytes, built from `sources` (default: every family). */
export function buildKernelModuleBytes(sources: readonly KernelSource[] = KERNEL_SOURCES): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder({ ...MEMORY_IMPORT, minPages: 1 });
  for (const source of sources) source(mb);
  return mb.finish();
}
