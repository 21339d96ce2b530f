import type { KernelSource } from '../kernel_source.js';
import { jpegColorSource } from './color.js';
import { jpegIdctSource } from './idct.js';

/** The JPEG decoder's SIMD stages (used by src/image/jpeg/wasm.ts), in module order. */
export const jpegKernelSources: readonly KernelSource[] = [jpegIdctSource, jpegColorSource];
