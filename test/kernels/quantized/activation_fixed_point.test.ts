import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import { q, runOp } from '../../helpers/run_op.js';
import { countDiff, naiveTransposeConv, rng } from '../../helpers/naive_quant.js';
import { expOnNegativeValues, logistic, tanh } from '../../../kernels/quantized/internal/fixed_point.js';

// TFLM softmax_test.cc 4D data (input scale 0.1, zero point 0), golden floats; TFLM checks int8 outputs within 1.
const input4d = [3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8, 7, 6, -10, -4, -5, 2, 7, 9, -9, 7,
  -4, -2, 8, 2, 2, 3, 6, 6, 2, 4, 9, 7, -7, 0, 4, -3, 8, 8, -3, -4, -9, -9, 4, -8, -1, -10, -2, 6, -7, 0];
const golden3d = [0.042009463, 0.843782625, 0.000014093, 0.114193561, 0.000000258, 0.000003072, 0.000003072, 0.000022699,
  0.499985578, 0.499985578, 0.952571219, 0.000002153, 0.000000107, 0.047425728, 0.000000792, 0.000000826, 0.993305397,
  0.006692839, 0.000000112, 0.000000826, 0.731046347, 0.268936922, 0.00000003, 0.00001221, 0.000004492, 0.000717124,
  0.106430599, 0.786421666, 0.000000012, 0.106430599, 0.000006114, 0.000045174, 0.995015917, 0.002466398, 0.002466398,
  0.022595176, 0.453836234, 0.453836234, 0.008312301, 0.061420055, 0.875505904, 0.118486839, 0.000000099, 0.000108046,
  0.005899112, 0.000008351, 0.499990113, 0.499990113, 0.000008351, 0.000003072, 0.000002245, 0.000002245, 0.993296627,
  0.000006103, 0.00669278, 0.000000112, 0.00033452, 0.997191323, 0.000002254, 0.00247179];

describe('gemmlowp fixed point', () => {
  it('exp_on_negative_values tracks exp within 2^-26 on Q5.26 inputs', () => {
    for (let v = -31.9; v <= 0; v += 0.37) {
      const raw = Math.round(v * 2 ** 26);
      expect(Math.abs(expOnNegativeValues(raw, 5) / 2 ** 31 - Math.exp(raw / 2 ** 26))).toBeLessThan(2 ** -24);
    }
    expect(expOnNegativeValues(0, 5)).toBe(2147483647);
  });
  it('logistic and tanh track the float functions', () => {
    for (let v = -7.9; v < 8; v += 0.13) {
      const raw = Math.round(v * 2 ** 27);
      expect(Math.abs(logistic(raw, 4) / 2 ** 31 - 1 / (1 + Math.exp(-raw / 2 ** 27)))).toBeLessThan(1e-6);
      expect(Math.abs(tanh(raw, 4) / 2 ** 31 - Math.tanh(raw / 2 ** 27))).toBeLessThan(1e-6);
    }
    expect(logistic(0, 4)).toBe(2 ** 30);
  });
});

describe('SOFTMAX quantized (reference fixed-point algorithm)', () => {
  it('int8 TFLM Softmax3DQuantizedInt8 golden within 1 step, uint8 likewise', () => {
    for (const u8 of [false, true]) {
      const zp = u8 ? 0 : -128;
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op: BuiltinOperator.SOFTMAX, options: { kind: 'SoftmaxOptions', beta: 1 },
        inputs: [{ type: u8 ? TensorType.UINT8 : TensorType.INT8, shape: [3, 4, 5],
          data: input4d.map((v) => v * 10 + (u8 ? 128 : 0)), quant: q(0.1, u8 ? 128 : 0) }],
        outputs: [{ type: u8 ? TensorType.UINT8 : TensorType.INT8, quant: q(1 / 256, zp) }],
      });
      const got = Array.from(out!.data as Int8Array);
      const want = golden3d.map((g) => Math.min(u8 ? 255 : 127, Math.round(g * 256) + zp));
      got.forEach((v, i) => expect(Math.abs(v - want[i]!), `element ${i}`).toBeLessThanOrEqual(1));
    }
  });
  it('random rows: within 1 step of float softmax, rows dominated by one value saturate', () => {
    const r = rng(3);
    for (let t = 0; t < 40; t++) {
      const depth = r.int(1, 30), scale = Math.fround(0.01 + r.next() * 0.5), beta = Math.fround(0.5 + r.next());
      const x = Array.from({ length: depth }, () => r.int(-128, 127));
      const [out] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.SOFTMAX, options: { kind: 'SoftmaxOptions', beta },
        inputs: [{ type: TensorType.INT8, shape: [1, depth], data: x, quant: q(scale, 3) }],
        outputs: [{ type: TensorType.INT8, quant: q(1 / 256, -128) }] });
      const m = Math.max(...x);
      const e = x.map((v) => Math.exp(beta * scale * (v - m)));
      const sum = e.reduce((a, b) => a + b, 0);
      Array.from(out!.data as Int8Array).forEach((v, i) =>
        expect(Math.abs(v - Math.min(127, Math.round((e[i]! / sum) * 256) - 128))).toBeLessThanOrEqual(1));
    }
  });
  it('refuses an output that is not scale 1/256', () => {
    expect(() => runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.SOFTMAX, options: { kind: 'SoftmaxOptions', beta: 1 },
      inputs: [{ type: TensorType.INT8, shape: [1, 2], data: [0, 1], quant: q(0.1, 0) }],
      outputs: [{ type: TensorType.INT8, quant: q(1 / 128, -128) }] })).toThrow(/SOFTMAX \(v1\): output scale must be 1\/256/);
  });
});

describe('LOGISTIC / TANH quantized', () => {
  it('track the float functions within one output step over the whole input range', () => {
    for (const u8 of [false, true]) {
      const x = Array.from({ length: 256 }, (_, i) => (u8 ? i : i - 128));
      const zpIn = u8 ? 128 : 0, scale = 0.0625;
      for (const op of [BuiltinOperator.LOGISTIC, BuiltinOperator.TANH]) {
        const isTanh = op === BuiltinOperator.TANH;
        const outQ = isTanh ? q(1 / 128, u8 ? 128 : 0) : q(1 / 256, u8 ? 0 : -128);
        const [out] = runOp({ quantizedArithmetic: 'reference', op, inputs: [{ type: u8 ? TensorType.UINT8 : TensorType.INT8, shape: [256], data: x, quant: q(scale, zpIn) }],
          outputs: [{ type: u8 ? TensorType.UINT8 : TensorType.INT8, quant: outQ }] });
        const hi = u8 ? 255 : 127, lo = u8 ? 0 : -128;
        Array.from(out!.data as Int8Array).forEach((v, i) => {
          const real = (x[i]! - zpIn) * scale;
          const y = isTanh ? Math.tanh(real) * 128 + outQ.zeroPoint[0]! : 256 / (1 + Math.exp(-real)) + outQ.zeroPoint[0]!;
          expect(Math.abs(v - Math.max(lo, Math.min(hi, Math.round(y)))), `${BuiltinOperator[op]} x=${x[i]}`).toBeLessThanOrEqual(1);
        });
      }
    }
  });
});

describe('TRANSPOSE_CONV quantized', () => {
  it('60 random cases vs naive scatter reference, 0 differing bytes', () => {
    const r = rng(12);
    let diff = 0, total = 0;
    for (let t = 0; t < 60; t++) {
      const u8 = t % 2 === 0, type = u8 ? TensorType.UINT8 : TensorType.INT8;
      const H = r.int(1, 5), W = r.int(1, 5), C = r.int(1, 4), O = r.int(1, 5), fh = r.int(1, 3), fw = r.int(1, 3);
      const sh = r.int(1, 2), sw = r.int(1, 2), same = r.next() < 0.5;
      const OH = same ? H * sh : (H - 1) * sh + fh, OW = same ? W * sw : (W - 1) * sw + fw;
      const xq = { s: Math.fround(0.01 + r.next() * 0.1), zp: u8 ? r.int(0, 255) : r.int(-128, 127) };
      const oq = { s: Math.fround(0.05 + r.next() * 0.5), zp: u8 ? r.int(0, 255) : r.int(-128, 127) };
      const wScales = u8 ? [Math.fround(0.01 + r.next() * 0.05)] : Array.from({ length: O }, () => Math.fround(0.01 + r.next() * 0.05));
      const wZp = u8 ? r.int(0, 255) : 0;
      const x = Array.from({ length: H * W * C }, () => (u8 ? r.int(0, 255) : r.int(-128, 127)));
      const w = Array.from({ length: O * fh * fw * C }, () => (u8 ? r.int(0, 255) : r.int(-127, 127)));
      const bias = t % 3 ? Array.from({ length: O }, () => r.int(-500, 500)) : null;
      const act = r.pick([0, 1]);
      const ref = naiveTransposeConv({ x, xShape: [1, H, W, C], xZp: xq.zp, xScale: xq.s, w, wShape: [O, fh, fw, C], wZp, wScales,
        bias, outScale: oq.s, outZp: oq.zp, strideH: sh, strideW: sw, dilH: 1, dilW: 1, same, act, isUint8: u8, outShape: [1, OH, OW, O] });
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op: BuiltinOperator.TRANSPOSE_CONV, version: 3,
        options: { kind: 'TransposeConvOptions', padding: same ? Padding.SAME : Padding.VALID, strideH: sh, strideW: sw, fusedActivationFunction: act },
        inputs: [
          { type: TensorType.INT32, shape: [4], data: [1, OH, OW, O], constant: true },
          { type, shape: [O, fh, fw, C], data: w, constant: true,
            quant: u8 ? q(wScales[0]!, wZp) : { scale: wScales, zeroPoint: wScales.map(() => 0), quantizedDimension: 0 } },
          { type, shape: [1, H, W, C], data: x, quant: q(xq.s, xq.zp) },
          bias ? { type: TensorType.INT32, shape: [O], data: bias, constant: true } : null,
        ],
        outputs: [{ type, quant: q(oq.s, oq.zp) }],
      });
      diff += countDiff(out!.data as unknown as number[], ref);
      total += ref.length;
    }
    expect(total).toBeGreaterThan(500);
    expect(diff).toBe(0);
  });
});

describe('prepare errors name the node and the problem', () => {
  const convOpts = { kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1,
    fusedActivationFunction: ActivationFunctionType.NONE, dilationWFactor: 1, dilationHFactor: 1 };
  const x = { type: TensorType.INT8, shape: [1, 2, 2, 2], data: [0, 0, 0, 0, 0, 0, 0, 0], quant: q(0.5, 0) };
  const cases: [string, Parameters<typeof runOp>[0], RegExp][] = [
    ['scale count', { op: BuiltinOperator.CONV_2D, options: convOpts, inputs: [x,
      { type: TensorType.INT8, shape: [3, 1, 1, 2], data: [1, 1, 1, 1, 1, 1], constant: true, quant: { scale: [1, 1], zeroPoint: [0, 0], quantizedDimension: 3 } }],
    outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /CONV_2D \(v1\): filter has 2 scales but 3 output channels/],
    ['int8 weight zero point', { op: BuiltinOperator.CONV_2D, options: convOpts, inputs: [x,
      { type: TensorType.INT8, shape: [1, 1, 1, 2], data: [1, 1], constant: true, quant: q(1, 3) }],
    outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /INT8 filter zero point must be 0, got 3/],
    ['per-channel on the wrong dimension', { op: BuiltinOperator.CONV_2D, options: convOpts, inputs: [x,
      { type: TensorType.INT8, shape: [2, 1, 1, 2], data: [1, 1, 1, 1], constant: true, quant: { scale: [1, 1], zeroPoint: [0, 0], quantizedDimension: 3 } }],
    outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /filter is quantized on dimension 3, expected 0/],
    ['mixed types', { op: BuiltinOperator.CONV_2D, options: convOpts, inputs: [x,
      { type: TensorType.UINT8, shape: [1, 1, 1, 2], data: [1, 1], constant: true, quant: q(1, 0) }],
    outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /filter type UINT8 differs from input type INT8/],
    ['missing quantization', { op: BuiltinOperator.ADD, options: { kind: 'AddOptions', fusedActivationFunction: 0, potScaleInt16: true },
      inputs: [x, { ...x, quant: null }], outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /ADD \(v1\): input 1 tensor 1 'input1' INT8\[1,2,2,2\] has no quantization parameters/],
    ['bad broadcast', { op: BuiltinOperator.MUL, options: { kind: 'MulOptions', fusedActivationFunction: 0 },
      inputs: [x, { ...x, shape: [3], data: [1, 2, 3] }], outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /cannot be broadcast/],
    ['pool quantization mismatch', { op: BuiltinOperator.AVERAGE_POOL_2D,
      options: { kind: 'Pool2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, filterWidth: 1, filterHeight: 1, fusedActivationFunction: 0 },
      inputs: [x], outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /input and output quantization must match/],
    ['logistic output zero point', { op: BuiltinOperator.LOGISTIC, inputs: [x], outputs: [{ type: TensorType.INT8, quant: q(1 / 256, 0) }] },
      /LOGISTIC \(v1\): output zero point must be -128, got 0/],
    ['tanh fused into conv', { op: BuiltinOperator.CONV_2D, options: { ...convOpts, fusedActivationFunction: ActivationFunctionType.TANH }, inputs: [x,
      { type: TensorType.INT8, shape: [1, 1, 1, 2], data: [1, 1], constant: true, quant: q(1, 0) }],
    outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] }, /fused activation TANH is not supported/],
    ['unsupported input type', { op: BuiltinOperator.SOFTMAX, options: { kind: 'SoftmaxOptions', beta: 1 },
      inputs: [{ type: TensorType.INT16, shape: [2], data: [0, 0], quant: q(1, 0) }], outputs: [{ type: TensorType.INT16, quant: q(1, 0) }] },
    /SOFTMAX \(v1\): input type INT16 is not supported/],
    ['mean axis', { op: BuiltinOperator.MEAN, options: { kind: 'ReducerOptions', keepDims: false }, inputs: [x,
      { type: TensorType.INT32, shape: [1], data: [4], constant: true }], outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] },
    /MEAN \(v1\): axis 4 is out of range for rank 4/],
  ];
  for (const [name, c, msg] of cases) it(name, () => expect(() => runOp(c)).toThrow(msg));
});
