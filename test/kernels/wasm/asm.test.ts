import { describe, expect, it } from 'vitest';
import { AsmError, ByteWriter, type FunctionBuilder, type Local, ModuleBuilder, type ValType } from '../../../kernels/wasm/asm/index.js';
import * as OPS from '../../../kernels/wasm/asm/ops.js';

const hex = (w: ByteWriter): string => Buffer.from(w.finish()).toString('hex');

function instantiate(mb: ModuleBuilder, pages = 1): { exports: Record<string, any>; memory: WebAssembly.Memory } {
  const bytes = mb.finish();
  expect(WebAssembly.validate(bytes)).toBe(true);
  const memory = new WebAssembly.Memory({ initial: pages });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { exports: inst.exports as Record<string, any>, memory };
}

describe('LEB128 and constants', () => {
  it('encodes unsigned and signed LEB128 as the spec examples', () => {
    expect(hex(new ByteWriter().u32(624485))).toBe('e58e26');
    expect(hex(new ByteWriter().u32(0))).toBe('00');
    expect(hex(new ByteWriter().u32(0xffffffff))).toBe('ffffffff0f');
    expect(hex(new ByteWriter().s32(-123456))).toBe('c0bb78');
    expect(hex(new ByteWriter().s32(-1))).toBe('7f');
    expect(hex(new ByteWriter().s32(63))).toBe('3f');
    expect(hex(new ByteWriter().s32(64))).toBe('c000');
    expect(hex(new ByteWriter().s32(-64))).toBe('40');
    expect(hex(new ByteWriter().s32(-65))).toBe('bf7f');
    expect(hex(new ByteWriter().s32(0x7fffffff))).toBe('ffffffff07');
    expect(hex(new ByteWriter().s32(-0x80000000))).toBe('8080808078');
    expect(hex(new ByteWriter().s32(0xffffffff))).toBe('7f');
    expect(hex(new ByteWriter().s64(-1n))).toBe('7f');
    expect(hex(new ByteWriter().s64((1n << 63n) - 1n))).toBe('ffffffffffffffffff00');
  });

  it('rejects immediates out of range with AsmError', () => {
    expect(() => new ByteWriter().u32(-1)).toThrow(AsmError);
    expect(() => new ByteWriter().u32(2 ** 32)).toThrow(AsmError);
    expect(() => new ByteWriter().s32(2 ** 32)).toThrow(AsmError);
    expect(() => new ByteWriter().s32(1.5)).toThrow(AsmError);
  });

  it('round-trips i32 and i64 constants through real code', () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, -8192, 0x7fffffff, -0x80000000, 123456789];
    const mb = new ModuleBuilder();
    values.forEach((v, i) => mb.addFunction(`c${i}`, { params: {}, results: ['i32'] }, (f) => f.return(v)));
    const big = [0n, -1n, 1n << 40n, -(1n << 63n), (1n << 63n) - 1n];
    big.forEach((v, i) => mb.addFunction(`b${i}`, { params: {}, results: ['i64'] }, (f) => f.return(v)));
    const { exports } = instantiate(mb);
    values.forEach((v, i) => expect(exports[`c${i}`]()).toBe(v));
    big.forEach((v, i) => expect(exports[`b${i}`]()).toBe(v));
  });
});

/** Operands of each type for the op-table sweep. */
function operandFor(f: FunctionBuilder, locals: Record<ValType, Local>, t: ValType): Local {
  return locals[t];
}

describe('every opcode in the tables validates with its signature', () => {
  const tables: [string, OPS.OpTable][] = [
    ['i32', OPS.I32_OPS], ['i32', OPS.I32_SAT_OPS], ['i64', OPS.I64_OPS], ['f32', OPS.F32_OPS], ['f64', OPS.F64_OPS],
    ['v128', OPS.V128_OPS], ['i8x16', OPS.I8X16_OPS], ['i16x8', OPS.I16X8_OPS], ['i32x4', OPS.I32X4_OPS],
    ['i64x2', OPS.I64X2_OPS], ['f32x4', OPS.F32X4_OPS], ['f64x2', OPS.F64X2_OPS],
  ];
  for (const [ns, table] of tables) {
    it(ns, () => {
      const mb = new ModuleBuilder();
      for (const [name, [, sig]] of Object.entries(table)) {
        mb.addFunction(`${ns}_${name}`, { params: {} }, (f) => {
          const locals = { i32: f.local('i32'), i64: f.local('i64'), f32: f.local('f32'), f64: f.local('f64'), v128: f.local('v128') };
          const letters: Record<string, ValType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', v: 'v128' };
          const args = [...sig.split(':')[0]!].map((c) => operandFor(f, locals, letters[c]!));
          const fn = (f as unknown as Record<string, Record<string, (...a: Local[]) => never>>)[ns]![name]!;
          f.drop(fn(...args));
        });
      }
      const bytes = mb.finish();
      const ok = WebAssembly.validate(bytes);
      if (!ok) {
        // Find the first bad op for a readable failure.
        for (const name of Object.keys(table)) {
          const one = new ModuleBuilder();
          one.addFunction('x', { params: {} }, (f) => {
            const locals = { i32: f.local('i32'), i64: f.local('i64'), f32: f.local('f32'), f64: f.local('f64'), v128: f.local('v128') };
            const letters: Record<string, ValType> = { i: 'i32', I: 'i64', f: 'f32', F: 'f64', v: 'v128' };
            const args = [...table[name]![1].split(':')[0]!].map((c) => locals[letters[c]!]);
            f.drop((f as any)[ns][name](...args));
          });
          expect(WebAssembly.validate(one.finish()), `${ns}.${name}`).toBe(true);
        }
      }
      expect(ok).toBe(true);
    });
  }

  it('memory, lane and shuffle ops', () => {
    const mb = new ModuleBuilder();
    mb.addFunction('mem', { params: { p: 'i32' } }, (f, { p }) => {
      const v = f.local('v128');
      for (const name of Object.keys(OPS.I32_LOADS)) f.drop((f.i32 as any)[name](p, 4));
      for (const name of Object.keys(OPS.I64_LOADS)) f.drop((f.i64 as any)[name](p, 8));
      f.drop(f.f32.load(p)); f.drop(f.f64.load(p));
      for (const name of Object.keys(OPS.V128_LOADS)) f.drop((f.v128 as any)[name](p, 16));
      for (const name of Object.keys(OPS.I32_STORES)) (f.i32 as any)[name](p, 7, 2);
      for (const name of Object.keys(OPS.I64_STORES)) (f.i64 as any)[name](p, 7n, 2);
      f.f32.store(p, f.f32.const(1.5)); f.f64.store(p, f.f64.const(2.5)); f.v128.store(p, v, 32, 0);
      f.drop(f.v128.load8_lane(p, v, 15)); f.drop(f.v128.load16_lane(p, v, 7));
      f.drop(f.v128.load32_lane(p, v, 3)); f.drop(f.v128.load64_lane(p, v, 1));
      f.v128.store8_lane(p, v, 15); f.v128.store16_lane(p, v, 7); f.v128.store32_lane(p, v, 3); f.v128.store64_lane(p, v, 1);
      f.drop(f.i8x16.extract_lane_s(v, 15)); f.drop(f.i8x16.extract_lane_u(v, 0)); f.drop(f.i8x16.replace_lane(v, 3, 1));
      f.drop(f.i16x8.extract_lane_s(v, 7)); f.drop(f.i16x8.extract_lane_u(v, 0)); f.drop(f.i16x8.replace_lane(v, 3, 1));
      f.drop(f.i32x4.extract_lane(v, 3)); f.drop(f.i32x4.replace_lane(v, 3, 1));
      f.drop(f.i64x2.extract_lane(v, 1)); f.drop(f.i64x2.replace_lane(v, 1, 5n));
      f.drop(f.f32x4.extract_lane(v, 3)); f.drop(f.f32x4.replace_lane(v, 3, f.f32.const(1)));
      f.drop(f.f64x2.extract_lane(v, 1)); f.drop(f.f64x2.replace_lane(v, 1, f.f64.const(1)));
      f.drop(f.i8x16.shuffle(v, v, [31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
      f.drop(f.i32x4.shuffle(v, v, [0, 4, 1, 5]));
      f.drop(f.select(v, v, 1));
      f.drop(f.select(f.f32.const(1), f.f32.const(2), 0));
    });
    expect(WebAssembly.validate(mb.finish())).toBe(true);
  });
});

describe('behaviour', () => {
  it('f32x4 add over a loop with offsets, min/max clamp and a scalar tail', () => {
    const mb = new ModuleBuilder();
    // out[i] = clamp(a[i] + b[i], lo, hi)
    mb.addFunction('vadd', { params: { a: 'i32', b: 'i32', out: 'i32', n: 'i32', lo: 'f32', hi: 'f32' } }, (f, p) => {
      const vlo = f.local('v128'), vhi = f.local('v128');
      f.set(vlo, f.f32x4.splat(p.lo));
      f.set(vhi, f.f32x4.splat(p.hi));
      f.while(f.i32.ge_u(p.n, 8), () => {
        for (const off of [0, 16]) {
          f.v128.store(p.out, f.f32x4.min(f.f32x4.max(f.f32x4.add(f.v128.load(p.a, off), f.v128.load(p.b, off)), vlo), vhi), off);
        }
        f.inc(p.a, 32); f.inc(p.b, 32); f.inc(p.out, 32);
        f.set(p.n, f.i32.sub(p.n, 8));
      });
      f.while(p.n, () => {
        f.f32.store(p.out, f.f32.min(f.f32.max(f.f32.add(f.f32.load(p.a), f.f32.load(p.b)), p.lo), p.hi));
        f.inc(p.a, 4); f.inc(p.b, 4); f.inc(p.out, 4);
        f.set(p.n, f.i32.sub(p.n, 1));
      });
    });
    const { exports, memory } = instantiate(mb);
    const n = 13;
    const F = new Float32Array(memory.buffer);
    for (let i = 0; i < n; i++) { F[i] = i - 6; F[16 + i] = 0.5 * i; }
    exports.vadd(0, 64, 128, n, -3, 5);
    for (let i = 0; i < n; i++) expect(F[32 + i]).toBe(Math.min(Math.max(Math.fround(i - 6 + 0.5 * i), -3), 5));
  });

  it('i32x4.dot_i16x8_s over i8 widened with extend, narrow with saturation', () => {
    const mb = new ModuleBuilder();
    // out i32x4 = dot(extend_low(a), extend_low(b)) + dot(extend_high(a), extend_high(b)): 4 sums of 4 products.
    mb.addFunction('dot', { params: { a: 'i32', b: 'i32', out: 'i32' } }, (f, p) => {
      const va = f.local('v128'), vb = f.local('v128');
      f.set(va, f.v128.load(p.a));
      f.set(vb, f.v128.load(p.b));
      f.v128.store(p.out, f.i32x4.add(
        f.i32x4.dot_i16x8_s(f.i16x8.extend_low_i8x16_s(va), f.i16x8.extend_low_i8x16_s(vb)),
        f.i32x4.dot_i16x8_s(f.i16x8.extend_high_i8x16_s(va), f.i16x8.extend_high_i8x16_s(vb))));
      // narrow the i32 sums to i16 then to i8 with saturation
      f.v128.store(p.out, f.i8x16.narrow_i16x8_s(f.i16x8.narrow_i32x4_s(f.v128.load(p.out), f.i32x4.const(40000, -40000, 100, -100)), f.i16x8.splat(300)), 16);
    });
    const { exports, memory } = instantiate(mb);
    const I8 = new Int8Array(memory.buffer);
    const a = [1, -2, 3, -4, 5, 6, 7, 8, -128, 127, 0, 1, 100, 100, 100, 100];
    const b = [5, 6, -7, 8, 1, 1, 1, 1, -128, -128, 3, 3, 127, 127, 127, 127];
    I8.set(a, 0); I8.set(b, 16);
    exports.dot(0, 16, 32);
    const I32 = new Int32Array(memory.buffer, 32, 4);
    const expectSum = [0, 1, 2, 3].map((j) => [0, 1, 2, 3].reduce((s, k) => s + a[4 * j + k]! * b[4 * j + k]!, 0));
    // lane j of the sum is dot over i16 pairs: low half pairs (0,1),(2,3)->lane0, ... high half pairs ->lane0..
    const lows = [0, 1, 2, 3].map((j) => a[2 * j]! * b[2 * j]! + a[2 * j + 1]! * b[2 * j + 1]!);
    const highs = [0, 1, 2, 3].map((j) => a[8 + 2 * j]! * b[8 + 2 * j]! + a[9 + 2 * j]! * b[9 + 2 * j]!);
    expect(Array.from(I32)).toEqual(lows.map((l, j) => l + highs[j]!));
    expect(expectSum.reduce((s, x) => s + x)).toBe(Array.from(I32).reduce((s, x) => s + x));
    const sat = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
    const i16 = [...Array.from(I32), 40000, -40000, 100, -100].map((v) => sat(v, -32768, 32767));
    expect(Array.from(new Int8Array(memory.buffer, 48, 16))).toEqual([...i16.map((v) => sat(v, -128, 127)), ...Array(8).fill(127)]);
  });

  it('shuffles, swizzle, lane ops, v128 and typed constants, select, call, if/else, br out of nested blocks', () => {
    const mb = new ModuleBuilder();
    const sq = mb.addFunction('sq', { params: { x: 'i32' }, results: ['i32'], exported: false }, (f, p) => f.return(f.i32.mul(p.x, p.x)));
    mb.addFunction('lanes', { params: { out: 'i32' } }, (f, p) => {
      const a = f.local('v128'), b = f.local('v128');
      f.set(a, f.i32x4.const(0, 1, 2, 3));
      f.set(b, f.i32x4.const(4, 5, 6, 7));
      f.v128.store(p.out, f.i32x4.shuffle(a, b, [7, 0, 5, 2]));
      f.v128.store(p.out, f.i8x16.swizzle(f.i8x16.const(...Array.from({ length: 16 }, (_, i) => 10 * i - 80)),
        f.i8x16.const(15, 0, 1, 200, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0)), 16);
      f.v128.store(p.out, f.f32x4.replace_lane(f.f32x4.const(1, 2, 3, 4), 2, f.f32x4.extract_lane(f.f32x4.const(9, 8, 7, 6), 0)), 32);
      f.i32.store(p.out, f.callValue(sq, f.select(7, 9, f.i32.gt_s(f.i32x4.extract_lane(a, 3), 2))), 48);
      const i = f.local('i32'), acc = f.local('i32');
      f.block((done) => {
        f.for(i, 0, 100, 1, () => {
          f.if(f.i32.eq(i, 10), () => f.br(done), () => f.set(acc, f.i32.add(acc, i)));
        });
      });
      f.i32.store(p.out, acc, 52);
      f.v128.store(p.out, f.v128.load32_zero(p.out, 52), 56, 2);
    });
    const { exports, memory } = instantiate(mb);
    exports.lanes(0);
    expect(Array.from(new Int32Array(memory.buffer, 0, 4))).toEqual([7, 0, 5, 2]);
    const bytes = Array.from(new Int8Array(memory.buffer, 16, 16));
    expect(bytes.slice(0, 8)).toEqual([70, -80, -70, 0, -50, -50, -50, -50]);
    expect(Array.from(new Float32Array(memory.buffer, 32, 4))).toEqual([1, 2, 9, 4]);
    expect(new Int32Array(memory.buffer, 48, 1)[0]).toBe(49);
    expect(new Int32Array(memory.buffer, 52, 1)[0]).toBe(45);
    expect(Array.from(new Int32Array(memory.buffer, 56, 4))).toEqual([45, 0, 0, 0]);
  });

  it('memory.copy and memory.fill', () => {
    const mb = new ModuleBuilder();
    mb.addFunction('m', { params: { p: 'i32' } }, (f, { p }) => {
      f.memoryFill(p, 0x1ab, 8);
      f.memoryCopy(f.i32.add(p, 8), p, 4);
    });
    const { exports, memory } = instantiate(mb);
    exports.m(100);
    expect(Array.from(new Uint8Array(memory.buffer, 100, 13))).toEqual([...Array(12).fill(0xab), 0]);
  });

  it('f32x4.nearest rounds half to even; convert and trunc_sat', () => {
    const mb = new ModuleBuilder();
    mb.addFunction('r', { params: { p: 'i32' } }, (f, { p }) => {
      f.v128.store(p, f.i32x4.trunc_sat_f32x4_s(f.f32x4.nearest(f.v128.load(p))));
      f.v128.store(p, f.f32x4.convert_i32x4_s(f.v128.load(p)), 16);
    });
    const { exports, memory } = instantiate(mb);
    new Float32Array(memory.buffer).set([0.5, 1.5, -2.5, 3e10]);
    exports.r(0);
    expect(Array.from(new Int32Array(memory.buffer, 0, 4))).toEqual([0, 2, -2, 2147483647]);
    expect(Array.from(new Float32Array(memory.buffer, 16, 4))).toEqual([0, 2, -2, 2147483648]);
  });
});

describe('errors', () => {
  it('operand of the wrong type names the op', () => {
    const mb = new ModuleBuilder();
    expect(() => mb.addFunction('bad', { params: { x: 'i32' } }, (f, p) => f.drop(f.f32x4.add(p.x, p.x))))
      .toThrow(/in bad: f32x4.add: operand 0 must be v128, got i32/);
    expect(() => mb.addFunction('bad2', { params: {} }, (f) => f.drop(f.i32.add(1.5, 2)))).toThrow(AsmError);
    expect(() => mb.addFunction('bad3', { params: {} }, (f) => f.drop(f.i32.add(1)))).toThrow(/takes 2 operand/);
    expect(mb.functionNames).toEqual([]);
  });

  it('labels out of scope, lanes out of range, over-alignment, duplicate names', () => {
    const mb = new ModuleBuilder();
    expect(() => mb.addFunction('l', { params: {} }, (f) => {
      let saved: unknown;
      f.block((l) => { saved = l; });
      f.br(saved as never);
    })).toThrow(/not in scope/);
    expect(() => mb.addFunction('lane', { params: { v: 'v128' } }, (f, p) => f.drop(f.i32x4.extract_lane(p.v, 4)))).toThrow(/lane 4/);
    expect(() => mb.addFunction('al', { params: { p: 'i32' } }, (f, p) => f.drop(f.i32.load(p.p, 0, 3)))).toThrow(/alignment/);
    mb.addFunction('dup', { params: {} }, () => {});
    expect(() => mb.addFunction('dup', { params: {} }, () => {})).toThrow(/defined twice/);
  });
});
