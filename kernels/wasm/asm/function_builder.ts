/**
 * FunctionBuilder: writes one function's body. Two kinds of methods:
 * - **expressions** (`f.i32.add(a, 4)`, `f.v128.load(p, 16)`, `f.f32x4.mul(x, y)`) return an `Expr`, a small tree
 *   that emits nothing yet; operands are `Expr`s, `Local`s (read with local.get), integers (i32.const) or
 *   bigints (i64.const). Operand types are checked when the tree is built, so a wrong type throws an AsmError
 *   naming the op instead of an invalid module later.
 * - **statements** (`f.set`, stores, `f.block`/`f.loop`/`f.if`/`f.br`/`f.brIf`, `f.drop`, `f.call`, `f.return`)
 *   emit at once, evaluating their operand trees first, left to right.
 * So `f.set(acc, f.f32x4.add(acc, f.f32x4.mul(a, b)))` emits local.get acc, local.get a, local.get b, f32x4.mul,
 * f32x4.add, local.set acc. An Expr may be used more than once (it is re-emitted each time).
 */
import { ByteWriter } from './bytes.js';
import {
  F32_LOADS, F32_OPS, F32_STORES, F32X4_OPS, F64_LOADS, F64_OPS, F64_STORES, F64X2_OPS, I16X8_OPS, I32_LOADS,
  I32_OPS, I32_SAT_OPS, I32_STORES, I32X4_OPS, I64_LOADS, I64_OPS, I64_STORES, I64X2_OPS, I8X16_OPS, LANE_OPS,
  type MemTable, type OpTable, V128_LANE_LOADS, V128_LANE_STORES, V128_LOADS, V128_OPS, V128_STORES,
} from './ops.js';
import { AsmError, type FuncRef, type Label, type Local, type ValType, VALTYPE_CODE } from './types.js';

const SIMD = 0xfd;
const MISC = 0xfc;

/** A value not yet emitted: its type (null for none) and how to emit it. */
export class Expr {
  constructor(
    readonly type: ValType | null,
    readonly emit: (w: ByteWriter) => void,
  ) {}
}

/** An operand: an Expr, a local (local.get), an integer (i32.const) or a bigint (i64.const). */
export type Operand = Expr | Local | number | bigint;

const LETTER: Record<string, ValType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', v: 'v128' };

function typeOf(op: Operand): ValType | null {
  if (typeof op === 'number') return 'i32';
  if (typeof op === 'bigint') return 'i64';
  return op.type;
}

function emitOperand(w: ByteWriter, op: Operand): void {
  if (typeof op === 'number') {
    w.byte(0x41).s32(op);
  } else if (typeof op === 'bigint') {
    w.byte(0x42).s64(op);
  } else if (op instanceof Expr) {
    op.emit(w);
  } else {
    w.byte(0x20).u32(op.index);
  }
}

function check(what: string, operands: readonly Operand[], types: readonly ValType[]): void {
  if (operands.length !== types.length) {
    throw new AsmError(`${what} takes ${types.length} operand(s), got ${operands.length}`);
  }
  operands.forEach((op, i) => {
    if (typeof op === 'number' && !Number.isInteger(op)) {
      throw new AsmError(`${what}: operand ${i} is the number ${op}; use f32.const/f64.const for floats`);
    }
    const t = typeOf(op);
    if (t !== types[i]) throw new AsmError(`${what}: operand ${i} must be ${types[i]}, got ${t ?? 'no value'}`);
  });
}

/** An expression: operands (checked), then opcode bytes. */
function expr(what: string, result: ValType | null, operands: readonly Operand[], types: readonly ValType[],
  opcode: (w: ByteWriter) => void): Expr {
  check(what, operands, types);
  return new Expr(result, (w) => {
    for (const op of operands) emitOperand(w, op);
    opcode(w);
  });
}

type OpsOf<T> = { readonly [K in keyof T]: (...operands: Operand[]) => Expr };
type LoadsOf<T> = { readonly [K in keyof T]: (addr: Operand, offset?: number, align?: number) => Expr };
type StoresOf<T> = { readonly [K in keyof T]: (addr: Operand, value: Operand, offset?: number, align?: number) => void };

function ops<T extends OpTable>(ns: string, table: T, prefix?: number): OpsOf<T> {
  const out: Record<string, (...operands: Operand[]) => Expr> = {};
  for (const [name, [code, sig]] of Object.entries(table)) {
    const [args, res] = sig.split(':') as [string, string];
    const types = [...args].map((c) => LETTER[c]!);
    const result = res ? LETTER[res]! : null;
    out[name] = (...operands) => expr(`${ns}.${name}`, result, operands, types, (w) => {
      if (prefix === undefined) w.byte(code);
      else w.byte(prefix).u32(code);
    });
  }
  return out as OpsOf<T>;
}

/** The alignment exponent to encode (the natural one by default), checked. */
function checkAlign(what: string, natural: number, offset: number, align: number | undefined): number {
  const a = align ?? natural;
  if (!Number.isInteger(a) || a < 0 || a > natural) {
    throw new AsmError(`${what}: alignment 2^${a} exceeds the natural 2^${natural}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) throw new AsmError(`${what}: offset ${offset} out of range`);
  return a;
}

function memarg(w: ByteWriter, what: string, natural: number, offset: number, align: number | undefined): void {
  w.u32(checkAlign(what, natural, offset, align)).u32(offset);
}

function laneIndex(what: string, lane: number, count: number): number {
  if (!Number.isInteger(lane) || lane < 0 || lane >= count) {
    throw new AsmError(`${what}: lane ${lane} out of range 0..${count - 1}`);
  }
  return lane;
}

function constBytes(what: string, values: readonly number[], count: number, put: (dv: DataView, i: number, v: number) => void): Uint8Array {
  if (values.length !== count) throw new AsmError(`${what} takes ${count} lanes, got ${values.length}`);
  const dv = new DataView(new ArrayBuffer(16));
  values.forEach((v, i) => put(dv, i, v));
  return new Uint8Array(dv.buffer);
}

function v128Const(bytes: Uint8Array): Expr {
  return new Expr('v128', (w) => w.byte(SIMD).u32(0x0c).bytes(bytes));
}

// ------------------------------------------------------------------ shared expression namespaces

function loads<T extends MemTable>(ns: string, table: T, result: ValType, prefix?: number): LoadsOf<T> {
  const out: Record<string, (addr: Operand, offset?: number, align?: number) => Expr> = {};
  for (const [name, [code, natural]] of Object.entries(table)) {
    out[name] = (addr, offset = 0, align) => {
      const what = `${ns}.${name}`;
      checkAlign(what, natural, offset, align); // validates now
      return expr(what, result, [addr], ['i32'], (w) => {
        if (prefix === undefined) w.byte(code);
        else w.byte(prefix).u32(code);
        memarg(w, what, natural, offset, align);
      });
    };
  }
  return out as LoadsOf<T>;
}


function laneLoads(): { readonly [K in keyof typeof V128_LANE_LOADS]: (addr: Operand, vec: Operand, lane: number, offset?: number) => Expr } {
  const out: Record<string, (addr: Operand, vec: Operand, lane: number, offset?: number) => Expr> = {};
  for (const [name, [code, natural, count]] of Object.entries(V128_LANE_LOADS)) {
    out[name] = (addr, vec, lane, offset = 0) => {
      const what = `v128.${name}`;
      laneIndex(what, lane, count);
      return expr(what, 'v128', [addr, vec], ['i32', 'v128'], (w) => {
        w.byte(SIMD).u32(code);
        memarg(w, what, natural, offset, undefined);
        w.byte(lane);
      });
    };
  }
  return out as never;
}


function laneOps<T extends Readonly<Record<string, readonly [number, number, string]>>>(ns: string, table: T): {
  readonly [K in keyof T]: K extends 'replace_lane'
    ? (vec: Operand, lane: number, value: Operand) => Expr
    : (vec: Operand, lane: number) => Expr;
} {
  const out: Record<string, (vec: Operand, lane: number, value?: Operand) => Expr> = {};
  for (const [name, [code, count, letter]] of Object.entries(table)) {
    const scalar = LETTER[letter]!;
    out[name] = (vec, lane, value) => {
      const what = `${ns}.${name}`;
      laneIndex(what, lane, count);
      const replace = name === 'replace_lane';
      const operands = replace ? [vec, value as Operand] : [vec];
      const types: ValType[] = replace ? ['v128', scalar] : ['v128'];
      return expr(what, replace ? 'v128' : scalar, operands, types, (w) => w.byte(SIMD).u32(code).byte(lane));
    };
  }
  return out as never;
}

function shuffle8(a: Operand, b: Operand, lanes: readonly number[]): Expr {
  if (lanes.length !== 16) throw new AsmError(`i8x16.shuffle takes 16 lane indices, got ${lanes.length}`);
  lanes.forEach((l) => laneIndex('i8x16.shuffle', l, 32));
  return expr('i8x16.shuffle', 'v128', [a, b], ['v128', 'v128'], (w) => w.byte(SIMD).u32(0x0d).bytes(lanes));
}

/** Expression builders of every namespace: pure (nothing emitted), so one set serves every FunctionBuilder. */
const EXPR = {
  i32: {
    ...ops('i32', I32_OPS),
    ...ops('i32', I32_SAT_OPS, MISC),
    const: (v: number): Expr => {
      if (!Number.isInteger(v)) throw new AsmError(`i32.const ${v}: not an integer`);
      return expr('i32.const', 'i32', [v], ['i32'], () => {});
    },
    ...loads('i32', I32_LOADS, 'i32'),
  },
  i64: {
    ...ops('i64', I64_OPS),
    const: (v: bigint): Expr => expr('i64.const', 'i64', [v], ['i64'], () => {}),
    ...loads('i64', I64_LOADS, 'i64'),
  },
  f32: {
    ...ops('f32', F32_OPS),
    const: (v: number): Expr => new Expr('f32', (w) => w.byte(0x43).f32(v)),
    ...loads('f32', F32_LOADS, 'f32'),
  },
  f64: {
    ...ops('f64', F64_OPS),
    const: (v: number): Expr => new Expr('f64', (w) => w.byte(0x44).f64(v)),
    ...loads('f64', F64_LOADS, 'f64'),
  },
  v128: {
    ...ops('v128', V128_OPS, SIMD),
    /** 16 raw bytes. */
    const: (bytes: ArrayLike<number>): Expr => {
      if (bytes.length !== 16) throw new AsmError(`v128.const takes 16 bytes, got ${bytes.length}`);
      return v128Const(Uint8Array.from(bytes));
    },
    ...loads('v128', V128_LOADS, 'v128', SIMD),
    ...laneLoads(),
  },
  i8x16: {
    ...ops('i8x16', I8X16_OPS, SIMD),
    ...laneOps('i8x16', LANE_OPS.i8x16),
    const: (...lanes: number[]): Expr => v128Const(constBytes('i8x16.const', lanes, 16, (d, i, v) => d.setInt8(i, v))),
    /** Byte shuffle of the 32 bytes a ++ b; `lanes` are 16 indices 0..31. */
    shuffle: shuffle8,
  },
  i16x8: {
    ...ops('i16x8', I16X8_OPS, SIMD),
    ...laneOps('i16x8', LANE_OPS.i16x8),
    const: (...lanes: number[]): Expr =>
      v128Const(constBytes('i16x8.const', lanes, 8, (d, i, v) => d.setInt16(2 * i, v, true))),
  },
  i32x4: {
    ...ops('i32x4', I32X4_OPS, SIMD),
    ...laneOps('i32x4', LANE_OPS.i32x4),
    const: (...lanes: number[]): Expr =>
      v128Const(constBytes('i32x4.const', lanes, 4, (d, i, v) => d.setInt32(4 * i, v, true))),
    /** Shuffle of 32-bit lanes of a ++ b; `lanes` are 4 indices 0..7 (one i8x16.shuffle). */
    shuffle: (a: Operand, b: Operand, lanes: readonly number[]): Expr => {
      if (lanes.length !== 4) throw new AsmError(`i32x4.shuffle takes 4 lane indices, got ${lanes.length}`);
      const bytes = lanes.flatMap((l) => {
        laneIndex('i32x4.shuffle', l, 8);
        return [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3];
      });
      return shuffle8(a, b, bytes);
    },
  },
  i64x2: {
    ...ops('i64x2', I64X2_OPS, SIMD),
    ...laneOps('i64x2', LANE_OPS.i64x2),
  },
  f32x4: {
    ...ops('f32x4', F32X4_OPS, SIMD),
    ...laneOps('f32x4', LANE_OPS.f32x4),
    const: (...lanes: number[]): Expr =>
      v128Const(constBytes('f32x4.const', lanes, 4, (d, i, v) => d.setFloat32(4 * i, v, true))),
  },
  f64x2: {
    ...ops('f64x2', F64X2_OPS, SIMD),
    ...laneOps('f64x2', LANE_OPS.f64x2),
  },
};

/** A namespace object: the shared expressions (as prototype) plus one builder's store statements. */
function withStores<B extends object, S extends object>(base: B, stores: S): B & S {
  return Object.assign(Object.create(base) as B, stores);
}

interface Frame {
  label: Label;
}

export class FunctionBuilder {
  readonly body = new ByteWriter();
  private readonly localTypes: ValType[] = [];
  private readonly control: Frame[] = [];
  private readonly numParams: number;

  constructor(
    readonly name: string,
    params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {
    this.localTypes.push(...params);
    this.numParams = params.length;
  }

  /** The local for parameter `i`. */
  param(i: number, name = `p${i}`): Local {
    if (i < 0 || i >= this.numParams) throw new AsmError(`${this.name}: no parameter ${i}`);
    return { kind: 'local', index: i, type: this.localTypes[i]!, name };
  }

  /** A new local of the given type (zero-initialised, as every WebAssembly local). */
  local(type: ValType, name = `l${this.localTypes.length}`): Local {
    this.localTypes.push(type);
    return { kind: 'local', index: this.localTypes.length - 1, type, name };
  }

  /** `n` new locals of one type. */
  locals(type: ValType, n: number, name = 'l'): Local[] {
    return Array.from({ length: n }, (_, i) => this.local(type, `${name}${i}`));
  }

  // ---------------------------------------------------------------- expressions

  get(local: Local): Expr {
    return new Expr(local.type, (w) => w.byte(0x20).u32(local.index));
  }

  tee(local: Local, value: Operand): Expr {
    return expr(`local.tee ${local.name}`, local.type, [value], [local.type], (w) => w.byte(0x22).u32(local.index));
  }

  /** `cond ? a : b` (both evaluated), as `select`. */
  select(a: Operand, b: Operand, cond: Operand): Expr {
    const t = typeOf(a);
    if (t === null) throw new AsmError('select: operand 0 has no value');
    return expr('select', t, [a, b, cond], [t, t, 'i32'], (w) => {
      if (t === 'v128') w.byte(0x1c).u32(1).byte(VALTYPE_CODE.v128);
      else w.byte(0x1b);
    });
  }

  /** A call whose result is used. */
  callValue(fn: FuncRef, ...args: Operand[]): Expr {
    if (fn.results.length !== 1) throw new AsmError(`callValue ${fn.name}: it returns ${fn.results.length} values`);
    return expr(`call ${fn.name}`, fn.results[0]!, args, fn.params, (w) => w.byte(0x10).u32(fn.index));
  }

  // Namespaces: the shared expression builders (built once per process), plus this builder's stores.
  readonly i32 = withStores(EXPR.i32, this.stores('i32', I32_STORES, 'i32'));
  readonly i64 = withStores(EXPR.i64, this.stores('i64', I64_STORES, 'i64'));
  readonly f32 = withStores(EXPR.f32, this.stores('f32', F32_STORES, 'f32'));
  readonly f64 = withStores(EXPR.f64, this.stores('f64', F64_STORES, 'f64'));
  readonly v128 = withStores(EXPR.v128, { ...this.stores('v128', V128_STORES, 'v128', SIMD), ...this.laneStores() });
  readonly i8x16 = EXPR.i8x16;
  readonly i16x8 = EXPR.i16x8;
  readonly i32x4 = EXPR.i32x4;
  readonly i64x2 = EXPR.i64x2;
  readonly f32x4 = EXPR.f32x4;
  readonly f64x2 = EXPR.f64x2;

  // ---------------------------------------------------------------- statements

  /** Emits `value` and drops it. */
  drop(value: Operand): void {
    if (typeOf(value) === null) throw new AsmError('drop: operand has no value');
    emitOperand(this.body, value);
    this.body.byte(0x1a);
  }

  /** Emits a value-less expression (e.g. a `call` of a void function built elsewhere). */
  exec(e: Expr): void {
    if (e.type !== null) throw new AsmError('exec: expression leaves a value; use drop');
    e.emit(this.body);
  }

  set(local: Local, value: Operand): void {
    check(`local.set ${local.name}`, [value], [local.type]);
    emitOperand(this.body, value);
    this.body.byte(0x21).u32(local.index);
  }

  /** local += n (i32). */
  inc(local: Local, n: Operand = 1): void {
    this.set(local, this.i32.add(local, n));
  }

  call(fn: FuncRef, ...args: Operand[]): void {
    check(`call ${fn.name}`, args, fn.params);
    for (const a of args) emitOperand(this.body, a);
    this.body.byte(0x10).u32(fn.index);
    for (let i = 0; i < fn.results.length; i++) this.body.byte(0x1a);
  }

  return(value?: Operand): void {
    const want = this.results;
    check('return', value === undefined ? [] : [value], want);
    if (value !== undefined) emitOperand(this.body, value);
    this.body.byte(0x0f);
  }

  /** memory.copy: n bytes from src to dst (overlap allowed). */
  memoryCopy(dst: Operand, src: Operand, n: Operand): void {
    check('memory.copy', [dst, src, n], ['i32', 'i32', 'i32']);
    for (const op of [dst, src, n]) emitOperand(this.body, op);
    this.body.byte(MISC).u32(10).byte(0).byte(0);
  }

  /** memory.fill: n bytes at dst set to the low byte of value. */
  memoryFill(dst: Operand, value: Operand, n: Operand): void {
    check('memory.fill', [dst, value, n], ['i32', 'i32', 'i32']);
    for (const op of [dst, value, n]) emitOperand(this.body, op);
    this.body.byte(MISC).u32(11).byte(0);
  }

  unreachable(): void {
    this.body.byte(0x00);
  }

  /** `block ... end`; `br(label)` inside jumps past the end. */
  block(body: (label: Label) => void): void {
    this.structured(0x02, false, body);
  }

  /** `loop ... end`; `br(label)` inside jumps back to the start. */
  loop(body: (label: Label) => void): void {
    this.structured(0x03, true, body);
  }

  /** `if cond then ... [else ...] end`. Labels inside are unavailable to the bodies (use an enclosing block). */
  if(cond: Operand, then: () => void, otherwise?: () => void): void {
    check('if', [cond], ['i32']);
    emitOperand(this.body, cond);
    this.body.byte(0x04).byte(0x40);
    const frame: Frame = { label: { kind: 'label', height: this.control.length, loop: false } };
    this.control.push(frame);
    then();
    if (otherwise) {
      this.body.byte(0x05);
      otherwise();
    }
    this.control.pop();
    this.body.byte(0x0b);
  }

  br(label: Label): void {
    this.body.byte(0x0c).u32(this.depth(label));
  }

  brIf(label: Label, cond: Operand): void {
    check('br_if', [cond], ['i32']);
    emitOperand(this.body, cond);
    this.body.byte(0x0d).u32(this.depth(label));
  }

  /** `while (cond) body` as block { loop { br_if exit (!cond); body; br loop } }. */
  while(cond: Operand, body: (exit: Label, next: Label) => void): void {
    this.block((exit) => this.loop((top) => {
      this.brIf(exit, this.i32.eqz(cond));
      body(exit, top);
      this.br(top);
    }));
  }

  /** `for (i = start; i < end; i += step) body` with a signed compare; `end` is re-evaluated each time. */
  for(i: Local, start: Operand, end: Operand, step: number, body: (exit: Label) => void): void {
    this.set(i, start);
    this.while(this.i32.lt_s(i, end), (exit) => {
      body(exit);
      this.inc(i, step);
    });
  }

  /** Raw opcode bytes (escape hatch; keep the stack balanced yourself). */
  raw(...bytes: number[]): void {
    this.body.bytes(bytes);
  }

  /** The function body in binary form: local declarations, code, `end`. */
  finish(): Uint8Array {
    if (this.control.length !== 0) throw new AsmError(`${this.name}: ${this.control.length} unclosed block(s)`);
    const w = new ByteWriter();
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes.slice(this.numParams)) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    w.u32(groups.length);
    for (const [n, t] of groups) w.u32(n).byte(VALTYPE_CODE[t]);
    w.bytes(this.body.finish());
    w.byte(0x0b);
    return w.finish();
  }

  // ---------------------------------------------------------------- internals

  private structured(opcode: number, loop: boolean, body: (label: Label) => void): void {
    this.body.byte(opcode).byte(0x40);
    const label: Label = { kind: 'label', height: this.control.length, loop };
    this.control.push({ label });
    body(label);
    this.control.pop();
    this.body.byte(0x0b);
  }

  private depth(label: Label): number {
    if (this.control[label.height]?.label !== label) {
      throw new AsmError(`${this.name}: branch to a label that is not in scope`);
    }
    return this.control.length - 1 - label.height;
  }

  private stores<T extends MemTable>(ns: string, table: T, value: ValType, prefix?: number): StoresOf<T> {
    const out: Record<string, (addr: Operand, v: Operand, offset?: number, align?: number) => void> = {};
    for (const [name, [code, natural]] of Object.entries(table)) {
      out[name] = (addr, v, offset = 0, align) => {
        const what = `${ns}.${name}`;
        check(what, [addr, v], ['i32', value]);
        const w = this.body;
        checkAlign(what, natural, offset, align);
        emitOperand(w, addr);
        emitOperand(w, v);
        if (prefix === undefined) w.byte(code);
        else w.byte(prefix).u32(code);
        memarg(w, what, natural, offset, align);
      };
    }
    return out as StoresOf<T>;
  }

  private laneStores(): { readonly [K in keyof typeof V128_LANE_STORES]: (addr: Operand, vec: Operand, lane: number, offset?: number) => void } {
    const out: Record<string, (addr: Operand, vec: Operand, lane: number, offset?: number) => void> = {};
    for (const [name, [code, natural, count]] of Object.entries(V128_LANE_STORES)) {
      out[name] = (addr, vec, lane, offset = 0) => {
        const what = `v128.${name}`;
        laneIndex(what, lane, count);
        check(what, [addr, vec], ['i32', 'v128']);
        emitOperand(this.body, addr);
        emitOperand(this.body, vec);
        this.body.byte(SIMD).u32(code);
        memarg(this.body, what, natural, offset, undefined);
        this.body.byte(lane);
      };
    }
    return out as never;
  }


}
