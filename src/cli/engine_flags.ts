/** The flags that choose how a model runs, shared by `run`, `embed`, `similarity` and `nearest`. */
import { BACKENDS, type Backend, QUANTIZED_ARITHMETICS, type QuantizedArithmetic } from '../../kernels/kernel.js';
import { type FlagSpec, type ParsedArgs, UsageError } from './args.js';

export const ENGINE_FLAGS: Record<string, FlagSpec> = {
  backend: { type: 'string' },
  'quantized-arithmetic': { type: 'string' },
};

export const ENGINE_HELP = [
  `  --backend B           kernels: ${BACKENDS.join(' | ')} (default auto: WebAssembly SIMD where available)`,
  `  --quantized-arithmetic A  ${QUANTIZED_ARITHMETICS.join(' | ')} (default tflite-cpu: TFLite's CPU bytes;`,
  '                        reference: TFLite reference kernels / TFLite Micro)',
];

export interface EngineOptions {
  backend?: Backend;
  quantizedArithmetic?: QuantizedArithmetic;
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
  return { ...(backend ? { backend } : {}), ...(quantizedArithmetic ? { quantizedArithmetic } : {}) };
}
