// workerd with the packaged kernels.wasm imported as a Wasm module (compiled by workerd when it loads the worker)
// and handed to the embedder as wasmModule: the SIMD kernels run. GET / answers the smoke results as JSON.
import kernels from './kernels.wasm';
import { smoke } from './smoke.mjs';

export default {
  async fetch() {
    return Response.json(await smoke('workerd (wasmModule)', { wasmModule: kernels }));
  },
};
