/** The resolver with every kernel embedlite ships. */
import { FLOAT_KERNELS } from './float_kernels.js';
import { QUANTIZED_KERNELS } from './quantized/index.js';
import { OpResolver } from './registry.js';

export function createBuiltinResolver(): OpResolver {
  const resolver = new OpResolver();
  for (const spec of [...FLOAT_KERNELS, ...QUANTIZED_KERNELS]) resolver.addBuiltin(spec);
  return resolver;
}
