/** The flags that choose how a model runs, shared by `run`, `embed`, `similarity` and `nearest`. */
import { BACKENDS, type Backend, QUANTIZED_ARITHMETICS, type QuantizedArithmetic } from '../../kernels/kernel.js';
import { type FlagSpec, type ParsedArgs, UsageError } from './args.js';

export const ENGINE_FLAGS: Record<string, FlagSpec> = {
  backend: { type: 'string' },
  'quantized-arithmetic': { type: 'string' },
  'max-arena': { type: 'string' },
};

export const ENGINE_HELP = [
  `  --backend B           kernels: ${BACKENDS.join(' | ')} (default auto: WebAssembly SIMD where available)`,
  `  --quantized-arithmetic A  ${QUANTIZED_ARITHMETICS.join(' | ')} (default tflite-cpu: TFLite's CPU bytes;`,
  '                        reference: TFLite reference kernels / TFLite Micro)',
  '  --max-arena SIZE      largest activation arena a model may ask for: bytes or 512MiB, 2GiB, 3GB (default 1GiB)',
];

export interface EngineOptions {
  backend?: Backend;
  quantizedArithmetic?: QuantizedArithmetic;
  maxArenaBytes?: number;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gib: 2 ** 30, kb: 1e3, mb: 1e6, gb: 1e9,
};

/** `--max-arena 2GiB` → 2147483648 (binary K/M/G/KiB/MiB/GiB, decimal KB/MB/GB, plain numbers are bytes). */
function byteSize(args: ParsedArgs, flag: string, usage: string): number | undefined {
  const v = args.string(flag);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes > 0)) throw new UsageError(`--${flag} must be a size such as 1073741824, 512MiB or 2GiB, got '${v}'`, usage);
  return bytes;
}

function choice<T extends string>(args: ParsedArgs, flag: string, choices: readonly T[], usage: string): T | undefined {
  const v = args.string(flag);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${v}'`, usage);
  return v as T;
}

/** The interpreter options the engine flags ask for (absent flags stay absent: the library's defaults apply). */
export function engineOptions(args: ParsedArgs, usage: string): EngineOptions {
  const backend = choice(args, 'backend', BACKENDS, usage);
  const quantizedArithmetic = choice(args, 'quantized-arithmetic', QUANTIZED_ARITHMETICS, usage);
  const maxArenaBytes = byteSize(args, 'max-arena', usage);
  return {
    ...(backend ? { backend } : {}), ...(quantizedArithmetic ? { quantizedArithmetic } : {}),
    ...(maxArenaBytes ? { maxArenaBytes } : {}),
  };
}
