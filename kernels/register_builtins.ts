/** The resolver with every kernel embedlite ships. */
import { convolution2DTransposeBias, transposeConvBiasLayout } from './convolution_2d_transpose_bias.js';
import { transposeConvSimd } from './wasm/float/transpose_conv.js';
import { withSimd } from './wasm/variant.js';
import { FLOAT_KERNELS } from './float_kernels.js';
import { QUANTIZED_KERNELS } from './quantized/index.js';
import { OpResolver } from './registry.js';

export function createBuiltinResolver(): OpResolver {
  const resolver = new OpResolver();
  for (const spec of [...FLOAT_KERNELS, ...QUANTIZED_KERNELS]) resolver.addBuiltin(spec);
  resolver.addCustom('Convolution2DTransposeBias', withSimd(convolution2DTransposeBias, transposeConvSimd(transposeConvBiasLayout)));
  return resolver;
}
