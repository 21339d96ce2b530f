/**
 * Runs one operator on given inputs: the TFLM KernelRunner idea. Kernel tests describe a single-op case
 * with this shape; `runOp` builds the node and runs prepare + eval and returns the output tensors.
 * (The lead switches the implementation to "write a model with the writer, read it, run it in the
 * Interpreter" without changing this signature.)
 */
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { BuiltinOperator, TensorType, builtinName } from '../../schema/enums.js';
import type { QuantizationParams } from '../../schema/types.js';
import type { KernelNode } from '../../kernels/kernel.js';
import { createBuiltinResolver } from '../../kernels/register_builtins.js';
import { Tensor, elementCount, typedView, bytesPerElement } from '../../src/tensor.js';

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
}

/** Per-tensor quantization parameters, the common case in tests. */
export function q(scale: number, zeroPoint: number): QuantizationParams {
  return { scale: [scale], zeroPoint: [zeroPoint], quantizedDimension: 0 };
}

function makeTensor(index: number, spec: OpTensorSpec, fallbackName: string): Tensor {
  const n = elementCount(spec.shape);
  const data = typedView(spec.type, new ArrayBuffer(n * bytesPerElement(spec.type)), 0, n);
  if (spec.data) (data as unknown as { set(a: ArrayLike<unknown>): void }).set(spec.data as ArrayLike<unknown>);
  return new Tensor(index, spec.name ?? fallbackName, spec.type, [...spec.shape], spec.quant ?? null, !!spec.constant, data);
}

export function runOp(c: OpCase): Tensor[] {
  const resolver = createBuiltinResolver();
  const version = c.version ?? 1;
  const isCustom = typeof c.op === 'string';
  const kernel = isCustom ? resolver.custom(c.op as string) : resolver.builtin(c.op as number, version);
  const opName = isCustom ? (c.op as string) : builtinName(c.op as number);
  if (!kernel) throw new Error(`no kernel for ${opName} v${version}`);
  let next = 0;
  const inputs = c.inputs.map((s, i) => (s ? makeTensor(next++, s, `input${i}`) : null));
  const outputs = c.outputs.map((o, i) => new Tensor(next++, `output${i}`, o.type, o.shape ?? [], o.quant ?? null, false));
  const node: KernelNode = {
    index: 0, opName, version, options: c.options ?? null, customOptions: c.customOptions ?? null, inputs, outputs,
  };
  const data = kernel.prepare(node);
  for (const t of outputs) {
    const n = elementCount(t.shape);
    t.data = typedView(t.type, new ArrayBuffer(n * bytesPerElement(t.type)), 0, n);
  }
  kernel.eval(node, data);
  return outputs;
}
