// The runtimes smoke test's one script: embeds a JPEG and a PNG with the default model and with a real model
// (MobileNet V1's pooled features, when the test found ../shared) through the installed `embedlite` package, and
// returns every vector, or the error, by case. The same file runs in Node, Bun, Deno, workerd and Chromium (page
// and Web Worker); `data.mjs`, written by the test next to it, holds the model and image bytes as base64, so no
// runtime needs file or network permissions.
import { ImageEmbedder } from 'embedlite';
import { cases, files } from './data.mjs';

function bytes(name) {
  const text = atob(files[name]);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** `extra` options (e.g. wasmModule, backend) go to every embedder. */
export async function smoke(runtime, extra = {}) {
  const results = {};
  const embedders = new Map();
  let backend = 'none';
  for (const c of cases) {
    try {
      let embedder = embedders.get(c.model);
      if (!embedder) {
        embedder = ImageEmbedder.createFromModelBuffer(bytes(c.model), { ...c.options, ...extra, onWarning: () => {} });
        embedders.set(c.model, embedder);
        backend = embedder.backend ?? 'unknown';
      }
      const e = embedder.embed(bytes(c.image)).embeddings[0];
      results[c.name] = { vector: Array.from(e.floatEmbedding) };
    } catch (err) {
      results[c.name] = { error: `${err && err.name}: ${err && err.message}` };
    }
  }
  return { runtime, backend, results };
}
