/**
 * An edge worker (Cloudflare Workers / workerd) that embeds an uploaded image:
 *   curl --data-binary @photo.jpg http://127.0.0.1:8787/   →  {"dimension":205,"headName":"embedding","embedding":[...]}
 * The model is bundled as a data module (an ArrayBuffer), so the worker needs no storage and no fetch. Workers may
 * not compile WebAssembly at run time, so the SIMD kernels come as the package's precompiled `kernels.wasm` module
 * (without it the embedder falls back to its typed-array kernels). The embedder is built once per isolate and
 * reused by every request that isolate serves; the platform runs as many isolates as the traffic needs.
 */
import { ImageEmbedder, EmbedliteError } from 'embedlite';
import kernels from 'embedlite/kernels.wasm';
import model from './embedder.tflite';

let embedder: ImageEmbedder | undefined;

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return new Response('POST an image (JPEG, PNG or BMP) as the request body; the answer is its embedding as JSON.\n', { status: 405 });
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.length === 0) return json({ error: 'empty body: POST the image bytes' }, 400);
    try {
      embedder ??= ImageEmbedder.createFromModelBuffer(model, { l2Normalize: true, wasmModule: kernels });
      const e = embedder.embed(bytes).embeddings[0]!;
      return json({
        dimension: e.floatEmbedding!.length, headName: e.headName, backend: embedder.backend, embedding: Array.from(e.floatEmbedding!),
      });
    } catch (err) {
      // Bad input is the caller's mistake (400) with the library's message; anything else is ours (500).
      if (err instanceof EmbedliteError) return json({ error: err.message }, 400);
      return json({ error: 'internal error' }, 500);
    }
  },
};
