/** SUM: FLOAT32 and INT32 (wrapping) over constant axes with keep_dims (mirrors reduce.cc Sum; see internal/reduce.ts). */
import { TensorType } from '../schema/enums.js';
import { reduceKernel } from './internal/reduce.js';

export const sum = reduceKernel(false, [TensorType.FLOAT32, TensorType.INT32]);
