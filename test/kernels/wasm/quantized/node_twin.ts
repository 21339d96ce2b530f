/**
 * Runs one quantized node on its typed-array kernel and on its SIMD variant (over a TestRuntime), from the same
 * tensors, and returns both outputs: the twins must agree byte for byte.
 */
import type { Kernel, KernelNode, QuantizedArithmetic } from '../../../../kernels/kernel.js';
import { Tensor, typedView } from '../../../../kernels/tensor.js';
import type { QSimdKernel } from '../../../../kernels/wasm/quantized/conv.js';
import type { QuantizationParams } from '../../../../schema/types.js';
import { TensorType } from '../../../../schema/enums.js';
import { TestRuntime } from './harness.js';

export interface TensorSpec {
  type: TensorType;
  shape: number[];
  data: ArrayLike<number>;
  quant: QuantizationParams | null;
  constant?: boolean;
}

export interface NodeCase {
  opName: string;
  options: unknown;
  inputs: (TensorSpec | null)[];
  output: { type: TensorType; quant: QuantizationParams };
}

function tensor(i: number, s: TensorSpec): Tensor {
  const data = s.type === TensorType.INT32 ? Int32Array.from(s.data)
    : s.type === TensorType.UINT8 ? Uint8Array.from(s.data) : Int8Array.from(s.data);
  return new Tensor(i, `t${i}`, s.type, [...s.shape], s.quant, !!s.constant, data);
}

function node(c: NodeCase, mode: QuantizedArithmetic): KernelNode<never> {
  return {
    index: 0, opName: c.opName, version: 1, options: c.options as never, customOptions: null,
    inputs: c.inputs.map((s, i) => (s ? tensor(i, s) : null)),
    outputs: [new Tensor(9, 'out', c.output.type, [], c.output.quant, false)],
    context: { quantizedArithmetic: mode },
  };
}

let shared: TestRuntime | null = null;

/**
 * js: the typed-array output; wasm: the SIMD output, or null when the SIMD prepare declined the node. With
 * `moveInput` the SIMD node runs again with input 0 at another address and must give the same bytes.
 */
export function runNodeTwin<D, O>(js: Kernel<unknown, O>, simd: QSimdKernel<D, O>, c: NodeCase, mode: QuantizedArithmetic, moveInput = false):
  { js: Uint8Array; wasm: Uint8Array | null; shape: number[] } {
  const nj = node(c, mode);
  const dj = js.prepare(nj as KernelNode<O>);
  const oj = nj.outputs[0]!;
  oj.data = typedView(oj.type, new ArrayBuffer(oj.size), 0, oj.size);
  js.eval(nj as KernelNode<O>, dj);
  const jsOut = new Uint8Array(oj.data.buffer.slice(0));

  if (!shared || shared.memory.buffer.byteLength > 64 << 20) shared = new TestRuntime();
  const rt = shared;
  const rtApi = { memory: rt.memory, alloc: rt.alloc.bind(rt), fn: (n: string) => rt.exports[n]! };
  const nw = node(c, mode);
  const dw = simd.prepare(nw as KernelNode<O>, rtApi);
  if (dw === null) return { js: jsOut, wasm: null, shape: oj.shape };
  // Activations (non-constant inputs, the output) live in wasm memory, as the interpreter's arena does.
  const ow = nw.outputs[0]!;
  const acts = nw.inputs.filter((t): t is Tensor => !!t && !t.isConstant);
  const ptrs = acts.map((t) => rt.alloc(t.size));
  const op = rt.alloc(ow.size);
  acts.forEach((t, i) => {
    const src = t.data as Uint8Array;
    t.data = typedView(t.type, rt.memory.buffer, ptrs[i]!, t.size);
    (t.data as Uint8Array).set(src);
  });
  ow.data = typedView(ow.type, rt.memory.buffer, op, ow.size);
  simd.eval(nw as KernelNode<O>, dw, rtApi);
  const first = rt.bytes(op, ow.size);
  if (moveInput) {
    // The same plan with input 0 moved elsewhere: indirection buffers must follow it (q8_rebase).
    const x = acts[0]!, moved = rt.alloc(x.size);
    new Uint8Array(rt.memory.buffer, moved, x.size).set(new Uint8Array(rt.memory.buffer, x.data.byteOffset, x.size));
    new Uint8Array(rt.memory.buffer, x.data.byteOffset, x.size).fill(0x5a);
    x.data = typedView(x.type, rt.memory.buffer, moved, x.size);
    ow.data = typedView(ow.type, rt.memory.buffer, op, ow.size);
    new Uint8Array(rt.memory.buffer, op, ow.size).fill(0);
    simd.eval(nw as KernelNode<O>, dw, rtApi);
    const again = rt.bytes(op, ow.size);
    if (again.some((v, i) => v !== first[i])) throw new Error('output changed after the input moved');
  }
  return { js: jsOut, wasm: first, shape: ow.shape };
}
