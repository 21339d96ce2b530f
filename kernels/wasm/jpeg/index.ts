import { ModuleBuilder } from '../asm/index.js';
import { type KernelSource, MEMORY_IMPORT } from '../kernel_source.js';
import { jpegColorSource } from './color.js';
import { jpegConstsSource } from './consts.js';
import { jpegIdctSource } from './idct.js';
import { jpegStbColorSource } from './stb_color.js';

/** The JPEG decoder's SIMD stages (used by src/image/jpeg/wasm.ts), in module order; the constants table last, once
 *  the kernels have defined their constants. */
export const jpegKernelSources: readonly KernelSource[] = [jpegIdctSource, jpegColorSource, jpegStbColorSource, jpegConstsSource];

/** A module of the JPEG kernels alone (the shared kernels module holds them too). */
export function buildJpegModuleBytes(): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder({ ...MEMORY_IMPORT, minPages: 1 });
  for (const source of jpegKernelSources) source(mb);
  return mb.finish();
}

export { CONSTS_MAX_BYTES } from './consts.js';
