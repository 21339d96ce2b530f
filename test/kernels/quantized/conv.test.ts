import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import type { Conv2DOptions, DepthwiseConv2DOptions, FullyConnectedOptions } from '../../../schema/builtin_options.js';
import { q, runOp } from '../../helpers/run_op.js';
import { countDiff, naiveConv, naiveDepthwise, naiveFullyConnected, rng } from '../../helpers/naive_quant.js';

const conv = (o: Partial<Conv2DOptions> = {}): Conv2DOptions => ({
  kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1,
  fusedActivationFunction: ActivationFunctionType.NONE, dilationWFactor: 1, dilationHFactor: 1, ...o,
});
const dw = (o: Partial<DepthwiseConv2DOptions> = {}): DepthwiseConv2DOptions => ({
  kind: 'DepthwiseConv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, depthMultiplier: 1,
  fusedActivationFunction: ActivationFunctionType.NONE, dilationWFactor: 1, dilationHFactor: 1, ...o,
});
const fc = (o: Partial<FullyConnectedOptions> = {}): FullyConnectedOptions => ({
  kind: 'FullyConnectedOptions', fusedActivationFunction: ActivationFunctionType.NONE, weightsFormat: 0,
  keepNumDims: false, asymmetricQuantizeInputs: false, ...o,
});
/** Random suites run in both arithmetic modes against the naive kernels of the same mode. */
const MODES = ['reference', 'tflite-cpu'] as const;
const perAxis = (scales: number[], dim: number) => ({ scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: dim });
/** Quantize real values the way TFLite tests do (round half away, clamp). */
const quant = (v: number[], s: number, zp: number, lo: number, hi: number) =>
  v.map((x) => Math.min(hi, Math.max(lo, zp + (x / s < 0 ? -Math.round(-x / s) : Math.round(x / s)))));

describe('CONV_2D quantized: TFLite conv_test.cc cases', () => {
  // ConvTest SimpleTestQuantized (uint8): input [2,2,4,1] in [-63.5, 64] → scale 0.5 zp 127; filter [3,2,2,1]
  // in [-63.5, 64]; output [-127, 128] → scale 1 zp 127; expected float output 18,2,5 / 18,2,5 / 17,4,3 / 37,4,3.
  it('uint8 SimpleTestQuantized, stride 2 VALID', () => {
    const input = [1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4];
    const filter = [1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1];
    const [out] = runOp({ quantizedArithmetic: 'reference',
      op: BuiltinOperator.CONV_2D, version: 1, options: conv({ strideW: 2, strideH: 2 }),
      inputs: [
        { type: TensorType.UINT8, shape: [2, 2, 4, 1], data: quant(input, 0.5, 127, 0, 255), quant: q(0.5, 127) },
        { type: TensorType.UINT8, shape: [3, 2, 2, 1], data: quant(filter, 0.5, 127, 0, 255), quant: q(0.5, 127), constant: true },
        { type: TensorType.INT32, shape: [3], data: [4, 8, 12], quant: q(0.25, 0), constant: true }, // bias 1,2,3
      ],
      outputs: [{ type: TensorType.UINT8, quant: q(1, 127) }],
    });
    expect(out!.shape).toEqual([2, 1, 2, 3]);
    // The published quantized output (ConvolutionOpTest SimpleTestQuantized; also caffe2's Int8 Conv test).
    expect(Array.from(out!.data as Uint8Array)).toEqual([145, 129, 132, 145, 129, 132, 144, 131, 130, 164, 131, 130]);
  });

  // TFLM conv_test SimpleTestQuantizedPerChannel: same data, int8, per-channel filter scales, output scale 1 zp 0
  // (the float goldens 18,2,5 ...; bias 1,2,3 at scale input_scale * filter_scale[c]).
  it('int8 per-channel SimpleTestQuantizedPerChannel', () => {
    const input = [1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4];
    const filter = [1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1];
    const inScale = 0.5, fScales = [4 / 127, 1 / 127, 1 / 127];
    const w: number[] = [];
    for (let c = 0; c < 3; c++) w.push(...quant(filter.slice(c * 4, c * 4 + 4), Math.fround(fScales[c]!), 0, -127, 127));
    const bias = [1, 2, 3].map((b, c) => Math.round(b / (inScale * Math.fround(fScales[c]!))));
    const [out] = runOp({ quantizedArithmetic: 'reference',
      op: BuiltinOperator.CONV_2D, version: 3, options: conv({ strideW: 2, strideH: 2 }),
      inputs: [
        { type: TensorType.INT8, shape: [2, 2, 4, 1], data: quant(input, inScale, 0, -128, 127), quant: q(inScale, 0) },
        { type: TensorType.INT8, shape: [3, 2, 2, 1], data: w, quant: perAxis(fScales, 0), constant: true },
        { type: TensorType.INT32, shape: [3], data: bias, constant: true },
      ],
      outputs: [{ type: TensorType.INT8, quant: q(1, 0) }],
    });
    expect(Array.from(out!.data as Int8Array)).toEqual([18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3]);
  });
});

/** Random conv/depthwise/fc cases against the naive reference. */
function randomQuant(r: ReturnType<typeof rng>, isUint8: boolean) {
  const scale = Math.fround(0.001 + r.next() * 0.2);
  const zp = isUint8 ? r.int(0, 255) : r.int(-128, 127);
  return { scale, zp };
}
function randomData(r: ReturnType<typeof rng>, n: number, isUint8: boolean): number[] {
  return Array.from({ length: n }, () => (isUint8 ? r.int(0, 255) : r.int(-128, 127)));
}

describe('CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED quantized vs naive reference', () => {
  it('CONV_2D: 120 random cases, 0 differing bytes', () => {
    const r = rng(2024);
    let diff = 0, total = 0;
    for (let t = 0; t < 120; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      const B = r.int(1, 2), H = r.int(1, 9), W = r.int(1, 9), C = r.int(1, 7), O = r.int(1, 9);
      const FH = r.int(1, Math.min(3, H)), FW = r.int(1, Math.min(3, W));
      const pointwise = t % 5 === 0;
      const fh = pointwise ? 1 : FH, fw = pointwise ? 1 : FW;
      const sh = pointwise ? 1 : r.int(1, 2), sw = pointwise ? 1 : r.int(1, 2);
      const dilH = !pointwise && t % 7 === 0 ? 2 : 1, dilW = dilH;
      if ((fh - 1) * dilH + 1 > H || (fw - 1) * dilW + 1 > W) continue;
      const same = r.next() < 0.5 && !pointwise;
      const xq = randomQuant(r, isUint8), oq = randomQuant(r, isUint8);
      const wScales = isUint8 ? [Math.fround(0.002 + r.next() * 0.05)]
        : Array.from({ length: O }, () => Math.fround(0.002 + r.next() * 0.05));
      const wZp = isUint8 ? r.int(0, 255) : 0;
      const x = randomData(r, B * H * W * C, isUint8);
      const w = randomData(r, O * fh * fw * C, isUint8).map((v) => (isUint8 ? v : Math.max(-127, v)));
      const bias = Array.from({ length: O }, () => r.int(-5000, 5000));
      const act = r.pick([0, 1, 2, 3]);
      const c = {
        x, xShape: [B, H, W, C], xZp: xq.zp, xScale: xq.scale, w, wShape: [O, fh, fw, C], wZp, wScales, bias,
        outScale: oq.scale, outZp: oq.zp, strideH: sh, strideW: sw, dilH, dilW, same, act, isUint8,
      };
      for (const mode of MODES) {
      const ref = naiveConv({ ...c, mode });
      const [out] = runOp({ quantizedArithmetic: mode,
        op: BuiltinOperator.CONV_2D, version: 3,
        options: conv({ padding: same ? Padding.SAME : Padding.VALID, strideH: sh, strideW: sw, dilationHFactor: dilH,
          dilationWFactor: dilW, fusedActivationFunction: act }),
        inputs: [
          { type, shape: [B, H, W, C], data: x, quant: q(xq.scale, xq.zp) },
          { type, shape: [O, fh, fw, C], data: w, constant: true,
            quant: isUint8 ? q(wScales[0]!, wZp) : perAxis(wScales, 0) },
          { type: TensorType.INT32, shape: [O], data: bias, constant: true },
        ],
        outputs: [{ type, quant: q(oq.scale, oq.zp) }],
      });
      expect(out!.shape).toEqual(ref.shape);
      diff += countDiff(out!.data as unknown as ArrayLike<number>, ref.data);
      total += ref.data.length;
      }
    }
    expect(total).toBeGreaterThan(5000);
    expect(diff).toBe(0);
  });

  it('DEPTHWISE_CONV_2D: 120 random cases (3x3 fast path and generic), 0 differing bytes', () => {
    const r = rng(77);
    let diff = 0, total = 0;
    for (let t = 0; t < 120; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      const B = r.int(1, 2), H = r.int(3, 10), W = r.int(3, 10), C = r.int(1, 9);
      const mult = t % 3 === 0 ? r.int(2, 3) : 1;
      const fh = t % 4 === 0 ? r.int(1, 3) : 3, fw = t % 4 === 0 ? r.int(1, 3) : 3;
      const sh = r.int(1, 2), sw = sh;
      const dil = t % 9 === 0 ? 2 : 1;
      if ((fh - 1) * dil + 1 > H || (fw - 1) * dil + 1 > W) continue;
      const same = r.next() < 0.6;
      const OC = C * mult;
      const xq = randomQuant(r, isUint8), oq = randomQuant(r, isUint8);
      const wScales = isUint8 ? [Math.fround(0.002 + r.next() * 0.05)]
        : Array.from({ length: OC }, () => Math.fround(0.002 + r.next() * 0.05));
      const wZp = isUint8 ? r.int(0, 255) : 0;
      const x = randomData(r, B * H * W * C, isUint8);
      const w = randomData(r, fh * fw * OC, isUint8);
      const bias = Array.from({ length: OC }, () => r.int(-3000, 3000));
      const act = r.pick([0, 1, 3]);
      const c = {
        x, xShape: [B, H, W, C], xZp: xq.zp, xScale: xq.scale, w, wShape: [1, fh, fw, OC], wZp, wScales, bias,
        outScale: oq.scale, outZp: oq.zp, strideH: sh, strideW: sw, dilH: dil, dilW: dil, same, act, isUint8,
      };
      for (const mode of MODES) {
      const ref = naiveDepthwise({ ...c, mode });
      const [out] = runOp({ quantizedArithmetic: mode,
        op: BuiltinOperator.DEPTHWISE_CONV_2D, version: 3,
        options: dw({ padding: same ? Padding.SAME : Padding.VALID, strideH: sh, strideW: sw, depthMultiplier: mult,
          dilationHFactor: dil, dilationWFactor: dil, fusedActivationFunction: act }),
        inputs: [
          { type, shape: [B, H, W, C], data: x, quant: q(xq.scale, xq.zp) },
          { type, shape: [1, fh, fw, OC], data: w, constant: true, quant: isUint8 ? q(wScales[0]!, wZp) : perAxis(wScales, 3) },
          { type: TensorType.INT32, shape: [OC], data: bias, constant: true },
        ],
        outputs: [{ type, quant: q(oq.scale, oq.zp) }],
      });
      expect(out!.shape).toEqual(ref.shape);
      diff += countDiff(out!.data as unknown as ArrayLike<number>, ref.data);
      total += ref.data.length;
      }
    }
    expect(total).toBeGreaterThan(5000);
    expect(diff).toBe(0);
  });

  it('DEPTHWISE_CONV_2D: filters too large for two rows per double (unpaired path) and multiplier > 1, 0 differing bytes', () => {
    const r = rng(404);
    let diff = 0, total = 0;
    for (let t = 0; t < 6; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      // 1 x 6000 taps with |w - zp| >= 117: sum |w| * max |x - zp| exceeds 2^26, so rows are not packed in pairs.
      const H = 3, W = 6002, C = 1 + (t % 2), mult = t < 4 ? 1 : 2, fh = 1, fw = 6000, OC = C * mult;
      const xq = { scale: Math.fround(0.01 + r.next() * 0.05), zp: isUint8 ? r.int(0, 255) : r.int(-128, 127) };
      const oq = { scale: Math.fround(20 + r.next() * 50), zp: isUint8 ? r.int(0, 255) : r.int(-128, 127) };
      const wScales = isUint8 ? [Math.fround(0.01)] : Array.from({ length: OC }, () => Math.fround(0.005 + r.next() * 0.01));
      const wZp = isUint8 ? 128 : 0;
      const x = randomData(r, H * W * C, isUint8);
      const w = Array.from({ length: fh * fw * OC }, () => (isUint8 ? r.pick([0, 10, 245, 255]) : r.pick([-127, -120, 120, 127])));
      const bias = Array.from({ length: OC }, () => r.int(-3000, 3000));
      const c = {
        x, xShape: [1, H, W, C], xZp: xq.zp, xScale: xq.scale, w, wShape: [1, fh, fw, OC], wZp, wScales, bias,
        outScale: oq.scale, outZp: oq.zp, strideH: 1, strideW: 1, dilH: 1, dilW: 1, same: false, act: 0, isUint8,
      };
      for (const mode of MODES) {
      const ref = naiveDepthwise({ ...c, mode });
      const [out] = runOp({ quantizedArithmetic: mode,
        op: BuiltinOperator.DEPTHWISE_CONV_2D, version: 3, options: dw({ depthMultiplier: mult }),
        inputs: [
          { type, shape: [1, H, W, C], data: x, quant: q(xq.scale, xq.zp) },
          { type, shape: [1, fh, fw, OC], data: w, constant: true, quant: isUint8 ? q(wScales[0]!, wZp) : perAxis(wScales, 3) },
          { type: TensorType.INT32, shape: [OC], data: bias, constant: true },
        ],
        outputs: [{ type, quant: q(oq.scale, oq.zp) }],
      });
      expect(out!.shape).toEqual(ref.shape);
      diff += countDiff(out!.data as unknown as ArrayLike<number>, ref.data);
      total += ref.data.length;
      }
    }
    expect(total).toBeGreaterThan(50);
    expect(diff).toBe(0);
  });

  it('FULLY_CONNECTED: 80 random cases incl. long rows (unpaired GEMM path), 0 differing bytes', () => {
    const r = rng(5);
    let diff = 0, total = 0;
    for (let t = 0; t < 80; t++) {
      const isUint8 = t % 2 === 0;
      const type = isUint8 ? TensorType.UINT8 : TensorType.INT8;
      const rows = r.int(1, 6), K = t % 10 === 0 ? r.int(1100, 1500) : r.int(1, 40), U = r.int(1, 11);
      const xq = randomQuant(r, isUint8), oq = randomQuant(r, isUint8);
      const perChannel = !isUint8 && t % 4 === 1;
      const wScales = perChannel ? Array.from({ length: U }, () => Math.fround(0.001 + r.next() * 0.02))
        : [Math.fround(0.001 + r.next() * 0.02)];
      const wZp = isUint8 ? r.int(0, 255) : 0;
      const x = randomData(r, rows * K, isUint8);
      const w = randomData(r, U * K, isUint8);
      const bias = t % 3 === 0 ? null : Array.from({ length: U }, () => r.int(-20000, 20000));
      const act = r.pick([0, 1, 3]);
      for (const mode of MODES) {
      const ref = naiveFullyConnected({
        x, xShape: [rows, K], xZp: xq.zp, xScale: xq.scale, w, wShape: [U, K], wZp, wScales, bias,
        outScale: oq.scale, outZp: oq.zp, act, isUint8, mode,
      });
      const [out] = runOp({ quantizedArithmetic: mode,
        op: BuiltinOperator.FULLY_CONNECTED, version: 4, options: fc({ fusedActivationFunction: act }),
        inputs: [
          { type, shape: [rows, K], data: x, quant: q(xq.scale, xq.zp) },
          { type, shape: [U, K], data: w, constant: true, quant: perChannel ? perAxis(wScales, 0) : q(wScales[0]!, wZp) },
          bias ? { type: TensorType.INT32, shape: [U], data: bias, constant: true } : null,
        ],
        outputs: [{ type, quant: q(oq.scale, oq.zp) }],
      });
      expect(out!.shape).toEqual([rows, U]);
      diff += countDiff(out!.data as unknown as ArrayLike<number>, ref);
      total += ref.length;
      }
    }
    expect(total).toBeGreaterThan(1000);
    expect(diff).toBe(0);
  });
});
