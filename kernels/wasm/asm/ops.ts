/**
 * Opcode tables: name → [opcode, signature] per namespace, as the WebAssembly spec names them
 * (`f32x4.add` is `SIMD.f32x4.add`). A signature is operand letters ':' result letter:
 * i = i32, I = i64, f = f32, F = f64, v = v128, '' = none. SIMD opcodes take the 0xfd prefix.
 */
export type OpEntry = readonly [code: number, sig: string];
export type OpTable = Readonly<Record<string, OpEntry>>;

const cmp = <N extends string>(names: readonly N[], first: number, sig: string): Record<N, OpEntry> =>
  Object.fromEntries(names.map((n, i) => [n, [first + i, sig] as const])) as Record<N, OpEntry>;
const INT_CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const;
const FLOAT_CMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] as const;

export const I32_OPS = {
  eqz: [0x45, 'i:i'], ...cmp(INT_CMP, 0x46, 'ii:i'),
  clz: [0x67, 'i:i'], ctz: [0x68, 'i:i'], popcnt: [0x69, 'i:i'],
  add: [0x6a, 'ii:i'], sub: [0x6b, 'ii:i'], mul: [0x6c, 'ii:i'], div_s: [0x6d, 'ii:i'], div_u: [0x6e, 'ii:i'],
  rem_s: [0x6f, 'ii:i'], rem_u: [0x70, 'ii:i'], and: [0x71, 'ii:i'], or: [0x72, 'ii:i'], xor: [0x73, 'ii:i'],
  shl: [0x74, 'ii:i'], shr_s: [0x75, 'ii:i'], shr_u: [0x76, 'ii:i'], rotl: [0x77, 'ii:i'], rotr: [0x78, 'ii:i'],
  wrap_i64: [0xa7, 'I:i'], trunc_f32_s: [0xa8, 'f:i'], trunc_f32_u: [0xa9, 'f:i'],
  trunc_f64_s: [0xaa, 'F:i'], trunc_f64_u: [0xab, 'F:i'], reinterpret_f32: [0xbc, 'f:i'],
  extend8_s: [0xc0, 'i:i'], extend16_s: [0xc1, 'i:i'],
} as const satisfies OpTable;

/** Saturating truncations: opcode 0xfc then this u32. */
export const I32_SAT_OPS = {
  trunc_sat_f32_s: [0, 'f:i'], trunc_sat_f32_u: [1, 'f:i'], trunc_sat_f64_s: [2, 'F:i'], trunc_sat_f64_u: [3, 'F:i'],
} as const satisfies OpTable;

export const I64_OPS = {
  eqz: [0x50, 'I:i'], ...cmp(INT_CMP, 0x51, 'II:i'),
  clz: [0x79, 'I:I'], ctz: [0x7a, 'I:I'], popcnt: [0x7b, 'I:I'],
  add: [0x7c, 'II:I'], sub: [0x7d, 'II:I'], mul: [0x7e, 'II:I'], div_s: [0x7f, 'II:I'], div_u: [0x80, 'II:I'],
  rem_s: [0x81, 'II:I'], rem_u: [0x82, 'II:I'], and: [0x83, 'II:I'], or: [0x84, 'II:I'], xor: [0x85, 'II:I'],
  shl: [0x86, 'II:I'], shr_s: [0x87, 'II:I'], shr_u: [0x88, 'II:I'], rotl: [0x89, 'II:I'], rotr: [0x8a, 'II:I'],
  extend_i32_s: [0xac, 'i:I'], extend_i32_u: [0xad, 'i:I'], reinterpret_f64: [0xbd, 'F:I'],
} as const satisfies OpTable;

export const F32_OPS = {
  ...cmp(FLOAT_CMP, 0x5b, 'ff:i'),
  abs: [0x8b, 'f:f'], neg: [0x8c, 'f:f'], ceil: [0x8d, 'f:f'], floor: [0x8e, 'f:f'], trunc: [0x8f, 'f:f'],
  nearest: [0x90, 'f:f'], sqrt: [0x91, 'f:f'], add: [0x92, 'ff:f'], sub: [0x93, 'ff:f'], mul: [0x94, 'ff:f'],
  div: [0x95, 'ff:f'], min: [0x96, 'ff:f'], max: [0x97, 'ff:f'], copysign: [0x98, 'ff:f'],
  convert_i32_s: [0xb2, 'i:f'], convert_i32_u: [0xb3, 'i:f'], demote_f64: [0xb6, 'F:f'],
  reinterpret_i32: [0xbe, 'i:f'],
} as const satisfies OpTable;

export const F64_OPS = {
  ...cmp(FLOAT_CMP, 0x61, 'FF:i'),
  abs: [0x99, 'F:F'], neg: [0x9a, 'F:F'], ceil: [0x9b, 'F:F'], floor: [0x9c, 'F:F'], trunc: [0x9d, 'F:F'],
  nearest: [0x9e, 'F:F'], sqrt: [0x9f, 'F:F'], add: [0xa0, 'FF:F'], sub: [0xa1, 'FF:F'], mul: [0xa2, 'FF:F'],
  div: [0xa3, 'FF:F'], min: [0xa4, 'FF:F'], max: [0xa5, 'FF:F'], copysign: [0xa6, 'FF:F'],
  convert_i32_s: [0xb7, 'i:F'], convert_i32_u: [0xb8, 'i:F'], promote_f32: [0xbb, 'f:F'],
  reinterpret_i64: [0xbf, 'I:F'],
} as const satisfies OpTable;

// ---- SIMD128 (prefix 0xfd) ----

export const V128_OPS = {
  not: [0x4d, 'v:v'], and: [0x4e, 'vv:v'], andnot: [0x4f, 'vv:v'], or: [0x50, 'vv:v'], xor: [0x51, 'vv:v'],
  bitselect: [0x52, 'vvv:v'], any_true: [0x53, 'v:i'],
} as const satisfies OpTable;

export const I8X16_OPS = {
  swizzle: [0x0e, 'vv:v'], splat: [0x0f, 'i:v'], ...cmp(INT_CMP, 0x23, 'vv:v'),
  abs: [0x60, 'v:v'], neg: [0x61, 'v:v'], popcnt: [0x62, 'v:v'], all_true: [0x63, 'v:i'], bitmask: [0x64, 'v:i'],
  narrow_i16x8_s: [0x65, 'vv:v'], narrow_i16x8_u: [0x66, 'vv:v'],
  shl: [0x6b, 'vi:v'], shr_s: [0x6c, 'vi:v'], shr_u: [0x6d, 'vi:v'],
  add: [0x6e, 'vv:v'], add_sat_s: [0x6f, 'vv:v'], add_sat_u: [0x70, 'vv:v'],
  sub: [0x71, 'vv:v'], sub_sat_s: [0x72, 'vv:v'], sub_sat_u: [0x73, 'vv:v'],
  min_s: [0x76, 'vv:v'], min_u: [0x77, 'vv:v'], max_s: [0x78, 'vv:v'], max_u: [0x79, 'vv:v'], avgr_u: [0x7b, 'vv:v'],
} as const satisfies OpTable;

export const I16X8_OPS = {
  splat: [0x10, 'i:v'], ...cmp(INT_CMP, 0x2d, 'vv:v'),
  extadd_pairwise_i8x16_s: [0x7c, 'v:v'], extadd_pairwise_i8x16_u: [0x7d, 'v:v'],
  abs: [0x80, 'v:v'], neg: [0x81, 'v:v'], q15mulr_sat_s: [0x82, 'vv:v'], all_true: [0x83, 'v:i'],
  bitmask: [0x84, 'v:i'], narrow_i32x4_s: [0x85, 'vv:v'], narrow_i32x4_u: [0x86, 'vv:v'],
  extend_low_i8x16_s: [0x87, 'v:v'], extend_high_i8x16_s: [0x88, 'v:v'],
  extend_low_i8x16_u: [0x89, 'v:v'], extend_high_i8x16_u: [0x8a, 'v:v'],
  shl: [0x8b, 'vi:v'], shr_s: [0x8c, 'vi:v'], shr_u: [0x8d, 'vi:v'],
  add: [0x8e, 'vv:v'], add_sat_s: [0x8f, 'vv:v'], add_sat_u: [0x90, 'vv:v'],
  sub: [0x91, 'vv:v'], sub_sat_s: [0x92, 'vv:v'], sub_sat_u: [0x93, 'vv:v'],
  mul: [0x95, 'vv:v'], min_s: [0x96, 'vv:v'], min_u: [0x97, 'vv:v'], max_s: [0x98, 'vv:v'], max_u: [0x99, 'vv:v'],
  avgr_u: [0x9b, 'vv:v'],
  extmul_low_i8x16_s: [0x9c, 'vv:v'], extmul_high_i8x16_s: [0x9d, 'vv:v'],
  extmul_low_i8x16_u: [0x9e, 'vv:v'], extmul_high_i8x16_u: [0x9f, 'vv:v'],
} as const satisfies OpTable;

export const I32X4_OPS = {
  splat: [0x11, 'i:v'], ...cmp(INT_CMP, 0x37, 'vv:v'),
  extadd_pairwise_i16x8_s: [0x7e, 'v:v'], extadd_pairwise_i16x8_u: [0x7f, 'v:v'],
  abs: [0xa0, 'v:v'], neg: [0xa1, 'v:v'], all_true: [0xa3, 'v:i'], bitmask: [0xa4, 'v:i'],
  extend_low_i16x8_s: [0xa7, 'v:v'], extend_high_i16x8_s: [0xa8, 'v:v'],
  extend_low_i16x8_u: [0xa9, 'v:v'], extend_high_i16x8_u: [0xaa, 'v:v'],
  shl: [0xab, 'vi:v'], shr_s: [0xac, 'vi:v'], shr_u: [0xad, 'vi:v'],
  add: [0xae, 'vv:v'], sub: [0xb1, 'vv:v'], mul: [0xb5, 'vv:v'],
  min_s: [0xb6, 'vv:v'], min_u: [0xb7, 'vv:v'], max_s: [0xb8, 'vv:v'], max_u: [0xb9, 'vv:v'],
  dot_i16x8_s: [0xba, 'vv:v'],
  extmul_low_i16x8_s: [0xbc, 'vv:v'], extmul_high_i16x8_s: [0xbd, 'vv:v'],
  extmul_low_i16x8_u: [0xbe, 'vv:v'], extmul_high_i16x8_u: [0xbf, 'vv:v'],
  trunc_sat_f32x4_s: [0xf8, 'v:v'], trunc_sat_f32x4_u: [0xf9, 'v:v'],
  trunc_sat_f64x2_s_zero: [0xfc, 'v:v'], trunc_sat_f64x2_u_zero: [0xfd, 'v:v'],
} as const satisfies OpTable;

export const I64X2_OPS = {
  splat: [0x12, 'I:v'], abs: [0xc0, 'v:v'], neg: [0xc1, 'v:v'], all_true: [0xc3, 'v:i'], bitmask: [0xc4, 'v:i'],
  extend_low_i32x4_s: [0xc7, 'v:v'], extend_high_i32x4_s: [0xc8, 'v:v'],
  extend_low_i32x4_u: [0xc9, 'v:v'], extend_high_i32x4_u: [0xca, 'v:v'],
  shl: [0xcb, 'vi:v'], shr_s: [0xcc, 'vi:v'], shr_u: [0xcd, 'vi:v'],
  add: [0xce, 'vv:v'], sub: [0xd1, 'vv:v'], mul: [0xd5, 'vv:v'],
  eq: [0xd6, 'vv:v'], ne: [0xd7, 'vv:v'], lt_s: [0xd8, 'vv:v'], gt_s: [0xd9, 'vv:v'], le_s: [0xda, 'vv:v'],
  ge_s: [0xdb, 'vv:v'],
  extmul_low_i32x4_s: [0xdc, 'vv:v'], extmul_high_i32x4_s: [0xdd, 'vv:v'],
  extmul_low_i32x4_u: [0xde, 'vv:v'], extmul_high_i32x4_u: [0xdf, 'vv:v'],
} as const satisfies OpTable;

export const F32X4_OPS = {
  splat: [0x13, 'f:v'], ...cmp(FLOAT_CMP, 0x41, 'vv:v'),
  demote_f64x2_zero: [0x5e, 'v:v'],
  ceil: [0x67, 'v:v'], floor: [0x68, 'v:v'], trunc: [0x69, 'v:v'], nearest: [0x6a, 'v:v'],
  abs: [0xe0, 'v:v'], neg: [0xe1, 'v:v'], sqrt: [0xe3, 'v:v'],
  add: [0xe4, 'vv:v'], sub: [0xe5, 'vv:v'], mul: [0xe6, 'vv:v'], div: [0xe7, 'vv:v'],
  min: [0xe8, 'vv:v'], max: [0xe9, 'vv:v'], pmin: [0xea, 'vv:v'], pmax: [0xeb, 'vv:v'],
  convert_i32x4_s: [0xfa, 'v:v'], convert_i32x4_u: [0xfb, 'v:v'],
} as const satisfies OpTable;

export const F64X2_OPS = {
  splat: [0x14, 'F:v'], ...cmp(FLOAT_CMP, 0x47, 'vv:v'),
  promote_low_f32x4: [0x5f, 'v:v'],
  ceil: [0x74, 'v:v'], floor: [0x75, 'v:v'], trunc: [0x7a, 'v:v'], nearest: [0x94, 'v:v'],
  abs: [0xec, 'v:v'], neg: [0xed, 'v:v'], sqrt: [0xef, 'v:v'],
  add: [0xf0, 'vv:v'], sub: [0xf1, 'vv:v'], mul: [0xf2, 'vv:v'], div: [0xf3, 'vv:v'],
  min: [0xf4, 'vv:v'], max: [0xf5, 'vv:v'], pmin: [0xf6, 'vv:v'], pmax: [0xf7, 'vv:v'],
  convert_low_i32x4_s: [0xfe, 'v:v'], convert_low_i32x4_u: [0xff, 'v:v'],
} as const satisfies OpTable;

/** Loads: name → [opcode, natural alignment as log2 bytes]. Result type is the namespace's. */
export type MemTable = Readonly<Record<string, readonly [code: number, align: number]>>;
export const I32_LOADS = {
  load: [0x28, 2], load8_s: [0x2c, 0], load8_u: [0x2d, 0], load16_s: [0x2e, 1], load16_u: [0x2f, 1],
} as const satisfies MemTable;
export const I64_LOADS = {
  load: [0x29, 3], load8_s: [0x30, 0], load8_u: [0x31, 0], load16_s: [0x32, 1], load16_u: [0x33, 1],
  load32_s: [0x34, 2], load32_u: [0x35, 2],
} as const satisfies MemTable;
export const F32_LOADS = { load: [0x2a, 2] } as const satisfies MemTable;
export const F64_LOADS = { load: [0x2b, 3] } as const satisfies MemTable;
export const V128_LOADS = {
  load: [0x00, 4], load8x8_s: [0x01, 3], load8x8_u: [0x02, 3], load16x4_s: [0x03, 3], load16x4_u: [0x04, 3],
  load32x2_s: [0x05, 3], load32x2_u: [0x06, 3], load8_splat: [0x07, 0], load16_splat: [0x08, 1],
  load32_splat: [0x09, 2], load64_splat: [0x0a, 3], load32_zero: [0x5c, 2], load64_zero: [0x5d, 3],
} as const satisfies MemTable;

export const I32_STORES = { store: [0x36, 2], store8: [0x3a, 0], store16: [0x3b, 1] } as const satisfies MemTable;
export const I64_STORES = {
  store: [0x37, 3], store8: [0x3c, 0], store16: [0x3d, 1], store32: [0x3e, 2],
} as const satisfies MemTable;
export const F32_STORES = { store: [0x38, 2] } as const satisfies MemTable;
export const F64_STORES = { store: [0x39, 3] } as const satisfies MemTable;
export const V128_STORES = { store: [0x0b, 4] } as const satisfies MemTable;

/** Lane loads/stores (`v128.load32_lane`): [opcode, natural alignment, lane count]. */
export const V128_LANE_LOADS = {
  load8_lane: [0x54, 0, 16], load16_lane: [0x55, 1, 8], load32_lane: [0x56, 2, 4], load64_lane: [0x57, 3, 2],
} as const;
export const V128_LANE_STORES = {
  store8_lane: [0x58, 0, 16], store16_lane: [0x59, 1, 8], store32_lane: [0x5a, 2, 4], store64_lane: [0x5b, 3, 2],
} as const;

/** Lane reads/writes: [opcode, lane count, scalar type letter]. */
export const LANE_OPS = {
  i8x16: { extract_lane_s: [0x15, 16, 'i'], extract_lane_u: [0x16, 16, 'i'], replace_lane: [0x17, 16, 'i'] },
  i16x8: { extract_lane_s: [0x18, 8, 'i'], extract_lane_u: [0x19, 8, 'i'], replace_lane: [0x1a, 8, 'i'] },
  i32x4: { extract_lane: [0x1b, 4, 'i'], replace_lane: [0x1c, 4, 'i'] },
  i64x2: { extract_lane: [0x1d, 2, 'I'], replace_lane: [0x1e, 2, 'I'] },
  f32x4: { extract_lane: [0x1f, 4, 'f'], replace_lane: [0x20, 4, 'f'] },
  f64x2: { extract_lane: [0x21, 2, 'F'], replace_lane: [0x22, 2, 'F'] },
} as const;
