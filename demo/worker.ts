/**
 * The demo's Web Worker: holds the ImageEmbedder so the page never freezes. Messages in: {id, type: 'embed', name,
 * bytes} (and one {type: 'model', bytes} first); out: {id, vector, timings, backend} or {id, error}.
 * Stages are timed apart: decode, then resize/crop (preprocess) and inference together in `embed`, with the
 * preprocessing alone timed on the decoded frame to split the two.
 */
import { ImageEmbedder, decodeImage, preprocess } from '../src/index.js';

export interface EmbedRequest { id: number; type: 'embed'; name: string; bytes: ArrayBuffer }
export interface ModelRequest { type: 'model'; bytes: ArrayBuffer }
export interface EmbedReply {
  id: number;
  name: string;
  vector?: number[];
  error?: string;
  timings?: { decodeMs: number; preprocessMs: number; inferenceMs: number };
  size?: { width: number; height: number };
  backend?: string;
}

let embedder: ImageEmbedder | null = null;
let backend = '';

function handle(msg: EmbedRequest | ModelRequest): EmbedReply | { type: 'ready'; backend: string; dimension: number } | { type: 'error'; error: string } {
  if (msg.type === 'model') {
    try {
      embedder = ImageEmbedder.createFromModelBuffer(new Uint8Array(msg.bytes), { onWarning: () => {} });
      backend = embedder.backend === 'wasm' ? 'wasm (WebAssembly SIMD)' : 'js (typed arrays)';
      return { type: 'ready', backend, dimension: embedder.getEmbeddingDimension(0) };
    } catch (e) {
      return { type: 'error', error: String((e as Error).message) };
    }
  }
  try {
    if (!embedder) throw new Error('no model yet');
    const t0 = performance.now();
    // Decoded as ImageEmbedder decodes by default (stb_image's JPEG pixels, the Task Library's).
    const frame = decodeImage(new Uint8Array(msg.bytes), { exifOrientation: 'apply', jpegDecoder: 'stb' });
    const t1 = performance.now();
    const e = embedder.embed(frame).embeddings[0]!;
    const t2 = performance.now();
    const { width, height, channels } = embedder.inputSize;
    const p0 = performance.now();
    preprocess(frame, { width, height, format: channels === 1 ? 'GRAY' : 'RGB' });
    const preprocessMs = performance.now() - p0;
    return {
      id: msg.id, name: msg.name, vector: Array.from(e.floatEmbedding!), backend,
      size: { width: frame.width, height: frame.height },
      timings: { decodeMs: t1 - t0, preprocessMs, inferenceMs: Math.max(0, t2 - t1 - preprocessMs) },
    };
  } catch (e) {
    return { id: msg.id, name: msg.name, error: String((e as Error).message) };
  }
}

self.onmessage = (ev: MessageEvent<EmbedRequest | ModelRequest>) => self.postMessage(handle(ev.data));
