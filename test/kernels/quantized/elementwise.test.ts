import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../../schema/enums.js';
import { q, runOp } from '../../helpers/run_op.js';
import { actRange, clamp, countDiff, mbqm, naiveQuantizeMultiplier, rng, roundAway } from '../../helpers/naive_quant.js';

type R = ReturnType<typeof rng>;
const f = Math.fround;
const rq = (r: R, u8: boolean) => ({ scale: f(0.005 + r.next() * 0.3), zp: u8 ? r.int(0, 255) : r.int(-128, 127) });
const data = (r: R, n: number, u8: boolean) => Array.from({ length: n }, () => (u8 ? r.int(0, 255) : r.int(-128, 127)));
const shape = (r: R, rank: number) => Array.from({ length: rank }, () => r.int(1, 5));
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const T = (u8: boolean) => (u8 ? TensorType.UINT8 : TensorType.INT8);
const lim = (u8: boolean): [number, number] => (u8 ? [0, 255] : [-128, 127]);

/** Output index → input index for NumPy broadcasting (naive). */
function bcast(outShape: number[], inShape: number[], o: number): number {
  const rank = outShape.length, pad = rank - inShape.length;
  let idx = 0, rem = o;
  const coords: number[] = new Array(rank);
  for (let d = rank - 1; d >= 0; d--) { coords[d] = rem % outShape[d]!; rem = Math.floor(rem / outShape[d]!); }
  for (let d = 0; d < inShape.length; d++) idx = idx * inShape[d]! + (inShape[d] === 1 ? 0 : coords[d + pad]!);
  return idx;
}

describe('ADD / SUB / MUL quantized vs naive reference (with broadcasting)', () => {
  for (const op of ['ADD', 'SUB', 'MUL'] as const) {
    it(`${op}: 150 random cases, 0 differing bytes`, () => {
      const r = rng(op.length * 101 + op.charCodeAt(0));
      let diff = 0, total = 0;
      for (let t = 0; t < 150; t++) {
        const u8 = t % 2 === 0;
        const rank = r.int(1, 4);
        const sa = shape(r, rank);
        const sb = t % 3 === 0 ? sa.map((d) => (r.next() < 0.5 ? 1 : d)).slice(r.int(0, rank - 1)) : [...sa];
        const aq = rq(r, u8), bq = rq(r, u8), oq = rq(r, u8);
        const a = data(r, size(sa), u8), b = data(r, size(sb), u8);
        const act = r.pick([0, 1, 3]);
        const outShape = sa.length >= sb.length ? sa.map((d, i) => Math.max(d, sb[i - (sa.length - sb.length)] ?? 1)) : sb;
        const [lo, hi] = actRange(act, u8, oq.scale, oq.zp);
        const ref: number[] = [];
        const twiceMax = 2 * Math.max(aq.scale, bq.scale);
        const [am, as] = naiveQuantizeMultiplier(aq.scale / twiceMax), [bm, bs] = naiveQuantizeMultiplier(bq.scale / twiceMax);
        const [om, os] = naiveQuantizeMultiplier(twiceMax / (2 ** 20 * oq.scale));
        const [mm, ms] = naiveQuantizeMultiplier((aq.scale * bq.scale) / oq.scale);
        for (let o = 0; o < size(outShape); o++) {
          const va = a[bcast(outShape, sa, o)]! - aq.zp, vb = b[bcast(outShape, sb, o)]! - bq.zp;
          let v: number;
          if (op === 'MUL') v = mbqm(va * vb, mm, ms);
          else {
            const x = mbqm(va * 2 ** 20, am, as), y = mbqm(vb * 2 ** 20, bm, bs);
            v = mbqm(op === 'ADD' ? x + y : x - y, om, os);
          }
          ref.push(clamp(v + oq.zp, lo, hi));
        }
        const [out] = runOp({ quantizedArithmetic: 'reference',
          op: BuiltinOperator[op], version: 2,
          options: op === 'MUL' ? { kind: 'MulOptions', fusedActivationFunction: act }
            : { kind: op === 'ADD' ? 'AddOptions' : 'SubOptions', fusedActivationFunction: act, potScaleInt16: true },
          inputs: [{ type: T(u8), shape: sa, data: a, quant: q(aq.scale, aq.zp) }, { type: T(u8), shape: sb, data: b, quant: q(bq.scale, bq.zp) }],
          outputs: [{ type: T(u8), quant: q(oq.scale, oq.zp) }],
        });
        expect(out!.shape).toEqual(outShape);
        diff += countDiff(out!.data as unknown as number[], ref);
        total += ref.length;
      }
      expect(total).toBeGreaterThan(2000);
      expect(diff).toBe(0);
    });
  }
});

describe('pooling quantized', () => {
  const pool = (o: Partial<{ padding: Padding; strideW: number; strideH: number; filterWidth: number; filterHeight: number; act: number }>) => ({
    kind: 'Pool2DOptions' as const, padding: o.padding ?? Padding.VALID, strideW: o.strideW ?? 2, strideH: o.strideH ?? 2,
    filterWidth: o.filterWidth ?? 2, filterHeight: o.filterHeight ?? 2, fusedActivationFunction: o.act ?? 0,
  });
  // QuantizedPoolingOpTest.AveragePool / MaxPool (pooling_test.cc): input {0,6,2,4,3,2,10,7} on [0, 15.9375]
  // (scale 1/16, zero point 0), 2x2 window stride 2 → averages {2.75, 5.75} = {44, 92}, maxima {6, 10} = {96, 160}.
  const input = [0, 6, 2, 4, 3, 2, 10, 7].map((v) => v * 16);
  it('uint8 AveragePool and MaxPool goldens', () => {
    for (const [op, want] of [[BuiltinOperator.AVERAGE_POOL_2D, [44, 92]], [BuiltinOperator.MAX_POOL_2D, [96, 160]]] as const) {
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op, options: pool({}), inputs: [{ type: TensorType.UINT8, shape: [1, 2, 4, 1], data: input, quant: q(0.0625, 0) }],
        outputs: [{ type: TensorType.UINT8, quant: q(0.0625, 0) }],
      });
      expect(Array.from(out!.data as Uint8Array)).toEqual(want);
    }
  });
  it('uint8 rounds (sum + n/2) / n, int8 rounds half away from zero', () => {
    // window sums: uint8 [1,2,0,0] → (3 + 2) / 4 = 1; int8 [-1,-2,0,0] = -3 → (-3 - 2) / 4 = -1 (trunc), [-1,-1,0,0] → -4/4=-1
    const u = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.AVERAGE_POOL_2D, options: pool({}),
      inputs: [{ type: TensorType.UINT8, shape: [1, 2, 2, 1], data: [1, 2, 0, 0], quant: q(1, 0) }],
      outputs: [{ type: TensorType.UINT8, quant: q(1, 0) }] })[0]!;
    expect(Array.from(u.data as Uint8Array)).toEqual([1]);
    const s = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.AVERAGE_POOL_2D, options: pool({}),
      inputs: [{ type: TensorType.INT8, shape: [1, 2, 4, 1], data: [-1, -2, -2, -2, 0, 0, 0, 0], quant: q(1, 0) }],
      outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] })[0]!;
    expect(Array.from(s.data as Int8Array)).toEqual([-1, -1]); // -0.75 → -1, -1.0 → -1
    const s2 = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.AVERAGE_POOL_2D, options: pool({}),
      inputs: [{ type: TensorType.INT8, shape: [1, 2, 2, 1], data: [-1, -1, 0, 0], quant: q(1, 0) }],
      outputs: [{ type: TensorType.INT8, quant: q(1, 0) }] })[0]!;
    expect(Array.from(s2.data as Int8Array)).toEqual([-1]); // -0.5 → -1 (away from zero); uint8 rule would give 0
  });
  it('AVERAGE_POOL_2D / MAX_POOL_2D: 100 random cases vs naive, 0 differing bytes', () => {
    const r = rng(31);
    let diff = 0, total = 0;
    for (let t = 0; t < 100; t++) {
      const u8 = t % 2 === 0, max = t % 4 >= 2;
      const B = r.int(1, 2), H = r.int(1, 9), W = r.int(1, 9), C = r.int(1, 5);
      const fh = r.int(1, Math.min(H, 4)), fw = r.int(1, Math.min(W, 4)), sh = r.int(1, 3), sw = r.int(1, 3);
      const same = r.next() < 0.5;
      const xq = rq(r, u8), act = r.pick([0, 1, 3]);
      const x = data(r, B * H * W * C, u8);
      const oh = same ? Math.ceil(H / sh) : Math.floor((H - fh + sh) / sh), ow = same ? Math.ceil(W / sw) : Math.floor((W - fw + sw) / sw);
      const pt = Math.floor(Math.max((oh - 1) * sh + fh - H, 0) / 2), pl = Math.floor(Math.max((ow - 1) * sw + fw - W, 0) / 2);
      const [lo, hi] = actRange(act, u8, xq.scale, xq.zp);
      const ref: number[] = [];
      for (let b = 0; b < B; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < C; c++) {
        let acc = max ? lim(u8)[0] : 0, n = 0;
        for (let ky = 0; ky < fh; ky++) for (let kx = 0; kx < fw; kx++) {
          const iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
          const v = x[((b * H + iy) * W + ix) * C + c]!;
          acc = max ? Math.max(acc, v) : acc + v;
          n++;
        }
        if (!max) acc = u8 ? Math.floor((acc + Math.floor(n / 2)) / n) : Math.sign(acc) * Math.floor((Math.abs(acc) + Math.floor(n / 2)) / n);
        ref.push(clamp(acc, lo, hi));
      }
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op: max ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D,
        options: pool({ padding: same ? Padding.SAME : Padding.VALID, strideH: sh, strideW: sw, filterHeight: fh, filterWidth: fw, act }),
        inputs: [{ type: T(u8), shape: [B, H, W, C], data: x, quant: q(xq.scale, xq.zp) }],
        outputs: [{ type: T(u8), quant: q(xq.scale, xq.zp) }],
      });
      expect(out!.shape).toEqual([B, oh, ow, C]);
      diff += countDiff(out!.data as unknown as number[], ref);
      total += ref.length;
    }
    expect(total).toBeGreaterThan(1000);
    expect(diff).toBe(0);
  });
});

describe('MEAN quantized', () => {
  it('100 random cases (same and different scales) vs naive QuantizedMeanOrSum, 0 differing bytes', () => {
    const r = rng(8);
    let diff = 0, total = 0;
    for (let t = 0; t < 100; t++) {
      const u8 = t % 2 === 0;
      const rank = r.int(1, 4);
      const s = shape(r, rank).map((d) => d + 1);
      const axes = [...new Set(Array.from({ length: r.int(1, rank) }, () => r.int(-rank, rank - 1)))];
      const xq = rq(r, u8), oq = t % 3 === 0 ? xq : rq(r, u8);
      const keep = r.next() < 0.5;
      const x = data(r, size(s), u8);
      const red = s.map((_, i) => axes.some((a) => (a < 0 ? a + rank : a) === i));
      const outDims = s.filter((_, i) => !red[i]);
      const n = s.filter((_, i) => red[i]).reduce((a, b) => a * b, 1);
      const sums = new Array(size(outDims)).fill(0);
      for (let e = 0; e < x.length; e++) {
        let rem = e, o = 0, mul = 1;
        for (let d = rank - 1; d >= 0; d--) {
          const c = rem % s[d]!; rem = Math.floor(rem / s[d]!);
          if (!red[d]) { o += c * mul; mul *= s[d]!; }
        }
        sums[o] += x[e]!;
      }
      let [m, sh] = naiveQuantizeMultiplier(xq.scale / oq.scale);
      const k = Math.min(Math.floor(Math.log2(n)), 32, 31 + sh);
      m = Number((BigInt(m) << BigInt(k)) / BigInt(n)); sh -= k;
      const ref = sums.map((v) => clamp(mbqm(v - xq.zp * n, m, sh) + oq.zp, ...lim(u8)));
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op: BuiltinOperator.MEAN, options: { kind: 'ReducerOptions', keepDims: keep },
        inputs: [{ type: T(u8), shape: s, data: x, quant: q(xq.scale, xq.zp) },
          { type: TensorType.INT32, shape: [axes.length], data: axes, constant: true }],
        outputs: [{ type: T(u8), quant: q(oq.scale, oq.zp) }],
      });
      expect(out!.shape).toEqual(keep ? s.map((d, i) => (red[i] ? 1 : d)) : outDims);
      diff += countDiff(out!.data as unknown as number[], ref);
      total += ref.length;
    }
    expect(diff).toBe(0);
    expect(total).toBeGreaterThan(300);
  });
});

describe('QUANTIZE, RELU family, LEAKY_RELU, PRELU', () => {
  it('QUANTIZE float → int8/uint8 rounds half away from zero in float32', () => {
    const [o] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.QUANTIZE, inputs: [{ type: TensorType.FLOAT32, shape: [6], data: [-1.25, -0.75, 0.25, 0.75, 100, -100] }],
      outputs: [{ type: TensorType.INT8, quant: q(0.5, -1) }] });
    expect(Array.from(o!.data as Int8Array)).toEqual([-4, -3, 0, 1, 127, -128]);
    // TFLite quantize_test QuantizeOpTest.UINT8: {-63.5,-63,-62.5,...} scale 0.5 zp 127 → {0,1,2,3,4,251,252,253,254,255}
    const [u] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.QUANTIZE, inputs: [{ type: TensorType.FLOAT32, shape: [2, 5],
      data: [-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64] }], outputs: [{ type: TensorType.UINT8, quant: q(0.5, 127) }] });
    expect(Array.from(u!.data as Uint8Array)).toEqual([0, 1, 2, 3, 4, 251, 252, 253, 254, 255]);
  });
  it('QUANTIZE requantize, RELU/RELU6/RELU_N1_TO_1, LEAKY_RELU, PRELU: random vs naive, 0 differing bytes', () => {
    const r = rng(99);
    let diff = 0, total = 0;
    for (let t = 0; t < 240; t++) {
      const u8 = t % 2 === 0, u8out = t % 5 === 0 ? !u8 : u8;
      const kind = ['QUANTIZE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'LEAKY_RELU', 'PRELU'][t % 6]!;
      const s = shape(r, r.int(1, 4));
      const xq = rq(r, u8);
      const outU8 = kind === 'QUANTIZE' ? u8out : u8;
      const oq = rq(r, outU8);
      const x = data(r, size(s), u8);
      const ref: number[] = [];
      let inputs = [{ type: T(u8), shape: s, data: x, quant: q(xq.scale, xq.zp) }] as Parameters<typeof runOp>[0]['inputs'];
      let options: Parameters<typeof runOp>[0]['options'] = null;
      if (kind === 'QUANTIZE') {
        const [m, sh] = naiveQuantizeMultiplier(xq.scale / oq.scale);
        for (const v of x) ref.push(clamp(mbqm(v - xq.zp, m, sh) + oq.zp, ...lim(outU8)));
      } else if (kind.startsWith('RELU')) {
        const [m, sh] = naiveQuantizeMultiplier(f(xq.scale / oq.scale));
        const [lo, hi] = actRange(kind === 'RELU' ? 1 : kind === 'RELU6' ? 3 : 2, u8, oq.scale, oq.zp);
        for (const v of x) ref.push(clamp(mbqm(v - xq.zp, m, sh) + oq.zp, lo, hi));
      } else if (kind === 'LEAKY_RELU') {
        const alpha = f(r.next() * 2 - 0.5);
        options = { kind: 'LeakyReluOptions', alpha };
        const [im, is] = naiveQuantizeMultiplier(f(xq.scale / oq.scale));
        const [am, as] = naiveQuantizeMultiplier(f(f(xq.scale * alpha) / oq.scale));
        for (const v of x) ref.push(clamp((v - xq.zp >= 0 ? mbqm(v - xq.zp, im, is) : mbqm(v - xq.zp, am, as)) + oq.zp, ...lim(u8)));
      } else {
        const sa = s.slice(r.int(0, s.length - 1)).map((d) => (r.next() < 0.3 ? 1 : d));
        const aq = rq(r, u8), a = data(r, size(sa), u8);
        inputs = [...inputs, { type: T(u8), shape: sa, data: a, quant: q(aq.scale, aq.zp), constant: true }];
        const [m1, s1] = naiveQuantizeMultiplier(f(xq.scale / oq.scale));
        const [m2, s2] = naiveQuantizeMultiplier(f(f(xq.scale * aq.scale) / oq.scale));
        for (let o = 0; o < x.length; o++) {
          const v = x[o]! - xq.zp;
          const y = v >= 0 ? mbqm(v, m1, s1) : mbqm(v * (a[bcast(s, sa, o)]! - aq.zp), m2, s2);
          ref.push(clamp(y + oq.zp, ...lim(u8)));
        }
      }
      const [out] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator[kind as 'RELU'], options, inputs, outputs: [{ type: T(outU8), quant: q(oq.scale, oq.zp) }] });
      diff += countDiff(out!.data as unknown as number[], ref);
      total += ref.length;
    }
    expect(total).toBeGreaterThan(3000);
    expect(diff).toBe(0);
  });
});

describe('CONCATENATION and PAD quantized', () => {
  it('CONCATENATION copies equal-parameter inputs and rescales the others in float32 (random vs naive)', () => {
    const r = rng(4);
    let diff = 0;
    for (let t = 0; t < 60; t++) {
      const u8 = t % 2 === 0;
      const rank = r.int(1, 4), axis = r.int(0, rank - 1);
      const base = shape(r, rank);
      const n = r.int(1, 4);
      const oq = rq(r, u8);
      const ins = Array.from({ length: n }, () => {
        const s = [...base]; s[axis] = r.int(1, 4);
        const qq = r.next() < 0.3 ? oq : rq(r, u8);
        return { s, qq, x: data(r, size(s), u8) };
      });
      const outer = base.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = base.slice(axis + 1).reduce((a, b) => a * b, 1);
      const ref: number[] = [];
      for (let k = 0; k < outer; k++) for (const i of ins) {
        const cs = i.s[axis]! * inner;
        const same = i.qq.scale === oq.scale && i.qq.zp === oq.zp;
        const sc = f(i.qq.scale * f(1 / oq.scale)), bias = f(-i.qq.zp * sc);
        for (let j = 0; j < cs; j++) {
          const v = i.x[k * cs + j]!;
          ref.push(same ? v : clamp(roundAway(f(f(v * sc) + bias)) + oq.zp, ...lim(u8)));
        }
      }
      const [out] = runOp({ quantizedArithmetic: 'reference',
        op: BuiltinOperator.CONCATENATION, options: { kind: 'ConcatenationOptions', axis: t % 3 === 0 ? axis - rank : axis, fusedActivationFunction: 0 },
        inputs: ins.map((i) => ({ type: T(u8), shape: i.s, data: i.x, quant: q(i.qq.scale, i.qq.zp) })),
        outputs: [{ type: T(u8), quant: q(oq.scale, oq.zp) }],
      });
      diff += countDiff(out!.data as unknown as number[], ref);
    }
    expect(diff).toBe(0);
  });
  it('PAD: 80 random ranks 1-5 / paddings, identity and requantized copies, 0 differing bytes', () => {
    const r = rng(909);
    let diff = 0, total = 0;
    for (let t = 0; t < 80; t++) {
      const u8 = t % 2 === 0;
      const s = shape(r, r.int(1, 5));
      const pads = s.flatMap(() => [r.int(0, 2), r.int(0, 2)]);
      const xq = rq(r, u8), oq = t % 3 === 0 ? xq : rq(r, u8);
      const x = data(r, size(s), u8);
      const os = s.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
      const [m, sh] = naiveQuantizeMultiplier(xq.scale / oq.scale);
      const ref = new Array<number>(size(os)).fill(oq.zp);
      for (let e = 0; e < x.length; e++) {
        let rem = e, o = 0, stride = 1;
        for (let d = s.length - 1; d >= 0; d--) {
          o += ((rem % s[d]!) + pads[2 * d]!) * stride;
          rem = Math.floor(rem / s[d]!);
          stride *= os[d]!;
        }
        ref[o] = clamp(mbqm(x[e]! - xq.zp, m, sh) + oq.zp, ...lim(u8));
      }
      const [out] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.PAD, inputs: [
        { type: T(u8), shape: s, data: x, quant: q(xq.scale, xq.zp) },
        { type: TensorType.INT32, shape: [s.length, 2], data: pads, constant: true }],
      outputs: [{ type: T(u8), quant: q(oq.scale, oq.zp) }] });
      expect(out!.shape).toEqual(os);
      diff += countDiff(out!.data as unknown as number[], ref);
      total += ref.length;
    }
    expect(total).toBeGreaterThan(5000);
    expect(diff).toBe(0);
  });

  it('PAD fills with the output zero point; PADV2 with constant_values', () => {
    const [o] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.PAD, inputs: [
      { type: TensorType.INT8, shape: [1, 2, 2, 1], data: [1, 2, 3, 4], quant: q(0.1, -3) },
      { type: TensorType.INT32, shape: [4, 2], data: [0, 0, 1, 1, 0, 1, 0, 0], constant: true }],
    outputs: [{ type: TensorType.INT8, quant: q(0.1, -3) }] });
    expect(o!.shape).toEqual([1, 4, 3, 1]);
    expect(Array.from(o!.data as Int8Array)).toEqual([-3, -3, -3, 1, 2, -3, 3, 4, -3, -3, -3, -3]);
    const [p] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.PADV2, inputs: [
      { type: TensorType.UINT8, shape: [2], data: [7, 8], quant: q(1, 0) },
      { type: TensorType.INT32, shape: [1, 2], data: [1, 2], constant: true },
      { type: TensorType.UINT8, shape: [], data: [9], quant: q(1, 0), constant: true }],
    outputs: [{ type: TensorType.UINT8, quant: q(1, 0) }] });
    expect(Array.from(p!.data as Uint8Array)).toEqual([9, 7, 8, 9, 9]);
    // requantized copy: scale 0.5 → 1, zp 10 → 0: (x - 10) * 0.5 rounded half away
    const [rq2] = runOp({ quantizedArithmetic: 'reference', op: BuiltinOperator.PAD, inputs: [
      { type: TensorType.UINT8, shape: [3], data: [13, 11, 250], quant: q(0.5, 10) },
      { type: TensorType.INT32, shape: [1, 2], data: [0, 1], constant: true }],
    outputs: [{ type: TensorType.UINT8, quant: q(1, 0) }] });
    expect(Array.from(rq2!.data as Uint8Array)).toEqual([2, 1, 120, 0]);
  });
});
