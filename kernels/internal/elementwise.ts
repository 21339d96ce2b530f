/**
 * Shared prepare/eval for element-wise float ops: binary ops with TFLite broadcasting and a fused
 * activation clamp (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU), and unary maps
 * (RSQRT, SQRT, EXP, RELU*, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH). Each op file supplies only its
 * inner loop; loops are written out per op (no per-element callbacks) so V8 keeps them monomorphic.
 *
 * Allocation-free eval (the rules every kernel's eval follows; see also kernels/kernel.ts):
 * 1. No doubles through calls. V8 boxes a double into a new heap number when it crosses a call the JIT did
 *    not inline, or when it is read from an object field; and a loop mixing such a boxed value with unboxed
 *    ones (`v < lo ? lo : v` with `lo` a parameter) can box every element it stores. So eval and its helpers
 *    pass integers and typed arrays only: double parameters (clamp ranges, alpha, scales) are computed at
 *    prepare into a Float64Array kept in the node data and read into locals inside the looping function.
 * 2. No long loop in a function called once. Until V8 optimizes a function, every float it touches is a new
 *    heap number; a function entered once per node with one long loop is only ever optimized "on stack"
 *    (OSR), starts each call unoptimized, and loses that code at a full GC. Loops over a whole tensor are
 *    therefore cut into calls of at most EVAL_CHUNK elements, or one call per output row, so the looping
 *    function is called many times per invoke and gets (and keeps) regular optimized code.
 * 3. No closures, array literals, spread, for-of or returned objects in eval.
 */
import { ActivationFunctionType, TensorType } from '../../schema/enums.js';
import type { Kernel, KernelNode } from '../kernel.js';
import { ensure, input, prepareError } from '../kernel.js';
import { floatActivationRange } from './activation.js';
import type { BroadcastPlan } from './broadcast.js';
import { MAX_BROADCAST_RANK, planBroadcast } from './broadcast.js';

/** Most elements one call of an inner loop handles (rule 2 above). */
export const EVAL_CHUNK = 1024;

/** Typed arrays holding plain numbers (everything but the BigInt arrays). */
export type NumArray = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/**
 * Inner loop of a binary op: `n` outputs written contiguously from `oi`; a and b start at `ai`/`bi` and
 * step by `sa`/`sb` (0 or 1). Ops with a fused activation clamp results to [range[0], range[1]].
 */
export type BinaryRun = (
  a: NumArray, ai: number, sa: number, b: NumArray, bi: number, sb: number,
  o: NumArray, oi: number, n: number, range: Float64Array,
) => void;

export interface BinarySpec {
  /** Loop for FLOAT32 tensors. */
  float: BinaryRun;
  /** Loop for INT32 tensors; the op refuses INT32 when absent. */
  int32?: BinaryRun;
  /** The op has a `fusedActivationFunction` option (ADD, SUB, MUL, DIV). */
  fusedActivation: boolean;
}

export interface BinaryData {
  plan: BroadcastPlan;
  run: BinaryRun;
  /** Fused activation clamp [lo, hi] ([-Inf, Inf] without one). */
  range: Float64Array;
}

/** Clamp range [lo, hi] of an op's fused activation as a Float64Array; options may be absent (= NONE). */
export function fusedRange(node: KernelNode<unknown>, options: { fusedActivationFunction?: ActivationFunctionType } | null): Float64Array {
  const act = options?.fusedActivationFunction ?? ActivationFunctionType.NONE;
  const r = floatActivationRange(act);
  ensure(node, r !== null, () => `fused activation ${ActivationFunctionType[act] ?? act} is not supported`);
  return Float64Array.of(r.min, r.max);
}

/** Runs `run` over every innermost run of a broadcast plan. */
export function evalBroadcast(p: BroadcastPlan, run: BinaryRun, a: NumArray, b: NumArray, o: NumArray, range: Float64Array): void {
  const c = p.outerCount, as = p.aStride, bs = p.bStride;
  const n = p.runLength, ra = p.runStrideA, rb = p.runStrideB;
  const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!, c4 = c[4]!;
  const as0 = as[0]!, as1 = as[1]!, as2 = as[2]!, as3 = as[3]!, as4 = as[4]!;
  const bs0 = bs[0]!, bs1 = bs[1]!, bs2 = bs[2]!, bs3 = bs[3]!, bs4 = bs[4]!;
  let oi = 0;
  for (let i0 = 0, a0 = 0, b0 = 0; i0 < c0; i0++, a0 += as0, b0 += bs0) {
    for (let i1 = 0, a1 = a0, b1 = b0; i1 < c1; i1++, a1 += as1, b1 += bs1) {
      for (let i2 = 0, a2 = a1, b2 = b1; i2 < c2; i2++, a2 += as2, b2 += bs2) {
        for (let i3 = 0, a3 = a2, b3 = b2; i3 < c3; i3++, a3 += as3, b3 += bs3) {
          for (let i4 = 0, a4 = a3, b4 = b3; i4 < c4; i4++, a4 += as4, b4 += bs4) {
            for (let k = 0; k < n; k += EVAL_CHUNK) {
              run(a, a4 + k * ra, ra, b, b4 + k * rb, rb, o, oi + k, n - k < EVAL_CHUNK ? n - k : EVAL_CHUNK, range);
            }
            oi += n;
          }
        }
      }
    }
  }
}

/** Prepare for a broadcasting binary op: types, shapes, activation. */
export function prepareBinary(node: KernelNode<any>, spec: BinarySpec): BinaryData {
  const a = input(node, 0), b = input(node, 1), out = node.outputs[0]!;
  ensure(node, a.type === b.type, () => `input types differ: ${TensorType[a.type]} and ${TensorType[b.type]}`);
  ensure(node, out.type === a.type, () => `output type ${TensorType[out.type]} differs from input type ${TensorType[a.type]}`);
  let run: BinaryRun;
  if (a.type === TensorType.FLOAT32) run = spec.float;
  else if (a.type === TensorType.INT32 && spec.int32) run = spec.int32;
  else throw prepareError(node, `input type ${TensorType[a.type] ?? a.type} is not supported (supported: ${spec.int32 ? 'FLOAT32, INT32' : 'FLOAT32'})`);
  ensure(node, a.rank <= MAX_BROADCAST_RANK && b.rank <= MAX_BROADCAST_RANK,
    () => `inputs of rank ${a.rank} and ${b.rank}: at most ${MAX_BROADCAST_RANK} dimensions are supported`);
  const plan = planBroadcast(a.shape, b.shape);
  ensure(node, plan !== null, () => `shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast`);
  const range = spec.fusedActivation ? fusedRange(node, node.options as never) : Float64Array.of(-Infinity, Infinity);
  out.shape = plan.outShape.slice();
  return { plan, run, range };
}

/** A broadcasting binary kernel from its inner loops. */
export function binaryKernel(spec: BinarySpec): Kernel<BinaryData> {
  return {
    prepare: (node) => prepareBinary(node, spec),
    eval(node, d) {
      evalBroadcast(d.plan, d.run, node.inputs[0]!.data as NumArray, node.inputs[1]!.data as NumArray,
        node.outputs[0]!.data as NumArray, d.range);
    },
  };
}

/** Inner loop of a unary float op over elements [i0, i1); `param[0]` is op-specific (LEAKY_RELU's alpha). */
export type UnaryRun = (x: Float32Array, y: Float32Array, i0: number, i1: number, param: Float64Array) => void;

export interface UnaryData { run: UnaryRun; param: Float64Array }

/** A FLOAT32 → FLOAT32 element-wise kernel; `param` reads the op's scalar option at prepare. */
export function unaryFloatKernel(run: UnaryRun, param?: (node: KernelNode<any>) => number): Kernel<UnaryData> {
  return {
    prepare(node) {
      const x = input(node, 0), y = node.outputs[0]!;
      ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not supported (supported: FLOAT32)`);
      ensure(node, y.type === TensorType.FLOAT32, () => `output type ${TensorType[y.type]} must be FLOAT32`);
      y.shape = x.shape.slice();
      return { run, param: Float64Array.of(param ? param(node) : 0) };
    },
    eval(node, d) {
      const x = node.inputs[0]!.data as Float32Array, y = node.outputs[0]!.data as Float32Array;
      const n = y.length, run = d.run, param = d.param;
      for (let i = 0; i < n; i += EVAL_CHUNK) run(x, y, i, n - i < EVAL_CHUNK ? n : i + EVAL_CHUNK, param);
    },
  };
}
