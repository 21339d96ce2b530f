/** Registration list of the uint8/int8 kernels. */
import type { KernelSpec } from '../registry.js';

export const QUANTIZED_KERNELS: KernelSpec[] = [];
