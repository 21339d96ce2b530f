/**
 * Structure-aware model mutations: each case takes a valid seed model and changes *fields* — shapes, types,
 * buffers, quantization, op options, operator codes, tensor indices, op order, subgraphs, metadata, sparsity —
 * then the writer turns it into a well-formed FlatBuffer with adversarial contents. Case `i` of seed `s` depends
 * only on (s, i), so a campaign is reproducible and can resume anywhere.
 */
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { BuiltinOperator as Op } from '../../schema/enums.js';
import { OPTION_FIELDS } from '../../schema/options_schema.js';
import type { Model, OperatorDef, SubGraph, TensorDef } from '../../schema/types.js';
import { rng } from '../helpers/rng.js';
import type { SeedModel } from './seed_models.js';

export type Rand = () => number;

/** A per-case generator: the same (seed, index) always gives the same stream. */
export function caseRng(seed: number, index: number): Rand {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2f);
  return rng(h ^ (h >>> 15));
}

export const int = (r: Rand, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rand, list: readonly T[]): T => list[int(r, list.length)]!;

const DIMS = [0, 1, 2, 3, 4, 5, 7, 8, 16, 255, 256, 1000, 65535, 65536, 1 << 20, 2 ** 31 - 1, -1, -(2 ** 31)];
const INTS = [0, 1, -1, 2, 3, 4, 7, 8, 127, 128, 255, 256, -128, -129, 1000, 65535, 100000, 2 ** 30, 2 ** 31 - 1, -(2 ** 31)];
const FLOATS = [0, -0, NaN, Infinity, -Infinity, -1, 1e-45, 1e-38, 3.4e38, -3.4e38, 1, 0.5, 1e10, -1e-6, 2 ** 31];
const ZERO_POINTS = [0, -1, 1, 127, 128, 255, 256, -128, -129, 32767, -32769, 2 ** 31, -(2 ** 40), 2 ** 52];
/** Codes with kernels, plus control flow and a few without kernels. */
const CODES = [
  Op.ADD, Op.AVERAGE_POOL_2D, Op.CONCATENATION, Op.CONV_2D, Op.DEPTHWISE_CONV_2D, Op.DEPTH_TO_SPACE, Op.DEQUANTIZE,
  Op.FULLY_CONNECTED, Op.L2_NORMALIZATION, Op.LOGISTIC, Op.MAX_POOL_2D, Op.MUL, Op.RELU, Op.RELU_N1_TO_1, Op.RELU6,
  Op.RESHAPE, Op.RESIZE_BILINEAR, Op.SOFTMAX, Op.SPACE_TO_DEPTH, Op.TANH, Op.PAD, Op.GATHER, Op.BATCH_TO_SPACE_ND,
  Op.SPACE_TO_BATCH_ND, Op.TRANSPOSE, Op.MEAN, Op.SUB, Op.DIV, Op.SQUEEZE, Op.STRIDED_SLICE, Op.EXP, Op.SPLIT,
  Op.PRELU, Op.MAXIMUM, Op.ARG_MAX, Op.MINIMUM, Op.PADV2, Op.SLICE, Op.EXPAND_DIMS, Op.SUM, Op.SQRT, Op.RSQRT,
  Op.SHAPE, Op.RESIZE_NEAREST_NEIGHBOR, Op.LEAKY_RELU, Op.SQUARED_DIFFERENCE, Op.FLOOR_MOD, Op.QUANTIZE,
  Op.HARD_SWISH, Op.DENSIFY, Op.CAST, Op.PACK, Op.TRANSPOSE_CONV, Op.CUSTOM, Op.IF, Op.WHILE, Op.CALL, Op.CALL_ONCE,
  Op.LSTM, Op.BATCH_MATMUL, Op.UNPACK, Op.MIRROR_PAD, 207, 300, 100000,
];
const OPTION_KINDS = Object.keys(OPTION_FIELDS);

/** A copy deep enough that mutations never touch the seed (buffer bytes are replaced, never written). */
export function cloneModel(m: Model): Model {
  return {
    ...m,
    operatorCodes: m.operatorCodes.map((c) => ({ ...c })),
    subgraphs: m.subgraphs.map(cloneSubgraph),
    buffers: m.buffers.map((b) => ({ ...b })),
    metadata: m.metadata.map((e) => ({ ...e })),
    signatureDefs: m.signatureDefs.map((s) => ({ ...s, inputs: s.inputs.map((x) => ({ ...x })), outputs: s.outputs.map((x) => ({ ...x })) })),
  };
}

function cloneSubgraph(sg: SubGraph): SubGraph {
  return {
    ...sg,
    tensors: sg.tensors.map((t) => ({
      ...t, shape: [...t.shape], shapeSignature: t.shapeSignature ? [...t.shapeSignature] : null,
      quantization: t.quantization ? { ...t.quantization, scale: [...t.quantization.scale], zeroPoint: [...t.quantization.zeroPoint] } : null,
    })),
    inputs: [...sg.inputs],
    outputs: [...sg.outputs],
    operators: sg.operators.map((o) => ({
      ...o, inputs: [...o.inputs], outputs: [...o.outputs], intermediates: [...o.intermediates],
      builtinOptions: o.builtinOptions ? { ...o.builtinOptions } : null,
    })),
  };
}

interface Ctx {
  r: Rand;
  m: Model;
  /** Metadata flatbuffers of real models, for the metadata mutations. */
  metadataSamples: readonly Uint8Array[];
}

const sg0 = (c: Ctx): SubGraph => c.m.subgraphs[c.r() < 0.9 ? 0 : int(c.r, c.m.subgraphs.length)]!;
const someTensor = (c: Ctx, sg: SubGraph): TensorDef | undefined => sg.tensors[int(c.r, sg.tensors.length)];
const someOp = (c: Ctx, sg: SubGraph): OperatorDef | undefined => sg.operators[int(c.r, sg.operators.length)];
/** A tensor index: usually valid, sometimes -1, out of range, or huge. */
function tensorIndex(c: Ctx, sg: SubGraph): number {
  const x = c.r();
  if (x < 0.6) return int(c.r, sg.tensors.length);
  return pick(c.r, [-1, -2, sg.tensors.length, sg.tensors.length + 7, 2 ** 31 - 1, -(2 ** 31)]);
}

function randomShape(c: Ctx): number[] {
  const rank = int(c.r, 9);
  return Array.from({ length: rank }, () => (c.r() < 0.7 ? int(c.r, 6) : pick(c.r, DIMS)));
}

/** Bytes of `n` values of the tensor's kind, from the interesting pools. */
function hostileBytes(c: Ctx, type: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  if (type === 0) for (let i = 0; i + 4 <= length; i += 4) view.setFloat32(i, c.r() < 0.5 ? pick(c.r, FLOATS) : (c.r() - 0.5) * 10, true);
  else if (type === 2) for (let i = 0; i + 4 <= length; i += 4) view.setInt32(i, c.r() < 0.5 ? pick(c.r, INTS) : int(c.r, 9) - 4, true);
  else for (let i = 0; i < length; i++) out[i] = int(c.r, 256);
  return out;
}

function setBuffer(c: Ctx, t: TensorDef, data: Uint8Array | null): void {
  c.m.buffers.push({ data });
  t.buffer = c.m.buffers.length - 1;
}

type Mutation = (c: Ctx) => string;

const MUTATIONS: Record<string, Mutation> = {
  dim(c) {
    const t = someTensor(c, sg0(c));
    if (!t || t.shape.length === 0) return 'dim: none';
    const k = int(c.r, t.shape.length);
    t.shape[k] = pick(c.r, DIMS);
    return `dim: '${t.name}' shape[${k}] = ${t.shape[k]}`;
  },
  rank(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'rank: none';
    t.shape = randomShape(c);
    if (c.r() < 0.3) t.shapeSignature = t.shape.map((d) => (c.r() < 0.3 ? -1 : d));
    return `rank: '${t.name}' shape [${t.shape}]`;
  },
  signature(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'signature: none';
    t.shapeSignature = c.r() < 0.2 ? null : c.r() < 0.5 ? t.shape.map(() => -1) : randomShape(c).map((d) => (c.r() < 0.3 ? -1 : d));
    return `signature: '${t.name}' [${t.shapeSignature}]`;
  },
  type(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'type: none';
    t.type = c.r() < 0.9 ? int(c.r, 19) : pick(c.r, [19, 20, 100, 127, -1, -128]);
    return `type: '${t.name}' = ${t.type}`;
  },
  bufferIndex(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'buffer index: none';
    t.buffer = pick(c.r, [0, 0, int(c.r, c.m.buffers.length), c.m.buffers.length, c.m.buffers.length + 3, 2 ** 31]);
    return `buffer index: '${t.name}' = ${t.buffer}`;
  },
  bufferSize(c) {
    const sg = sg0(c);
    const t = sg.tensors.find((x, i) => x.buffer > 0 && i >= int(c.r, sg.tensors.length)) ?? someTensor(c, sg);
    if (!t) return 'buffer size: none';
    const old = c.m.buffers[t.buffer]?.data ?? new Uint8Array(0);
    const len = pick(c.r, [0, 1, 3, Math.max(0, old.length - 1), Math.max(0, old.length - 4), old.length, old.length + 1, old.length * 2 + 16]);
    const data = new Uint8Array(len);
    data.set(old.subarray(0, len));
    if (len > old.length) data.set(hostileBytes(c, t.type, len - old.length), old.length);
    setBuffer(c, t, len > 0 ? data : null);
    return `buffer size: '${t.name}' ${old.length} -> ${len} bytes`;
  },
  bufferValues(c) {
    const sg = sg0(c);
    const consts = sg.tensors.filter((t) => (c.m.buffers[t.buffer]?.data?.length ?? 0) > 0);
    const t = consts.length > 0 ? pick(c.r, consts) : someTensor(c, sg);
    if (!t) return 'buffer values: none';
    const old = c.m.buffers[t.buffer]?.data;
    const len = old && old.length > 0 ? old.length : 4 * Math.max(1, Math.min(64, t.shape.reduce((a, d) => a * Math.max(d, 0), 1)));
    setBuffer(c, t, hostileBytes(c, t.type, len));
    return `buffer values: '${t.name}' ${len} hostile bytes`;
  },
  quantization(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'quantization: none';
    const x = c.r();
    if (x < 0.15) { t.quantization = null; return `quantization: '${t.name}' removed`; }
    const q = t.quantization ?? { scale: [0.1], zeroPoint: [0], quantizedDimension: 0 };
    if (x < 0.4) q.scale = q.scale.map(() => pick(c.r, FLOATS));
    else if (x < 0.6) q.zeroPoint = q.zeroPoint.map(() => pick(c.r, ZERO_POINTS));
    else if (x < 0.75) {
      // One scale per channel, at most 2^16 (a mutated shape may be 2^31 - 1 there: the harness must not allocate it).
      const n = c.r() < 0.5 ? Math.min(t.shape[q.quantizedDimension] ?? 1, 1 << 16) : pick(c.r, [0, 2, 3, 7, 64]);
      q.scale = Array.from({ length: n }, () => (c.r() < 0.8 ? 0.01 + c.r() : pick(c.r, FLOATS)));
      q.zeroPoint = q.scale.map(() => (c.r() < 0.8 ? 0 : pick(c.r, ZERO_POINTS)));
    } else if (x < 0.9) q.quantizedDimension = pick(c.r, [-1, 0, 1, 2, 3, t.shape.length, 100, 2 ** 31 - 1]);
    else { q.min = [pick(c.r, FLOATS)]; q.max = [pick(c.r, FLOATS)]; }
    t.quantization = q;
    return `quantization: '${t.name}' scale [${q.scale.slice(0, 4)}] zp [${q.zeroPoint.slice(0, 4)}] dim ${q.quantizedDimension}`;
  },
  optionField(c) {
    const op = someOp(c, sg0(c));
    if (!op?.builtinOptions) return 'option field: none';
    const fields = OPTION_FIELDS[op.builtinOptions.kind] ?? [];
    if (fields.length === 0) return 'option field: none';
    const f = pick(c.r, fields);
    const o = op.builtinOptions as unknown as Record<string, unknown>;
    switch (f.kind.t) {
      case 'int': o[f.key] = pick(c.r, INTS); break;
      case 'float': o[f.key] = pick(c.r, FLOATS); break;
      case 'bool': o[f.key] = !o[f.key]; break;
      case 'enum': o[f.key] = c.r() < 0.7 ? int(c.r, f.kind.max + 2) : int(c.r, 128); break;
      case 'intVector': o[f.key] = Array.from({ length: int(c.r, 9) }, () => (c.r() < 0.5 ? int(c.r, 6) - 1 : pick(c.r, INTS))); break;
    }
    return `option field: ${op.builtinOptions.kind}.${f.key} = ${JSON.stringify(o[f.key])}`;
  },
  optionTable(c) {
    const op = someOp(c, sg0(c));
    if (!op) return 'option table: none';
    if (c.r() < 0.4) { op.builtinOptions = null; return 'option table: removed'; }
    const kind = pick(c.r, OPTION_KINDS);
    const o: Record<string, unknown> = { kind };
    for (const f of OPTION_FIELDS[kind]!) if (!f.optional) o[f.key] = Array.isArray(f.def) ? [...f.def] : f.def;
    op.builtinOptions = o as unknown as BuiltinOptions;
    return `option table: ${kind} with defaults`;
  },
  opcode(c) {
    const code = c.m.operatorCodes[int(c.r, c.m.operatorCodes.length)];
    if (!code) return 'opcode: none';
    const x = c.r();
    if (x < 0.5) code.builtinCode = pick(c.r, CODES);
    else if (x < 0.8) code.version = pick(c.r, [0, -1, 1, 2, 3, 4, 5, 8, 13, 100, 2 ** 31 - 1]);
    else code.customCode = pick(c.r, [null, '', 'Convolution2DTransposeBias', 'NoSuchOp', 'x'.repeat(300)]);
    if (code.customCode !== null && c.r() < 0.5) code.builtinCode = Op.CUSTOM;
    return `opcode: ${code.builtinCode} v${code.version} '${code.customCode}'`;
  },
  opcodeIndex(c) {
    const op = someOp(c, sg0(c));
    if (!op) return 'opcode index: none';
    op.opcodeIndex = pick(c.r, [int(c.r, c.m.operatorCodes.length), c.m.operatorCodes.length, 2 ** 31]);
    return `opcode index: ${op.opcodeIndex}`;
  },
  opTensors(c) {
    const sg = sg0(c);
    const op = someOp(c, sg);
    if (!op) return 'op tensors: none';
    const list = c.r() < 0.6 ? op.inputs : op.outputs;
    const x = c.r();
    if (x < 0.5 && list.length > 0) list[int(c.r, list.length)] = tensorIndex(c, sg);
    else if (x < 0.7 && list.length > 0) list.splice(int(c.r, list.length), 1);
    else if (x < 0.85) list.push(tensorIndex(c, sg));
    else if (list.length > 0) list.push(list[int(c.r, list.length)]!); // repeated
    return `op tensors: inputs [${op.inputs}] outputs [${op.outputs}]`;
  },
  opOrder(c) {
    const sg = sg0(c);
    const ops = sg.operators;
    if (ops.length === 0) return 'op order: none';
    const i = int(c.r, ops.length), j = int(c.r, ops.length);
    const x = c.r();
    if (x < 0.5) { [ops[i], ops[j]] = [ops[j]!, ops[i]!]; return `op order: swap ${i} ${j}`; }
    if (x < 0.75) { ops.splice(j, 0, { ...ops[i]!, inputs: [...ops[i]!.inputs], outputs: [...ops[i]!.outputs] }); return `op order: duplicate ${i}`; }
    ops.splice(i, 1);
    return `op order: delete ${i}`;
  },
  graphIo(c) {
    const sg = sg0(c);
    const list = c.r() < 0.5 ? sg.inputs : sg.outputs;
    const x = c.r();
    if (x < 0.4 && list.length > 0) list[int(c.r, list.length)] = tensorIndex(c, sg);
    else if (x < 0.6) list.push(tensorIndex(c, sg));
    else if (x < 0.8) list.splice(0, list.length);
    else if (list.length > 0) list.push(list[0]!);
    return `graph io: inputs [${sg.inputs}] outputs [${sg.outputs}]`;
  },
  tensors(c) {
    const sg = sg0(c);
    if (c.r() < 0.5) {
      sg.tensors.push({ name: 'extra', shape: randomShape(c), shapeSignature: null, type: int(c.r, 19), buffer: 0,
        quantization: null, isVariable: c.r() < 0.5, sparsity: null });
      return 'tensors: extra tensor';
    }
    sg.tensors.pop();
    return `tensors: last removed (${sg.tensors.length} left)`;
  },
  variable(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'variable: none';
    t.isVariable = !t.isVariable;
    return `variable: '${t.name}' ${t.isVariable}`;
  },
  subgraphs(c) {
    const x = c.r();
    const subgraphs = c.m.subgraphs;
    if (x < 0.3) subgraphs.push({ name: 'empty', tensors: [], inputs: [], outputs: [], operators: [] });
    else if (x < 0.6) subgraphs.push(cloneSubgraph(subgraphs[0]!));
    else if (x < 0.7) subgraphs.splice(0, subgraphs.length);
    else subgraphs.reverse();
    return `subgraphs: ${subgraphs.length}`;
  },
  controlFlow(c) {
    const op = someOp(c, sg0(c));
    if (!op) return 'control flow: none';
    const n = c.m.subgraphs.length;
    const idx = (): number => pick(c.r, [0, 1, 2, n - 1, n, -1, 2 ** 31 - 1]);
    const choice = int(c.r, 4);
    const [code, options] = [
      [Op.IF, { kind: 'IfOptions', thenSubgraphIndex: idx(), elseSubgraphIndex: idx() }],
      [Op.WHILE, { kind: 'WhileOptions', condSubgraphIndex: idx(), bodySubgraphIndex: idx() }],
      [Op.CALL, { kind: 'CallOptions', subgraph: idx() }],
      [Op.CALL_ONCE, { kind: 'CallOnceOptions', initSubgraphIndex: idx() }],
    ][choice] as [number, BuiltinOptions];
    c.m.operatorCodes.push({ builtinCode: code, customCode: null, version: 1 });
    op.opcodeIndex = c.m.operatorCodes.length - 1;
    op.builtinOptions = options;
    if (c.r() < 0.5) c.m.subgraphs.push(cloneSubgraph(c.m.subgraphs[0]!));
    return `control flow: ${JSON.stringify(options)}`;
  },
  sparsity(c) {
    const t = someTensor(c, sg0(c));
    if (!t) return 'sparsity: none';
    const rank = int(c.r, 4);
    const vec = (): number[] => Array.from({ length: int(c.r, 6) }, () => (c.r() < 0.7 ? int(c.r, 5) : pick(c.r, INTS)));
    t.sparsity = c.r() < 0.2 ? null : {
      traversalOrder: Array.from({ length: rank }, (_, i) => (c.r() < 0.8 ? i : pick(c.r, INTS))),
      blockMap: c.r() < 0.7 ? [] : vec(),
      dimMetadata: Array.from({ length: rank }, () => (c.r() < 0.5
        ? { format: 0 as const, denseSize: c.r() < 0.7 ? int(c.r, 5) : pick(c.r, INTS), arraySegments: null, arrayIndices: null }
        : { format: 1 as const, denseSize: 0, arraySegments: vec(), arrayIndices: vec() })),
    };
    return `sparsity: '${t.name}' ${JSON.stringify(t.sparsity)?.slice(0, 120)}`;
  },
  customOptions(c) {
    const op = someOp(c, sg0(c));
    if (!op) return 'custom options: none';
    const n = pick(c.r, [0, 1, 4, 8, 12, 16, 64]);
    op.customOptions = n === 0 ? null : hostileBytes(c, 2, n);
    return `custom options: ${n} bytes`;
  },
  metadata(c) {
    const sample = c.metadataSamples.length > 0 ? pick(c.r, c.metadataSamples) : new Uint8Array(64);
    const data = sample.slice();
    const view = new DataView(data.buffer);
    const x = c.r();
    let what: string;
    if (x < 0.25) { what = 'truncated'; c.m.buffers.push({ data: data.subarray(0, int(c.r, data.length)) }); }
    else {
      // Point 4-byte words at themselves (recursive tables), at the root, or make them huge vector lengths.
      const n = 1 + int(c.r, 4);
      for (let k = 0; k < n && data.length >= 8; k++) {
        const at = 4 * int(c.r, data.length >> 2);
        view.setUint32(at, pick(c.r, [0, 4, 0x7fffffff, 0xffffffff, 0x10000, data.length, at === 0 ? 0 : 0x100000000 - at]), true);
      }
      what = x < 0.5 ? 'recursive/huge words' : 'huge words';
      c.m.buffers.push({ data });
    }
    const buffer = c.r() < 0.9 ? c.m.buffers.length - 1 : c.m.buffers.length + 5;
    const name = pick(c.r, ['TFLITE_METADATA', 'TFLITE_METADATA', 'min_runtime_version', '']);
    const existing = c.m.metadata.find((e) => e.name === name);
    if (existing) existing.buffer = buffer; else c.m.metadata.push({ name, buffer });
    return `metadata: '${name}' ${what}`;
  },
  signatures(c) {
    c.m.signatureDefs.push({
      signatureKey: 'serving', subgraphIndex: pick(c.r, [0, c.m.subgraphs.length, 2 ** 31]),
      inputs: [{ name: 'x', tensorIndex: pick(c.r, [0, 1, 1000, 2 ** 31]) }], outputs: [],
    });
    return 'signatures: added';
  },
  version(c) {
    c.m.version = pick(c.r, [0, 2, 4, 2 ** 31]);
    return `version: ${c.m.version}`;
  },
};

const WEIGHTS: [string, number][] = [
  ['dim', 10], ['rank', 6], ['signature', 2], ['type', 6], ['bufferIndex', 3], ['bufferSize', 5], ['bufferValues', 10],
  ['quantization', 8], ['optionField', 14], ['optionTable', 3], ['opcode', 5], ['opcodeIndex', 1], ['opTensors', 6],
  ['opOrder', 3], ['graphIo', 3], ['tensors', 2], ['variable', 1], ['subgraphs', 2], ['controlFlow', 2],
  ['sparsity', 2], ['customOptions', 2], ['metadata', 4], ['signatures', 1], ['version', 0.2],
];
const TOTAL = WEIGHTS.reduce((s, [, w]) => s + w, 0);

function pickMutation(r: Rand): string {
  let x = r() * TOTAL;
  for (const [name, w] of WEIGHTS) { x -= w; if (x < 0) return name; }
  return WEIGHTS[0]![0];
}

export interface SeedPools {
  built: readonly SeedModel[];
  /** Small real models (fast enough to run often). */
  smallReal: readonly SeedModel[];
  /** Large real models (run rarely: each costs tens to hundreds of milliseconds). */
  largeReal: readonly SeedModel[];
  metadataSamples: readonly Uint8Array[];
}

export interface ModelCase {
  seed: string;
  /** Mutant of a real model (rather than a writer-built one). */
  real: boolean;
  mutations: string[];
  model: Model;
}

/** Case `index` of campaign `seed`: a seed model with 1–3 field mutations (0 for 1 case in 50: seeds must run). */
export function modelCase(pools: SeedPools, seed: number, index: number): ModelCase {
  const r = caseRng(seed, index);
  const x = r();
  const pool = x < 0.001 && pools.largeReal.length > 0 ? pools.largeReal
    : x < 0.03 && pools.smallReal.length > 0 ? pools.smallReal : pools.built;
  const base = pick(r, pool);
  const m = cloneModel(base.model);
  const c: Ctx = { r, m, metadataSamples: pools.metadataSamples };
  const count = r() < 0.02 ? 0 : 1 + int(r, 3);
  const mutations: string[] = [];
  for (let k = 0; k < count && m.subgraphs.length > 0; k++) mutations.push(MUTATIONS[pickMutation(r)]!(c));
  return { seed: base.name, real: base.real, mutations, model: m };
}
