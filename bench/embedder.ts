/**
 * End-to-end `similarity` time: decode + preprocess + inference for both images, with
 * mobilenet_v1_0.25_224 float (pooled features as the head) on burger.jpg / burger_crop.jpg, next to the
 * inference-only time of the same model. Runnable alone: `npx tsx bench/embedder.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ImageEmbedder } from '../src/embedder/image_embedder.js';
import { Interpreter } from '../src/interpreter.js';
import { timeRuns } from './timing.js';

const shared = fileURLToPath(new URL('../../shared/', import.meta.url));
const MODEL = `${shared}models/mobilenet_v1_0.25_224_1_metadata_1.tflite`;

export function runEmbedderBench(runs = 20): Record<string, unknown> {
  if (!existsSync(MODEL)) {
    console.log('embedder bench skipped: ../shared/models is absent');
    return { skipped: '../shared absent' };
  }
  const bytes = new Uint8Array(readFileSync(MODEL));
  const a = new Uint8Array(readFileSync(`${shared}images/burger.jpg`));
  const b = new Uint8Array(readFileSync(`${shared}images/burger_crop.jpg`));
  const embedder = ImageEmbedder.createFromModelBuffer(bytes, { outputTensors: ['MobilenetV1/Logits/AvgPool_1a/AvgPool'] });
  let similarity = 0;
  const endToEnd = timeRuns(runs, () => {
    similarity = ImageEmbedder.cosineSimilarity(embedder.embed(a).embeddings[0]!, embedder.embed(b).embeddings[0]!);
  });
  const it = Interpreter.create(bytes);
  const inference = timeRuns(runs, () => it.invoke());
  const result = {
    model: 'mobilenet_v1_0.25_224_1_metadata_1 (pooled features)', images: 'burger.jpg / burger_crop.jpg', similarity,
    similarityMs: endToEnd, inferenceOnlyMs: inference,
    overheadMs: endToEnd.medianMs - 2 * inference.medianMs,
  };
  console.log(`similarity (2 x decode + preprocess + inference): median ${endToEnd.medianMs.toFixed(2)} ms, min ${endToEnd.minMs.toFixed(2)} ms`);
  console.log(`inference only (one image):                     median ${inference.medianMs.toFixed(2)} ms, min ${inference.minMs.toFixed(2)} ms`);
  console.log(`decode + preprocess overhead for both images:  ~${result.overheadMs.toFixed(2)} ms; cosine similarity ${similarity.toFixed(6)}`);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runEmbedderBench();
