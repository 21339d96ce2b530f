/**
 * The oracle: TFLite's own C++ interpreter (with XNNPACK), compiled to WebAssembly and shipped in the devDependency
 * `@tensorflow/tfjs-tflite` (0.0.1-alpha.10). Its JS wrapper wants a browser, so this loads the Emscripten factory
 * `wasm/tflite_web_api_cc_simd.js` directly with the `.wasm` bytes as `wasmBinary` (nothing is fetched) and drives
 * the embind class `TFLiteWebModelRunner`.
 *
 * XNNPACK is always on: float results differ from reference arithmetic in the last bits (compare with atol ~2e-4
 * plus a small rtol); quantized outputs are XNNPACK's and TFLite's optimized kernels' bytes, which embedlite's default
 * 'tflite-cpu' arithmetic reproduces exactly (compare with 0 tolerance; 'reference' mode differs by ±1, compounding).
 * It cannot run MediaPipe's custom op `Convolution2DTransposeBias` (use selfie_segmentation.patched.tflite).
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export type OracleArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array
  | Uint32Array | BigInt64Array | BigUint64Array;

export interface OracleTensor {
  name: string;
  shape: number[];
  /** TFLite's dtype name: 'float32', 'int8', 'uint8', 'int32', ... */
  dtype: string;
  /** A copy of the tensor data (it outlives the wasm runner). */
  data: OracleArray;
}

export interface OracleRun {
  inputs: { name: string; shape: number[]; dtype: string }[];
  outputs: OracleTensor[];
}

export interface OracleTiming {
  runs: number;
  medianMs: number;
  minMs: number;
}

export interface Oracle {
  /** Input and output names, shapes and dtypes, as TFLite sees them (nothing is run). */
  inspect(modelBytes: Uint8Array): Omit<OracleRun, 'outputs'> & { outputs: Omit<OracleTensor, 'data'>[] };
  /** Runs the model once on `inputs` (one typed array per model input, in input order; byte sizes must match). */
  run(modelBytes: Uint8Array, inputs: ArrayBufferView[]): OracleRun;
  /** Times `Infer()` (inputs already in place) `runs` times after 2 warm-ups. */
  time(modelBytes: Uint8Array, inputs: ArrayBufferView[], runs: number): OracleTiming;
  /**
   * A runner kept open with its inputs set, for timing interleaved with another runtime: `infer()` runs once and
   * returns its ms. `close()` frees the wasm memory; call it in a `finally`.
   */
  open(modelBytes: Uint8Array, inputs: ArrayBufferView[]): OracleSession;
}

export interface OracleSession {
  infer(): number;
  close(): void;
}

// ---- the embind surface we use (tflite_web_api_client.js makes the same calls)
interface EmVector<T> { size(): number; get(i: number): T; delete(): void }
interface WasmTensor { id: number; name: string; dataType: string; shape: string; data(): OracleArray }
interface WasmRunner {
  GetInputs(): EmVector<WasmTensor>;
  GetOutputs(): EmVector<WasmTensor>;
  Infer(): boolean;
  delete?(): void;
}
interface WasmStatus { ok(): boolean; errorMessage(): string; value(): WasmRunner }
interface TfliteModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(ptr: number, len: number, opts: {
      numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number;
    }): WasmStatus;
  };
}
type Factory = (opts: Record<string, unknown>) => Promise<TfliteModule>;

const require = createRequire(import.meta.url);

let modulePromise: Promise<TfliteModule> | null = null;

function loadModule(): Promise<TfliteModule> {
  if (!modulePromise) {
    const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
    const factory = require(path.join(wasmDir, 'tflite_web_api_cc_simd.js')) as Factory;
    modulePromise = factory({
      wasmBinary: fs.readFileSync(path.join(wasmDir, 'tflite_web_api_cc_simd.wasm')),
      print: (s: string) => console.error('[tflite] ' + s),
      printErr: (s: string) => { if (!s.includes('Created TensorFlow Lite XNNPACK delegate')) console.error('[tflite] ' + s); },
    });
  }
  return modulePromise;
}

function toArray<T>(v: EmVector<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

function parseShape(s: string): number[] {
  return s === '' ? [] : s.split(',').map(Number);
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Copies a wasm-heap view out into a fresh typed array of the same kind. */
function copyOut(view: OracleArray, t?: WasmTensor): OracleArray {
  if (typeof (view as { slice?: unknown })?.slice !== 'function') {
    throw new Error(`oracle: tensor '${t?.name}' (${t?.dataType} [${t?.shape}]) has no typed-array data (got ${Object.prototype.toString.call(view)})`);
  }
  return view.slice() as OracleArray;
}

/**
 * Creates a runner for `modelBytes`; `close` deletes the runner and frees the model buffer (the model must stay in
 * wasm memory for the runner's lifetime: TFLite does not copy it).
 */
function openRunner(mod: TfliteModule, modelBytes: Uint8Array): { runner: WasmRunner; close(): void } {
  const ptr = mod._malloc(modelBytes.length);
  if (!ptr) throw new Error('oracle: wasm malloc failed');
  mod.HEAPU8.set(modelBytes, ptr);
  try {
    const status = mod.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, modelBytes.length, {
      numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024,
    });
    if (!status.ok()) throw new Error('oracle: TFLite failed to create an interpreter: ' + status.errorMessage());
    const runner = status.value();
    return { runner, close: () => { runner.delete?.(); mod._free(ptr); } };
  } catch (e) {
    mod._free(ptr);
    throw e;
  }
}

function withRunner<T>(mod: TfliteModule, modelBytes: Uint8Array, body: (r: WasmRunner) => T): T {
  const { runner, close } = openRunner(mod, modelBytes);
  try {
    return body(runner);
  } finally {
    close();
  }
}

function setInputs(r: WasmRunner, inputs: ArrayBufferView[]): WasmTensor[] {
  const ts = toArray(r.GetInputs());
  if (inputs.length !== ts.length) throw new Error(`oracle: model has ${ts.length} input(s), ${inputs.length} given`);
  ts.forEach((t, k) => {
    const view = t.data();
    const dst = bytesOf(view);
    const src = bytesOf(inputs[k]!);
    if (src.length !== dst.length) {
      throw new Error(`oracle: input ${k} '${t.name}' (${t.dataType} [${t.shape}]) needs ${dst.length} bytes, got ${src.length}`);
    }
    dst.set(src);
  });
  return ts;
}

function infer(r: WasmRunner): void {
  if (!r.Infer()) throw new Error('oracle: Infer() failed');
}

/** Loads the TFLite wasm runtime once per process (later calls share it). */
export async function loadOracle(): Promise<Oracle> {
  const mod = await loadModule();
  const meta = (t: WasmTensor) => ({ name: t.name, shape: parseShape(t.shape), dtype: t.dataType });
  return {
    inspect(modelBytes) {
      return withRunner(mod, modelBytes, (r) => ({
        inputs: toArray(r.GetInputs()).map(meta),
        outputs: toArray(r.GetOutputs()).map(meta),
      }));
    },
    run(modelBytes, inputs) {
      return withRunner(mod, modelBytes, (r) => {
        const ins = setInputs(r, inputs);
        infer(r);
        const outs = toArray(r.GetOutputs());
        return {
          inputs: ins.map(meta),
          outputs: outs.map((t) => ({ ...meta(t), data: copyOut(t.data(), t) })),
        };
      });
    },
    time(modelBytes, inputs, runs) {
      return withRunner(mod, modelBytes, (r) => {
        setInputs(r, inputs);
        infer(r);
        infer(r);
        const ts: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          infer(r);
          ts.push(performance.now() - t0);
        }
        return { runs, ...medianMin(ts) };
      });
    },
    open(modelBytes, inputs) {
      const { runner, close } = openRunner(mod, modelBytes);
      try {
        setInputs(runner, inputs);
      } catch (e) {
        close();
        throw e;
      }
      let closed = false;
      return {
        infer() {
          if (closed) throw new Error('oracle: session is closed');
          const t0 = performance.now();
          infer(runner);
          return performance.now() - t0;
        },
        close() {
          if (!closed) close();
          closed = true;
        },
      };
    },
  };
}

/** Median and minimum of a list of times. */
export function medianMin(ts: number[]): { medianMs: number; minMs: number } {
  const s = [...ts].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { medianMs: NaN, minMs: NaN };
  const medianMs = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { medianMs, minMs: s[0]! };
}
