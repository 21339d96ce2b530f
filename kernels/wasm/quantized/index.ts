import type { KernelSource } from '../kernel_source.js';
import { qDwconvSource } from './dwconv.js';
import { qElementwiseSource } from './elementwise.js';
import { qGemmSource } from './gemm.js';
import { qMulSource } from './mul.js';

/** The uint8/int8 SIMD kernel families (owned by the quantized SIMD work), in module order. */
export const quantizedKernelSources: readonly KernelSource[] = [qGemmSource, qDwconvSource, qElementwiseSource, qMulSource];
