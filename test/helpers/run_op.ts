/**
 * Runs one operator on given inputs: the TFLM KernelRunner idea, through a real single-op model.
 * Kernel tests describe a case with this shape and get the output tensors back.
 */
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import type { BuiltinOperator, TensorType } from '../../schema/enums.js';
import type { QuantizationParams } from '../../schema/types.js';
import { createBuiltinResolver } from '../../kernels/register_builtins.js';
import type { QuantizedArithmetic } from '../../kernels/kernel.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import { Interpreter, type InterpreterOptions } from '../../src/interpreter.js';
import { testBackend } from './backend.js';
import { type Tensor, elementCount } from '../../kernels/tensor.js';

export interface OpTensorSpec {
  type: TensorType;
  shape: number[];
  /** Values in the tensor's element type (quantized ints for quantized tensors). */
  data?: ArrayLike<number> | ArrayLike<bigint>;
  quant?: QuantizationParams | null;
  /** A weight (model buffer) rather than a model input. Constant inputs are visible to prepare. */
  constant?: boolean;
  name?: string;
}

export interface OpCase {
  /** Builtin op, or the name of a custom op. */
  op: BuiltinOperator | string;
  version?: number;
  options?: BuiltinOptions | null;
  customOptions?: Uint8Array | null;
  /** null for an omitted optional input. */
  inputs: (OpTensorSpec | null)[];
  /** Output types and quantization; shapes are computed by the kernel. */
  outputs: { type: TensorType; quant?: QuantizationParams | null; shape?: number[] }[];
  /** The interpreter's quantized arithmetic (default: the interpreter's default, 'tflite-cpu'). */
  quantizedArithmetic?: QuantizedArithmetic;
}

/** Per-tensor quantization parameters, the common case in tests. */
export function q(scale: number, zeroPoint: number): QuantizationParams {
  return { scale: [scale], zeroPoint: [zeroPoint], quantizedDimension: 0 };
}

/**
 * Builds a one-op model with the ModelBuilder, writes it with the model writer, reads it back and runs it
 * in the Interpreter: kernel tests therefore also exercise the writer, the reader and the interpreter.
 * Constant inputs become model buffers; the others become graph inputs, filled before invoke.
 */
export function runOp(c: OpCase, options: InterpreterOptions = {}): Tensor[] {
  return runOpInterpreter(c, options).outputs;
}

/** As `runOp`, returning the invoked interpreter (to ask which backend ran the node). */
export function runOpInterpreter(c: OpCase, options: InterpreterOptions = {}): Interpreter {
  const b = new ModelBuilder();
  const feeds: { input: number; data: OpTensorSpec['data'] }[] = [];
  const inputs = c.inputs.map((s, i) => {
    if (!s) return -1;
    const init = { quantization: s.quant ?? null };
    const name = s.name ?? `input${i}`;
    if (s.constant) {
      const n = elementCount(s.shape);
      return b.constant(name, s.type, s.shape, (s.data ?? new Array<number>(n).fill(0)) as ArrayLike<number>, init);
    }
    const t = b.input(name, s.type, s.shape, init);
    feeds.push({ input: feeds.length, data: s.data });
    return t;
  });
  const outputs = c.outputs.map((o, i) => b.tensor(`output${i}`, o.type, o.shape ?? [], { quantization: o.quant ?? null }));
  if (typeof c.op === 'string') b.customOp(c.op, inputs, outputs, c.customOptions ?? null, c.version ?? 1);
  else b.op(c.op, inputs, outputs, c.options ?? null, c.version ?? 1);
  for (const o of outputs) b.output(o);
  const bytes = writeModel(b.build());
  const resolver = createBuiltinResolver();
  if (typeof c.op === 'string' && !resolver.custom(c.op)) throw new Error(`no kernel for custom op ${c.op}`);
  const it = Interpreter.create(bytes, {
    backend: testBackend(), ...(c.quantizedArithmetic ? { quantizedArithmetic: c.quantizedArithmetic } : {}), ...options, resolver,
  });
  for (const f of feeds) {
    if (f.data) (it.input(f.input).data as unknown as { set(a: ArrayLike<unknown>): void }).set(f.data as ArrayLike<unknown>);
  }
  it.invoke();
  return it;
}
