/**
 * The kernel interface, TFLite's Prepare/Eval split without the C++ ceremony:
 * `prepare` runs once per node (and again after an input resize): it validates types, ranks and quantization,
 * sets each output's shape, repacks weights and computes every constant the node needs (multipliers, clamp
 * ranges, padding) into the returned data object. `eval` only loops over typed arrays: it must not allocate.
 */
import type { BuiltinOptions } from '../schema/builtin_options.js';
import { PrepareError } from '../schema/errors.js';
import type { Tensor } from './tensor.js';
import type { WasmRuntime } from './wasm/runtime.js';

/**
 * How quantized kernels round (see docs/quantized_arithmetic.md):
 * - 'tflite-cpu': what TFLite's default CPU path computes (XNNPACK's operators and TFLite's optimized kernels);
 * - 'reference': TFLite's reference_ops / TFLite Micro, bit for bit.
 */
export type QuantizedArithmetic = 'tflite-cpu' | 'reference';

export const QUANTIZED_ARITHMETICS: readonly QuantizedArithmetic[] = ['tflite-cpu', 'reference'];

/** Which kernels run: WebAssembly SIMD ('wasm') or the typed-array kernels ('js'); 'auto' picks wasm where it can. */
export type Backend = 'auto' | 'wasm' | 'js';

export const BACKENDS: readonly Backend[] = ['auto', 'wasm', 'js'];

/** What every kernel of one interpreter shares: chosen once at create time, read by kernels in `prepare`. */
export interface KernelContext {
  readonly quantizedArithmetic: QuantizedArithmetic;
  /**
   * The WebAssembly SIMD runtime when the wasm backend is active (null/absent: typed-array kernels only).
   * Kernels with a SIMD variant choose it in `prepare` (see kernels/wasm/variant.ts).
   */
  readonly wasm?: WasmRuntime | null;
}

export const DEFAULT_KERNEL_CONTEXT: KernelContext = { quantizedArithmetic: 'tflite-cpu' };

export interface KernelNode<O = BuiltinOptions | null> {
  /** Index of the node in its subgraph's operator list. */
  readonly index: number;
  /** Builtin name (`CONV_2D`) or custom code (`Convolution2DTransposeBias`). */
  readonly opName: string;
  readonly version: number;
  readonly options: O;
  readonly customOptions: Uint8Array | null;
  /** null for an omitted optional input (-1 in the model). */
  readonly inputs: readonly (Tensor | null)[];
  readonly outputs: readonly Tensor[];
  /** The interpreter's choices every kernel shares (arithmetic mode, backend). */
  readonly context: KernelContext;
  /**
   * Explicit spatial padding of input 0, [top, bottom, left, right], in place of the options' VALID: set by the
   * interpreter when it folds a PAD into this convolution (src/graph_fusion.ts); prepareWindow applies it.
   */
  readonly inputPadding?: readonly [number, number, number, number];
}

export interface Kernel<D = unknown, O = any> {
  /**
   * The outputs depend only on the input *shapes* (SHAPE): the interpreter evaluates such a node at prepare
   * time even when its input is an activation. Nodes whose inputs are all constant are evaluated at prepare
   * time anyway (constant folding), so later kernels see their outputs as constants.
   */
  readonly shapeOnly?: boolean;
  /** Set to false for a kernel that must never be folded (stateful ops). */
  readonly foldable?: boolean;
  /** Validate, set output shapes, precompute. Throw with `prepareError(node, ...)` on a rule broken. */
  prepare(node: KernelNode<O>): D;
  /** Compute the outputs. No allocation, no validation beyond data-dependent indices. */
  eval(node: KernelNode<O>, data: D): void;
  /** Which backend the prepared node runs on (absent: 'js'); `run --profile` reports it. */
  backendOf?(data: D): 'wasm' | 'js';
}

/** A PrepareError whose message names the node: "node 12 CONV_2D: filter has 3 scales but 8 output channels". */
export function prepareError(node: KernelNode<unknown>, message: string): PrepareError {
  return new PrepareError(`node ${node.index} ${node.opName} (v${node.version}): ${message}`);
}

/** Throws a PrepareError naming the node unless `cond` holds. The message is built only on failure. */
export function ensure(node: KernelNode<unknown>, cond: boolean, message: () => string): asserts cond {
  if (!cond) throw prepareError(node, message());
}

/**
 * Every present input is a constant (weights, or tensors folded earlier): the interpreter folds such a node at
 * prepare time, into buffers of its own, so SIMD variants leave it to the typed-array kernel.
 */
export function inputsAllConstant(node: KernelNode<unknown>): boolean {
  let present = 0;
  for (const t of node.inputs) {
    if (t === null) continue;
    if (!t.isConstant) return false;
    present++;
  }
  return present > 0;
}

/** Input `i`, which must be present. */
export function input(node: KernelNode<unknown>, i: number): Tensor {
  const t = node.inputs[i];
  if (!t) throw prepareError(node, `input ${i} is missing`);
  return t;
}
