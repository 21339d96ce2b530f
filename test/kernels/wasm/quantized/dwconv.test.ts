import { describe, expect, it } from 'vitest';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../../../kernels/internal/quantization_util.js';
import { dwconvName } from '../../../../kernels/wasm/quantized/dwconv.js';
import { PAD, packDwconv } from '../../../../kernels/wasm/quantized/pack.js';
import type { ChannelParams, QMode, QType } from '../../../../kernels/wasm/quantized/requant.js';
import { rng } from '../../../helpers/naive_float.js';
import { TestRuntime } from './harness.js';

const f32 = Math.fround;
const rne = (x: number): number => (x + 6755399441055744) - 6755399441055744;

function requantOne(acc: number, p: ChannelParams, c: number, zp: number, lo: number, hi: number): number {
  const v = p.mode === 'fp32' ? rne(f32(f32(acc) * p.scales[c]!)) + zp
    : multiplyByQuantizedMultiplier(acc, p.multipliers[c]!, p.shifts[c]!) + zp;
  return Math.min(hi, Math.max(lo, v));
}

describe('quantized SIMD depthwise kernels against the scalar formulas', () => {
  it('general, 9- and 25-tap kernels: channel remainders, padding taps, both types and modes', () => {
    const rt = new TestRuntime();
    const r = rng(11);
    for (const type of ['u8', 's8'] as QType[]) {
      for (const mode of ['fp32', 'ref'] as QMode[]) {
        for (const ks of [1, 2, 4, 9, 25]) {
          for (const c of [1, 3, 8, 13, 16, 33]) {
            const pixels = 1 + Math.floor(r() * 5), inPix = 6;
            const lo = type === 'u8' ? 0 : -128;
            const zpIn = lo + Math.floor(r() * 256), zpW = type === 'u8' ? Math.floor(r() * 256) : 0, zpOut = lo + Math.floor(r() * 256);
            const x = Array.from({ length: inPix * c }, () => lo + Math.floor(r() * 256));
            const w = Array.from({ length: ks * c }, () => lo + Math.floor(r() * 256));
            const bias = Array.from({ length: c }, () => Math.floor((r() - 0.5) * 5000));
            const real = Array.from({ length: c }, () => (0.3 + r()) * 2 ** -(6 + Math.floor(r() * 6)));
            const params: ChannelParams = mode === 'fp32' ? { mode, scales: Float32Array.from(real) } : {
              mode, multipliers: Int32Array.from(real, (v) => quantizeMultiplier(v).multiplier),
              shifts: Int32Array.from(real, (v) => quantizeMultiplier(v).shift),
            };
            const ind = Int32Array.from({ length: pixels * ks }, () => (r() < 0.2 ? PAD : Math.floor(r() * inPix) * c));
            const xp = rt.put(type === 'u8' ? Uint8Array.from(x) : Int8Array.from(x));
            const zero = rt.put(new Uint8Array(c + 16).fill(zpIn & 255));
            const ip = rt.put(new Uint8Array(Int32Array.from(ind, (o) => (o === PAD ? zero : xp + o)).buffer));
            const wp = packDwconv(rt, c, ks, (ch, t) => w[t * c + ch]! - zpW, bias, zpIn, params);
            const out = rt.alloc(pixels * c);
            const clampLo = lo + Math.floor(r() * 50), clampHi = lo + 255 - Math.floor(r() * 50);
            rt.exports[dwconvName(type, mode, ks)]!(pixels, c, ks, ip, wp, out, zpOut, clampLo, clampHi);
            const want = new Uint8Array(pixels * c);
            for (let p = 0; p < pixels; p++) {
              for (let ch = 0; ch < c; ch++) {
                let acc = bias[ch]!;
                for (let t = 0; t < ks; t++) {
                  const o = ind[p * ks + t]!;
                  if (o !== PAD) acc += (x[o + ch]! - zpIn) * (w[t * c + ch]! - zpW);
                }
                want[p * c + ch] = requantOne(acc, params, ch, zpOut, clampLo, clampHi) & 255;
              }
            }
            expect(rt.bytes(out, pixels * c), `${type} ${mode} ks=${ks} c=${c}`).toEqual(want);
          }
        }
      }
    }
  });

  it('q8_repeat expands channels for a depth multiplier', () => {
    const rt = new TestRuntime();
    const src = rt.put(Uint8Array.from([1, 2, 3, 4, 5, 6]));
    const dst = rt.alloc(18);
    rt.exports.q8_repeat!(src, dst, 2, 3, 3);
    expect([...rt.bytes(dst, 18)]).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6]);
  });
});
