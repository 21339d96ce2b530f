/**
 * Builtin option tables, parsed into plain objects. `kind` is the schema's union member name
 * (`BuiltinOptions` union in schema.fbs); every other field is the camelCase of the schema field name,
 * with the schema default filled in when the field is absent. The reader (`model_reader.ts`) parses
 * and the writer (`model_writer.ts`) serialises exactly these shapes.
 */
import type { ActivationFunctionType, Padding, TensorType, FullyConnectedWeightsFormat } from './enums.js';

export interface Conv2DOptions {
  kind: 'Conv2DOptions';
  padding: Padding; strideW: number; strideH: number;
  fusedActivationFunction: ActivationFunctionType;
  dilationWFactor: number; dilationHFactor: number;
  /** schema field `quantized_bias_type`, absent in older schemas (0 = FLOAT32 = unset). */
  quantizedBiasType?: TensorType;
}
export interface DepthwiseConv2DOptions {
  kind: 'DepthwiseConv2DOptions';
  padding: Padding; strideW: number; strideH: number; depthMultiplier: number;
  fusedActivationFunction: ActivationFunctionType;
  dilationWFactor: number; dilationHFactor: number;
}
export interface FullyConnectedOptions {
  kind: 'FullyConnectedOptions';
  fusedActivationFunction: ActivationFunctionType;
  weightsFormat: FullyConnectedWeightsFormat;
  keepNumDims: boolean;
  asymmetricQuantizeInputs: boolean;
  /** schema field `quantized_bias_type` (FULLY_CONNECTED v11+); present only when the file sets it. */
  quantizedBiasType?: TensorType;
}
export interface TransposeConvOptions {
  kind: 'TransposeConvOptions';
  padding: Padding; strideW: number; strideH: number;
  fusedActivationFunction: ActivationFunctionType;
  /** schema field `quantized_bias_type` (TRANSPOSE_CONV v5+); present only when the file sets it. */
  quantizedBiasType?: TensorType;
}
export interface Pool2DOptions {
  kind: 'Pool2DOptions';
  padding: Padding; strideW: number; strideH: number; filterWidth: number; filterHeight: number;
  fusedActivationFunction: ActivationFunctionType;
}
export interface AddOptions { kind: 'AddOptions'; fusedActivationFunction: ActivationFunctionType; potScaleInt16: boolean }
export interface SubOptions { kind: 'SubOptions'; fusedActivationFunction: ActivationFunctionType; potScaleInt16: boolean }
export interface MulOptions { kind: 'MulOptions'; fusedActivationFunction: ActivationFunctionType }
export interface DivOptions { kind: 'DivOptions'; fusedActivationFunction: ActivationFunctionType }
export interface SoftmaxOptions { kind: 'SoftmaxOptions'; beta: number }
export interface L2NormOptions { kind: 'L2NormOptions'; fusedActivationFunction: ActivationFunctionType }
export interface ConcatenationOptions { kind: 'ConcatenationOptions'; axis: number; fusedActivationFunction: ActivationFunctionType }
/** MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, REDUCE_ANY. */
export interface ReducerOptions { kind: 'ReducerOptions'; keepDims: boolean }
export interface ReshapeOptions { kind: 'ReshapeOptions'; newShape: number[] }
export interface SqueezeOptions { kind: 'SqueezeOptions'; squeezeDims: number[] }
export interface StridedSliceOptions {
  kind: 'StridedSliceOptions';
  beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number;
  offset: boolean;
}
export interface SplitOptions { kind: 'SplitOptions'; numSplits: number }
export interface SplitVOptions { kind: 'SplitVOptions'; numSplits: number }
export interface GatherOptions { kind: 'GatherOptions'; axis: number; batchDims: number }
export interface ArgMaxOptions { kind: 'ArgMaxOptions'; outputType: TensorType }
export interface ArgMinOptions { kind: 'ArgMinOptions'; outputType: TensorType }
export interface ResizeBilinearOptions { kind: 'ResizeBilinearOptions'; alignCorners: boolean; halfPixelCenters: boolean }
export interface ResizeNearestNeighborOptions { kind: 'ResizeNearestNeighborOptions'; alignCorners: boolean; halfPixelCenters: boolean }
export interface DepthToSpaceOptions { kind: 'DepthToSpaceOptions'; blockSize: number }
export interface SpaceToDepthOptions { kind: 'SpaceToDepthOptions'; blockSize: number }
export interface LeakyReluOptions { kind: 'LeakyReluOptions'; alpha: number }
export interface CastOptions { kind: 'CastOptions'; inDataType: TensorType; outDataType: TensorType }
export interface ShapeOptions { kind: 'ShapeOptions'; outType: TensorType }
export interface PackOptions { kind: 'PackOptions'; valuesCount: number; axis: number }
export interface UnpackOptions { kind: 'UnpackOptions'; num: number; axis: number }
export interface MirrorPadOptions { kind: 'MirrorPadOptions'; mode: number }
export interface BatchMatMulOptions { kind: 'BatchMatMulOptions'; adjX: boolean; adjY: boolean; asymmetricQuantizeInputs: boolean }
/** Control flow: indices into Model.subgraphs (`CallOptions.subgraph` is a uint in the schema). */
export interface CallOptions { kind: 'CallOptions'; subgraph: number }
export interface IfOptions { kind: 'IfOptions'; thenSubgraphIndex: number; elseSubgraphIndex: number }
export interface WhileOptions { kind: 'WhileOptions'; condSubgraphIndex: number; bodySubgraphIndex: number }
export interface CallOnceOptions { kind: 'CallOnceOptions'; initSubgraphIndex: number }
/**
 * Option tables with no fields (PadOptions, TransposeOptions, ExpandDimsOptions, DequantizeOptions, …),
 * and any table the reader knows by name but does not parse field by field.
 */
export interface EmptyOptions { kind: string }

export type BuiltinOptions =
  | Conv2DOptions | DepthwiseConv2DOptions | FullyConnectedOptions | TransposeConvOptions | Pool2DOptions
  | AddOptions | SubOptions | MulOptions | DivOptions | SoftmaxOptions | L2NormOptions | ConcatenationOptions
  | ReducerOptions | ReshapeOptions | SqueezeOptions | StridedSliceOptions | SplitOptions | SplitVOptions
  | GatherOptions | ArgMaxOptions | ArgMinOptions | ResizeBilinearOptions | ResizeNearestNeighborOptions
  | DepthToSpaceOptions | SpaceToDepthOptions | LeakyReluOptions | CastOptions | ShapeOptions | PackOptions
  | UnpackOptions | MirrorPadOptions | BatchMatMulOptions | CallOptions | IfOptions | WhileOptions | CallOnceOptions
  | EmptyOptions;
