import { describe, expect, it } from 'vitest';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../../../kernels/internal/quantization_util.js';
import { chooseQMR, igemmName } from '../../../../kernels/wasm/quantized/gemm.js';
import { packIgemm, rebase, rowIndirection } from '../../../../kernels/wasm/quantized/pack.js';
import type { ChannelParams, QMode, QType } from '../../../../kernels/wasm/quantized/requant.js';
import { rng } from '../../../helpers/naive_float.js';
import { TestRuntime } from './harness.js';

const f32 = Math.fround;
const rne = (x: number): number => (x + 6755399441055744) - 6755399441055744;

/** Scalar twin of the epilogues (kernels/quantized internal/xnnpack.ts requantizeFp32; MultiplyByQuantizedMultiplier). */
function requantOne(acc: number, p: ChannelParams, c: number, zp: number, lo: number, hi: number): number {
  const v = p.mode === 'fp32' ? rne(f32(f32(acc) * p.scales[c]!)) + zp
    : multiplyByQuantizedMultiplier(acc, p.multipliers[c]!, p.shifts[c]!) + zp;
  return Math.min(hi, Math.max(lo, v));
}

function randomParams(r: () => number, mode: QMode, n: number, k: number): ChannelParams {
  const real = Array.from({ length: n }, () => (0.2 + r()) * 2 ** (-Math.floor(r() * 8) - 6) * (r() < 0.1 ? 2 ** 12 : 1) / Math.sqrt(k));
  if (mode === 'fp32') return { mode, scales: Float32Array.from(real) };
  const q = real.map(quantizeMultiplier);
  return { mode, multipliers: Int32Array.from(q, (x) => x.multiplier), shifts: Int32Array.from(q, (x) => x.shift) };
}

describe('quantized SIMD IGEMM (plain rows) against the scalar formulas', () => {
  it('every M remainder of the 1..4 row blocks, N remainders of 8, K remainders of 8, both types and modes', () => {
    const rt = new TestRuntime();
    const r = rng(7);
    let cases = 0;
    for (const type of ['u8', 's8'] as QType[]) {
      for (const mode of ['fp32', 'ref'] as QMode[]) {
        for (const m of [1, 2, 3, 4, 5, 7, 9]) {
          for (const n of [1, 3, 7, 8, 9, 16, 21]) {
            for (const k of [1, 2, 7, 8, 9, 17, 40]) {
              const lo = type === 'u8' ? 0 : -128, hi = lo + 255;
              const zpIn = lo + Math.floor(r() * 256), zpW = type === 'u8' ? Math.floor(r() * 256) : 0;
              const zpOut = lo + Math.floor(r() * 256);
              const clampLo = r() < 0.3 ? lo + Math.floor(r() * 100) : lo, clampHi = r() < 0.3 ? hi - Math.floor(r() * 100) : hi;
              const x = Array.from({ length: m * k }, () => lo + Math.floor(r() * 256));
              const w = Array.from({ length: n * k }, () => lo + Math.floor(r() * 256));
              const bias = Array.from({ length: n }, () => Math.floor((r() - 0.5) * 20000));
              const params = randomParams(r, mode, n, k);
              const xp = rt.put(type === 'u8' ? Uint8Array.from(x) : Int8Array.from(x));
              const wp = packIgemm(rt, n, 1, k, (c, _t, kk) => w[c * k + kk]! - zpW, bias, zpIn, params);
              const mr = chooseQMR(m);
              const ind = rowIndirection(rt, m, k, mr);
              const out = rt.alloc(m * n);
              rt.exports[igemmName(type, mode, mr)]!(m, n, Math.ceil(k / 8), 1, rebase(ind, xp, rt.exports.q8_rebase!), wp, out, n, zpOut, clampLo, clampHi);
              const got = rt.bytes(out, m * n);
              const want = new Uint8Array(m * n);
              for (let i = 0; i < m; i++) {
                for (let c = 0; c < n; c++) {
                  let acc = bias[c]!;
                  for (let kk = 0; kk < k; kk++) acc += (x[i * k + kk]! - zpIn) * (w[c * k + kk]! - zpW);
                  want[i * n + c] = requantOne(acc, params, c, zpOut, clampLo, clampHi) & 255;
                }
              }
              expect(got, `${type} ${mode} m=${m} n=${n} k=${k}`).toEqual(want);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBe(4 * 7 * 7 * 7);
  });
});
