/** MEAN: FLOAT32 and INT32 over constant axes with keep_dims (mirrors reduce.cc Mean; see internal/reduce.ts). */
import { TensorType } from '../schema/enums.js';
import { reduceKernel } from './internal/reduce.js';

export const mean = reduceKernel(true, [TensorType.FLOAT32, TensorType.INT32]);
