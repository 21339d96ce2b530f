/**
 * embedlite: a TensorFlow Lite interpreter and image embedder in plain TypeScript. This entry imports no Node
 * built-ins: it runs in browsers, workers and edge runtimes. Under Node, the package's `node` export
 * (`src/node.ts`) adds model loading from file paths.
 */
export { ImageEmbedder, setModelLoader } from './embedder/image_embedder.js';
export type {
  ImageEmbedderOptions, ImageEmbedderCreateOptions, ImageProcessingOptions, ImageSource, RegionOfInterest, ModelLoader,
} from './embedder/image_embedder.js';
export { cosineSimilarity, l2NormalizeInPlace, quantizeEmbedding } from './embedder/embedding.js';
export type { Embedding, EmbeddingResult } from './embedder/embedding.js';
export { Interpreter } from './interpreter.js';
export { precompileKernels } from '../kernels/wasm/runtime.js';
export type { InterpreterOptions, NodeTiming } from './interpreter.js';
export { Tensor } from '../kernels/tensor.js';
export {
  EmbedliteError, ModelError, UnsupportedOpError, PrepareError, InterpreterError, ImageError, EmbedderError,
} from '../schema/errors.js';
export { OpResolver } from '../kernels/registry.js';
export { createBuiltinResolver } from '../kernels/register_builtins.js';
export type { Backend, Kernel, KernelContext, KernelNode, QuantizedArithmetic } from '../kernels/kernel.js';
export * from './image/index.js';
export * from '../schema/index.js';
