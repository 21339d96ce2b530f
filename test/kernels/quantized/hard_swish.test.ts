import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../../schema/enums.js';
import { q, runOp } from '../../helpers/run_op.js';
import { countDiff, naiveHardSwish, rng } from '../../helpers/naive_quant.js';

function run(type: TensorType, x: number[], inScale: number, inZp: number, outScale: number, outZp: number): number[] {
  const [out] = runOp({ quantizedArithmetic: 'reference',
    op: BuiltinOperator.HARD_SWISH, version: 1, options: null,
    inputs: [{ type, shape: [x.length], data: x, quant: q(inScale, inZp) }],
    outputs: [{ type, quant: q(outScale, outZp) }],
  });
  return Array.from(out!.data as Uint8Array | Int8Array);
}
const hardSwish = (v: number): number => (v * Math.min(6, Math.max(0, v + 3))) / 6;

describe('HARD_SWISH quantized (reference_ops::HardSwish)', () => {
  // activations_test.cc QuantizedActivationsOpTest HardSwish: input range [-3, 3] (then [-6, 6] ...), output range
  // [-0.375, 3], every representable input checked against the float function within a few output steps.
  for (const [type, lo, hi] of [[TensorType.UINT8, 0, 255], [TensorType.INT8, -128, 127]] as const) {
    it(`${TensorType[type]}: all 256 inputs within 1.5 output steps of float hard-swish`, () => {
      for (const [inMin, inMax, outMin, outMax] of [[-3, 3, -0.375, 3], [-6, 6, -0.375, 6], [-11.654928, 25.036512, -0.3905796, 24.50887]]) {
        const inScale = Math.fround((inMax - inMin) / 255), outScale = Math.fround((outMax - outMin) / 255);
        const inZp = Math.round(lo - inMin / inScale), outZp = Math.round(lo - outMin / outScale);
        const x = Array.from({ length: 256 }, (_, i) => lo + i);
        const y = run(type, x, inScale, inZp, outScale, outZp);
        let worst = 0;
        for (let i = 0; i < 256; i++) {
          const want = Math.min(hi, Math.max(lo, outZp + hardSwish((x[i]! - inZp) * inScale) / outScale));
          worst = Math.max(worst, Math.abs(y[i]! - want));
        }
        expect(worst).toBeLessThan(1.5);
      }
    });
  }

  it('HardSwishBias (activations_test.cc): mean error over [-3, 3] inputs is below 0.035 output units', () => {
    // Ranges of the TFLite test; the int16 SaturatingDoublingHighMul keeps the bias small.
    const inScale = Math.fround((25.036512 + 11.654928) / 255), outScale = Math.fround((24.50887 + 0.3905796) / 255);
    const inZp = Math.round(11.654928 / inScale), outZp = Math.round(0.3905796 / outScale);
    const x = Array.from({ length: 256 }, (_, i) => i).filter((v) => Math.abs((v - inZp) * inScale) <= 3);
    const y = run(TensorType.UINT8, x, inScale, inZp, outScale, outZp);
    let bias = 0;
    for (let i = 0; i < x.length; i++) bias += (y[i]! - outZp) * outScale - hardSwish((x[i]! - inZp) * inScale);
    expect(Math.abs(bias / x.length)).toBeLessThan(0.035);
  });

  it('200 random scale / zero-point pairs x 256 inputs: 0 differing bytes vs the naive int16 reference', () => {
    const r = rng(31);
    let diff = 0, total = 0;
    for (let t = 0; t < 200; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      const [lo] = isUint8 ? [0] : [-128];
      // Output scale large enough that in_scale / (128 * out_scale) < 1 (TFLite requires exponent <= 0).
      const inScale = Math.fround(0.002 + r.next() * 0.3);
      const outScale = Math.fround(inScale * (0.05 + r.next() * 2));
      const inZp = r.int(lo, lo + 255), outZp = r.int(lo, lo + 255);
      const x = Array.from({ length: 256 }, (_, i) => lo + i);
      diff += countDiff(run(type, x, inScale, inZp, outScale, outZp), naiveHardSwish(x, inScale, inZp, outScale, outZp, isUint8));
      total += 256;
    }
    expect(total).toBe(51200);
    expect(diff).toBe(0);
  });

  it('refuses output scales that need a left shift (TFLite: output_multiplier_exponent <= 0)', () => {
    expect(() => run(TensorType.INT8, [0], 1, 0, 0.001, 0)).toThrow(/exponent/);
  });
});
