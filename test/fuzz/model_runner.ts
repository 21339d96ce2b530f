/**
 * Runs one fuzzed model through everything a user would: read, metadata, Interpreter.create, invoke with
 * seeded (sometimes non-finite) inputs, and the ImageEmbedder on a small frame when the model has an image-like
 * input. Every failure must be an EmbedliteError; anything else is an escape and is rethrown.
 */
import { EmbedliteError } from '../../schema/errors.js';
import { listAssociatedFiles, readModelMetadata } from '../../schema/metadata_reader.js';
import { readModel } from '../../schema/model_reader.js';
import type { TensorData } from '../../kernels/tensor.js';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { createFrameBuffer } from '../../src/image/frame_buffer.js';
import { Interpreter } from '../../src/interpreter.js';
import type { Rand } from './model_mutator.js';

/**
 * Arena budgets for fuzzed models: 16 MiB for mutants of the real models (the largest arena is 4.9 MB), 1 MiB for
 * the small writer-built ones (50x their largest arena). Mutated shapes then hit the budget early instead of
 * running legal but big kernels, which keeps cases fast without leaving the budget paths unexercised.
 */
export const FUZZ_MAX_ARENA_BYTES = 16 * 2 ** 20;
export const FUZZ_MAX_ARENA_BYTES_SMALL = 2 ** 20;

/** Outcome of a case that did not escape: 'ran' or the name of the typed error that refused it. */
export type CaseOutcome = string;

/** Runs `step`; an EmbedliteError ends the case as a refusal (returned), anything else propagates. */
function typed<T>(step: () => T): { value: T } | { refused: string } {
  try {
    return { value: step() };
  } catch (e) {
    if (e instanceof EmbedliteError) return { refused: e.constructor.name };
    throw e;
  }
}

function fill(data: TensorData, r: Rand): void {
  const special = r() < 0.1;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) data[i] = BigInt(Math.floor(r() * 16));
    return;
  }
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) data[i] = special && i % 7 === 0 ? [NaN, Infinity, -Infinity, 3e38][i % 4]! : (r() - 0.5) * 8;
    return;
  }
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
}

export function runModelCase(bytes: Uint8Array, r: Rand, maxArenaBytes = FUZZ_MAX_ARENA_BYTES): CaseOutcome {
  const model = typed(() => readModel(bytes));
  if ('refused' in model) return model.refused;
  if (model.value.metadata.length > 0) {
    typed(() => readModelMetadata(model.value, bytes));
    typed(() => listAssociatedFiles(bytes));
  }
  // Both backends and both quantized arithmetics: each has its own prepare-time checks and eval loops.
  const engine = {
    maxArenaBytes,
    backend: r() < 0.3 ? 'js' as const : 'auto' as const,
    quantizedArithmetic: r() < 0.2 ? 'reference' as const : 'tflite-cpu' as const,
  };
  const created = typed(() => Interpreter.create(bytes, engine));
  if ('refused' in created) return created.refused;
  const it = created.value;
  const ran = typed(() => {
    for (const t of it.inputs) fill(t.data, r);
    it.invoke();
    let touched = 0;
    for (const t of it.outputs) if (t.data.length > 0) touched += Number(t.data[0]);
    return touched;
  });
  // Dynamic dimensions (-1 in shape_signature): resize to small, odd and huge sizes, then run again.
  const sig = it.model.subgraphs[0]?.tensors[it.model.subgraphs[0]?.inputs[0] ?? -1]?.shapeSignature;
  if (sig && sig.includes(-1)) {
    typed(() => {
      it.resizeInput(0, sig.map((d) => (d === -1 ? [1, 2, 3, 7, 64, 100000, 2 ** 31 - 1][Math.floor(r() * 7)]! : d)));
      for (const t of it.inputs) fill(t.data, r);
      it.invoke();
    });
  }
  const input = it.inputs[0];
  if (input && input.rank === 4 && (input.shape[3] === 1 || input.shape[3] === 3) && input.size <= 1 << 16) {
    const embedded = typed(() => {
      const embedder = ImageEmbedder.createFromModelBuffer(bytes, {
        ...engine, normalization: { mean: 127.5, std: 127.5 }, maxImagePixels: 1 << 16,
      });
      const frame = createFrameBuffer(12, 9, 'RGB');
      fill(frame.planes[0]!.data, r);
      return embedder.embed(frame, r() < 0.5 ? {} : { regionOfInterest: { x: 1, y: 2, width: 7, height: 5 }, rotationDegrees: 90 });
    });
    if ('refused' in embedded && !('refused' in ran)) return `ran, embedder ${embedded.refused}`;
  }
  return 'refused' in ran ? ran.refused : 'ran';
}
