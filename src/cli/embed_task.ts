/**
 * Embedding one file for `embed`/`nearest`, the same in the main thread and in worker threads: read, embed, and
 * sort the outcome into done / skipped (a format the decoders do not read) / failed (anything else), with the
 * path in every message.
 */
import { ImageEmbedder, type EmbedTimings, type ImageEmbedderOptions, type ImageProcessingOptions } from '../embedder/image_embedder.js';
import { ImageError } from '../../schema/errors.js';
import { UNSUPPORTED, messageOf, readBytes } from './files.js';

export interface HeadVector {
  headIndex: number;
  headName: string;
  quantized: boolean;
  vector: Float32Array | Int8Array;
}

export type TaskResult =
  | { index: number; path: string; status: 'done'; heads: HeadVector[]; timings?: EmbedTimings }
  | { index: number; path: string; status: 'skipped'; reason: string; message: string }
  | { index: number; path: string; status: 'failed'; message: string };

/** What a worker needs to build its own embedder (structured-cloneable). */
export interface EmbedSetup {
  model: Uint8Array;
  options: ImageEmbedderOptions;
  processing: ImageProcessingOptions;
}

/** The embedder of a batch; warnings were given once when the command loaded the model. */
export function createEmbedder(setup: EmbedSetup): ImageEmbedder {
  return ImageEmbedder.createFromModelBuffer(setup.model, { ...setup.options, onWarning: () => {} });
}

export function embedTask(embedder: ImageEmbedder, processing: ImageProcessingOptions, index: number, path: string): TaskResult {
  try {
    const bytes = readBytes(path, 'cannot read image');
    const heads = embedder.embed(bytes, processing).embeddings.map((e): HeadVector => ({
      headIndex: e.headIndex, headName: e.headName, quantized: !e.floatEmbedding,
      vector: (e.floatEmbedding ?? e.quantizedEmbedding)!,
    }));
    return { index, path, status: 'done', heads, ...(embedder.lastTimings ? { timings: embedder.lastTimings } : {}) };
  } catch (e) {
    let message = messageOf(e);
    if (!message.includes(path)) message = `${path}: ${message}`;
    // "unsupported image format (WebP ...)", "unsupported BMP: RLE8 ...": a format the decoders do not read.
    if (e instanceof ImageError && /^unsupported\b/.test(messageOf(e))) return { index, path, status: 'skipped', reason: UNSUPPORTED, message };
    return { index, path, status: 'failed', message };
  }
}
