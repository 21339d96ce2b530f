/**
 * ADD / SUB for uint8/int8 on the SIMD kernel of elementwise.ts, in 'tflite-cpu' mode (XNNPACK's arithmetic,
 * kernels/quantized/internal/xnnpack.ts xnnAddParams / xnnAdd) with inputs of one shape. Broadcasting and the
 * reference arithmetic stay on the typed-array kernel (kernels/quantized/add.ts), whose prepare validates first.
 */
import type { AddOptions, SubOptions } from '../../../schema/builtin_options.js';
import type { Kernel, KernelNode } from '../../kernel.js';
import { perTensorQuant } from '../../quantized/internal/params.js';
import { xnnActivationRange, xnnAddParams } from '../../quantized/internal/xnnpack.js';
import type { QRuntime, QSimdKernel } from './conv.js';
import { addName } from './elementwise.js';
import { TensorType } from '../../../schema/enums.js';

type Export = (...args: number[]) => number;

export interface QAddPlan {
  fn: Export;
  n: number;
  aMul: number;
  bMul: number;
  bias: number;
  shift: number;
  zp: number;
  lo: number;
  hi: number;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The SIMD variant of `js` (ADD: subtract false; SUB: true). */
export function addSubQuantizedSimd<O extends AddOptions | SubOptions>(
  js: Kernel<unknown, O>, subtract: boolean,
): QSimdKernel<QAddPlan, O> {
  return {
    prepare(node: KernelNode<O>, rt: QRuntime) {
      js.prepare(node); // validation and the output shape
      if (node.context.quantizedArithmetic !== 'tflite-cpu') return null;
      const a = node.inputs[0]!, b = node.inputs[1]!, out = node.outputs[0]!;
      if (!sameShape(a.shape, b.shape) || a.isConstant || b.isConstant) return null;
      const aq = perTensorQuant(node, a, 'input 0'), bq = perTensorQuant(node, b, 'input 1');
      const oq = perTensorQuant(node, out, 'output');
      const p = xnnAddParams(aq.scale, bq.scale, oq.scale, aq.zeroPoint, bq.zeroPoint, subtract);
      const act = xnnActivationRange(node.options.fusedActivationFunction, a.type, oq.scale, oq.zeroPoint);
      if (!act) return null;
      // `| 0`: int32 fields stay small integers (a double field would box a new number at every call).
      return {
        fn: rt.fn(addName(a.type === TensorType.UINT8 ? 'u8' : 's8')), n: out.size | 0,
        aMul: p.aMultiplier | 0, bMul: p.bMultiplier | 0, bias: p.bias | 0, shift: p.shift | 0, zp: oq.zeroPoint | 0,
        lo: act.min | 0, hi: act.max | 0,
      };
    },
    eval(node, d) {
      d.fn(d.n, node.inputs[0]!.data.byteOffset, node.inputs[1]!.data.byteOffset, node.outputs[0]!.data.byteOffset,
        d.aMul, d.bMul, d.bias, d.shift, d.zp, d.lo, d.hi);
    },
  };
}
