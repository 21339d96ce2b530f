/** MAX_POOL_2D, float32: mirrors tflite::reference_ops::MaxPool (padded cells ignored). */
import type { Pool2DOptions } from '../schema/builtin_options.js';
import type { Kernel } from './kernel.js';
import { poolFloat, preparePoolFloat, type PoolData } from './internal/pool.js';

/** MAX_POOL_2D for FLOAT32 NHWC input; fused NONE/RELU/RELU_N1_TO_1/RELU6. */
export const maxPool2DFloat: Kernel<PoolData, Pool2DOptions> = {
  prepare: preparePoolFloat,
  eval(node, d) {
    poolFloat(node.inputs[0]!.data as Float32Array, node.outputs[0]!.data as Float32Array, d, true);
  },
};
