/**
 * Registration of the float32 element-wise, reduction, resize and conversion kernels and of the
 * type-agnostic data-movement kernels (spread into FLOAT_KERNELS).
 *
 * maxVersion is TFLite's highest registered version (core/kernels/register.cc) whenever the versions up to
 * it only add features these kernels implement (6-D broadcast, ellipsis/new-axis/offset strided slices,
 * half-pixel resizes, batch_dims, per-axis dequantization …) or input types that another entry serves or
 * that prepare refuses by name (strings, int4). Ops with `types: []` move raw elements of any type and
 * check in prepare that quantized inputs and outputs share scale and zero point.
 */
import { BuiltinOperator as Op, TensorType as T } from '../schema/enums.js';
import type { KernelSpec } from './registry.js';
import { transpose8Simd } from './wasm/quantized/transpose.js';
import { add } from './add.js';
import { argMax } from './arg_max.js';
import { cast } from './cast.js';
import { concatenation } from './concatenation.js';
import { densify } from './densify.js';
import { depthToSpace } from './depth_to_space.js';
import { dequantize } from './dequantize.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { expandDims } from './expand_dims.js';
import { gather } from './gather.js';
import { hardSwish } from './hard_swish.js';
import { l2Normalization } from './l2_normalization.js';
import { leakyRelu } from './leaky_relu.js';
import { logistic } from './logistic.js';
import { maximum } from './maximum.js';
import { mean } from './mean.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import { pad } from './pad.js';
import { padV2 } from './padv2.js';
import { prelu } from './prelu.js';
import { relu } from './relu.js';
import { relu6 } from './relu6.js';
import { reluN1To1 } from './relu_n1_to_1.js';
import { reshape } from './reshape.js';
import { resizeBilinear } from './resize_bilinear.js';
import { resizeNearestNeighbor } from './resize_nearest_neighbor.js';
import { rsqrt } from './rsqrt.js';
import { shape } from './shape.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { spaceToDepth } from './space_to_depth.js';
import { split } from './split.js';
import { sqrt } from './sqrt.js';
import { squaredDifference } from './squared_difference.js';
import { squeeze } from './squeeze.js';
import { stridedSlice } from './strided_slice.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { tanh } from './tanh.js';
import { transpose } from './transpose.js';

import { concatenationSimd } from './wasm/float/concatenation_kernels.js';
import { depthToSpaceSimd } from './wasm/float/depth_to_space.js';
import { binarySimd, unarySimd } from './wasm/float/elementwise_kernels.js';
import { padSimd } from './wasm/float/pad_kernels.js';
import { meanSimd } from './wasm/float/pool_kernels.js';
import { resizeBilinearSimd } from './wasm/float/resize_kernels.js';
import { withSimd } from './wasm/variant.js';

const F = [T.FLOAT32];
const FI = [T.FLOAT32, T.INT32];
const ANY: T[] = [];

export const FLOAT_MISC_KERNELS: KernelSpec[] = [
  // Broadcasting binary ops.
  { op: Op.ADD, maxVersion: 5, types: FI, kernel: withSimd(add, binarySimd('add', add)) },
  { op: Op.SUB, maxVersion: 5, types: FI, kernel: withSimd(sub, binarySimd('sub', sub)) },
  { op: Op.MUL, maxVersion: 7, types: FI, kernel: withSimd(mul, binarySimd('mul', mul)) },
  { op: Op.DIV, maxVersion: 2, types: F, kernel: withSimd(div, binarySimd('div', div)) },
  { op: Op.MAXIMUM, maxVersion: 4, types: FI, kernel: withSimd(maximum, binarySimd('max', maximum)) },
  { op: Op.MINIMUM, maxVersion: 4, types: FI, kernel: withSimd(minimum, binarySimd('min', minimum)) },
  { op: Op.SQUARED_DIFFERENCE, maxVersion: 2, types: F, kernel: withSimd(squaredDifference, binarySimd('sqdiff', squaredDifference)) },
  { op: Op.PRELU, maxVersion: 1, types: F, kernel: prelu },
  // Unary maps and activations.
  { op: Op.RSQRT, maxVersion: 2, types: F, kernel: rsqrt },
  { op: Op.SQRT, maxVersion: 1, types: F, kernel: sqrt },
  { op: Op.EXP, maxVersion: 2, types: F, kernel: exp },
  { op: Op.RELU, maxVersion: 3, types: F, kernel: withSimd(relu, unarySimd('clamp', relu, () => [0, Infinity])) },
  { op: Op.RELU6, maxVersion: 3, types: F, kernel: withSimd(relu6, unarySimd('clamp', relu6, () => [0, 6])) },
  { op: Op.RELU_N1_TO_1, maxVersion: 1, types: F, kernel: withSimd(reluN1To1, unarySimd('clamp', reluN1To1, () => [-1, 1])) },
  { op: Op.LEAKY_RELU, maxVersion: 2, types: F, kernel: withSimd(leakyRelu, unarySimd('lrelu', leakyRelu, (d) => [d.param[0]!, 0])) },
  { op: Op.HARD_SWISH, maxVersion: 1, types: F, kernel: withSimd(hardSwish, unarySimd('hswish', hardSwish, () => [0, 0])) },
  { op: Op.LOGISTIC, maxVersion: 3, types: F, kernel: withSimd(logistic, unarySimd('sigmoid', logistic, () => [0, 0])) },
  { op: Op.TANH, maxVersion: 3, types: F, kernel: tanh },
  { op: Op.SOFTMAX, maxVersion: 3, types: F, kernel: softmax },
  { op: Op.L2_NORMALIZATION, maxVersion: 2, types: F, kernel: l2Normalization },
  // Reductions.
  { op: Op.MEAN, maxVersion: 3, types: FI, kernel: withSimd(mean, meanSimd(mean)) },
  { op: Op.SUM, maxVersion: 2, types: FI, kernel: sum },
  { op: Op.ARG_MAX, maxVersion: 3, types: [T.FLOAT32, T.INT32, T.UINT8, T.INT8, T.BOOL], kernel: argMax },
  // Shapes and data movement (any element type).
  { op: Op.RESHAPE, maxVersion: 1, types: ANY, kernel: reshape },
  { op: Op.SQUEEZE, maxVersion: 2, types: ANY, kernel: squeeze },
  { op: Op.EXPAND_DIMS, maxVersion: 1, types: ANY, kernel: expandDims },
  { op: Op.SHAPE, maxVersion: 1, types: ANY, kernel: shape },
  { op: Op.TRANSPOSE, maxVersion: 6, types: ANY, kernel: withSimd(transpose, transpose8Simd) },
  { op: Op.SLICE, maxVersion: 6, types: ANY, kernel: slice },
  { op: Op.STRIDED_SLICE, maxVersion: 8, types: ANY, kernel: stridedSlice },
  { op: Op.SPLIT, maxVersion: 4, types: ANY, kernel: split },
  { op: Op.GATHER, maxVersion: 6, types: ANY, kernel: gather },
  { op: Op.DEPTH_TO_SPACE, maxVersion: 2, types: ANY, kernel: withSimd(depthToSpace, depthToSpaceSimd(depthToSpace)) },
  { op: Op.SPACE_TO_DEPTH, maxVersion: 2, types: ANY, kernel: spaceToDepth },
  { op: Op.RESIZE_NEAREST_NEIGHBOR, maxVersion: 4, types: ANY, kernel: resizeNearestNeighbor },
  { op: Op.CONCATENATION, maxVersion: 4, types: [T.FLOAT32, T.INT32, T.INT64], kernel: withSimd(concatenation, concatenationSimd(concatenation)) },
  { op: Op.PAD, maxVersion: 4, types: [T.FLOAT32, T.INT32, T.INT64], kernel: withSimd(pad, padSimd(pad)) },
  { op: Op.PADV2, maxVersion: 4, types: [T.FLOAT32, T.INT32, T.INT64, T.UINT8, T.INT8], kernel: padV2 },
  { op: Op.RESIZE_BILINEAR, maxVersion: 4, types: F, kernel: withSimd(resizeBilinear, resizeBilinearSimd(resizeBilinear)) },
  // Conversions.
  { op: Op.DEQUANTIZE, maxVersion: 5, types: [T.UINT8, T.INT8, T.INT16, T.FLOAT16], kernel: dequantize },
  { op: Op.CAST, maxVersion: 5, types: [T.FLOAT32, T.INT32, T.UINT8, T.INT8, T.INT16, T.INT64, T.BOOL], kernel: cast },
  { op: Op.DENSIFY, maxVersion: 1, types: ANY, kernel: densify },
];
