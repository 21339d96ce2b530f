/**
 * `npm run bench` (tsx bench/run.ts [--runs N] [--only substring,...] [--model FILE.tflite ...] [--no-oracle] [--no-extra])
 *
 * `--model` benches any other .tflite file the same way (instead of the built-in list, unless --only is given).
 * For each real model: ms per invoke (median and min of N after 2 warm-ups) in embedlite's wasm backend (WebAssembly
 * SIMD), its js backend (typed arrays) and, in the same process (invokes alternating wasm, js, TFLite), TFLite's own
 * WASM runtime (XNNPACK, SIMD, 1 thread) on the same pattern input; the ratios to TFLite, and the arena size next to
 * the sum of activation sizes. A model that fails is an error row, not a crash. `--no-js` skips the js backend.
 * Then the optional sections (bench/image.ts, bench/embedder.ts when present).
 * Writes bench/results/bench.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TensorType } from '../schema/enums.js';
import { Interpreter } from '../src/interpreter.js';
import { fillPattern, makePattern } from '../src/cli/pattern.js';
import { loadOracle, medianMin, type Oracle, type OracleSession } from '../test/helpers/tflite_oracle.js';
import { MODELS, type ModelName, loadModelFile } from '../test/helpers/models.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

interface BenchModel {
  name: string;
  /** A model of the test suite, or a file given with --model. */
  model: ModelName | { file: string };
  /** The model the oracle runs, when it cannot run embedlite's (custom ops). */
  oracleModel?: ModelName;
}

/** The real models of issues 3 and 4, in report order. */
export const BENCH_MODELS: BenchModel[] = [
  { name: 'mobilenet_v1_0.25_224_1_default_1', model: 'mobilenetFloat' },
  { name: 'mobilenet_v1_0.25_224_1_metadata_1', model: 'mobilenetFloatMetadata' },
  { name: 'mobilenet_v1_0.25_224_quant', model: 'mobilenetQuant' },
  { name: 'mobilenet_v2_quantized_1x3x224x224', model: 'mobilenetV2Int8' },
  { name: 'dilated_conv', model: 'dilatedConv' },
  { name: 'face_detection_short_range', model: 'faceShort' },
  { name: 'face_detection_full_range', model: 'faceFull' },
  { name: 'face_detection_full_range_sparse', model: 'faceFullSparse' },
  { name: 'selfie_segmentation (oracle: patched)', model: 'selfie', oracleModel: 'selfiePatched' },
  { name: 'hand_landmark_lite', model: 'handLite' },
  { name: 'hand_landmark_full', model: 'handFull' },
];

export interface Timing { medianMs: number; minMs: number; runs: number }

export interface BenchRow {
  name: string;
  file: string;
  createMs?: number;
  /** The wasm backend (WebAssembly SIMD; ops without a SIMD kernel run typed arrays). */
  embedlite?: Timing;
  /** The js backend (typed arrays only). */
  js?: Timing;
  oracle?: Timing;
  /** embedlite median / oracle median. */
  ratio?: number;
  /** embedlite min / oracle min: steadier than the medians on a loaded machine. */
  ratioMin?: number;
  /** js backend median / oracle median. */
  ratioJs?: number;
  arenaBytes?: number;
  activationBytes?: number;
  error?: string;
  oracleError?: string;
}

function errorText(e: unknown): string {
  const err = e as Error;
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`.split('\n')[0]!.slice(0, 300);
}

/** Runs count scaled so each side spends about `budgetMs` timing, within [minRuns, maxRuns]. */
function runsFor(oneMs: number, budgetMs: number, minRuns: number, maxRuns: number): number {
  return Math.max(minRuns, Math.min(maxRuns, Math.round(budgetMs / Math.max(oneMs, 0.01))));
}

/**
 * Times one model. embedlite and the oracle alternate invoke by invoke, so load changes on a shared machine hit
 * both sides alike and the ratio stays meaningful.
 */
export function benchModel(m: BenchModel, oracle: Oracle | null, runs: number | null, withJs = true): BenchRow {
  const file = typeof m.model === 'string' ? MODELS[m.model] : m.model.file;
  const row: BenchRow = { name: m.name, file: path.relative(process.cwd(), file) };
  if (!fs.existsSync(file)) {
    row.error = `missing ${file}`;
    return row;
  }
  const bytes = loadModelFile(file);
  let it: Interpreter | null = null;
  let itJs: Interpreter | null = null;
  let session: OracleSession | null = null;
  try {
    let inputs: ArrayBufferView[] | null = null;
    try {
      const t0 = performance.now();
      it = Interpreter.create(bytes, { backend: 'wasm' });
      row.createMs = performance.now() - t0;
      for (let k = 0; k < it.inputs.length; k++) fillPattern(it.input(k).data, it.input(k).type);
      if (withJs) {
        itJs = Interpreter.create(bytes, { backend: 'js' });
        for (let k = 0; k < itJs.inputs.length; k++) fillPattern(itJs.input(k).data, itJs.input(k).type);
      }
      inputs = it.inputs.map((t) => t.data.slice());
      row.arenaBytes = it.arenaBytes;
      row.activationBytes = it.activationBytes;
    } catch (e) {
      row.error = errorText(e);
      it = null;
    }
    if (oracle) {
      try {
        const oracleBytes = m.oracleModel ? loadModelFile(MODELS[m.oracleModel]) : bytes;
        // Without an embedlite interpreter, make the pattern from the shapes TFLite reports.
        inputs ??= oracle.inspect(oracleBytes).inputs.map((t) => makePattern(dtypeOf(t.dtype), t.shape.reduce((a, b) => a * b, 1)));
        session = oracle.open(oracleBytes, inputs);
      } catch (e) {
        row.oracleError = errorText(e);
      }
    }
    const ours: number[] = [], theirs: number[] = [], js: number[] = [];
    const step = (): void => {
      if (it && !row.error) {
        try {
          const s = performance.now();
          it.invoke();
          ours.push(performance.now() - s);
          if (itJs) {
            const s2 = performance.now();
            itJs.invoke();
            js.push(performance.now() - s2);
          }
        } catch (e) {
          row.error = errorText(e);
        }
      }
      if (session && !row.oracleError) {
        try {
          theirs.push(session.infer());
        } catch (e) {
          row.oracleError = errorText(e);
        }
      }
    };
    step(); // first invoke: sizes the run count
    let n = runs ?? 20;
    if (runs === null) n = runsFor(Math.max(ours[0] ?? 0, theirs[0] ?? 0), 1500, 5, 50);
    step();
    ours.length = 0;
    theirs.length = 0;
    js.length = 0;
    for (let r = 0; r < n; r++) step();
    if (ours.length === n) row.embedlite = { runs: n, ...medianMin(ours) };
    if (js.length === n) row.js = { runs: n, ...medianMin(js) };
    if (theirs.length === n) row.oracle = { runs: n, ...medianMin(theirs) };
    if (row.embedlite && row.oracle) {
      row.ratio = row.embedlite.medianMs / row.oracle.medianMs;
      row.ratioMin = row.embedlite.minMs / row.oracle.minMs;
    }
    if (row.js && row.oracle) row.ratioJs = row.js.medianMs / row.oracle.medianMs;
  } finally {
    session?.close();
  }
  return row;
}

function dtypeOf(dtype: string): TensorType {
  const map: Record<string, TensorType> = {
    float32: TensorType.FLOAT32, int32: TensorType.INT32, uint8: TensorType.UINT8, int64: TensorType.INT64,
    bool: TensorType.BOOL, int16: TensorType.INT16, int8: TensorType.INT8, float64: TensorType.FLOAT64,
  };
  const t = map[dtype];
  if (t === undefined) throw new Error(`no pattern for oracle dtype ${dtype}`);
  return t;
}

function fmtMs(t?: Timing): string {
  return t ? `${t.medianMs.toFixed(2)} / ${t.minMs.toFixed(2)}` : '-';
}

function fmtKiB(b?: number): string {
  return b === undefined ? '-' : `${(b / 1024).toFixed(0)} KiB`;
}

export function formatTable(rows: BenchRow[]): string {
  const head = ['model', 'wasm ms (med/min)', 'js ms (med/min)', 'tflite ms (med/min)', 'wasm/tflite med', 'min', 'js/tflite', 'arena', 'activations', 'runs'];
  const x = (v?: number) => (v !== undefined ? `${v.toFixed(2)}x` : '-');
  const body = rows.map((r) => [
    r.name, r.error ? 'ERROR' : fmtMs(r.embedlite), r.error ? 'ERROR' : fmtMs(r.js), r.oracleError ? 'ERROR' : fmtMs(r.oracle),
    x(r.ratio), x(r.ratioMin), x(r.ratioJs), fmtKiB(r.arenaBytes), fmtKiB(r.activationBytes),
    String(r.embedlite?.runs ?? r.oracle?.runs ?? '-'),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const r of rows) {
    if (r.error) out.push(`  ${r.name}: embedlite error: ${r.error}`);
    if (r.oracleError) out.push(`  ${r.name}: oracle error: ${r.oracleError}`);
  }
  return out.join('\n');
}

/**
 * Optional bench sections, each a module under bench/ exporting a function that runs it and returns a
 * JSON-serialisable result (it prints its own table). Absent files are skipped with a note.
 * The end-to-end embedder bench is the `embedder.ts` hook.
 */
const EXTRA_SECTIONS: { key: string; file: string; exportNames: string[] }[] = [
  { key: 'image', file: 'image.ts', exportNames: ['runImageBench', 'benchImage', 'run', 'main'] },
  { key: 'embedder', file: 'embedder.ts', exportNames: ['runEmbedderBench', 'benchEmbedder', 'run', 'main'] },
];

async function runExtraSections(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const s of EXTRA_SECTIONS) {
    const file = path.join(benchDir, s.file);
    if (!fs.existsSync(file)) {
      console.log(`\n[${s.key}] skipped: bench/${s.file} does not exist`);
      results[s.key] = { skipped: `bench/${s.file} does not exist` };
      continue;
    }
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const name = s.exportNames.find((e) => typeof mod[e] === 'function');
      if (!name) {
        console.log(`\n[${s.key}] skipped: bench/${s.file} exports none of ${s.exportNames.join(', ')}`);
        results[s.key] = { skipped: `no entry point among ${s.exportNames.join(', ')}` };
        continue;
      }
      console.log(`\n[${s.key}] bench/${s.file} ${name}()`);
      results[s.key] = (await (mod[name] as () => unknown)()) ?? null;
    } catch (e) {
      console.log(`\n[${s.key}] error: ${errorText(e)}`);
      results[s.key] = { error: errorText(e) };
    }
  }
  return results;
}

interface BenchArgs { runs: number | null; only: string[]; files: string[]; oracle: boolean; extra: boolean; js: boolean }

const USAGE = 'bench/run.ts [--runs N] [--only name,...] [--model FILE.tflite ...] [--no-oracle] [--no-extra] [--no-js]';

function parseArgs(argv: string[]): BenchArgs {
  const o: BenchArgs = { runs: null, only: [], files: [], oracle: true, extra: true, js: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--only') o.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--model') o.files.push(argv[++i] ?? '');
    else if (a === '--no-oracle') o.oracle = false;
    else if (a === '--no-extra') o.extra = false;
    else if (a === '--no-js') o.js = false;
    else throw new Error(`unknown argument ${a} (${USAGE})`);
  }
  if (o.runs !== null && !(Number.isInteger(o.runs) && o.runs > 0)) throw new Error('--runs needs a positive integer');
  return o;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const oracle = opts.oracle ? await loadOracle() : null;
  // --model files replace the built-in list (unless --only also picks some of it).
  const given: BenchModel[] = opts.files.map((file) => ({ name: path.basename(file, '.tflite'), model: { file } }));
  const builtIn = opts.only.length ? BENCH_MODELS.filter((m) => opts.only.some((s) => m.name.includes(s))) : given.length ? [] : BENCH_MODELS;
  const models = [...builtIn, ...given];
  console.log(`embedlite bench: node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}; runs ${opts.runs ?? 'auto (5..50)'} after 2 warm-ups; oracle: TFLite wasm (XNNPACK, SIMD, 1 thread)`);
  const rows: BenchRow[] = [];
  for (const m of models) {
    process.stdout.write(`  ${m.name} ...`);
    const row = benchModel(m, oracle, opts.runs, opts.js);
    rows.push(row);
    process.stdout.write(row.error ? ' error\n' : ` wasm ${row.embedlite!.medianMs.toFixed(2)} ms${row.ratio !== undefined ? ` (${row.ratio.toFixed(2)}x tflite)` : ''}${row.js ? `, js ${row.js.medianMs.toFixed(2)} ms` : ''}\n`);
  }
  console.log('\n' + formatTable(rows));
  const extra = opts.extra ? await runExtraSections() : {};
  const outDir = path.join(benchDir, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, 'bench.json');
  fs.writeFileSync(outFile, JSON.stringify({
    date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, cpus: os.cpus().length,
    oracle: opts.oracle ? '@tensorflow/tfjs-tflite 0.0.1-alpha.10 tflite_web_api_cc_simd.wasm, 1 thread' : null,
    models: rows, ...extra,
  }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
