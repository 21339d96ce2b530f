/**
 * The embedder commands:
 *   embedlite similarity --model M IMAGE_A IMAGE_B [options]   → "Cosine similarity: 0.954312"
 *   embedlite embed --model M IMAGE_OR_DIR... [--out F.jsonl [--resume]] [--json] [--jobs N]
 *   embedlite nearest --model M QUERY IMAGE_OR_DIR... [-k 5]     (embeds the images)
 *   embedlite nearest --index F.jsonl QUERY [--model M] [-k 5]  (ranks a saved `embed` output)
 * Exit status, the same for all three: 0 when nothing failed, 1 when something did, 2 for a usage mistake.
 */
import os from 'node:os';
import path from 'node:path';
import { ImageEmbedder, type ImageEmbedderOptions, type ImageProcessingOptions } from '../embedder/image_embedder.js';
import type { Embedding } from '../embedder/embedding.js';
import { cosineSimilarity } from '../embedder/embedding.js';
import { ImageError } from '../../schema/errors.js';
import type { JpegDecoderName } from '../image/decode.js';
import { type ArgsSpec, type FlagSpec, type ParsedArgs, UsageError, parseArgs } from './args.js';
import type { CliIo } from './io.js';
import { ENGINE_FLAGS, ENGINE_HELP, engineOptions } from './engine_flags.js';
import { type Failed, type Skipped, listImages, readBytes } from './files.js';
import type { EmbedSetup, HeadVector, TaskResult } from './embed_task.js';
import { profileLine } from './profile.js';
import { embedFiles } from './pool.js';
import { Progress, type ProgressSink } from './progress.js';
import { JsonlWriter, donePaths } from './jsonl.js';
import { loadIndex, topK } from './vector_index.js';

const MODEL_FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', short: 'm' },
  'l2-normalize': { type: 'boolean' },
  quantize: { type: 'boolean' },
  'output-tensor': { type: 'string', multiple: true },
  mean: { type: 'string' },
  std: { type: 'string' },
  'no-exif': { type: 'boolean' },
  'fast-decode': { type: 'boolean' },
  decoder: { type: 'string' },
  head: { type: 'number' },
  'max-pixels': { type: 'number' },
  'allow-non-finite': { type: 'boolean' },
  profile: { type: 'boolean' },
  ...ENGINE_FLAGS,
};

const MODEL_OPTIONS_HELP = [
  '  --model M             .tflite image embedder (or classifier with --output-tensor)',
  '  --l2-normalize        L2-normalise the embeddings',
  '  --quantize            scalar-quantise the embeddings to int8',
  '  --output-tensor NAME  use this tensor as the embedding head (repeatable); auto: a classifier\'s pooled features',
  '  --mean V[,V,V] --std V[,V,V]  normalisation for float models without metadata',
  '  --no-exif             ignore the EXIF orientation of JPEGs',
  '  --fast-decode         decode JPEGs at 1/2, 1/4 or 1/8 size (DCT domain), keeping at least the model input size',
  '  --decoder D           JPEG pixels: stb (default, the Task Library\'s) | libjpeg (libjpeg-turbo\'s, as browsers)',
  '  --head N              head to compare (default 0)',
  '  --max-pixels N        largest decoded image accepted, in pixels (default 100000000)',
  '  --allow-non-finite    keep embeddings holding NaN/Infinity (default: such an image fails)',
  '  --profile             print per image "PATH: decode N ms, preprocess N ms, inference N ms" on stderr',
  ...ENGINE_HELP,
];

const BATCH_FLAGS: Record<string, FlagSpec> = {
  jobs: { type: 'number', short: 'j' },
  'no-recursive': { type: 'boolean' },
  progress: { type: 'number' },
};

const BATCH_HELP = [
  '  --jobs N, -j N        worker threads (default: the number of cores); output keeps the input order',
  '  --no-recursive        do not descend into subfolders',
  '  --progress N          when stderr is not a terminal, a progress line every N images (default 100; 0: none)',
];

function numberList(text: string, flag: string, usage: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new UsageError(`${flag} needs numbers separated by commas, got '${text}'`, usage);
  return values;
}

function roiOf(args: ParsedArgs, name: string, usage: string): ImageProcessingOptions['regionOfInterest'] {
  const text = args.string(name);
  if (text === undefined) return undefined;
  const v = numberList(text, args.flag(name), usage);
  if (v.length !== 4 || v.some((x) => !Number.isInteger(x))) throw new UsageError(`${args.flag(name)} needs x,y,width,height in whole pixels, got '${text}'`, usage);
  return { x: v[0]!, y: v[1]!, width: v[2]!, height: v[3]! };
}

function processingOf(args: ParsedArgs, suffix: string, usage: string): ImageProcessingOptions {
  const roi = roiOf(args, `roi${suffix}`, usage);
  const rotation = args.number(`rotation${suffix}`);
  return { ...(roi ? { regionOfInterest: roi } : {}), ...(rotation !== undefined ? { rotationDegrees: rotation } : {}) };
}

function positiveInteger(args: ParsedArgs, name: string, usage: string, min = 1): number | undefined {
  const v = args.number(name);
  if (v !== undefined && (!Number.isInteger(v) || v < min)) {
    throw new UsageError(`${args.flag(name)} needs ${min === 0 ? 'a whole number >= 0' : 'a positive whole number'}, got ${v}`, usage);
  }
  return v;
}

/** --decoder stb|libjpeg (absent: the embedder's default, stb). */
export function jpegDecoderOption(args: ParsedArgs, usage: string): { jpegDecoder?: JpegDecoderName } {
  const v = args.string('decoder');
  if (v === undefined) return {};
  if (v !== 'stb' && v !== 'libjpeg') throw new UsageError(`--decoder must be stb or libjpeg, got '${v}'`, usage);
  return { jpegDecoder: v };
}

function embedderOptions(args: ParsedArgs, usage: string): ImageEmbedderOptions {
  const mean = args.string('mean'), std = args.string('std');
  if ((mean === undefined) !== (std === undefined)) throw new UsageError('--mean and --std go together', usage);
  const tensors = args.strings('output-tensor');
  const maxPixels = positiveInteger(args, 'max-pixels', usage);
  return {
    l2Normalize: args.bool('l2-normalize'),
    quantize: args.bool('quantize'),
    applyExifOrientation: !args.bool('no-exif'),
    ...(args.bool('fast-decode') ? { decodeScale: 'auto' as const } : {}),
    ...jpegDecoderOption(args, usage),
    ...(args.bool('allow-non-finite') ? { allowNonFinite: true } : {}),
    ...engineOptions(args, usage),
    ...(maxPixels !== undefined ? { maxImagePixels: maxPixels } : {}),
    ...(tensors.length > 0 ? { outputTensors: tensors } : {}),
    ...(mean !== undefined && std !== undefined
      ? { normalization: { mean: numberList(mean, '--mean', usage), std: numberList(std, '--std', usage) } } : {}),
  };
}

interface LoadedModel {
  embedder: ImageEmbedder;
  setup: EmbedSetup;
}

/**
 * Reads --model and builds the embedder (errors here end the command: there is nothing to embed with). Its
 * warnings go to stderr once; the worker threads' embedders stay quiet.
 */
function loadModel(args: ParsedArgs, usage: string, io: CliIo, processing: ImageProcessingOptions = {}): LoadedModel {
  const file = args.string('model');
  if (!file) throw new UsageError('--model is required', usage);
  const model = readBytes(file, 'cannot read model');
  const options = embedderOptions(args, usage);
  const embedder = ImageEmbedder.createFromModelBuffer(model, { ...options, onWarning: (m) => io.err(`embedlite: warning: ${m}`) });
  return { embedder, setup: { model, options, processing } };
}

function headOf<T extends { headIndex: number }>(heads: T[], args: ParsedArgs, usage: string): T {
  const i = args.number('head') ?? 0;
  const e = heads[i];
  if (!e) throw new UsageError(`${args.flag('head')} ${i}: the model has ${heads.length} head(s)`, usage);
  return e;
}

/** Embeds one file; an error about the image (not the model) names the file. */
function embedFile(embedder: ImageEmbedder, file: string, processing: ImageProcessingOptions, io?: CliIo): Embedding[] {
  const bytes = readBytes(file, 'cannot read image');
  try {
    const { embeddings } = embedder.embed(bytes, processing);
    if (io && embedder.lastTimings) io.err(profileLine(file, embedder.lastTimings));
    return embeddings;
  } catch (e) {
    if (e instanceof ImageError) throw new ImageError(`${file}: ${e.message}`);
    throw e;
  }
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
  const { embedder } = loadModel(args, SIMILARITY_USAGE, io);
  const [a, b] = args.positionals as [string, string];
  const prof = args.bool('profile') ? io : undefined;
  const ea = headOf(embedFile(embedder, a, processingOf(args, '', SIMILARITY_USAGE), prof), args, SIMILARITY_USAGE);
  const eb = headOf(embedFile(embedder, b, processingOf(args, '-b', SIMILARITY_USAGE), prof), args, SIMILARITY_USAGE);
  io.out(`Cosine similarity: ${cosineSimilarity(ea, eb).toFixed(6)}`);
  return 0;
};

function progressSink(io: CliIo): ProgressSink {
  return io.progress ?? { tty: false, write: (text) => io.err(text.replace(/\n$/, '')) };
}

/** Counts of a batch and the closing summary: `embedded 18, skipped 4 (unsupported format), failed 2`. */
class Tally {
  done = 0;
  resumed = 0;
  readonly skipped: Skipped[] = [];
  readonly failed: Failed[] = [];
  private static readonly LISTED = 20;

  /** A failure is reported as it happens (one line on stderr) and listed again in the summary. */
  fail(f: Failed, io: CliIo): void {
    this.failed.push(f);
    io.err(`embedlite: ${f.message}`);
  }

  summary(verb: string): string[] {
    const parts = [`${verb} ${this.done}`];
    if (this.resumed > 0) parts.push(`already in the output ${this.resumed}`);
    if (this.skipped.length > 0) {
      const reasons = new Map<string, number>();
      for (const s of this.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      const why = reasons.size === 1 ? [...reasons.keys()][0]! : [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
      parts.push(`skipped ${this.skipped.length} (${why})`);
    }
    parts.push(`failed ${this.failed.length}`);
    const lines = [parts.join(', ')];
    const list = (title: string, items: string[]): void => {
      if (items.length === 0) return;
      lines.push(`${title}:`);
      for (const item of items.slice(0, Tally.LISTED)) lines.push(`  ${item}`);
      if (items.length > Tally.LISTED) lines.push(`  ... and ${items.length - Tally.LISTED} more`);
    };
    list('skipped', this.skipped.map((s) => `${s.path} (${s.reason})`));
    list('failed', this.failed.map((f) => f.message));
    return lines;
  }
}

/**
 * Expands the paths, embeds every image (in worker threads when jobs > 1) and calls `onDone` in input order.
 * Skips and failures go to `tally`; a file named on the command line in a format the decoders do not read is a
 * failure (it was asked for), inside a folder it is skipped.
 */
async function embedBatch(
  paths: string[], args: ParsedArgs, usage: string, io: CliIo, setup: EmbedSetup, tally: Tally,
  filter: (file: string) => boolean, onDone: (file: string, heads: HeadVector[]) => void,
): Promise<void> {
  const jobs = positiveInteger(args, 'jobs', usage) ?? os.availableParallelism();
  const every = positiveInteger(args, 'progress', usage, 0) ?? 100;
  const list = listImages(paths, !args.bool('no-recursive'));
  tally.skipped.push(...list.skipped);
  for (const f of list.failed) tally.fail(f, io);
  const explicit = new Set(paths);
  const files = list.files.filter(filter);
  const progress = new Progress(files.length, progressSink(io), every);
  await embedFiles(files, {
    jobs, setup,
    onResult: (r: TaskResult) => {
      if (r.status === 'done') {
        tally.done++;
        if (r.timings && args.bool('profile')) io.err(profileLine(r.path, r.timings));
        onDone(r.path, r.heads);
      } else if (r.status === 'skipped' && !explicit.has(r.path)) {
        tally.skipped.push({ path: r.path, reason: r.reason });
      } else {
        tally.fail({ path: r.path, message: r.message }, io);
      }
      progress.tick();
    },
  });
}

function jsonLine(file: string, h: HeadVector): string {
  return JSON.stringify({ path: file, headIndex: h.headIndex, headName: h.headName, quantized: h.quantized, embedding: Array.from(h.vector) });
}

const EMBED_USAGE = 'usage: embedlite embed --model M IMAGE_OR_DIR... [--out FILE.jsonl [--resume]] [--json] [--jobs N] '
  + '[--no-recursive] [--l2-normalize] [--quantize] [--roi x,y,w,h] [--rotation deg] [--output-tensor NAME]';

/**
 * `embedlite embed`: one JSON line per image and head, {path, headIndex, headName, quantized, embedding}, written
 * (unbuffered) as each image is done, in input order; with --resume, paths already in --out are not embedded again.
 */
export const embedCommand = async (argv: string[], io: CliIo): Promise<number> => {
  const spec: ArgsSpec = {
    usage: EMBED_USAGE,
    flags: {
      ...MODEL_FLAGS, ...BATCH_FLAGS, out: { type: 'string', short: 'o' }, json: { type: 'boolean' }, resume: { type: 'boolean' },
      roi: { type: 'string' }, rotation: { type: 'number' },
    },
    positionals: { min: 1 },
  };
  const args = parse(argv, spec, [
    ...MODEL_OPTIONS_HELP, ...BATCH_HELP,
    '  --out FILE            write JSON lines to FILE, one image at a time',
    '  --resume              keep FILE and embed only the images not in it yet',
    '  --json                print JSON lines on stdout',
  ], io);
  if (!args) return 0;
  const outPath = args.string('out');
  if (args.bool('resume') && !outPath) throw new UsageError('--resume needs --out FILE (the file to continue)', EMBED_USAGE);
  const processing = processingOf(args, '', EMBED_USAGE);
  const { embedder, setup } = loadModel(args, EMBED_USAGE, io, processing);
  embedder.close();
  const tally = new Tally();
  const done = args.bool('resume') ? donePaths(outPath!) : new Set<string>();
  const writer = outPath ? JsonlWriter.open(outPath, args.bool('resume')) : undefined;
  try {
    await embedBatch(args.positionals, args, EMBED_USAGE, io, setup, tally, (file) => {
      if (!done.has(path.resolve(file))) return true;
      tally.resumed++;
      return false;
    }, (file, heads) => {
      if (writer) writer.write(heads.map((h) => `${jsonLine(file, h)}\n`).join(''));
      else if (args.bool('json')) for (const h of heads) io.out(jsonLine(file, h));
      else {
        for (const h of heads) {
          const first = Array.from(h.vector.subarray(0, 4), (v) => (h.quantized ? String(v) : v.toFixed(4))).join(', ');
          io.out(`${file}  head ${h.headIndex} '${h.headName}'  dim ${h.vector.length}  [${first}, ...]`);
        }
      }
      if (writer && args.bool('json')) for (const h of heads) io.out(jsonLine(file, h));
    });
  } finally {
    writer?.close();
  }
  for (const line of tally.summary('embedded')) io.err(line);
  return tally.failed.length > 0 ? 1 : 0;
};

const NEAREST_USAGE = 'usage: embedlite nearest --model M QUERY IMAGE_OR_DIR... [-k 5] [--jobs N] | '
  + 'embedlite nearest --index FILE.jsonl QUERY [--model M] [-k 5]';

/** `embedlite nearest`: images ranked by cosine similarity to QUERY, from a folder or a saved `embed` output. */
export const nearestCommand = async (argv: string[], io: CliIo): Promise<number> => {
  const spec: ArgsSpec = {
    usage: NEAREST_USAGE,
    flags: { ...MODEL_FLAGS, ...BATCH_FLAGS, k: { type: 'number', short: 'k' }, index: { type: 'string' }, roi: { type: 'string' }, rotation: { type: 'number' } },
    positionals: { min: 1 },
  };
  const args = parse(argv, spec, [
    ...MODEL_OPTIONS_HELP, ...BATCH_HELP,
    '  -k N                  how many to list (default 5)',
    '  --index FILE          rank the embeddings of FILE (written by `embedlite embed --out`) instead of embedding',
    '                        images; QUERY is a path in FILE, or an image embedded with --model',
  ], io);
  if (!args) return 0;
  const k = positiveInteger(args, 'k', NEAREST_USAGE) ?? 5;
  const show = (rank: number, score: number, file: string): void => io.out(`${String(rank).padStart(3)}  ${score.toFixed(6)}  ${file}`);
  const indexFile = args.string('index');
  if (indexFile !== undefined) {
    if (args.positionals.length !== 1) throw new UsageError('with --index, give one QUERY (an image, or a path in the index)', NEAREST_USAGE);
    const query = args.positionals[0]!;
    const index = loadIndex(indexFile, args.number('head') ?? 0);
    const at = index.paths.findIndex((p) => path.resolve(p) === path.resolve(query));
    let vector: ArrayLike<number>;
    if (at >= 0) vector = index.rows.subarray(at * index.dim, (at + 1) * index.dim);
    else {
      if (!args.string('model')) throw new UsageError(`'${query}' is not in ${indexFile}: give --model to embed it`, NEAREST_USAGE);
      const { embedder } = loadModel(args, NEAREST_USAGE, io);
      const e = headOf(embedFile(embedder, query, processingOf(args, '', NEAREST_USAGE), args.bool('profile') ? io : undefined), args, NEAREST_USAGE);
      if (!!e.quantizedEmbedding !== index.quantized) {
        throw new UsageError(`${indexFile} holds ${index.quantized ? 'quantized' : 'float'} embeddings: ${index.quantized ? 'add' : 'drop'} --quantize`, NEAREST_USAGE);
      }
      vector = (e.floatEmbedding ?? e.quantizedEmbedding)!;
    }
    const hits = topK(index, vector, k, new Set(at >= 0 ? [at] : []));
    hits.forEach((h, i) => show(i + 1, h.score, index.paths[h.index]!));
    return 0;
  }
  if (args.positionals.length < 2) throw new UsageError('give QUERY and the images or folders to rank (or --index FILE)', NEAREST_USAGE);
  const [queryPath, ...paths] = args.positionals as [string, ...string[]];
  const { embedder, setup } = loadModel(args, NEAREST_USAGE, io);
  const query = headOf(embedFile(embedder, queryPath, processingOf(args, '', NEAREST_USAGE), args.bool('profile') ? io : undefined), args, NEAREST_USAGE);
  embedder.close();
  const tally = new Tally();
  const ranked: { file: string; score: number }[] = [];
  await embedBatch(paths, args, NEAREST_USAGE, io, setup, tally, (f) => path.resolve(f) !== path.resolve(queryPath), (file, heads) => {
    const h = headOf(heads, args, NEAREST_USAGE);
    ranked.push({ file, score: cosineSimilarity(query, h.vector) });
  });
  ranked.sort((a, b) => b.score - a.score);
  ranked.slice(0, k).forEach((r, i) => show(i + 1, r.score, r.file));
  if (tally.failed.length > 0 || tally.skipped.length > 0) for (const line of tally.summary('ranked')) io.err(line);
  return tally.failed.length > 0 ? 1 : 0;
};
