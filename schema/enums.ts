/**
 * Enum values of the TFLite FlatBuffer schema (tensorflow/lite/schema/schema.fbs, file_identifier "TFL3").
 * Values are facts of the file format; names follow the schema.
 */

/** `enum TensorType : byte` */
export enum TensorType {
  FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT64 = 4, STRING = 5, BOOL = 6, INT16 = 7,
  COMPLEX64 = 8, INT8 = 9, FLOAT64 = 10, COMPLEX128 = 11, UINT64 = 12, RESOURCE = 13, VARIANT = 14,
  UINT32 = 15, UINT16 = 16, INT4 = 17, BFLOAT16 = 18,
}

/** `enum Padding : byte` */
export enum Padding { SAME = 0, VALID = 1 }

/** `enum ActivationFunctionType : byte` */
export enum ActivationFunctionType { NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3, TANH = 4, SIGN_BIT = 5 }

/** `enum FullyConnectedOptionsWeightsFormat : byte` */
export enum FullyConnectedWeightsFormat { DEFAULT = 0, SHUFFLED4x16INT8 = 1 }

/**
 * `enum BuiltinOperator : int32`. Codes above 127 are stored only in `OperatorCode.builtin_code`;
 * `deprecated_builtin_code` (a byte) saturates at 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
 */
export enum BuiltinOperator {
  ADD = 0, AVERAGE_POOL_2D = 1, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4, DEPTH_TO_SPACE = 5,
  DEQUANTIZE = 6, EMBEDDING_LOOKUP = 7, FLOOR = 8, FULLY_CONNECTED = 9, HASHTABLE_LOOKUP = 10,
  L2_NORMALIZATION = 11, L2_POOL_2D = 12, LOCAL_RESPONSE_NORMALIZATION = 13, LOGISTIC = 14,
  LSH_PROJECTION = 15, LSTM = 16, MAX_POOL_2D = 17, MUL = 18, RELU = 19, RELU_N1_TO_1 = 20, RELU6 = 21,
  RESHAPE = 22, RESIZE_BILINEAR = 23, RNN = 24, SOFTMAX = 25, SPACE_TO_DEPTH = 26, SVDF = 27, TANH = 28,
  CONCAT_EMBEDDINGS = 29, SKIP_GRAM = 30, CALL = 31, CUSTOM = 32, EMBEDDING_LOOKUP_SPARSE = 33, PAD = 34,
  UNIDIRECTIONAL_SEQUENCE_RNN = 35, GATHER = 36, BATCH_TO_SPACE_ND = 37, SPACE_TO_BATCH_ND = 38,
  TRANSPOSE = 39, MEAN = 40, SUB = 41, DIV = 42, SQUEEZE = 43, UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
  STRIDED_SLICE = 45, BIDIRECTIONAL_SEQUENCE_RNN = 46, EXP = 47, TOPK_V2 = 48, SPLIT = 49, LOG_SOFTMAX = 50,
  DELEGATE = 51, BIDIRECTIONAL_SEQUENCE_LSTM = 52, CAST = 53, PRELU = 54, MAXIMUM = 55, ARG_MAX = 56,
  MINIMUM = 57, LESS = 58, NEG = 59, PADV2 = 60, GREATER = 61, GREATER_EQUAL = 62, LESS_EQUAL = 63,
  SELECT = 64, SLICE = 65, SIN = 66, TRANSPOSE_CONV = 67, SPARSE_TO_DENSE = 68, TILE = 69, EXPAND_DIMS = 70,
  EQUAL = 71, NOT_EQUAL = 72, LOG = 73, SUM = 74, SQRT = 75, RSQRT = 76, SHAPE = 77, POW = 78, ARG_MIN = 79,
  FAKE_QUANT = 80, REDUCE_PROD = 81, REDUCE_MAX = 82, PACK = 83, LOGICAL_OR = 84, ONE_HOT = 85,
  LOGICAL_AND = 86, UNPACK = 87, REDUCE_MIN = 88, FLOOR_DIV = 89, REDUCE_ANY = 90, SQUARE = 91,
  ZEROS_LIKE = 92, FILL = 93, FLOOR_MOD = 94, RANGE = 95, RESIZE_NEAREST_NEIGHBOR = 96, LEAKY_RELU = 97,
  SQUARED_DIFFERENCE = 98, MIRROR_PAD = 99, ABS = 100, SPLIT_V = 101, UNIQUE = 102, CEIL = 103,
  REVERSE_V2 = 104, ADD_N = 105, GATHER_ND = 106, COS = 107, WHERE = 108, RANK = 109, ELU = 110,
  REVERSE_SEQUENCE = 111, MATRIX_DIAG = 112, QUANTIZE = 113, MATRIX_SET_DIAG = 114, ROUND = 115,
  HARD_SWISH = 116, IF = 117, WHILE = 118, NON_MAX_SUPPRESSION_V4 = 119, NON_MAX_SUPPRESSION_V5 = 120,
  SCATTER_ND = 121, SELECT_V2 = 122, DENSIFY = 123, SEGMENT_SUM = 124, BATCH_MATMUL = 125,
  PLACEHOLDER_FOR_GREATER_OP_CODES = 126, CUMSUM = 127,
  // 128 and above: completed by the schema reader work (see schema.fbs).
}

/** Name of a builtin code for messages and histograms; unknown codes print as `BUILTIN_<n>`. */
export function builtinName(code: number): string {
  return BuiltinOperator[code] ?? `BUILTIN_${code}`;
}
