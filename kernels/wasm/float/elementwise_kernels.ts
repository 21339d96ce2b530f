/**
 * Float32 element-wise ops on the SIMD kernels of elementwise.ts, as variants of the typed-array kernels:
 * - broadcasting binary ops (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE): the typed-array prepare
 *   validates and plans the broadcast; the innermost run and the level above it go to one kernel call, the
 *   outer levels loop here. A constant operand is copied into wasm memory at prepare.
 * - unary maps (RELU, RELU6, RELU_N1_TO_1, HARD_SWISH, LEAKY_RELU): one call over the tensor.
 * INT32 tensors stay with the typed-array kernels.
 */
import { TensorType } from '../../../schema/enums.js';
import type { BinaryData, UnaryData } from '../../internal/elementwise.js';
import type { Kernel, KernelNode } from '../../kernel.js';
import type { KernelExport, WasmRuntime } from '../runtime.js';
import type { SimdKernel } from '../variant.js';
import { f32Pair } from './params.js';
import { type BinaryKind, type BinaryOpName, binaryKernelName, unaryKernelName } from './elementwise.js';

/** A tensor's address at eval: its copy in wasm memory when constant (`ptr` >= 0), else its arena view. */
function constantCopy(rt: WasmRuntime, node: KernelNode<unknown>, i: number): number {
  const t = node.inputs[i]!;
  return t.isConstant ? rt.put(t.data) : -1;
}

export interface BinaryPlan {
  fn: KernelExport;
  /** Copies of constant inputs in wasm memory, or -1. */
  aConst: number;
  bConst: number;
  /** Outer levels 0..3 of the broadcast plan (strides in bytes); level 4 goes to the kernel. */
  count: Int32Array;
  aStride: Int32Array;
  bStride: Int32Array;
  n: number;
  outer: number;
  aInner: number;
  bInner: number;
  /** Clamp bounds (two f32) in wasm memory. */
  clamp: number;
}

/** The SIMD variant of a broadcasting binary float op whose typed-array kernel is `js`. */
export function binarySimd(op: BinaryOpName, js: Kernel<BinaryData>): SimdKernel<BinaryPlan> {
  return {
    prepare(node, rt) {
      const jd = js.prepare(node);
      if (node.inputs[0]!.type !== TensorType.FLOAT32) return null;
      const p = jd.plan;
      const kind: BinaryKind = p.runStrideA === p.runStrideB ? '' : p.runStrideB === 0 ? 'c' : 'rc';
      return {
        fn: rt.fn(binaryKernelName(op, kind)), aConst: constantCopy(rt, node, 0), bConst: constantCopy(rt, node, 1),
        count: p.outerCount.slice(0, 4), aStride: p.aStride.map((s) => s * 4).slice(0, 4),
        bStride: p.bStride.map((s) => s * 4).slice(0, 4), n: p.runLength, outer: p.outerCount[4]!,
        aInner: p.aStride[4]! * 4, bInner: p.bStride[4]! * 4, clamp: f32Pair(rt, jd.range[0]!, jd.range[1]!),
      };
    },
    eval(node, d) {
      const a = d.aConst >= 0 ? d.aConst : node.inputs[0]!.data.byteOffset;
      const b = d.bConst >= 0 ? d.bConst : node.inputs[1]!.data.byteOffset;
      let out = node.outputs[0]!.data.byteOffset;
      const c = d.count, as = d.aStride, bs = d.bStride, runBytes = d.n * d.outer * 4;
      for (let i0 = 0, a0 = a, b0 = b; i0 < c[0]!; i0++, a0 += as[0]!, b0 += bs[0]!) {
        for (let i1 = 0, a1 = a0, b1 = b0; i1 < c[1]!; i1++, a1 += as[1]!, b1 += bs[1]!) {
          for (let i2 = 0, a2 = a1, b2 = b1; i2 < c[2]!; i2++, a2 += as[2]!, b2 += bs[2]!) {
            for (let i3 = 0, a3 = a2, b3 = b2; i3 < c[3]!; i3++, a3 += as[3]!, b3 += bs[3]!) {
              d.fn(a3, b3, out, d.n, d.outer, d.aInner, d.bInner, d.clamp);
              out += runBytes;
            }
          }
        }
      }
    },
  };
}

export interface UnaryPlan {
  fn: KernelExport;
  n: number;
  /** The op's two f32 parameters in wasm memory. */
  params: number;
}

/**
 * The SIMD variant of a unary float op: `op` names the kernel (elementwise.ts UNARY_OPS), `params` its two
 * parameters from the typed-array kernel's data (clamp bounds, LEAKY_RELU's alpha).
 */
export function unarySimd(op: string, js: Kernel<UnaryData>, params: (jd: UnaryData) => [number, number]): SimdKernel<UnaryPlan> {
  return {
    prepare(node, rt) {
      const jd = js.prepare(node);
      const [p0, p1] = params(jd);
      return { fn: rt.fn(unaryKernelName(op)), n: node.outputs[0]!.size, params: f32Pair(rt, p0, p1) };
    },
    eval(node, d) {
      d.fn(node.inputs[0]!.data.byteOffset, node.outputs[0]!.data.byteOffset, d.n, d.params);
    },
  };
}
