/**
 * A SIMD kernel is a variant of a typed-array kernel, chosen per node at prepare when the wasm backend is
 * active: `withSimd(jsKernel, simdKernel)` is registered in place of the typed-array kernel. The SIMD prepare
 * validates (sharing the typed-array kernel's checks), packs weights into wasm memory and returns its plan, or
 * returns null for a node outside what it handles (then the typed-array kernel prepares it).
 * Nodes whose inputs are all constants are folded at prepare into buffers outside wasm memory, so they always
 * take the typed-array kernel.
 */
import { type Kernel, type KernelNode, inputsAllConstant } from '../kernel.js';
import type { WasmRuntime } from './runtime.js';

export interface SimdKernel<D, O = any> {
  /** The plan for this node, or null to leave it to the typed-array kernel. May throw a PrepareError. */
  prepare(node: KernelNode<O>, rt: WasmRuntime): D | null;
  /** Runs the node: calls exports with pointers (tensor `data.byteOffset`s) and sizes. Allocates nothing. */
  eval(node: KernelNode<O>, data: D, rt: WasmRuntime): void;
}

export interface VariantData<DS, DJ> {
  readonly simd: DS | null;
  readonly js: DJ | null;
  readonly rt: WasmRuntime | null;
}

export function withSimd<DS, DJ, O>(js: Kernel<DJ, O>, simd: SimdKernel<DS, O>): Kernel<VariantData<DS, DJ>, O> {
  return {
    ...(js.shapeOnly !== undefined ? { shapeOnly: js.shapeOnly } : {}),
    ...(js.foldable !== undefined ? { foldable: js.foldable } : {}),
    prepare(node) {
      const rt = node.context.wasm ?? null;
      if (rt && !inputsAllConstant(node)) {
        const plan = simd.prepare(node, rt);
        if (plan !== null) return { simd: plan, js: null, rt };
      }
      return { simd: null, js: js.prepare(node), rt: null };
    },
    eval(node, d) {
      if (d.simd !== null) simd.eval(node, d.simd, d.rt!);
      else js.eval(node, d.js!);
    },
    backendOf(d) {
      return d.simd !== null ? 'wasm' : 'js';
    },
  };
}
