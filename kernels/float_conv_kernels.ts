/**
 * Registration of the float32 convolution-family kernels. Version ranges follow
 * lite/tools/versioning/op_version.cc: the versions above 1 add other types (int8, int16, int4, hybrid
 * float-input/int8-weight) or features implemented here (CONV_2D v6 grouped convolution, DEPTHWISE_CONV_2D v2
 * dilation, FULLY_CONNECTED v5 keep_num_dims and v6 optional bias, TRANSPOSE_CONV v3 bias and v4 fused activation).
 * The float32 semantics are the same across each range, so a float model of any listed version runs; the
 * hybrid variants (float input with int8 weights) and shuffled FULLY_CONNECTED weights are refused at prepare.
 */
import { BuiltinOperator, TensorType } from '../schema/enums.js';
import { averagePool2DFloat } from './average_pool_2d.js';
import { conv2DFloat } from './conv_2d.js';
import { depthwiseConv2DFloat } from './depthwise_conv_2d.js';
import { fullyConnectedFloat } from './fully_connected.js';
import { maxPool2DFloat } from './max_pool_2d.js';
import type { KernelSpec } from './registry.js';
import { transposeConvFloat, transposeConvLayout } from './transpose_conv.js';
import { transposeConvSimd } from './wasm/float/transpose_conv.js';
import { conv2DSimd, fullyConnectedSimd } from './wasm/float/conv_2d.js';
import { depthwiseConv2DSimd } from './wasm/float/depthwise_conv_2d.js';
import { poolSimd } from './wasm/float/pool_kernels.js';
import { withSimd } from './wasm/variant.js';

const F32 = [TensorType.FLOAT32];

export const FLOAT_CONV_KERNELS: KernelSpec[] = [
  { op: BuiltinOperator.CONV_2D, maxVersion: 8, types: F32, kernel: withSimd(conv2DFloat, conv2DSimd) },
  { op: BuiltinOperator.DEPTHWISE_CONV_2D, maxVersion: 7, types: F32, kernel: withSimd(depthwiseConv2DFloat, depthwiseConv2DSimd) },
  { op: BuiltinOperator.FULLY_CONNECTED, maxVersion: 12, types: F32, kernel: withSimd(fullyConnectedFloat, fullyConnectedSimd) },
  { op: BuiltinOperator.TRANSPOSE_CONV, maxVersion: 5, types: F32, dispatchInput: 2, kernel: withSimd(transposeConvFloat, transposeConvSimd(transposeConvLayout)) },
  { op: BuiltinOperator.AVERAGE_POOL_2D, maxVersion: 3, types: F32, kernel: withSimd(averagePool2DFloat, poolSimd(false, averagePool2DFloat)) },
  { op: BuiltinOperator.MAX_POOL_2D, maxVersion: 3, types: F32, kernel: withSimd(maxPool2DFloat, poolSimd(true, maxPool2DFloat)) },
];
