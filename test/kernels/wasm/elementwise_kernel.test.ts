/**
 * The element-wise micro-kernels called directly: every op and run kind against a scalar definition, run lengths
 * covering every tile remainder (8, 4, single lanes), outer strides (broadcasting), clamps, nothing written past.
 */
import { describe, expect, it } from 'vitest';
import { BINARY_OPS, binaryKernelName, f32ElementwiseSource, unaryKernelName } from '../../../kernels/wasm/float/elementwise.js';
import { firstMismatch, randArray, rng } from '../../helpers/naive_float.js';
import { KernelMemory } from './kernel_memory.js';

const f = Math.fround;
const SCALAR: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  max: (a, b) => (a > b ? a : b), min: (a, b) => (a < b ? a : b), sqdiff: (a, b) => f(a - b) * f(a - b),
};

describe('f32 element-wise micro-kernels', () => {
  const km = new KernelMemory([f32ElementwiseSource]);

  it('binary ops: every op, run kind, run length 0..19, outer strides and clamps', () => {
    const r = rng(5);
    expect(Object.keys(SCALAR).sort()).toEqual(Object.keys(BINARY_OPS).sort());
    for (const op of Object.keys(SCALAR)) {
      for (const kind of ['', 'c', 'rc'] as const) {
        for (let n = 0; n < 20; n++) {
          const outer = 1 + (n % 3);
          const [lo, hi] = n % 4 === 1 ? [0, 6] : n % 4 === 2 ? [-1, 1] : [-Infinity, Infinity];
          const aLen = kind === 'rc' ? 1 : n, bLen = kind === 'c' ? 1 : n;
          // Outer strides: a repeats (0) on even n, b repeats on n % 3 == 0.
          const aStride = n % 2 === 0 ? 0 : aLen, bStride = n % 3 === 0 ? 0 : bLen;
          const a = randArray(r, aLen + aStride * outer, 3), b = randArray(r, bLen + bStride * outer, 3);
          if (op === 'div') for (let i = 0; i < b.length; i++) b[i] = b[i]! + (b[i]! < 0 ? -0.5 : 0.5);
          const ap = km.putF32(a), bp = km.putF32(b), op_ = km.alloc(n * outer * 4);
          km.exports[binaryKernelName(op, kind)]!(ap, bp, op_, n, outer, aStride * 4, bStride * 4, km.pair(lo, hi));
          const want = new Float64Array(n * outer);
          for (let o = 0; o < outer; o++) {
            for (let i = 0; i < n; i++) {
              const v = f(SCALAR[op]!(a[o * aStride + (kind === 'rc' ? 0 : i)]!, b[o * bStride + (kind === 'c' ? 0 : i)]!));
              want[o * n + i] = v < lo ? lo : v > hi ? hi : v;
            }
          }
          const label = `${binaryKernelName(op, kind)} n=${n} outer=${outer}`;
          expect(firstMismatch(km.f32(op_, n * outer), want, 1e-6, 0), label).toBe(-1);
          expect(new Uint32Array(km.memory.buffer, op_ + n * outer * 4, 4).every((v) => v === 0xffffffff), `${label}: tail`).toBe(true);
        }
      }
    }
  });

  it('sigmoid over its whole range: relative error under 1e-6, saturation, extremes', () => {
    const xs = Float32Array.from({ length: 4001 }, (_, i) => (i - 2000) / 20);
    const extra = [0, -0, 1e-8, -1e-8, 88, -88, 89, -89, 100, -100, 1e30, -1e30, Infinity, -Infinity];
    const x = Float32Array.from([...xs, ...extra]);
    const xp = km.putF32(x), yp = km.alloc(x.length * 4);
    km.exports[unaryKernelName('sigmoid')]!(xp, yp, x.length, km.pair(0, 0));
    const y = km.f32(yp, x.length);
    for (let i = 0; i < x.length; i++) {
      const want = 1 / (1 + Math.exp(-x[i]!));
      expect(Math.abs(y[i]! - want) <= 1e-6 * want + 1e-37, `sigmoid(${x[i]}) = ${y[i]} vs ${want}`).toBe(true);
    }
  });

  it('unary ops: clamp, hswish, lrelu, sigmoid', () => {
    const r = rng(6);
    const defs: [string, number, number, (x: number) => number][] = [
      ['clamp', 0, Infinity, (x) => (x > 0 ? x : 0)],
      ['clamp', 0, 6, (x) => Math.min(Math.max(x, 0), 6)],
      ['clamp', -1, 1, (x) => Math.min(Math.max(x, -1), 1)],
      ['hswish', 0, 0, (x) => f(x * Math.min(Math.max(f(x + 3), 0), 6)) / 6],
      ['lrelu', f(0.2), 0, (x) => (x > 0 ? x : x * f(0.2))],
      ['sigmoid', 0, 0, (x) => 1 / (1 + Math.exp(-x))],
    ];
    for (const [op, p0, p1, def] of defs) {
      for (const n of [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 100]) {
        const x = randArray(r, n, op === 'sigmoid' ? 30 : 8);
        const xp = km.putF32(x), yp = km.alloc(n * 4);
        km.exports[unaryKernelName(op)]!(xp, yp, n, km.pair(p0, p1));
        const want = Float64Array.from(x, def);
        expect(firstMismatch(km.f32(yp, n), want, 1e-6, 1e-7), `${op} n=${n}`).toBe(-1);
        expect(new Uint32Array(km.memory.buffer, yp + n * 4, 4).every((v) => v === 0xffffffff), `${op} n=${n}: tail`).toBe(true);
      }
    }
  });
});
