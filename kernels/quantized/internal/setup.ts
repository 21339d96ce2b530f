/**
 * What the typed-array and the SIMD variants of quantized CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED check and
 * derive at prepare, written once: tensor and option checks (with node-naming messages), per-tensor input/output
 * quantization, filter scales, the window geometry and the output shape. Each variant then packs weights its own way.
 */
import type { Conv2DOptions, DepthwiseConv2DOptions, FullyConnectedOptions } from '../../../schema/builtin_options.js';
import { FullyConnectedWeightsFormat, type TensorType } from '../../../schema/enums.js';
import { type ConvGeometry, prepareWindow } from '../../internal/conv_geometry.js';
import { type KernelNode, ensure, input } from '../../kernel.js';
import type { Tensor } from '../../tensor.js';
import { checkQuantizedConvTensors, filterScales, perTensorQuant, quantizedType, rankIs, sameType } from './params.js';

type Quant = { scale: number; zeroPoint: number };

interface QuantizedMatmulSetup {
  x: Tensor;
  filter: Tensor;
  bias: Tensor | null | undefined;
  out: Tensor;
  type: TensorType;
  xq: Quant;
  oq: Quant;
  fq: ReturnType<typeof filterScales>;
}

export interface QuantizedConvSetup<O> extends QuantizedMatmulSetup {
  opt: O;
  outC: number;
  fh: number;
  fw: number;
  inC: number;
  g: ConvGeometry;
}

function windowOf(node: KernelNode<Conv2DOptions | DepthwiseConv2DOptions>, x: Tensor, fh: number, fw: number, outC: number): ConvGeometry {
  const opt = node.options;
  return prepareWindow(node, {
    inputShape: x.shape, filterH: fh, filterW: fw, outC, strideH: opt.strideH, strideW: opt.strideW,
    dilationH: opt.dilationHFactor, dilationW: opt.dilationWFactor, padding: opt.padding,
  });
}

/** CONV_2D: filter OHWI, per-channel scales on dimension 0. */
export function quantizedConvSetup(node: KernelNode<Conv2DOptions>): QuantizedConvSetup<Conv2DOptions> {
  const x = input(node, 0), filter = input(node, 1), bias = node.inputs[2];
  const out = node.outputs[0]!;
  const opt = node.options;
  ensure(node, !!opt, () => 'missing Conv2DOptions');
  const type = checkQuantizedConvTensors(node, x, filter, out);
  const [outC, fh, fw, fc] = filter.shape as [number, number, number, number];
  const inC = x.shape[3]!;
  ensure(node, fc === inC, () => `filter has ${fc} input channels, input has ${inC} (grouped convolution is not supported)`);
  const xq = perTensorQuant(node, x, 'input');
  const oq = perTensorQuant(node, out, 'output');
  const fq = filterScales(node, filter, outC, 0);
  return { x, filter, bias, out, opt, type, outC, fh, fw, inC, xq, oq, fq, g: windowOf(node, x, fh, fw, outC) };
}

/** DEPTHWISE_CONV_2D: filter [1,H,W,C], per-channel scales on dimension 3; `mult` is the depth multiplier. */
export function quantizedDepthwiseSetup(node: KernelNode<DepthwiseConv2DOptions>): QuantizedConvSetup<DepthwiseConv2DOptions> & { mult: number } {
  const x = input(node, 0), filter = input(node, 1), bias = node.inputs[2];
  const out = node.outputs[0]!;
  const opt = node.options;
  ensure(node, !!opt, () => 'missing DepthwiseConv2DOptions');
  const type = checkQuantizedConvTensors(node, x, filter, out);
  const [one, fh, fw, outC] = filter.shape as [number, number, number, number];
  ensure(node, one === 1, () => `filter must have shape [1,H,W,C], got [${filter.shape.join(',')}]`);
  const inC = x.shape[3]!;
  ensure(node, outC % inC === 0, () => `filter has ${outC} channels, not a multiple of the ${inC} input channels`);
  const mult = outC / inC;
  ensure(node, opt.depthMultiplier === mult || opt.depthMultiplier === 0 || inC === 1,
    () => `depth_multiplier ${opt.depthMultiplier} does not match ${outC} / ${inC}`);
  const xq = perTensorQuant(node, x, 'input');
  const oq = perTensorQuant(node, out, 'output');
  const fq = filterScales(node, filter, outC, 3);
  return { x, filter, bias, out, opt, type, outC, fh, fw, inC, mult, xq, oq, fq, g: windowOf(node, x, fh, fw, outC) };
}

/** FULLY_CONNECTED: filter [units, k]; sets the output shape ([rows, units], or the input's with keep_num_dims). */
export function quantizedFullyConnectedSetup(node: KernelNode<FullyConnectedOptions>): QuantizedMatmulSetup & {
  opt: FullyConnectedOptions; units: number; k: number; rows: number;
} {
  const x = input(node, 0), filter = input(node, 1), bias = node.inputs[2];
  const out = node.outputs[0]!;
  const opt = node.options;
  ensure(node, !!opt, () => 'missing FullyConnectedOptions');
  ensure(node, opt.weightsFormat === FullyConnectedWeightsFormat.DEFAULT,
    () => `weights format ${FullyConnectedWeightsFormat[opt.weightsFormat]} is not supported`);
  const type = quantizedType(node, x, 'input');
  sameType(node, x, filter, 'filter');
  sameType(node, x, out, 'output');
  rankIs(node, filter, 2, 'filter');
  ensure(node, filter.isConstant, () => 'filter must be a constant tensor');
  const [units, k] = filter.shape as [number, number];
  const size = x.size;
  ensure(node, k > 0 && size % k === 0, () => `input of ${size} elements is not a multiple of the filter depth ${k}`);
  const rows = size / k;
  const xq = perTensorQuant(node, x, 'input');
  const oq = perTensorQuant(node, out, 'output');
  const fq = filterScales(node, filter, units, 0);
  out.shape = opt.keepNumDims ? [...x.shape.slice(0, -1), units] : [rows, units];
  if (opt.keepNumDims) ensure(node, x.shape[x.shape.length - 1] === k, () => `keep_num_dims needs the last input dimension to be ${k}`);
  return { x, filter, bias, out, opt, type, units, k, rows, xq, oq, fq };
}
