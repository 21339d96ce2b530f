import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator as Op } from '../../schema/enums.js';
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import { applyActivation, randArray, randInt, rng } from '../helpers/naive_float.js';
import { expectClose, f32, flatIndex, i32, indices, run1 } from './float_misc_helpers.js';

const opts = (op: Op, act: Act): BuiltinOptions | null => {
  switch (op) {
    case Op.ADD: return { kind: 'AddOptions', fusedActivationFunction: act, potScaleInt16: true };
    case Op.SUB: return { kind: 'SubOptions', fusedActivationFunction: act, potScaleInt16: true };
    case Op.MUL: return { kind: 'MulOptions', fusedActivationFunction: act };
    case Op.DIV: return { kind: 'DivOptions', fusedActivationFunction: act };
    default: return null;
  }
};

const f = Math.fround;
const naiveOp: Record<number, (a: number, b: number) => number> = {
  [Op.ADD]: (a, b) => f(a + b), [Op.SUB]: (a, b) => f(a - b), [Op.MUL]: (a, b) => f(a * b), [Op.DIV]: (a, b) => f(a / b),
  [Op.MAXIMUM]: (a, b) => Math.max(a, b), [Op.MINIMUM]: (a, b) => Math.min(a, b),
  [Op.SQUARED_DIFFERENCE]: (a, b) => f(f(a - b) * f(a - b)), [Op.PRELU]: (x, al) => (x >= 0 ? x : f(x * al)),
};

/** Naive broadcast: right-align, index each input with min(idx, dim-1). */
function naiveBroadcast(op: Op, a: Float32Array, as: number[], b: Float32Array, bs: number[], act: Act): { shape: number[]; data: number[] } {
  const rank = Math.max(as.length, bs.length);
  const pa = [...new Array(rank - as.length).fill(1), ...as], pb = [...new Array(rank - bs.length).fill(1), ...bs];
  const shape = pa.map((d, i) => Math.max(d, pb[i]!));
  const data: number[] = [];
  for (const idx of indices(shape)) {
    const x = a[flatIndex(pa, idx.map((v, i) => (pa[i] === 1 ? 0 : v)))]!;
    const y = b[flatIndex(pb, idx.map((v, i) => (pb[i] === 1 ? 0 : v)))]!;
    data.push(applyActivation(naiveOp[op]!(x, y), act));
  }
  return { shape, data };
}

describe('broadcasting binary ops (ADD SUB MUL DIV MAXIMUM MINIMUM SQUARED_DIFFERENCE PRELU)', () => {
  it('ADD [1,2,2,3] + [3] (channel broadcast) with RELU6, hand-computed', () => {
    const y = run1(Op.ADD, [
      { type: f32, shape: [1, 2, 2, 3], data: [-2, 0.2, 0.7, 0.8, 5, 7, 1, 2, 3, -9, 4, 0] },
      { type: f32, shape: [3], data: [0.1, 0.2, 1], constant: true },
    ], f32, opts(Op.ADD, Act.RELU6));
    expect(y.shape).toEqual([1, 2, 2, 3]);
    expectClose(y.data as Float32Array, [0, 0.4, 1.7, 0.9, 5.2, 6, 1.1, 2.2, 4, 0, 4.2, 1], 1e-6);
  });

  it('MUL [2,1] x [1,3] outer product, SUB with RELU_N1_TO_1, DIV by zero', () => {
    const m = run1(Op.MUL, [{ type: f32, shape: [2, 1], data: [2, 3] }, { type: f32, shape: [1, 3], data: [1, 2, 3] }], f32, opts(Op.MUL, Act.NONE));
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.data as Float32Array)).toEqual([2, 4, 6, 3, 6, 9]);
    const s = run1(Op.SUB, [{ type: f32, shape: [4], data: [5, 0.5, -0.25, -3] }, { type: f32, shape: [], data: [1] }], f32, opts(Op.SUB, Act.RELU_N1_TO_1));
    expect(Array.from(s.data as Float32Array)).toEqual([1, -0.5, -1, -1]);
    const d = run1(Op.DIV, [{ type: f32, shape: [3], data: [1, -1, 0] }, { type: f32, shape: [1], data: [0] }], f32, opts(Op.DIV, Act.NONE));
    expect(Array.from(d.data as Float32Array)).toEqual([Infinity, -Infinity, NaN]);
  });

  it('INT32 ADD/MUL wrap like int32 and MAXIMUM/MINIMUM broadcast', () => {
    const a = run1(Op.ADD, [{ type: i32, shape: [2], data: [2147483647, -5] }, { type: i32, shape: [1], data: [1] }], i32, opts(Op.ADD, Act.NONE));
    expect(Array.from(a.data as Int32Array)).toEqual([-2147483648, -4]);
    const m = run1(Op.MUL, [{ type: i32, shape: [2], data: [65536, -3] }, { type: i32, shape: [2], data: [65537, 7] }], i32, opts(Op.MUL, Act.NONE));
    expect(Array.from(m.data as Int32Array)).toEqual([65536, -21]);
    const mx = run1(Op.MAXIMUM, [{ type: i32, shape: [2, 2], data: [1, 5, -3, 8] }, { type: i32, shape: [2], data: [2, 6] }], i32);
    expect(Array.from(mx.data as Int32Array)).toEqual([2, 6, 2, 8]);
    const mn = run1(Op.MINIMUM, [{ type: f32, shape: [3], data: [1, 5, -3] }, { type: f32, shape: [], data: [2] }], f32);
    expect(Array.from(mn.data as Float32Array)).toEqual([1, 2, -3]);
  });

  it('PRELU with per-channel alpha [1,1,C] and SQUARED_DIFFERENCE', () => {
    const p = run1(Op.PRELU, [{ type: f32, shape: [1, 2, 2, 2], data: [-1, -2, 3, 4, -5, 6, 0, -8] }, { type: f32, shape: [1, 1, 2], data: [0.5, 0.25], constant: true }], f32);
    expect(Array.from(p.data as Float32Array)).toEqual([-0.5, -0.5, 3, 4, -2.5, 6, 0, -2]);
    const q = run1(Op.SQUARED_DIFFERENCE, [{ type: f32, shape: [2], data: [1, -2] }, { type: f32, shape: [2], data: [4, 3] }], f32);
    expect(Array.from(q.data as Float32Array)).toEqual([9, 25]);
  });

  it('matches a naive broadcast on seeded random shapes of ranks 0-6 with every activation', () => {
    const r = rng(1234);
    const ops = [Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MAXIMUM, Op.MINIMUM, Op.SQUARED_DIFFERENCE, Op.PRELU];
    const acts = [Act.NONE, Act.RELU, Act.RELU6, Act.RELU_N1_TO_1];
    for (let t = 0; t < 160; t++) {
      const op = ops[t % ops.length]!;
      const rank = randInt(r, 0, 6);
      const out = Array.from({ length: rank }, () => randInt(r, 1, 4));
      const pick = (): number[] => {
        const rk = randInt(r, 0, rank);
        return out.slice(rank - rk).map((d) => (r() < 0.35 ? 1 : d));
      };
      const as = pick(), bs = pick();
      const a = randArray(r, as.reduce((p, v) => p * v, 1), 4), b = randArray(r, bs.reduce((p, v) => p * v, 1), 4);
      const act = op <= Op.DIV || op === Op.ADD || op === Op.SUB || op === Op.MUL ? acts[t % 4]! : Act.NONE;
      const withAct = [Op.ADD, Op.SUB, Op.MUL, Op.DIV].includes(op) ? act : Act.NONE;
      const y = run1(op, [{ type: f32, shape: as, data: a }, { type: f32, shape: bs, data: b }], f32, opts(op, withAct));
      const want = naiveBroadcast(op, a, as, b, bs, withAct);
      expect(y.shape, `${Op[op]} ${as} ${bs}`).toEqual(want.shape);
      expectClose(y.data as Float32Array, want.data, 0, 0);
    }
  });

  it('prepare errors: incompatible shapes, mixed types, unsupported type, TANH activation', () => {
    expect(() => run1(Op.ADD, [{ type: f32, shape: [2, 3] }, { type: f32, shape: [2] }], f32, opts(Op.ADD, Act.NONE)))
      .toThrow(/node 0 ADD \(v1\): shapes \[2,3\] and \[2\] do not broadcast/);
    expect(() => run1(Op.MUL, [{ type: f32, shape: [2] }, { type: i32, shape: [2] }], f32, opts(Op.MUL, Act.NONE)))
      .toThrow(/input types differ: FLOAT32 and INT32/);
    expect(() => run1(Op.DIV, [{ type: i32, shape: [2] }, { type: i32, shape: [2] }], i32, opts(Op.DIV, Act.NONE)))
      .toThrow(/input type INT32 is not supported \(supported: FLOAT32\)/);
    expect(() => run1(Op.ADD, [{ type: f32, shape: [2] }, { type: f32, shape: [2] }], f32, opts(Op.ADD, Act.TANH)))
      .toThrow(/fused activation TANH is not supported/);
    expect(() => run1(Op.ADD, [{ type: f32, shape: [1, 1, 1, 1, 1, 1, 2] }, { type: f32, shape: [2] }], f32, opts(Op.ADD, Act.NONE)))
      .toThrow(/at most 6 dimensions/);
  });
});
