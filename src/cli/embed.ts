/**
 * The embedder commands:
 *   embedlite similarity --model M IMAGE_A IMAGE_B [options]   → "Cosine similarity: 0.954312"
 *   embedlite embed --model M IMAGE_OR_DIR... [--out F.jsonl] [--json]
 *   embedlite nearest --model M QUERY DIR [-k 5]
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImageEmbedder, type ImageEmbedderOptions, type ImageProcessingOptions } from '../embedder/image_embedder.js';
import type { Embedding } from '../embedder/embedding.js';
import { cosineSimilarity } from '../embedder/embedding.js';
import { type ArgsSpec, type FlagSpec, type ParsedArgs, UsageError, parseArgs } from './args.js';
import type { CliIo } from './io.js';
import { ENGINE_FLAGS, ENGINE_HELP, engineOptions } from './engine_flags.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.bmp']);

const MODEL_FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', short: 'm' },
  'l2-normalize': { type: 'boolean' },
  quantize: { type: 'boolean' },
  'output-tensor': { type: 'string', multiple: true },
  mean: { type: 'string' },
  std: { type: 'string' },
  'no-exif': { type: 'boolean' },
  head: { type: 'number' },
  ...ENGINE_FLAGS,
};

const MODEL_OPTIONS_HELP = [
  '  --model M             .tflite image embedder (or classifier with --output-tensor)',
  '  --l2-normalize        L2-normalise the embeddings',
  '  --quantize            scalar-quantise the embeddings to int8',
  '  --output-tensor NAME  use this tensor as the embedding head (repeatable)',
  '  --mean V[,V,V] --std V[,V,V]  normalisation for float models without metadata',
  '  --no-exif             ignore the EXIF orientation of JPEGs',
  '  --head N              head to compare (default 0)',
  ...ENGINE_HELP,
];

function numberList(text: string, flag: string, usage: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${flag} needs numbers separated by commas, got '${text}'`, usage);
  return values;
}

function roiOf(text: string | undefined, flag: string, usage: string): ImageProcessingOptions['regionOfInterest'] {
  if (text === undefined) return undefined;
  const v = numberList(text, flag, usage);
  if (v.length !== 4 || v.some((x) => !Number.isInteger(x))) throw new UsageError(`--${flag} needs x,y,width,height in whole pixels, got '${text}'`, usage);
  return { x: v[0]!, y: v[1]!, width: v[2]!, height: v[3]! };
}

function processingOf(args: ParsedArgs, suffix: string, usage: string): ImageProcessingOptions {
  const roi = roiOf(args.string(`roi${suffix}`), `roi${suffix}`, usage);
  const rotation = args.number(`rotation${suffix}`);
  return { ...(roi ? { regionOfInterest: roi } : {}), ...(rotation !== undefined ? { rotationDegrees: rotation } : {}) };
}

function embedderOptions(args: ParsedArgs, usage: string): ImageEmbedderOptions {
  const mean = args.string('mean'), std = args.string('std');
  if ((mean === undefined) !== (std === undefined)) throw new UsageError('--mean and --std go together', usage);
  const tensors = args.strings('output-tensor');
  return {
    l2Normalize: args.bool('l2-normalize'),
    quantize: args.bool('quantize'),
    applyExifOrientation: !args.bool('no-exif'),
    ...engineOptions(args, usage),
    ...(tensors.length > 0 ? { outputTensors: tensors } : {}),
    ...(mean !== undefined && std !== undefined
      ? { normalization: { mean: numberList(mean, 'mean', usage), std: numberList(std, 'std', usage) } } : {}),
  };
}

function loadEmbedder(args: ParsedArgs, usage: string): ImageEmbedder {
  const model = args.string('model');
  if (!model) throw new UsageError('--model is required', usage);
  return ImageEmbedder.createFromModelBuffer(new Uint8Array(fs.readFileSync(model)), embedderOptions(args, usage));
}

function headOf(embeddings: Embedding[], args: ParsedArgs, usage: string): Embedding {
  const i = args.number('head') ?? 0;
  const e = embeddings[i];
  if (!e) throw new UsageError(`--head ${i}: the model has ${embeddings.length} head(s)`, usage);
  return e;
}

function embedFile(embedder: ImageEmbedder, file: string, processing: ImageProcessingOptions): Embedding[] {
  return embedder.embed(new Uint8Array(fs.readFileSync(file)), processing).embeddings;
}

function parse(argv: string[], spec: ArgsSpec, help: string[], io: CliIo): ParsedArgs | null {
  const args = parseArgs(argv, spec);
  if (args.help) {
    for (const line of [spec.usage, ...help]) io.out(line);
    return null;
  }
  return args;
}

const SIMILARITY_USAGE = 'usage: embedlite similarity --model M IMAGE_A IMAGE_B [--l2-normalize] [--quantize] [--roi x,y,w,h] '
  + '[--rotation deg] [--roi-b x,y,w,h] [--rotation-b deg] [--output-tensor NAME]';

/** `embedlite similarity`: the Task Library demo's output, six decimals. */
export const similarityCommand = (argv: string[], io: CliIo): number => {
  const spec: ArgsSpec = {
    usage: SIMILARITY_USAGE,
    flags: {
      ...MODEL_FLAGS,
      roi: { type: 'string' }, rotation: { type: 'number' }, 'roi-b': { type: 'string' }, 'rotation-b': { type: 'number' },
    },
    positionals: { min: 2, max: 2 },
  };
  const args = parse(argv, spec, [...MODEL_OPTIONS_HELP, '  --roi/--rotation apply to IMAGE_A, --roi-b/--rotation-b to IMAGE_B'], io);
  if (!args) return 0;
  const embedder = loadEmbedder(args, SIMILARITY_USAGE);
  const [a, b] = args.positionals as [string, string];
  const ea = headOf(embedFile(embedder, a, processingOf(args, '', SIMILARITY_USAGE)), args, SIMILARITY_USAGE);
  const eb = headOf(embedFile(embedder, b, processingOf(args, '-b', SIMILARITY_USAGE)), args, SIMILARITY_USAGE);
  io.out(`Cosine similarity: ${cosineSimilarity(ea, eb).toFixed(6)}`);
  return 0;
};

/** Image files of a directory (sorted), or the path itself. */
function expandImages(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        const full = path.join(p, name);
        if (IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()) && fs.statSync(full).isFile()) files.push(full);
      }
    } else files.push(p);
  }
  return files;
}

function vectorOf(e: Embedding): number[] {
  return Array.from((e.floatEmbedding ?? e.quantizedEmbedding)!);
}

/** A one-line progress bar on stderr, only when stderr is a terminal. */
function progress(done: number, total: number): void {
  if (!process.stderr.isTTY || total < 2) return;
  const width = 30, filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

const EMBED_USAGE = 'usage: embedlite embed --model M IMAGE_OR_DIR... [--out FILE.jsonl] [--json] [--l2-normalize] [--quantize] '
  + '[--roi x,y,w,h] [--rotation deg] [--output-tensor NAME]';

/** `embedlite embed`: one JSON line per image and head: {path, headIndex, headName, quantized, embedding}. */
export const embedCommand = (argv: string[], io: CliIo): number => {
  const spec: ArgsSpec = {
    usage: EMBED_USAGE,
    flags: { ...MODEL_FLAGS, out: { type: 'string', short: 'o' }, json: { type: 'boolean' }, roi: { type: 'string' }, rotation: { type: 'number' } },
    positionals: { min: 1 },
  };
  const args = parse(argv, spec, [...MODEL_OPTIONS_HELP, '  --out FILE   write JSON lines to FILE', '  --json       print JSON lines on stdout'], io);
  if (!args) return 0;
  const embedder = loadEmbedder(args, EMBED_USAGE);
  const processing = processingOf(args, '', EMBED_USAGE);
  const files = expandImages(args.positionals);
  const outPath = args.string('out');
  const lines: string[] = [];
  let failures = 0;
  files.forEach((file, k) => {
    try {
      for (const e of embedFile(embedder, file, processing)) {
        const vector = vectorOf(e);
        lines.push(JSON.stringify({ path: file, headIndex: e.headIndex, headName: e.headName, quantized: !!e.quantizedEmbedding, embedding: vector }));
        if (!args.bool('json') && !outPath) {
          const head = vector.slice(0, 4).map((v) => (e.quantizedEmbedding ? String(v) : v.toFixed(4))).join(', ');
          io.out(`${file}  head ${e.headIndex} '${e.headName}'  dim ${vector.length}  [${head}, ...]`);
        }
      }
    } catch (err) {
      failures++;
      io.err(`embedlite: ${file}: ${(err as Error).message}`);
    }
    progress(k + 1, files.length);
  });
  if (outPath) {
    fs.writeFileSync(outPath, lines.map((l) => `${l}\n`).join(''));
    io.out(`wrote ${lines.length} embedding(s) of ${files.length - failures} image(s) to ${outPath}`);
  }
  if (args.bool('json')) for (const l of lines) io.out(l);
  return failures > 0 ? 1 : 0;
};

const NEAREST_USAGE = 'usage: embedlite nearest --model M QUERY DIR [-k 5] [--l2-normalize] [--quantize] [--output-tensor NAME]';

/** `embedlite nearest`: the images of DIR ranked by cosine similarity to QUERY. */
export const nearestCommand = (argv: string[], io: CliIo): number => {
  const spec: ArgsSpec = {
    usage: NEAREST_USAGE,
    flags: { ...MODEL_FLAGS, k: { type: 'number', short: 'k' }, roi: { type: 'string' }, rotation: { type: 'number' } },
    positionals: { min: 2, max: 2 },
  };
  const args = parse(argv, spec, [...MODEL_OPTIONS_HELP, '  -k N   how many to list (default 5)'], io);
  if (!args) return 0;
  const k = args.number('k') ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`-k needs a positive integer, got ${k}`, NEAREST_USAGE);
  const embedder = loadEmbedder(args, NEAREST_USAGE);
  const [queryPath, dir] = args.positionals as [string, string];
  const query = headOf(embedFile(embedder, queryPath, processingOf(args, '', NEAREST_USAGE)), args, NEAREST_USAGE);
  const ranked: { file: string; score: number }[] = [];
  const files = expandImages([dir]).filter((f) => path.resolve(f) !== path.resolve(queryPath));
  files.forEach((file, i) => {
    try {
      ranked.push({ file, score: cosineSimilarity(query, headOf(embedFile(embedder, file, {}), args, NEAREST_USAGE)) });
    } catch (err) {
      io.err(`embedlite: ${file}: ${(err as Error).message}`);
    }
    progress(i + 1, files.length);
  });
  ranked.sort((a, b) => b.score - a.score);
  ranked.slice(0, k).forEach((r, i) => io.out(`${String(i + 1).padStart(3)}  ${r.score.toFixed(6)}  ${r.file}`));
  return 0;
};
