/**
 * The interpreter: resolve every operator to a kernel, prepare each node once (shapes, validation, weight
 * repacking), plan one arena for all activations by tensor lifetimes, then `invoke()` only runs kernels.
 *
 *   const it = Interpreter.create(bytes);
 *   it.input(0).data.set(pixels);
 *   it.invoke();
 *   it.output(0).data  // a view into the arena, valid until the next invoke
 */
import { BuiltinOperator, TensorType, builtinName } from '../schema/enums.js';
import { readModel } from '../schema/model_reader.js';
import type { Model, SubGraph, TensorDef } from '../schema/types.js';
import {
  BACKENDS, type Backend, type Kernel, type KernelContext, type KernelNode, QUANTIZED_ARITHMETICS, inputsAllConstant, type QuantizedArithmetic,
} from '../kernels/kernel.js';
import { createBuiltinResolver } from '../kernels/register_builtins.js';
import type { OpResolver } from '../kernels/registry.js';
import { describeOp } from '../kernels/registry.js';
import { BudgetError, EmbedliteError, InterpreterError, ModelError, PrepareError, UnsupportedOpError } from '../schema/errors.js';
import { type BufferRequest, planMemory } from './memory_plan.js';
import { arenaBudget, checkTensorSize, formatBytes } from './budget.js';
import { validateGraph } from './graph_validation.js';
import { fuseGraph } from './graph_fusion.js';
import { Tensor, bytesPerElement, elementCount, hasTypedView, typedView } from '../kernels/tensor.js';
import { createWasmRuntime, type WasmRuntime } from '../kernels/wasm/runtime.js';

export interface InterpreterOptions {
  /** Kernels to use; defaults to every builtin kernel embedlite ships. Add custom ops with `resolver.addCustom`. */
  resolver?: OpResolver;
  /**
   * Tensors (names or indices) kept readable after `invoke()`, so an intermediate layer can serve as an output.
   * Without this, intermediate tensors share arena memory and are overwritten.
   */
  keepTensors?: readonly (string | number)[];
  /** Subgraph to run (default 0). */
  subgraph?: number;
  /**
   * Arithmetic of the quantized kernels: 'tflite-cpu' (default) gives the bytes TFLite's CPU runtime gives
   * (XNNPACK and TFLite's optimized kernels); 'reference' gives TFLite's reference kernels / TFLite Micro.
   */
  quantizedArithmetic?: QuantizedArithmetic;
  /**
   * Kernels: 'wasm' (WebAssembly SIMD), 'js' (typed arrays) or 'auto' (default: wasm where the runtime can compile
   * it, else js).
   */
  backend?: Backend;
  /** A compiled kernels module (`embedlite/kernels.wasm`) for runtimes that forbid compiling at run time. */
  wasmModule?: WebAssembly.Module;
  /**
   * Largest activation arena the model may ask for, in bytes (default 1 GiB; CLI `--max-arena`). Checked from
   * the shapes before anything is allocated: a model over it throws a BudgetError saying how much it needs.
   */
  maxArenaBytes?: number;
}

/**
 * Checks the interpreter's option values (a typo gives an error that lists the choices) and sets up the backend:
 * 'wasm' throws an InterpreterError naming why WebAssembly SIMD cannot run; 'auto' falls back to typed arrays.
 */
export function resolveKernelContext(options: InterpreterOptions): KernelContext {
  const quantizedArithmetic = options.quantizedArithmetic ?? 'tflite-cpu';
  if (!QUANTIZED_ARITHMETICS.includes(quantizedArithmetic)) {
    throw new InterpreterError(`quantizedArithmetic must be one of ${QUANTIZED_ARITHMETICS.join(', ')}, got '${String(quantizedArithmetic)}'`);
  }
  const backend = options.backend ?? 'auto';
  if (!BACKENDS.includes(backend)) {
    throw new InterpreterError(`backend must be one of ${BACKENDS.join(', ')}, got '${String(backend)}'`);
  }
  return { quantizedArithmetic, wasm: createWasmRuntime(backend, options.wasmModule) };
}

export interface NodeTiming {
  node: number;
  op: string;
  ms: number;
  /** Which kernels ran the node: WebAssembly SIMD or typed arrays. */
  backend: 'wasm' | 'js';
}

interface Node extends KernelNode {
  readonly kernel: Kernel;
  data: unknown;
  /** Evaluated at prepare time; skipped by invoke. */
  folded: boolean;
}

export class Interpreter {
  readonly model: Model;
  /** All tensors of the subgraph, by index. */
  readonly tensors: readonly Tensor[];
  private readonly subgraph: SubGraph;
  private readonly nodes: Node[];
  private readonly kept: Set<number>;
  /** What every kernel shares (arithmetic mode, backend). */
  readonly context: KernelContext;
  private arena: ArrayBuffer = new ArrayBuffer(0);
  /** The WebAssembly runtime whose memory holds the arena and packed weights (null on the js backend). */
  private readonly wasm: WasmRuntime | null;
  /** Tensors computed at prepare time (constant folding); they leave the arena. */
  private readonly folded = new Set<number>();
  private prepared = false;
  private _arenaBytes = 0;
  private _activationBytes = 0;
  private readonly maxArenaBytes: number;
  /** The node being prepared (budget messages name it). */
  private preparing: Node | null = null;

  private constructor(model: Model, options: InterpreterOptions) {
    this.model = model;
    this.maxArenaBytes = arenaBudget(options.maxArenaBytes);
    const sgIndex = options.subgraph ?? 0;
    const sg = Number.isInteger(sgIndex) ? model.subgraphs[sgIndex] : undefined;
    if (!sg) throw new ModelError(`subgraph ${sgIndex} does not exist (model has ${model.subgraphs.length})`);
    this.subgraph = sg;
    this.tensors = sg.tensors.map((def, i) => makeTensor(model, def, i));
    validateGraph(model, sgIndex);
    this.kept = new Set((options.keepTensors ?? []).map((t) => this.tensorIndex(t)));
    this.context = resolveKernelContext(options);
    this.wasm = this.context.wasm ?? null;
    const pinned = new Set([...this.subgraph.outputs, ...this.kept].map((i) => this.tensors[i]!));
    this.nodes = fuseGraph(this.resolveNodes(options.resolver ?? createBuiltinResolver()), pinned);
    this.checkSparseTensors();
    // Every shape a kernel sets is checked against the budget at once, before the kernel sizes anything by it.
    for (const t of this.tensors) {
      if (!t.isConstant) t.onShape = (x) => checkTensorSize(x, this.maxArenaBytes, this.shapeSetter(x));
    }
  }

  /** Who sets a tensor's shape, for the budget message: "node 3 PAD output 0", or the resized input. */
  private shapeSetter(t: Tensor): string {
    const node = this.preparing;
    if (!node) return `tensor ${t.index}`;
    const k = node.outputs.indexOf(t);
    return `node ${node.index} ${node.opName} ${k >= 0 ? `output ${k}` : 'tensor'}`;
  }

  /** Reads a .tflite model (a ModelError on malformed bytes) and prepares it (PrepareError, UnsupportedOpError). */
  static create(modelBytes: Uint8Array, options: InterpreterOptions = {}): Interpreter {
    return Interpreter.fromModel(readModel(modelBytes), options);
  }

  /** An interpreter over an already-read model (tests build models in memory). */
  static fromModel(model: Model, options: InterpreterOptions = {}): Interpreter {
    const it = new Interpreter(model, options);
    it.allocateTensors();
    return it;
  }

  get inputs(): Tensor[] {
    return this.subgraph.inputs.map((i) => this.tensors[i]!);
  }

  get outputs(): Tensor[] {
    return this.subgraph.outputs.map((i) => this.tensors[i]!);
  }

  input(i: number): Tensor {
    const t = this.subgraph.inputs[i];
    if (t === undefined) throw new InterpreterError(`input ${i} does not exist (model has ${this.subgraph.inputs.length})`);
    this.ensurePrepared();
    return this.tensors[t]!;
  }

  output(i: number): Tensor {
    const t = this.subgraph.outputs[i];
    if (t === undefined) throw new InterpreterError(`output ${i} does not exist (model has ${this.subgraph.outputs.length})`);
    this.ensurePrepared();
    return this.tensors[t]!;
  }

  /** A tensor by name or index. Intermediate tensors hold valid data after invoke only if listed in `keepTensors`. */
  tensor(nameOrIndex: string | number): Tensor {
    this.ensurePrepared();
    return this.tensors[this.tensorIndex(nameOrIndex)]!;
  }

  /** Bytes of the activation arena. */
  get arenaBytes(): number {
    return this._arenaBytes;
  }

  /** Sum of the sizes of all non-constant tensors: what the arena would be without sharing. */
  get activationBytes(): number {
    return this._activationBytes;
  }

  /** 'wasm' when the WebAssembly SIMD runtime is active (nodes without a SIMD kernel still run typed arrays). */
  get backend(): 'wasm' | 'js' {
    return this.wasm ? 'wasm' : 'js';
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /**
   * Changes the shape of input `i` (for models with dynamic dimensions, -1 in shape_signature).
   * Every node is prepared again and the arena re-planned before the next invoke; take `input(i).data` afresh.
   */
  resizeInput(i: number, shape: readonly number[]): void {
    const index = this.subgraph.inputs[i];
    if (index === undefined) throw new InterpreterError(`input ${i} does not exist (model has ${this.subgraph.inputs.length})`);
    const t = this.tensors[index]!;
    const sig = this.subgraph.tensors[index]!.shapeSignature ?? this.subgraph.tensors[index]!.shape;
    if (shape.length !== sig.length) {
      throw new InterpreterError(`input ${i} '${t.name}' has rank ${sig.length}, got shape [${shape.join(',')}]`);
    }
    shape.forEach((d, k) => {
      if (!Number.isInteger(d) || d <= 0) throw new InterpreterError(`input ${i} '${t.name}': dimension ${k} must be a positive integer, got ${d}`);
      if (sig[k] !== -1 && sig[k] !== d) {
        throw new InterpreterError(`input ${i} '${t.name}': dimension ${k} is fixed at ${sig[k]} (shape signature [${sig.join(',')}]), got ${d}`);
      }
    });
    t.shape = [...shape];
    this.prepared = false;
  }

  /** Prepares every node and plans the arena. Called by `create` and, after a resize, by the next invoke. */
  allocateTensors(): void {
    for (const i of this.folded) this.tensors[i]!.isConstant = false;
    this.folded.clear();
    this.wasm?.reset();
    const budget = this.maxArenaBytes;
    this.subgraph.inputs.forEach((t, k) => checkTensorSize(this.tensors[t]!, budget, `input ${k}`));
    let foldedBytes = 0;
    for (const node of this.nodes) {
      node.folded = false;
      this.preparing = node;
      try {
        node.data = node.kernel.prepare(node);
        // Output shapes are known now: refuse an oversized one before a later kernel sizes anything by it.
        node.outputs.forEach((t, k) => checkTensorSize(t, budget, `node ${node.index} ${node.opName} output ${k}`));
        if (this.canFold(node)) {
          foldedBytes += node.outputs.reduce((s, t) => s + t.byteLength, 0);
          if (foldedBytes > budget) {
            throw new BudgetError(`node ${node.index} ${node.opName}: constant-folded tensors need ${formatBytes(foldedBytes)}, ` +
              `over the budget of ${formatBytes(budget)} (option maxArenaBytes, CLI --max-arena)`);
          }
          this.fold(node);
        }
      } catch (e) {
        if (e instanceof EmbedliteError) throw e;
        throw new PrepareError(`node ${node.index} ${node.opName}: ${(e as Error).message}`);
      } finally {
        this.preparing = null;
      }
    }
    this.planArena();
    this.prepared = true;
  }

  /** Runs the graph. Allocates nothing once prepared. */
  invoke(): void {
    if (!this.prepared) this.allocateTensors();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!n.folded) n.kernel.eval(n, n.data);
    }
  }

  /** Runs the graph and returns the time spent in each node (for `--profile`). */
  invokeProfiled(): NodeTiming[] {
    if (!this.prepared) this.allocateTensors();
    const timings: NodeTiming[] = [];
    for (const n of this.nodes) {
      if (n.folded) continue;
      const t0 = performance.now();
      n.kernel.eval(n, n.data);
      const ms = performance.now() - t0;
      timings.push({ node: n.index, op: n.opName, ms, backend: n.kernel.backendOf?.(n.data) ?? 'js' });
    }
    return timings;
  }

  /**
   * A node folds when its outputs are fixed once shapes are known: all its inputs are constants (weights,
   * earlier folded tensors), or its kernel reads only input shapes. Graph inputs never fold.
   */
  private canFold(node: Node): boolean {
    if (node.kernel.foldable === false || node.outputs.length === 0) return false;
    if (node.outputs.some((t) => this.subgraph.inputs.includes(t.index))) return false;
    return node.kernel.shapeOnly === true || inputsAllConstant(node);
  }

  /** Evaluates a node at prepare time into buffers of its own; its outputs become constants. */
  private fold(node: Node): void {
    for (const t of node.outputs) {
      t.data = typedView(t.type, new ArrayBuffer(t.byteLength), 0, t.size);
    }
    node.kernel.eval(node, node.data);
    for (const t of node.outputs) {
      t.isConstant = true;
      this.folded.add(t.index);
    }
    node.folded = true;
  }

  private ensurePrepared(): void {
    if (!this.prepared) this.allocateTensors();
  }

  private tensorIndex(t: string | number): number {
    if (typeof t === 'number') {
      if (!Number.isInteger(t) || t < 0 || t >= this.tensors.length) {
        throw new InterpreterError(`tensor ${t} does not exist (subgraph has ${this.tensors.length} tensors)`);
      }
      return t;
    }
    const i = this.tensors.findIndex((x) => x.name === t);
    if (i < 0) throw new InterpreterError(`no tensor named '${t}'`);
    return i;
  }

  private resolveNodes(resolver: OpResolver): Node[] {
    const missing: string[] = [];
    const nodes: Node[] = [];
    this.subgraph.operators.forEach((op, index) => {
      const code = this.model.operatorCodes[op.opcodeIndex];
      if (!code) throw new ModelError(`operator ${index}: opcode index ${op.opcodeIndex} out of range (model has ${this.model.operatorCodes.length})`);
      const isCustom = code.builtinCode === BuiltinOperator.CUSTOM;
      const kernel = isCustom ? resolver.custom(code.customCode ?? '') : resolver.builtin(code.builtinCode, code.version);
      const opName = isCustom ? (code.customCode ?? 'CUSTOM') : builtinName(code.builtinCode);
      if (!kernel) {
        let why = `${describeOp(code.builtinCode, code.customCode)} version ${code.version} at node ${index}`;
        if (!isCustom && resolver.hasBuiltin(code.builtinCode)) why += ` (supported up to version ${resolver.maxVersion(code.builtinCode)})`;
        missing.push(why);
        return;
      }
      const tensorAt = (t: number, role: string): Tensor => {
        const x = this.tensors[t];
        if (!x) throw new ModelError(`node ${index} ${opName}: ${role} tensor ${t} out of range (subgraph has ${this.tensors.length})`);
        return x;
      };
      nodes.push({
        index, opName, version: code.version, options: op.builtinOptions, customOptions: op.customOptions,
        inputs: op.inputs.map((t) => (t < 0 ? null : tensorAt(t, 'input'))),
        outputs: op.outputs.map((t) => tensorAt(t, 'output')),
        context: this.context, kernel, data: undefined, folded: false,
      });
    });
    if (missing.length > 0) {
      const uniq = [...new Set(missing)];
      throw new UnsupportedOpError(`unsupported operator${uniq.length > 1 ? 's' : ''}: ${uniq.slice(0, 10).join('; ')}${uniq.length > 10 ? `; and ${uniq.length - 10} more` : ''}`);
    }
    return nodes;
  }

  /** Sparse tensors are legal only as the constant input of DENSIFY. */
  private checkSparseTensors(): void {
    for (const node of this.nodes) {
      node.inputs.forEach((t, k) => {
        if (!t || !this.subgraph.tensors[t.index]!.sparsity) return;
        if (node.opName !== 'DENSIFY') {
          throw new ModelError(`${t.describe()} is sparse and used by node ${node.index} ${node.opName} (input ${k}); sparse tensors are supported only as the input of DENSIFY`);
        }
        // Its dense shape is not bounded by the file's size: DENSIFY allocates it at prepare (found by test/fuzz).
        checkTensorSize(t, this.maxArenaBytes, `node ${node.index} ${node.opName} input ${k} (dense size of a sparse constant)`);
      });
    }
  }

  /** Lifetimes → greedy plan → typed-array views into one arena. Graph inputs, outputs and kept tensors live throughout. */
  private planArena(): void {
    const n = this.nodes.length;
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    const touch = (t: Tensor | null, step: number): void => {
      if (!t || t.isConstant) return;
      if (!first.has(t.index)) first.set(t.index, step);
      last.set(t.index, Math.max(last.get(t.index) ?? step, step));
    };
    for (const i of this.subgraph.inputs) touch(this.tensors[i]!, -1);
    this.nodes.forEach((node, step) => {
      if (node.folded) return;
      for (const t of node.outputs) touch(t, step);
      for (const t of node.inputs) touch(t, step);
    });
    for (const i of [...this.subgraph.inputs, ...this.subgraph.outputs, ...this.kept]) {
      const t = this.tensors[i]!;
      if (t.isConstant) continue;
      if (!first.has(i)) first.set(i, -1);
      last.set(i, n);
    }
    const indices = [...first.keys()];
    const requests: BufferRequest[] = indices.map((i) => {
      const t = this.tensors[i]!;
      const elemBytes = bytesPerElement(t.type);
      if (elemBytes === 0 || !hasTypedView(t.type)) throw new PrepareError(`${t.describe()}: tensors of type ${TensorType[t.type]} are not supported`);
      return { size: t.size * elemBytes, first: first.get(i)!, last: last.get(i)! };
    });
    const plan = planMemory(requests);
    if (plan.size > this.maxArenaBytes) {
      throw new BudgetError(`the model needs an activation arena of ${formatBytes(plan.size)}, over the budget of ` +
        `${formatBytes(this.maxArenaBytes)}; raise the option maxArenaBytes (CLI --max-arena) to run it`);
    }
    let base = 0;
    if (this.wasm) {
      // After the prepare-time buffers; a grow detaches old views, so every arena view is made here, after it.
      base = this.wasm.alloc(plan.size);
      this.arena = this.wasm.memory.buffer;
    } else if (plan.size > this.arena.byteLength) {
      this.arena = allocateArena(plan.size);
    } else {
      new Uint8Array(this.arena, 0, plan.size).fill(0);
    }
    indices.forEach((i, k) => {
      const t = this.tensors[i]!;
      t.data = typedView(t.type, this.arena, base + plan.offsets[k]!, t.size);
    });
    this._arenaBytes = plan.size;
    this._activationBytes = requests.reduce((s, r) => s + r.size, 0);
  }
}

/** A fresh arena; an engine that cannot provide the bytes gives a BudgetError, not a RangeError. */
function allocateArena(bytes: number): ArrayBuffer {
  try {
    return new ArrayBuffer(bytes);
  } catch (e) {
    throw new BudgetError(`could not allocate an activation arena of ${formatBytes(bytes)} (${(e as Error).message}); lower maxArenaBytes or free memory`);
  }
}

/** A run-time tensor for a TensorDef: constants view the model bytes (copied only when misaligned). */
function makeTensor(model: Model, def: TensorDef, index: number): Tensor {
  const buf = model.buffers[def.buffer];
  if (!buf) throw new ModelError(`tensor ${index} '${def.name}': buffer ${def.buffer} out of range (model has ${model.buffers.length} buffers)`);
  const bytes = buf.data;
  const isConstant = !!bytes && bytes.byteLength > 0;
  const tensor = new Tensor(index, def.name, def.type, [...def.shape], def.quantization, isConstant);
  (tensor as { sparsity?: unknown }).sparsity = def.sparsity;
  if (!isConstant) return tensor;
  const elemBytes = def.type === TensorType.STRING ? 1 : bytesPerElement(def.type);
  // INT4, RESOURCE, VARIANT, COMPLEX: no typed view; kernels refuse them by type at prepare.
  if (elemBytes === 0 || (def.type !== TensorType.STRING && !hasTypedView(def.type))) return tensor;
  // Sparse constants are stored compressed: their element count is not the dense shape's.
  const count = def.sparsity ? Math.floor(bytes.byteLength / elemBytes) : elementCount(def.shape);
  if (count * elemBytes > bytes.byteLength) {
    throw new ModelError(`tensor ${index} '${def.name}': buffer ${def.buffer} holds ${bytes.byteLength} bytes, the tensor needs ${count * elemBytes}`);
  }
  const type = def.type === TensorType.STRING ? TensorType.UINT8 : def.type;
  if (bytes.byteOffset % elemBytes === 0) {
    tensor.data = typedView(type, bytes.buffer, bytes.byteOffset, count);
  } else {
    const copy = new Uint8Array(count * elemBytes);
    copy.set(bytes.subarray(0, count * elemBytes));
    tensor.data = typedView(type, copy.buffer, 0, count);
  }
  return tensor;
}
