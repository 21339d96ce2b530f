// workerd: GET / answers the smoke results as JSON. With the `kernels` module bound (the packaged kernels.wasm,
// compiled by workerd at load time), the embedder gets it as wasmModule; without it the embedder must fall back.
import { smoke } from './smoke.mjs';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const extra = url.searchParams.get('wasm') === '1' && env.kernels ? { wasmModule: env.kernels } : {};
    return Response.json(await smoke(`workerd${extra.wasmModule ? ' (wasmModule)' : ''}`, extra));
  },
};
