/** Registration list of the float32 (and type-agnostic) kernels. */
import type { KernelSpec } from './registry.js';

export const FLOAT_KERNELS: KernelSpec[] = [];
