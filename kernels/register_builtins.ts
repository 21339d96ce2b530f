/** The resolver with every kernel embedlite ships. */
import { convolution2DTransposeBias } from './convolution_2d_transpose_bias.js';
import { FLOAT_KERNELS } from './float_kernels.js';
import { QUANTIZED_KERNELS } from './quantized/index.js';
import { OpResolver } from './registry.js';

export function createBuiltinResolver(): OpResolver {
  const resolver = new OpResolver();
  for (const spec of [...FLOAT_KERNELS, ...QUANTIZED_KERNELS]) resolver.addBuiltin(spec);
  resolver.addCustom('Convolution2DTransposeBias', convolution2DTransposeBias);
  return resolver;
}
