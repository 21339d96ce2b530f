/**
 * CONV_2D, FULLY_CONNECTED and DEPTHWISE_CONV_2D for uint8/int8 on the SIMD kernels (gemm.ts, dwconv.ts).
 * Validation and quantization parameters come from the typed-array kernels' helpers (same checks, same
 * numbers in each arithmetic mode); weights are packed into wasm memory once here. Plans:
 * - CONV_2D 1x1 stride 1 unpadded, and FULLY_CONNECTED: IGEMM over the input rows (one tap per row);
 * - CONV_2D with few input channels (inC % 8 != 0, inC < 32): im2col of whole rows into a scratch buffer
 *   (K = taps * inC padded to 8 once, not per tap), then the same IGEMM;
 * - every other CONV_2D: IGEMM through a per-image indirection buffer (no im2col);
 * - DEPTHWISE_CONV_2D: the depthwise kernels through a [pixel][tap] indirection buffer; a depth multiplier > 1
 *   first expands the input (q8_repeat) into a scratch buffer.
 * Eval only calls exports with numbers: it allocates nothing.
 */
import type { Conv2DOptions, DepthwiseConv2DOptions, FullyConnectedOptions } from '../../../schema/builtin_options.js';
import { TensorType } from '../../../schema/enums.js';
import type { KernelNode } from '../../kernel.js';
import { readBias } from '../../quantized/internal/params.js';
import { quantizedConvSetup, quantizedDepthwiseSetup, quantizedFullyConnectedSetup } from '../../quantized/internal/setup.js';
import { dwconvName } from './dwconv.js';
import { chooseQMR, igemmName } from './gemm.js';
import {
  type Indirection, type QMemory, allocZeroPointRow, convIndirection, packDwconv, packIgemm, rebase, rowIndirection,
} from './pack.js';
import { simdRequant } from './params.js';
import type { QType } from './requant.js';

type Export = (...args: number[]) => number;

/** What the quantized SIMD kernels need of the wasm runtime (kernels/wasm/runtime.ts WasmRuntime). */
export interface QRuntime extends QMemory {
  fn(name: string): Export;
}

/** A SIMD variant of a typed-array kernel (kernels/wasm/variant.ts SimdKernel). */
export interface QSimdKernel<D, O> {
  prepare(node: KernelNode<O>, rt: QRuntime): D | null;
  eval(node: KernelNode<O>, d: D, rt: QRuntime): void;
}

/** Input channels below which a convolution with inC % 8 != 0 goes through im2col. */
const IM2COL_BELOW = 32;

function qtype(t: TensorType): QType {
  return t === TensorType.UINT8 ? 'u8' : 's8';
}

/** One IGEMM call over all rows: the input enters through `ind` (rebased when it moves). */
interface IgemmPlan {
  fn: Export;
  rebase: Export;
  m: number;
  n: number;
  kc8: number;
  ks: number;
  ind: Indirection;
  w: number;
  ldc: number;
  zp: number;
  lo: number;
  hi: number;
}

export interface QConvPlan {
  gemm: IgemmPlan;
  /** im2col: the row gather before the GEMM (null: none); the GEMM then reads `dst`. */
  im2col: { fn: Export; ind: Indirection; ks: number; kc: number; dst: number; kpad: number } | null;
}

function runGemm(g: IgemmPlan, a: number, c: number): void {
  g.fn(g.m, g.n, g.kc8, g.ks, rebase(g.ind, a, g.rebase), g.w, c, g.ldc, g.zp, g.lo, g.hi);
}

export const conv2DQuantizedSimd: QSimdKernel<QConvPlan, Conv2DOptions> = {
  prepare(node, rt) {
    const { x, filter, bias, out, opt, type, outC, fh, fw, inC, xq, oq, fq, g } = quantizedConvSetup(node);
    const rq = simdRequant(node, readBias(node, bias, outC), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint,
      opt.fusedActivationFunction);
    if ((bias && !bias.isConstant) || x.isConstant) return null;

    const w = filter.data as Uint8Array | Int8Array;
    const ks = fh * fw, k = ks * inC, t = qtype(type);
    const m = g.batch * g.outH * g.outW, mr = chooseQMR(m);
    const pointwise = ks === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 &&
      g.outH === g.inH && g.outW === g.inW;
    const im2col = !pointwise && inC % 8 !== 0 && inC < IM2COL_BELOW;
    const base = {
      fn: rt.fn(igemmName(t, rq.params.mode, mr)), rebase: rt.fn('q8_rebase'), m, n: outC, ldc: outC,
      zp: rq.zp, lo: rq.lo, hi: rq.hi,
    };
    const at = (c: number, tap: number, kk: number): number => w[c * k + tap * inC + kk]! - fq.zeroPoint;
    if (pointwise) {
      const wp = packIgemm(rt, outC, 1, inC, at, rq.bias, xq.zeroPoint, rq.params);
      return { gemm: { ...base, kc8: Math.ceil(inC / 8), ks: 1, ind: rowIndirection(rt, m, inC, mr), w: wp }, im2col: null };
    }
    const zero = allocZeroPointRow(rt, inC, xq.zeroPoint);
    if (im2col) {
      const kpad = Math.ceil(k / 8) * 8;
      const wp = packIgemm(rt, outC, 1, k, (c, _t, kk) => w[c * k + kk]! - fq.zeroPoint, rq.bias, xq.zeroPoint, rq.params);
      const ind = convIndirection(rt, g, 1, zero);
      const dst = rt.alloc(m * kpad + 8); // q8_im2col writes up to 7 bytes past the last row
      return {
        gemm: { ...base, kc8: kpad / 8, ks: 1, ind: rowIndirection(rt, m, kpad, mr), w: wp },
        im2col: { fn: rt.fn('q8_im2col'), ind, ks, kc: inC, dst, kpad },
      };
    }
    const wp = packIgemm(rt, outC, ks, inC, at, rq.bias, xq.zeroPoint, rq.params);
    return { gemm: { ...base, kc8: Math.ceil(inC / 8), ks, ind: convIndirection(rt, g, mr, zero), w: wp }, im2col: null };
  },

  eval(node, d) {
    const x = node.inputs[0]!.data.byteOffset, y = node.outputs[0]!.data.byteOffset;
    const c = d.im2col;
    if (c) {
      c.fn(d.gemm.m, c.ks, c.kc, rebase(c.ind, x, d.gemm.rebase), c.dst, c.kpad);
      runGemm(d.gemm, c.dst, y);
    } else {
      runGemm(d.gemm, x, y);
    }
  },
};

export const fullyConnectedQuantizedSimd: QSimdKernel<IgemmPlan, FullyConnectedOptions> = {
  prepare(node, rt) {
    const { x, filter, bias, out, opt, type, units, k, rows, xq, oq, fq } = quantizedFullyConnectedSetup(node);
    const rq = simdRequant(node, readBias(node, bias, units), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint,
      opt.fusedActivationFunction);
    if ((bias && !bias.isConstant) || x.isConstant) return null;
    const w = filter.data as Uint8Array | Int8Array;
    const mr = chooseQMR(rows);
    return {
      fn: rt.fn(igemmName(qtype(type), rq.params.mode, mr)), rebase: rt.fn('q8_rebase'), m: rows, n: units,
      kc8: Math.ceil(k / 8), ks: 1, ind: rowIndirection(rt, rows, k, mr),
      w: packIgemm(rt, units, 1, k, (c, _t, kk) => w[c * k + kk]! - fq.zeroPoint, rq.bias, xq.zeroPoint, rq.params),
      ldc: units, zp: rq.zp, lo: rq.lo, hi: rq.hi,
    };
  },

  eval(node, d) {
    runGemm(d, node.inputs[0]!.data.byteOffset, node.outputs[0]!.data.byteOffset);
  },
};

export interface QDwPlan {
  fn: Export;
  rebase: Export;
  pixels: number;
  c: number;
  ks: number;
  ind: Indirection;
  w: number;
  zp: number;
  lo: number;
  hi: number;
  /** Depth multiplier > 1: the expansion of the input into `dst` (null: none). */
  repeat: { fn: Export; dst: number; inPixels: number; inC: number; mult: number } | null;
}

export const depthwiseConv2DQuantizedSimd: QSimdKernel<QDwPlan, DepthwiseConv2DOptions> = {
  prepare(node, rt) {
    const { x, filter, bias, out, opt, type, outC, fh, fw, inC, mult, xq, oq, fq, g } = quantizedDepthwiseSetup(node);
    const rq = simdRequant(node, readBias(node, bias, outC), xq.scale, fq.scales, out, oq.scale, oq.zeroPoint,
      opt.fusedActivationFunction);
    if ((bias && !bias.isConstant) || x.isConstant) return null;
    const w = filter.data as Uint8Array | Int8Array;
    const ks = fh * fw, inPixels = g.batch * g.inH * g.inW;
    const wp = packDwconv(rt, outC, ks, (c, t) => w[t * outC + c]! - fq.zeroPoint, rq.bias, xq.zeroPoint, rq.params);
    // The kernel reads channel c of a tap at offset c: with a multiplier the input is expanded to outC channels.
    const zero = allocZeroPointRow(rt, outC, xq.zeroPoint);
    const ind = convIndirection(rt, { ...g, inC: outC }, 1, zero);
    const repeat = mult > 1 ? { fn: rt.fn('q8_repeat'), dst: rt.alloc(inPixels * outC), inPixels, inC, mult } : null;
    return {
      fn: rt.fn(dwconvName(qtype(type), rq.params.mode, ks)), rebase: rt.fn('q8_rebase'),
      pixels: g.batch * g.outH * g.outW, c: outC, ks, ind, w: wp, zp: rq.zp, lo: rq.lo, hi: rq.hi, repeat,
    };
  },

  eval(node, d) {
    let a = node.inputs[0]!.data.byteOffset;
    const r = d.repeat;
    if (r) {
      r.fn(a, r.dst, r.inPixels, r.inC, r.mult);
      a = r.dst;
    }
    d.fn(d.pixels, d.c, d.ks, rebase(d.ind, a, d.rebase), d.w, node.outputs[0]!.data.byteOffset, d.zp, d.lo, d.hi);
  },
};
