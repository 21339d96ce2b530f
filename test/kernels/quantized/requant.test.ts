import { describe, expect, it } from 'vitest';
import { REQUANT_STRIDE, setRequantChannel } from '../../../kernels/internal/quantization_util.js';
import { requantRun } from '../../../kernels/quantized/internal/requant.js';
import { clamp, mbqm, rng } from '../../helpers/naive_quant.js';

describe('requantRun (inline requantization loop of the convolution kernels)', () => {
  it('equals clamp(zp + BigInt MultiplyByQuantizedMultiplier(acc + bias)) for full-range and narrower clamps', () => {
    const r = rng(1234);
    let diff = 0, total = 0;
    for (let t = 0; t < 400; t++) {
      const isUint8 = t % 2 === 0;
      const [tmin, tmax] = isUint8 ? [0, 255] : [-128, 127];
      // Full type range (two-mask clamp) or an activation range inside it (clampInt).
      const lo = t % 4 < 2 ? tmin : r.int(tmin, tmin + 100), hi = t % 4 < 2 ? tmax : r.int(lo, tmax);
      const shift = r.int(-25, 6), m = r.next() < 0.05 ? 2147483647 : (1 << 30) + Math.floor(r.next() * (1 << 30));
      const bias = r.int(-50000, 50000), zp = r.int(tmin, tmax);
      const n = 64;
      // Accumulators around the fast-path limit 2^(21 - max(shift, 0)) and far beyond it (general path).
      const lim = 2 ** (21 - Math.max(shift, 0));
      const acc = new Float64Array(n).map((_, i) => {
        const k = i % 4;
        const span = k === 0 ? 300 : k === 1 ? lim : k === 2 ? 2 ** Math.max(1, 30 - Math.max(shift, 0)) : 2 ** 10;
        return (k === 1 ? Math.sign(r.next() - 0.5) * lim : 0) + Math.floor((r.next() - 0.5) * span) - bias;
      });
      const table = new Float64Array(REQUANT_STRIDE);
      setRequantChannel(table, 0, bias, m, shift);
      const out = isUint8 ? new Uint8Array(n * 2) : new Int8Array(n * 2);
      requantRun(acc, 0, 1, n, out, 1, 2, { table, outZeroPoint: zp, actMin: lo, actMax: hi }, 0);
      for (let i = 0; i < n; i++) {
        const a = acc[i]! + bias;
        if (shift > 0 && Math.abs(a * 2 ** shift) >= 2 ** 31) continue; // not a valid int32 input after the shift
        const want = clamp(mbqm(a, m, shift) + zp, lo, hi);
        total++;
        if (out[1 + 2 * i] !== want) diff++;
      }
    }
    expect(total).toBeGreaterThan(20000);
    expect(diff).toBe(0);
  });
});
