/**
 * The builtin-options unions of schema.fbs as data, shared by `model_reader.ts` and `model_writer.ts`.
 * Source: tensorflow/compiler/mlir/lite/schema/schema.fbs (the canonical TFLite schema; the copy at
 * tensorflow/lite/schema/schema.fbs follows it). A union's type code is 1 + the member's position in the
 * union declaration (0 = NONE). A table field's id is its position among the table's fields, counting
 * deprecated fields (ResizeBilinearOptions keeps ids 0/1 for new_height/new_width). Union fields take two
 * ids (the `_type` byte, then the value), which is why Operator.builtin_options has id 4 after
 * builtin_options_type at id 3.
 */
import { BuiltinOperator } from './enums.js';

/** `union BuiltinOptions` members in declaration order (type code = index + 1). */
export const BUILTIN_OPTIONS_UNION: readonly string[] = [
  'Conv2DOptions', 'DepthwiseConv2DOptions', 'ConcatEmbeddingsOptions', 'LSHProjectionOptions', 'Pool2DOptions',
  'SVDFOptions', 'RNNOptions', 'FullyConnectedOptions', 'SoftmaxOptions', 'ConcatenationOptions', 'AddOptions',
  'L2NormOptions', 'LocalResponseNormalizationOptions', 'LSTMOptions', 'ResizeBilinearOptions', 'CallOptions',
  'ReshapeOptions', 'SkipGramOptions', 'SpaceToDepthOptions', 'EmbeddingLookupSparseOptions', 'MulOptions',
  'PadOptions', 'GatherOptions', 'BatchToSpaceNDOptions', 'SpaceToBatchNDOptions', 'TransposeOptions',
  'ReducerOptions', 'SubOptions', 'DivOptions', 'SqueezeOptions', 'SequenceRNNOptions', 'StridedSliceOptions',
  'ExpOptions', 'TopKV2Options', 'SplitOptions', 'LogSoftmaxOptions', 'CastOptions', 'DequantizeOptions',
  'MaximumMinimumOptions', 'ArgMaxOptions', 'LessOptions', 'NegOptions', 'PadV2Options', 'GreaterOptions',
  'GreaterEqualOptions', 'LessEqualOptions', 'SelectOptions', 'SliceOptions', 'TransposeConvOptions',
  'SparseToDenseOptions', 'TileOptions', 'ExpandDimsOptions', 'EqualOptions', 'NotEqualOptions', 'ShapeOptions',
  'PowOptions', 'ArgMinOptions', 'FakeQuantOptions', 'PackOptions', 'LogicalOrOptions', 'OneHotOptions',
  'LogicalAndOptions', 'LogicalNotOptions', 'UnpackOptions', 'FloorDivOptions', 'SquareOptions', 'ZerosLikeOptions',
  'FillOptions', 'BidirectionalSequenceLSTMOptions', 'BidirectionalSequenceRNNOptions',
  'UnidirectionalSequenceLSTMOptions', 'FloorModOptions', 'RangeOptions', 'ResizeNearestNeighborOptions',
  'LeakyReluOptions', 'SquaredDifferenceOptions', 'MirrorPadOptions', 'AbsOptions', 'SplitVOptions', 'UniqueOptions',
  'ReverseV2Options', 'AddNOptions', 'GatherNdOptions', 'CosOptions', 'WhereOptions', 'RankOptions',
  'ReverseSequenceOptions', 'MatrixDiagOptions', 'QuantizeOptions', 'MatrixSetDiagOptions', 'HardSwishOptions',
  'IfOptions', 'WhileOptions', 'DepthToSpaceOptions', 'NonMaxSuppressionV4Options', 'NonMaxSuppressionV5Options',
  'ScatterNdOptions', 'SelectV2Options', 'DensifyOptions', 'SegmentSumOptions', 'BatchMatMulOptions', 'CumsumOptions',
  'CallOnceOptions', 'BroadcastToOptions', 'Rfft2dOptions', 'Conv3DOptions', 'HashtableOptions',
  'HashtableFindOptions', 'HashtableImportOptions', 'HashtableSizeOptions', 'VarHandleOptions', 'ReadVariableOptions',
  'AssignVariableOptions', 'RandomOptions', 'BucketizeOptions', 'GeluOptions', 'DynamicUpdateSliceOptions',
  'UnsortedSegmentProdOptions', 'UnsortedSegmentMaxOptions', 'UnsortedSegmentMinOptions', 'UnsortedSegmentSumOptions',
  'ATan2Options', 'SignOptions', 'BitcastOptions', 'BitwiseXorOptions', 'RightShiftOptions',
];

/** `union BuiltinOptions2` members (Operator.builtin_options_2, field ids 11/12), type code = index + 1. */
export const BUILTIN_OPTIONS2_UNION: readonly string[] = [
  'StablehloConcatenateOptions', 'StablehloBroadcastInDimOptions', 'StablehloSliceOptions',
  'StablehloConvolutionOptions', 'StablehloCustomCallOptions', 'StablehloReduceOptions', 'StablehloScatterOptions',
  'StablehloCompareOptions', 'StablehloDynamicSliceOptions', 'StablehloPadOptions', 'StablehloIotaOptions',
  'StablehloDotGeneralOptions', 'StablehloReduceWindowOptions', 'StablehloSortOptions', 'StablehloWhileOptions',
  'StablehloGatherOptions', 'StablehloTransposeOptions', 'DilateOptions', 'StablehloRngBitGeneratorOptions',
  'ReduceWindowOptions', 'StableHLOCompositeOptions',
];

/**
 * Scalar field kinds: `int` (int32), `float` (float32), `bool`, `intVector` ([int]) and byte enums with
 * their largest valid value (values outside 0..max are a ModelError).
 */
export type OptionFieldKind =
  | { t: 'int' } | { t: 'float' } | { t: 'bool' } | { t: 'intVector' } | { t: 'enum'; max: number; enumName: string };

export interface OptionField {
  /** camelCase of the schema field name (the key in the parsed object). */
  key: string;
  /** Field id in the table (declaration position, deprecated fields included). */
  id: number;
  kind: OptionFieldKind;
  /** Schema default (used when absent; the writer omits fields equal to it). */
  def: number | boolean | number[];
  /** Optional in the interface: the reader sets it only when the file has the field, the writer writes it when defined. */
  optional?: boolean;
}

const INT = { t: 'int' } as const;
const FLOAT = { t: 'float' } as const;
const BOOL = { t: 'bool' } as const;
const INTVEC = { t: 'intVector' } as const;
const PADDING = { t: 'enum', max: 1, enumName: 'Padding' } as const;
const ACT = { t: 'enum', max: 5, enumName: 'ActivationFunctionType' } as const;
const TTYPE = { t: 'enum', max: 18, enumName: 'TensorType' } as const;
const WFORMAT = { t: 'enum', max: 1, enumName: 'FullyConnectedOptionsWeightsFormat' } as const;
const MIRROR = { t: 'enum', max: 1, enumName: 'MirrorPadMode' } as const;

function f(key: string, id: number, kind: OptionFieldKind, def: number | boolean | number[] = kind.t === 'bool' ? false : kind.t === 'intVector' ? [] : 0): OptionField {
  return { key, id, kind, def };
}

function opt(field: OptionField): OptionField {
  return { ...field, optional: true };
}

/**
 * Field layouts of every option table with an interface in builtin_options.ts (ids from schema.fbs).
 * Tables not listed here are parsed as `{ kind: '<TableName>' }`.
 */
export const OPTION_FIELDS: Readonly<Record<string, readonly OptionField[]>> = {
  // table Conv2DOptions { padding; stride_w; stride_h; fused_activation_function; dilation_w_factor = 1;
  //   dilation_h_factor = 1; quantized_bias_type }
  Conv2DOptions: [f('padding', 0, PADDING), f('strideW', 1, INT), f('strideH', 2, INT), f('fusedActivationFunction', 3, ACT),
    f('dilationWFactor', 4, INT, 1), f('dilationHFactor', 5, INT, 1), opt(f('quantizedBiasType', 6, TTYPE))],
  // table DepthwiseConv2DOptions { padding; stride_w; stride_h; depth_multiplier; fused_activation_function;
  //   dilation_w_factor = 1; dilation_h_factor = 1 }
  DepthwiseConv2DOptions: [f('padding', 0, PADDING), f('strideW', 1, INT), f('strideH', 2, INT), f('depthMultiplier', 3, INT),
    f('fusedActivationFunction', 4, ACT), f('dilationWFactor', 5, INT, 1), f('dilationHFactor', 6, INT, 1)],
  // table FullyConnectedOptions { fused_activation_function; weights_format = DEFAULT; keep_num_dims;
  //   asymmetric_quantize_inputs; quantized_bias_type }
  FullyConnectedOptions: [f('fusedActivationFunction', 0, ACT), f('weightsFormat', 1, WFORMAT), f('keepNumDims', 2, BOOL),
    f('asymmetricQuantizeInputs', 3, BOOL), opt(f('quantizedBiasType', 4, TTYPE))],
  // table TransposeConvOptions { padding; stride_w; stride_h; fused_activation_function = NONE; quantized_bias_type }
  TransposeConvOptions: [f('padding', 0, PADDING), f('strideW', 1, INT), f('strideH', 2, INT), f('fusedActivationFunction', 3, ACT),
    opt(f('quantizedBiasType', 4, TTYPE))],
  // table Pool2DOptions { padding; stride_w; stride_h; filter_width; filter_height; fused_activation_function }
  Pool2DOptions: [f('padding', 0, PADDING), f('strideW', 1, INT), f('strideH', 2, INT), f('filterWidth', 3, INT),
    f('filterHeight', 4, INT), f('fusedActivationFunction', 5, ACT)],
  // table AddOptions { fused_activation_function; pot_scale_int16 = true }  (SubOptions: same layout)
  AddOptions: [f('fusedActivationFunction', 0, ACT), f('potScaleInt16', 1, BOOL, true)],
  SubOptions: [f('fusedActivationFunction', 0, ACT), f('potScaleInt16', 1, BOOL, true)],
  MulOptions: [f('fusedActivationFunction', 0, ACT)],
  DivOptions: [f('fusedActivationFunction', 0, ACT)],
  SoftmaxOptions: [f('beta', 0, FLOAT)],
  L2NormOptions: [f('fusedActivationFunction', 0, ACT)],
  ConcatenationOptions: [f('axis', 0, INT), f('fusedActivationFunction', 1, ACT)],
  ReducerOptions: [f('keepDims', 0, BOOL)],
  ReshapeOptions: [f('newShape', 0, INTVEC)],
  SqueezeOptions: [f('squeezeDims', 0, INTVEC)],
  // table StridedSliceOptions { begin_mask; end_mask; ellipsis_mask; new_axis_mask; shrink_axis_mask; offset }
  StridedSliceOptions: [f('beginMask', 0, INT), f('endMask', 1, INT), f('ellipsisMask', 2, INT), f('newAxisMask', 3, INT),
    f('shrinkAxisMask', 4, INT), f('offset', 5, BOOL)],
  SplitOptions: [f('numSplits', 0, INT)],
  SplitVOptions: [f('numSplits', 0, INT)],
  // table GatherOptions { axis; batch_dims = 0 }
  GatherOptions: [f('axis', 0, INT), f('batchDims', 1, INT)],
  ArgMaxOptions: [f('outputType', 0, TTYPE)],
  ArgMinOptions: [f('outputType', 0, TTYPE)],
  // table ResizeBilinearOptions { new_height (deprecated); new_width (deprecated); align_corners; half_pixel_centers }
  ResizeBilinearOptions: [f('alignCorners', 2, BOOL), f('halfPixelCenters', 3, BOOL)],
  ResizeNearestNeighborOptions: [f('alignCorners', 0, BOOL), f('halfPixelCenters', 1, BOOL)],
  DepthToSpaceOptions: [f('blockSize', 0, INT)],
  SpaceToDepthOptions: [f('blockSize', 0, INT)],
  LeakyReluOptions: [f('alpha', 0, FLOAT)],
  CastOptions: [f('inDataType', 0, TTYPE), f('outDataType', 1, TTYPE)],
  ShapeOptions: [f('outType', 0, TTYPE)],
  PackOptions: [f('valuesCount', 0, INT), f('axis', 1, INT)],
  UnpackOptions: [f('num', 0, INT), f('axis', 1, INT)],
  MirrorPadOptions: [f('mode', 0, MIRROR)],
  // table BatchMatMulOptions { adj_x; adj_y; asymmetric_quantize_inputs }
  BatchMatMulOptions: [f('adjX', 0, BOOL), f('adjY', 1, BOOL), f('asymmetricQuantizeInputs', 2, BOOL)],
  // Control flow: subgraph indices (checked by src/graph_validation.ts). table CallOptions { subgraph:uint };
  // IfOptions { then_subgraph_index; else_subgraph_index }; WhileOptions { cond_subgraph_index; body_subgraph_index };
  // CallOnceOptions { init_subgraph_index }
  CallOptions: [f('subgraph', 0, INT)],
  IfOptions: [f('thenSubgraphIndex', 0, INT), f('elseSubgraphIndex', 1, INT)],
  WhileOptions: [f('condSubgraphIndex', 0, INT), f('bodySubgraphIndex', 1, INT)],
  CallOnceOptions: [f('initSubgraphIndex', 0, INT)],
};

/**
 * The option table each builtin op carries when it has one of the parsed tables above (TFLite's
 * flatbuffer_conversions.cc reads `op->builtin_options_as_<Table>()` per op). A model whose op carries a
 * different table is malformed.
 */
export const OP_OPTIONS: ReadonlyMap<number, string> = new Map<number, string>([
  [BuiltinOperator.CONV_2D, 'Conv2DOptions'],
  [BuiltinOperator.DEPTHWISE_CONV_2D, 'DepthwiseConv2DOptions'],
  [BuiltinOperator.FULLY_CONNECTED, 'FullyConnectedOptions'],
  [BuiltinOperator.TRANSPOSE_CONV, 'TransposeConvOptions'],
  [BuiltinOperator.AVERAGE_POOL_2D, 'Pool2DOptions'],
  [BuiltinOperator.MAX_POOL_2D, 'Pool2DOptions'],
  [BuiltinOperator.L2_POOL_2D, 'Pool2DOptions'],
  [BuiltinOperator.ADD, 'AddOptions'],
  [BuiltinOperator.SUB, 'SubOptions'],
  [BuiltinOperator.MUL, 'MulOptions'],
  [BuiltinOperator.DIV, 'DivOptions'],
  [BuiltinOperator.SOFTMAX, 'SoftmaxOptions'],
  [BuiltinOperator.L2_NORMALIZATION, 'L2NormOptions'],
  [BuiltinOperator.CONCATENATION, 'ConcatenationOptions'],
  [BuiltinOperator.MEAN, 'ReducerOptions'],
  [BuiltinOperator.SUM, 'ReducerOptions'],
  [BuiltinOperator.REDUCE_MAX, 'ReducerOptions'],
  [BuiltinOperator.REDUCE_MIN, 'ReducerOptions'],
  [BuiltinOperator.REDUCE_PROD, 'ReducerOptions'],
  [BuiltinOperator.REDUCE_ANY, 'ReducerOptions'],
  [BuiltinOperator.REDUCE_ALL, 'ReducerOptions'],
  [BuiltinOperator.RESHAPE, 'ReshapeOptions'],
  [BuiltinOperator.SQUEEZE, 'SqueezeOptions'],
  [BuiltinOperator.STRIDED_SLICE, 'StridedSliceOptions'],
  [BuiltinOperator.SPLIT, 'SplitOptions'],
  [BuiltinOperator.SPLIT_V, 'SplitVOptions'],
  [BuiltinOperator.GATHER, 'GatherOptions'],
  [BuiltinOperator.ARG_MAX, 'ArgMaxOptions'],
  [BuiltinOperator.ARG_MIN, 'ArgMinOptions'],
  [BuiltinOperator.RESIZE_BILINEAR, 'ResizeBilinearOptions'],
  [BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, 'ResizeNearestNeighborOptions'],
  [BuiltinOperator.DEPTH_TO_SPACE, 'DepthToSpaceOptions'],
  [BuiltinOperator.SPACE_TO_DEPTH, 'SpaceToDepthOptions'],
  [BuiltinOperator.LEAKY_RELU, 'LeakyReluOptions'],
  [BuiltinOperator.CAST, 'CastOptions'],
  [BuiltinOperator.SHAPE, 'ShapeOptions'],
  [BuiltinOperator.PACK, 'PackOptions'],
  [BuiltinOperator.UNPACK, 'UnpackOptions'],
  [BuiltinOperator.MIRROR_PAD, 'MirrorPadOptions'],
  [BuiltinOperator.BATCH_MATMUL, 'BatchMatMulOptions'],
  [BuiltinOperator.CALL, 'CallOptions'],
  [BuiltinOperator.IF, 'IfOptions'],
  [BuiltinOperator.WHILE, 'WhileOptions'],
  [BuiltinOperator.CALL_ONCE, 'CallOnceOptions'],
]);
