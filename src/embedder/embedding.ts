/**
 * Embedding vectors and the operations the Task Library defines on them:
 * L2 normalisation, scalar quantisation to int8, and cosine similarity.
 */
import { EmbedderError } from '../../schema/errors.js';

export interface Embedding {
  /** Index of the output head (output tensor) this embedding comes from. */
  headIndex: number;
  /** Name of the head: the output's metadata name, else the tensor name. */
  headName: string;
  /** Set unless the `quantize` option is on. */
  floatEmbedding?: Float32Array;
  /** Set when the `quantize` option is on. */
  quantizedEmbedding?: Int8Array;
}

export interface EmbeddingResult {
  embeddings: Embedding[];
}

/** v / sqrt(sum v^2), in place; unchanged when the norm is 0. */
export function l2NormalizeInPlace(v: Float32Array): Float32Array {
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += v[i]! * v[i]!;
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}

/**
 * Scalar quantisation: round(v * 128) clamped to [-128, 127] (the Task Library's rule, meant for
 * L2-normalised vectors whose components lie in [-1, 1]). Rounding is half away from zero, as std::round.
 */
export function quantizeEmbedding(v: Float32Array): Int8Array {
  const out = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]! * 128;
    const r = x < 0 ? -Math.round(-x) : Math.round(x);
    out[i] = r > 127 ? 127 : r < -128 ? -128 : r;
  }
  return out;
}

type Vector = Float32Array | Int8Array | readonly number[];

function vectorOf(e: Embedding | Vector): { v: Vector; quantized: boolean } {
  if (ArrayBuffer.isView(e) || Array.isArray(e)) return { v: e as Vector, quantized: e instanceof Int8Array };
  const emb = e as Embedding;
  if (emb.floatEmbedding) return { v: emb.floatEmbedding, quantized: false };
  if (emb.quantizedEmbedding) return { v: emb.quantizedEmbedding, quantized: true };
  throw new EmbedderError('Cannot compute cosine similarity on an embedding with neither a float nor a quantized vector.');
}

/**
 * Cosine similarity u·v / (|u| |v|), in [-1, 1], on two float or two quantized embeddings (or raw vectors),
 * with the Task Library's errors: different sizes, quantized vs float, zero norm, empty.
 * Sums are in doubles, so int8 vectors give exact dot products.
 */
export function cosineSimilarity(a: Embedding | Vector, b: Embedding | Vector): number {
  const u = vectorOf(a), v = vectorOf(b);
  if (u.quantized !== v.quantized) {
    throw new EmbedderError('Cannot compute cosine similarity between quantized and float embeddings.');
  }
  if (u.v.length !== v.v.length) {
    throw new EmbedderError(`Cannot compute cosine similarity between embeddings of different sizes (${u.v.length} vs. ${v.v.length}).`);
  }
  if (u.v.length === 0) throw new EmbedderError('Cannot compute cosine similarity on empty embeddings.');
  let dot = 0, nu = 0, nv = 0;
  for (let i = 0; i < u.v.length; i++) {
    const x = u.v[i]!, y = v.v[i]!;
    dot += x * y; nu += x * x; nv += y * y;
  }
  if (nu <= 0 || nv <= 0) throw new EmbedderError('Cannot compute cosine similarity on embedding with 0 norm.');
  const s = dot / Math.sqrt(nu * nv);
  return s > 1 ? 1 : s < -1 ? -1 : s;
}
