/**
 * MediaPipe's custom op `Convolution2DTransposeBias` (mediapipe/util/tflite/operations/transpose_conv_bias.cc),
 * float32: a transpose convolution with bias and no activation. Inputs: input NHWC, filter OHWI, bias [outC].
 * Custom options are the raw bytes of a TfLiteTransposeConvParams-like struct: int32 LE padding
 * (TfLitePadding: 1 = SAME, 2 = VALID), stride_width, stride_height. The output size is
 *   stride * (in - 1) + filter - padTotal,  padTotal = SAME ? max(0, filter - (in - 1) % stride - 1) : 0,
 * with padTotal / 2 (rounded down) before the first row/column.
 */
import { TensorType } from '../schema/enums.js';
import { ensure, input, type Kernel } from './kernel.js';
import type { KernelNode } from './kernel.js';
import {
  evalTransposeConvCore, prepareTransposeConvCore, type TransposeConvData, type TransposeConvLayout,
} from './transpose_conv.js';

const INPUT = 0, FILTER = 1, BIAS = 2;
const TFLITE_PADDING_SAME = 1, TFLITE_PADDING_VALID = 2;

/** Validates Convolution2DTransposeBias's custom options and inputs; the layout the transpose-conv core runs. */
export function transposeConvBiasLayout(node: KernelNode<null>): TransposeConvLayout {
  const opts = node.customOptions;
  ensure(node, !!opts && opts.byteLength >= 12, () =>
    `custom options must hold padding, stride_width, stride_height as 3 int32 (got ${opts?.byteLength ?? 0} bytes)`);
  const view = new DataView(opts.buffer, opts.byteOffset, opts.byteLength);
  const padding = view.getInt32(0, true), strideW = view.getInt32(4, true), strideH = view.getInt32(8, true);
  ensure(node, padding === TFLITE_PADDING_SAME || padding === TFLITE_PADDING_VALID, () =>
    `padding ${padding} is not SAME (1) or VALID (2)`);
  ensure(node, strideW >= 1 && strideH >= 1, () => `strides must be >= 1, got ${strideH}x${strideW}`);
  ensure(node, node.inputs.length === 3 && !!node.inputs[BIAS], () => 'expects 3 inputs: input, filter, bias');
  const x = input(node, INPUT), f = input(node, FILTER);
  ensure(node, x.type === TensorType.FLOAT32, () => `input type ${TensorType[x.type]} is not FLOAT32`);
  ensure(node, x.rank === 4, () => `input must have rank 4 (NHWC), got [${x.shape.join(',')}]`);
  ensure(node, f.rank === 4, () => `filter must have rank 4 (OHWI), got [${f.shape.join(',')}]`);
  const axis = (inSize: number, filter: number, stride: number): { out: number; pad: number } => {
    const total = padding === TFLITE_PADDING_SAME ? Math.max(0, filter - ((inSize - 1) % stride) - 1) : 0;
    return { out: stride * (inSize - 1) + filter - total, pad: Math.floor(total / 2) };
  };
  const h = axis(x.shape[1]!, f.shape[1]!, strideH), w = axis(x.shape[2]!, f.shape[2]!, strideW);
  return {
    input: INPUT, filter: FILTER, bias: BIAS, outH: h.out, outW: w.out, padTop: h.pad, padLeft: w.pad,
    strideH, strideW, lo: -Infinity, hi: Infinity,
  };
}

/** Convolution2DTransposeBias for FLOAT32 input, filter (OHWI) and bias. */
export const convolution2DTransposeBias: Kernel<TransposeConvData, null> = {
  prepare(node) {
    return prepareTransposeConvCore(node, transposeConvBiasLayout(node));
  },
  eval: evalTransposeConvCore,
};
