/**
 * `embedlite run MODEL [--input FILE.bin ...] [--out DIR] [--runs N] [--profile]`
 *
 * Runs a model once (or N timed times) and prints each output's shape, dtype and first values.
 * - `--input`: raw little-endian tensor bytes, one file per model input, in input order (repeat the flag or list
 *   several files after it). Without it, every input gets the deterministic pattern of `pattern.ts`.
 * - `--out DIR`: writes DIR/out<k>.bin, the raw bytes of output k.
 * - `--runs N`: median and min ms per invoke over N invokes after 2 warm-ups.
 * - `--profile`: time per op type and the slowest nodes (averaged over max(N, 5) profiled invokes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TensorType } from '../../schema/enums.js';
import { Interpreter, type NodeTiming } from '../interpreter.js';
import { ENGINE_FLAGS, ENGINE_HELP, type EngineOptions, engineOptions } from './engine_flags.js';
import type { Tensor } from '../../kernels/tensor.js';
import { fillPattern } from './pattern.js';
import { UsageError, parseArgs } from './args.js';
import type { CommandFn } from './io.js';

export interface RunOptions {
  model: string;
  inputs: string[];
  out?: string;
  runs: number;
  profile: boolean;
  /** Backend and quantized arithmetic (absent: the library's defaults). */
  engine?: EngineOptions;
}

export type Log = (line: string) => void;

export const RUN_USAGE = 'usage: embedlite run MODEL [--input FILE.bin ...] [--out DIR] [--runs N] [--profile]';

/** Lower-case dtype name, as TFLite's tools print it ('float32', 'uint8', ...). */
export function dtypeName(type: TensorType): string {
  return (TensorType[type] ?? `type${type}`).toLowerCase();
}

function fmtValue(x: number | bigint): string {
  if (typeof x === 'bigint' || Number.isInteger(x)) return String(x);
  return String(+x.toPrecision(6));
}

/** One line describing a tensor: name, dtype, shape and quantization. */
export function describeTensor(t: Tensor): string {
  let s = `'${t.name}' ${dtypeName(t.type)} [${t.shape.join(',')}]`;
  if (t.quant && t.quant.scale.length === 1) s += ` scale=${+t.quant.scale[0]!.toPrecision(6)} zp=${t.quant.zeroPoint[0]}`;
  else if (t.quant && t.quant.scale.length > 1) s += ` per-axis quantization (${t.quant.scale.length} scales)`;
  return s;
}

/** Summary of an output: element count, min, max and the first `head` values. */
export function summarize(t: Tensor, head = 8): string {
  const d = t.data;
  let mn = Infinity, mx = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const x = Number(d[i]);
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  const first: string[] = [];
  for (let i = 0; i < Math.min(head, d.length); i++) first.push(fmtValue(d[i]!));
  return `n=${d.length} min=${fmtValue(mn)} max=${fmtValue(mx)} first=[${first.join(', ')}]`;
}

function medianMin(ts: number[]): { median: number; min: number } {
  const s = [...ts].sort((a, b) => a - b);
  const n = s.length;
  return { median: n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2, min: s[0]! };
}

/** Fills the interpreter's inputs from raw files (checked against the byte sizes) or with the pattern. */
export function fillInputs(it: Interpreter, files: readonly string[]): void {
  const n = it.inputs.length;
  if (files.length > 0 && files.length !== n) {
    throw new UsageError(`the model has ${n} input(s), ${files.length} --input file(s) given`, RUN_USAGE);
  }
  for (let k = 0; k < n; k++) {
    const t = it.input(k);
    if (files.length === 0) {
      fillPattern(t.data, t.type);
      continue;
    }
    const src = fs.readFileSync(files[k]!);
    if (src.byteLength !== t.data.byteLength) {
      throw new UsageError(`${files[k]} has ${src.byteLength} bytes, input ${k} ${describeTensor(t)} needs ${t.data.byteLength}`);
    }
    new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).set(src);
  }
}

/** Per-op-type totals and the slowest nodes of averaged profiles. */
export function profileReport(profiles: NodeTiming[][], slowest = 10): string[] {
  const runs = profiles.length;
  const perNode = new Map<number, NodeTiming>();
  for (const p of profiles) {
    for (const t of p) {
      const e = perNode.get(t.node);
      if (e) e.ms += t.ms;
      else perNode.set(t.node, { ...t });
    }
  }
  const nodes = [...perNode.values()].map((t) => ({ ...t, ms: t.ms / runs }));
  const total = nodes.reduce((s, t) => s + t.ms, 0);
  const byOp = new Map<string, { ms: number; count: number; wasm: number }>();
  for (const t of nodes) {
    const e = byOp.get(t.op) ?? { ms: 0, count: 0, wasm: 0 };
    e.ms += t.ms;
    e.count++;
    if (t.backend === 'wasm') e.wasm++;
    byOp.set(t.op, e);
  }
  const backends = (e: { count: number; wasm: number }): string =>
    e.wasm === e.count ? 'wasm' : e.wasm === 0 ? 'js' : `wasm ${e.wasm}, js ${e.count - e.wasm}`;
  const pct = (ms: number) => (total > 0 ? ((100 * ms) / total).toFixed(1) : '0.0').padStart(5);
  const lines = [`profile: mean of ${runs} invoke(s), ${nodes.length} nodes, ${total.toFixed(3)} ms in kernels`, '  by op type:'];
  for (const [op, e] of [...byOp.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    lines.push(`    ${op.padEnd(28)} ${e.ms.toFixed(3).padStart(9)} ms ${pct(e.ms)}%  (${e.count} node${e.count > 1 ? 's' : ''}, ${backends(e)})`);
  }
  lines.push(`  slowest nodes:`);
  for (const t of [...nodes].sort((a, b) => b.ms - a.ms).slice(0, slowest)) {
    lines.push(`    node ${String(t.node).padStart(4)} ${t.op.padEnd(28)} ${t.ms.toFixed(3).padStart(9)} ms ${pct(t.ms)}%  ${t.backend}`);
  }
  return lines;
}

/** Runs `embedlite run` with parsed options; returns the process exit code. */
export function runModel(opts: RunOptions, log: Log = console.log): number {
  const bytes = fs.readFileSync(opts.model);
  const t0 = performance.now();
  const it = Interpreter.create(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), opts.engine ?? {});
  const createMs = performance.now() - t0;
  log(`model: ${opts.model} (${bytes.byteLength} bytes, ${it.nodeCount} nodes, created in ${createMs.toFixed(1)} ms)`);
  log(`backend: ${it.backend === 'wasm' ? 'wasm (WebAssembly SIMD; typed arrays for ops without a SIMD kernel)' : 'js (typed arrays)'}`);
  log(`arena: ${it.arenaBytes} bytes (sum of activation sizes ${it.activationBytes} bytes)`);
  it.inputs.forEach((t, k) => log(`  in${k} ${describeTensor(t)}`));
  fillInputs(it, opts.inputs);
  if (opts.inputs.length === 0) log('inputs: deterministic pattern p=(i*7919)%256 (uint8: p, int8: p-128, float32: p/255)');

  it.invoke();
  if (opts.runs > 0 || opts.profile) {
    it.invoke(); // second warm-up (the first was the invoke above)
  }
  if (opts.runs > 0) {
    const ts: number[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const s = performance.now();
      it.invoke();
      ts.push(performance.now() - s);
    }
    const { median, min } = medianMin(ts);
    log(`timing: ${opts.runs} run(s) after 2 warm-ups: median ${median.toFixed(3)} ms, min ${min.toFixed(3)} ms per invoke`);
  }
  if (opts.profile) {
    const profiles: NodeTiming[][] = [];
    for (let r = 0; r < Math.max(opts.runs, 5); r++) profiles.push(it.invokeProfiled());
    for (const line of profileReport(profiles)) log(line);
  }

  it.outputs.forEach((t, k) => log(`  out${k} ${describeTensor(t)} ${summarize(t)}`));
  if (opts.out) {
    fs.mkdirSync(opts.out, { recursive: true });
    it.outputs.forEach((t, k) => {
      fs.writeFileSync(path.join(opts.out!, `out${k}.bin`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    });
    log(`wrote ${it.outputs.length} output file(s) to ${opts.out}`);
  }
  return 0;
}

/** The `run` subcommand for main.ts's dispatch table. */
export const runCommand: CommandFn = (argv, io) => {
  const args = parseArgs(argv, {
    usage: RUN_USAGE,
    flags: {
      input: { type: 'string', multiple: true, variadic: true, short: 'i' },
      out: { type: 'string', short: 'o' },
      runs: { type: 'number', short: 'n' },
      profile: { type: 'boolean' },
      ...ENGINE_FLAGS,
    },
    positionals: { min: 1, max: 1 },
  });
  if (args.help) {
    io.out(RUN_USAGE);
    for (const line of HELP) io.out(line);
    return 0;
  }
  const runs = args.number('runs') ?? 0;
  if (!Number.isInteger(runs) || runs < 0) throw new UsageError(`--runs expects a non-negative integer, got ${runs}`, RUN_USAGE);
  return runModel({
    model: args.positionals[0]!, inputs: args.strings('input'), out: args.string('out'), runs, profile: args.bool('profile'),
    engine: engineOptions(args, RUN_USAGE),
  }, io.out);
};

const HELP = [
  '  --input FILE.bin ...  raw little-endian bytes of each input, in input order (default: the pattern',
  '                        p=(i*7919)%256: uint8 p, int8 p-128, float32 p/255)',
  '  --out DIR             write DIR/out<k>.bin, the raw bytes of output k',
  '  --runs N              time N invokes after 2 warm-ups (median and min ms)',
  '  --profile             time per op type and the slowest nodes',
  ...ENGINE_HELP,
];
