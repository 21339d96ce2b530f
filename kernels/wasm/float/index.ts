import type { KernelSource } from '../kernel_source.js';
import { f32Col2imSource } from './col2im.js';
import { f32CopySource } from './copy.js';
import { f32DepthwiseSource } from './depthwise.js';
import { f32ElementwiseSource } from './elementwise.js';
import { f32GemmSource } from './gemm.js';
import { f32PoolSource } from './pool.js';
import { f32ResizeSource } from './resize.js';
import { f32PixelTileSource } from './pixel_tile.js';

/** The float32 SIMD kernel families, in module order. */
export const floatKernelSources: readonly KernelSource[] = [
  f32GemmSource, f32Col2imSource, f32DepthwiseSource, f32ElementwiseSource, f32PoolSource, f32ResizeSource, f32CopySource,
  f32PixelTileSource,
];
