/**
 * Registration list of the uint8/int8 kernels. The resolver dispatches on the type of input 0 (input 2 for
 * TRANSPOSE_CONV) between these and the float kernels. QUANTIZE is registered here for FLOAT32 inputs too
 * (float → int8/uint8). DEQUANTIZE and the data-movement ops are registered by the float kernels for every type.
 */
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import type { KernelSpec } from '../registry.js';
import { addQuantized, subQuantized } from './add.js';
import { concatenationQuantized } from './concatenation.js';
import { conv2DQuantized } from './conv_2d.js';
import { depthwiseConv2DQuantized } from './depthwise_conv_2d.js';
import { fullyConnectedQuantized } from './fully_connected.js';
import { hardSwishQuantized } from './hard_swish.js';
import { l2NormalizationQuantized } from './l2_normalization.js';
import { leakyReluQuantized } from './leaky_relu.js';
import { logisticQuantized } from './logistic.js';
import { meanQuantized } from './mean.js';
import { mulQuantized } from './mul.js';
import { padQuantized } from './pad.js';
import { averagePool2DQuantized, maxPool2DQuantized } from './pool_2d.js';
import { preluQuantized } from './prelu.js';
import { quantizeKernel } from './quantize.js';
import { relu6Quantized, reluN1To1Quantized, reluQuantized } from './relu.js';
import { resizeBilinearQuantized } from './resize_bilinear.js';
import { softmaxQuantized } from './softmax.js';
import { tanhQuantized } from './tanh.js';
import { transposeConvQuantized } from './transpose_conv.js';
import { withSimd } from '../wasm/variant.js';
import { addSubQuantizedSimd } from '../wasm/quantized/add.js';
import { mulQuantizedSimd } from '../wasm/quantized/mul.js';
import {
  conv2DQuantizedSimd, depthwiseConv2DQuantizedSimd, fullyConnectedQuantizedSimd,
} from '../wasm/quantized/conv.js';
import { meanQuantizedSimd } from '../wasm/quantized/mean.js';
import { padQuantizedSimd } from '../wasm/quantized/pad.js';

const Q = [TensorType.UINT8, TensorType.INT8];

export const QUANTIZED_KERNELS: KernelSpec[] = [
  { op: BuiltinOperator.CONV_2D, maxVersion: 8, types: Q, kernel: withSimd(conv2DQuantized, conv2DQuantizedSimd) },
  { op: BuiltinOperator.DEPTHWISE_CONV_2D, maxVersion: 7, types: Q, kernel: withSimd(depthwiseConv2DQuantized, depthwiseConv2DQuantizedSimd) },
  { op: BuiltinOperator.FULLY_CONNECTED, maxVersion: 12, types: Q, kernel: withSimd(fullyConnectedQuantized, fullyConnectedQuantizedSimd) },
  { op: BuiltinOperator.TRANSPOSE_CONV, maxVersion: 5, types: Q, dispatchInput: 2, kernel: transposeConvQuantized },
  { op: BuiltinOperator.ADD, maxVersion: 5, types: Q, kernel: withSimd(addQuantized, addSubQuantizedSimd(addQuantized, false)) },
  { op: BuiltinOperator.SUB, maxVersion: 5, types: Q, kernel: withSimd(subQuantized, addSubQuantizedSimd(subQuantized, true)) },
  { op: BuiltinOperator.MUL, maxVersion: 7, types: Q, kernel: withSimd(mulQuantized, mulQuantizedSimd(mulQuantized)) },
  { op: BuiltinOperator.AVERAGE_POOL_2D, maxVersion: 3, types: Q, kernel: averagePool2DQuantized },
  { op: BuiltinOperator.MAX_POOL_2D, maxVersion: 3, types: Q, kernel: maxPool2DQuantized },
  { op: BuiltinOperator.MEAN, maxVersion: 3, types: Q, kernel: withSimd(meanQuantized, meanQuantizedSimd) },
  { op: BuiltinOperator.SOFTMAX, maxVersion: 3, types: Q, kernel: softmaxQuantized },
  { op: BuiltinOperator.LOGISTIC, maxVersion: 3, types: Q, kernel: logisticQuantized },
  { op: BuiltinOperator.TANH, maxVersion: 3, types: Q, kernel: tanhQuantized },
  { op: BuiltinOperator.RELU, maxVersion: 3, types: Q, kernel: reluQuantized },
  { op: BuiltinOperator.RELU6, maxVersion: 3, types: Q, kernel: relu6Quantized },
  { op: BuiltinOperator.RELU_N1_TO_1, maxVersion: 2, types: Q, kernel: reluN1To1Quantized },
  { op: BuiltinOperator.LEAKY_RELU, maxVersion: 2, types: Q, kernel: leakyReluQuantized },
  { op: BuiltinOperator.PRELU, maxVersion: 1, types: Q, kernel: preluQuantized },
  { op: BuiltinOperator.HARD_SWISH, maxVersion: 1, types: Q, kernel: hardSwishQuantized },
  { op: BuiltinOperator.RESIZE_BILINEAR, maxVersion: 4, types: Q, kernel: resizeBilinearQuantized },
  { op: BuiltinOperator.L2_NORMALIZATION, maxVersion: 2, types: Q, kernel: l2NormalizationQuantized },
  { op: BuiltinOperator.CONCATENATION, maxVersion: 4, types: Q, kernel: concatenationQuantized },
  { op: BuiltinOperator.PAD, maxVersion: 4, types: Q, kernel: withSimd(padQuantized, padQuantizedSimd) },
  { op: BuiltinOperator.PADV2, maxVersion: 4, types: Q, kernel: withSimd(padQuantized, padQuantizedSimd) },
  { op: BuiltinOperator.QUANTIZE, maxVersion: 3, types: [TensorType.FLOAT32, ...Q], kernel: quantizeKernel },
];
