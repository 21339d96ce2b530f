import type { ModuleBuilder } from './asm/index.js';

/**
 * One family of SIMD kernels: adds its exported functions to the shared module. Function names must be unique
 * across the module (prefix by family: `f32_`, `qs8_`, `qu8_`).
 */
export type KernelSource = (mb: ModuleBuilder) => void;

/** Where every kernels module imports its memory from: `{ env: { memory } }`. */
export const MEMORY_IMPORT = { module: 'env', name: 'memory' } as const;
