// workerd without the kernels module: workerd forbids compiling WebAssembly at run time, so the embedder must
// fall back to the typed-array kernels. GET / answers the smoke results as JSON.
import { smoke } from './smoke.mjs';

export default {
  async fetch() {
    return Response.json(await smoke('workerd'));
  },
};
