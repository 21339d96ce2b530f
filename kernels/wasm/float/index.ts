import type { KernelSource } from '../kernel_source.js';

/** The float32 SIMD kernel families, in module order. */
export const floatKernelSources: readonly KernelSource[] = [];
