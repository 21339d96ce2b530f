/** Registration list of the float32 (and type-agnostic) kernels. */
import type { KernelSpec } from './registry.js';
import { FLOAT_CONV_KERNELS } from './float_conv_kernels.js';
import { FLOAT_MISC_KERNELS } from './float_misc_kernels.js';
import { FLOAT_SHAPE_KERNELS } from './float_shape_kernels.js';

export const FLOAT_KERNELS: KernelSpec[] = [
  ...FLOAT_CONV_KERNELS,
  ...FLOAT_MISC_KERNELS,
  ...FLOAT_SHAPE_KERNELS,
];
