import { describe, expect, it } from 'vitest';
import type { Conv2DOptions, DepthwiseConv2DOptions } from '../../schema/builtin_options.js';
import { ActivationFunctionType as Act, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import type { QuantizationParams } from '../../schema/types.js';
import { Interpreter } from '../../src/interpreter.js';
import { randArray, rng } from '../helpers/naive_float.js';
import { q } from '../helpers/run_op.js';

type Kind = 'float32' | 'uint8' | 'int8';

interface PadConvCase {
  kind: Kind;
  depthwise: boolean;
  /** [top, bottom, left, right] of the PAD; `channelPad` adds channel padding (not fusable). */
  pad: [number, number, number, number];
  channelPad?: boolean;
  h: number; w: number; cin: number; cout: number; kh: number; kw: number; stride: number; dilation: number;
  act: Act;
  /** VALID (fusable) or SAME. */
  convPadding?: Padding;
  /** Also make the PAD's output a graph output (keeps the PAD). */
  pinPad?: boolean;
  /** A second reader of the PAD's output (keeps the PAD). */
  secondReader?: boolean;
}

const TYPE = { float32: TensorType.FLOAT32, uint8: TensorType.UINT8, int8: TensorType.INT8 };

/** x -> PAD -> CONV_2D / DEPTHWISE_CONV_2D -> y, with constants made from `seed`. */
function padConvModel(c: PadConvCase, seed: number): { bytes: Uint8Array; input: ArrayLike<number> } {
  const r = rng(seed);
  const b = new ModelBuilder();
  const type = TYPE[c.kind];
  const xq: QuantizationParams | null = c.kind === 'uint8' ? q(0.05, 121) : c.kind === 'int8' ? q(0.04, -7) : null;
  const outQ: QuantizationParams | null = c.kind === 'uint8' ? q(0.12, 100) : c.kind === 'int8' ? q(0.1, 5) : null;
  const cin = c.channelPad ? c.cin + 2 : c.cin;
  const x = b.input('x', type, [1, c.h, c.w, c.cin], { quantization: xq });
  const pads = [0, 0, c.pad[0], c.pad[1], c.pad[2], c.pad[3], 0, c.channelPad ? 2 : 0];
  const paddings = b.constant('paddings', TensorType.INT32, [4, 2], pads);
  const padded = b.tensor('padded', type, [], { quantization: xq });
  b.op(BuiltinOperator.PAD, [x, paddings], [padded]);
  const cout = c.depthwise ? cin * Math.max(1, Math.round(c.cout / cin)) : c.cout;
  const filterShape = c.depthwise ? [1, c.kh, c.kw, cout] : [cout, c.kh, c.kw, cin];
  const n = filterShape.reduce((a, v) => a * v, 1);
  let filter: number;
  let bias: number;
  if (c.kind === 'float32') {
    filter = b.constant('filter', type, filterShape, randArray(r, n));
    bias = b.constant('bias', type, [cout], randArray(r, cout));
  } else {
    const wScale = 0.02;
    const wq = c.kind === 'uint8' ? q(wScale, 131) : { scale: Array(cout).fill(wScale), zeroPoint: Array(cout).fill(0), quantizedDimension: c.depthwise ? 3 : 0 };
    const lo = c.kind === 'uint8' ? 0 : -127, hi = c.kind === 'uint8' ? 255 : 127;
    filter = b.constant('filter', type, filterShape, Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1))), { quantization: wq });
    const bScale = xq!.scale[0]! * wScale;
    const bq = c.kind === 'uint8' ? q(bScale, 0) : { scale: Array(cout).fill(bScale), zeroPoint: Array(cout).fill(0), quantizedDimension: 0 };
    bias = b.constant('bias', TensorType.INT32, [cout], Array.from({ length: cout }, () => Math.floor((r() - 0.5) * 2000)), { quantization: bq });
  }
  const y = b.tensor('y', type, [], { quantization: outQ });
  const convPadding = c.convPadding ?? Padding.VALID;
  if (c.depthwise) {
    const o: DepthwiseConv2DOptions = {
      kind: 'DepthwiseConv2DOptions', padding: convPadding, strideW: c.stride, strideH: c.stride, depthMultiplier: cout / cin,
      fusedActivationFunction: c.act, dilationWFactor: c.dilation, dilationHFactor: c.dilation,
    };
    b.op(BuiltinOperator.DEPTHWISE_CONV_2D, [padded, filter, bias], [y], o, 2);
  } else {
    const o: Conv2DOptions = {
      kind: 'Conv2DOptions', padding: convPadding, strideW: c.stride, strideH: c.stride, fusedActivationFunction: c.act,
      dilationWFactor: c.dilation, dilationHFactor: c.dilation,
    };
    b.op(BuiltinOperator.CONV_2D, [padded, filter, bias], [y], o, c.kind === 'int8' ? 3 : 1);
  }
  b.output(y);
  if (c.secondReader) {
    const z = b.tensor('z', type, [], { quantization: xq });
    b.op(BuiltinOperator.RELU, [padded], [z]);
    b.output(z);
  }
  if (c.pinPad) b.output(padded);
  const size = c.h * c.w * c.cin;
  const input = c.kind === 'float32' ? randArray(r, size) : Array.from({ length: size }, () => Math.floor(r() * 256) - (c.kind === 'int8' ? 128 : 0));
  return { bytes: writeModel(b.build()), input };
}

function run(bytes: Uint8Array, input: ArrayLike<number>, backend: 'js' | 'wasm'): { out: number[]; nodes: number } {
  const it = Interpreter.create(bytes, { backend });
  (it.input(0).data as Float32Array).set(input);
  it.invoke();
  return { out: Array.from(it.output(0).data as Float32Array), nodes: it.invokeProfiled().length };
}

describe('a PAD folded into the convolution that reads it', () => {
  it('gives what running the PAD gives (quantized: the same bytes): float32, uint8, int8, conv and depthwise, asymmetric pads, strides, dilation, both backends', () => {
    const r = rng(9090);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    let fused = 0;
    for (let t = 0; t < 48; t++) {
      const c: PadConvCase = {
        kind: pick(['float32', 'uint8', 'int8'] as const), depthwise: t % 2 === 0,
        pad: [pick([0, 1, 2]), pick([0, 1, 3]), pick([0, 1, 2]), pick([0, 2])],
        h: 5 + Math.floor(r() * 9), w: 5 + Math.floor(r() * 9), cin: 1 + Math.floor(r() * 12), cout: 1 + Math.floor(r() * 16),
        kh: pick([2, 3, 5]), kw: pick([1, 3, 5]), stride: pick([1, 2]), dilation: t % 5 === 0 ? 2 : 1,
        act: pick([Act.NONE, Act.RELU, Act.RELU6]),
      };
      // The window must fit the padded input.
      c.h = Math.max(c.h, (c.kh - 1) * c.dilation + 1);
      c.w = Math.max(c.w, (c.kw - 1) * c.dilation + 1);
      const seed = 100 + t;
      const fusedModel = padConvModel(c, seed), keptModel = padConvModel({ ...c, pinPad: true }, seed);
      for (const backend of ['js', 'wasm'] as const) {
        const a = run(fusedModel.bytes, fusedModel.input, backend), b = run(keptModel.bytes, keptModel.input, backend);
        const label = `${backend} ${JSON.stringify(c)}`;
        expect(a.nodes, label).toBe(1);
        expect(b.nodes, label).toBe(2);
        if (c.kind === 'float32') {
          // Float sums may differ in the last bit: a tap that was a padded zero inside the window is now skipped.
          a.out.forEach((v, i) => expect(Math.abs(v - b.out[i]!), `${label} [${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b.out[i]!))));
        } else {
          expect(a.out, label).toEqual(b.out);
        }
        fused++;
      }
    }
    expect(fused).toBe(96);
  });

  it.each([
    ['channel padding', { channelPad: true }],
    ['a second reader', { secondReader: true }],
    ['SAME padding', { convPadding: Padding.SAME }],
    ['a 1x1 filter', { kh: 1, kw: 1 }],
  ] as [string, Partial<PadConvCase>][])('is not folded with %s', (_, extra) => {
    const c: PadConvCase = {
      kind: 'float32', depthwise: false, pad: [1, 1, 1, 1], h: 6, w: 7, cin: 3, cout: 4, kh: 3, kw: 3, stride: 1, dilation: 1,
      act: Act.NONE, ...extra,
    };
    const m = padConvModel(c, 7);
    const it = Interpreter.create(m.bytes, { backend: 'js' });
    (it.input(0).data as Float32Array).set(m.input);
    it.invoke();
    expect(it.invokeProfiled().map((n) => n.op)).toContain('PAD');
  });

  it('keepTensors keeps the PAD (its output stays readable)', () => {
    const c: PadConvCase = {
      kind: 'float32', depthwise: true, pad: [1, 1, 1, 1], h: 6, w: 7, cin: 3, cout: 3, kh: 3, kw: 3, stride: 1, dilation: 1, act: Act.NONE,
    };
    const m = padConvModel(c, 8);
    const it = Interpreter.create(m.bytes, { backend: 'js', keepTensors: ['padded'] });
    (it.input(0).data as Float32Array).set(m.input);
    it.invoke();
    expect(it.tensor('padded').shape).toEqual([1, 8, 9, 3]);
    expect((it.tensor('padded').data as Float32Array)[0]).toBe(0);
    expect(it.invokeProfiled().map((n) => n.op)).toContain('PAD');
  });
});

describe('a float32 RELU / RELU6 / RELU_N1_TO_1 folded into the producer that alone feeds it', () => {
  const F32 = TensorType.FLOAT32;

  /** x (and for ADD/MUL a second input) -> producer -> activation -> y; `pin` also outputs the intermediate. */
  function model(producer: string, act: BuiltinOperator, pin: boolean, producerAct = Act.NONE): { bytes: Uint8Array; inputs: Float32Array[] } {
    const r = rng(producer.length * 31 + act);
    const b = new ModelBuilder();
    const x = b.input('x', F32, [1, 6, 7, 8]);
    const inputs = [randArray(r, 6 * 7 * 8)];
    const mid = b.tensor('mid', F32, []);
    const conv = { padding: Padding.SAME, strideW: 1, strideH: 1, fusedActivationFunction: producerAct, dilationWFactor: 1, dilationHFactor: 1 };
    if (producer === 'CONV_2D') {
      b.op(BuiltinOperator.CONV_2D, [x, b.constant('f', F32, [5, 3, 3, 8], randArray(r, 360)), b.constant('b', F32, [5], randArray(r, 5))], [mid], { kind: 'Conv2DOptions', ...conv });
    } else if (producer === 'DEPTHWISE_CONV_2D') {
      b.op(BuiltinOperator.DEPTHWISE_CONV_2D, [x, b.constant('f', F32, [1, 3, 3, 8], randArray(r, 72)), b.constant('b', F32, [8], randArray(r, 8))], [mid],
        { kind: 'DepthwiseConv2DOptions', ...conv, depthMultiplier: 1 }, 2);
    } else if (producer === 'FULLY_CONNECTED') {
      b.op(BuiltinOperator.FULLY_CONNECTED, [x, b.constant('w', F32, [9, 8], randArray(r, 72)), -1], [mid], {
        kind: 'FullyConnectedOptions', fusedActivationFunction: producerAct, weightsFormat: 0, keepNumDims: true, asymmetricQuantizeInputs: false,
      });
    } else if (producer === 'ADD' || producer === 'MUL') {
      const y = b.input('y', F32, [1, 1, 7, 8]);
      inputs.push(randArray(r, 56));
      b.op(producer === 'ADD' ? BuiltinOperator.ADD : BuiltinOperator.MUL, [x, y], [mid],
        { kind: producer === 'ADD' ? 'AddOptions' : 'MulOptions', fusedActivationFunction: producerAct } as never);
    } else {
      b.op(producer === 'MAX_POOL_2D' ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D, [x], [mid], {
        kind: 'Pool2DOptions', padding: Padding.SAME, strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 2, fusedActivationFunction: producerAct,
      } as never);
    }
    const out = b.tensor('out', F32, []);
    b.op(act, [mid], [out]);
    b.output(out);
    if (pin) b.output(mid);
    return { bytes: writeModel(b.build()), inputs };
  }

  function runAll(m: { bytes: Uint8Array; inputs: Float32Array[] }, backend: 'js' | 'wasm'): { out: Float32Array; ops: string[] } {
    const it = Interpreter.create(m.bytes, { backend });
    m.inputs.forEach((v, i) => (it.input(i).data as Float32Array).set(v));
    it.invoke();
    return { out: Float32Array.from(it.output(0).data as Float32Array), ops: it.invokeProfiled().map((t) => t.op) };
  }

  const producers = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL', 'MAX_POOL_2D', 'AVERAGE_POOL_2D'];
  const acts = [BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.RELU_N1_TO_1];
  it.each(producers)('%s: the same values as running the activation, on both backends', (producer) => {
    for (const act of acts) {
      for (const backend of ['js', 'wasm'] as const) {
        const fused = runAll(model(producer, act, false), backend), kept = runAll(model(producer, act, true), backend);
        expect(fused.ops, `${backend} ${act}`).toEqual([producer]);
        expect(kept.ops, `${backend} ${act}`).toHaveLength(2);
        expect(fused.out.length).toBe(kept.out.length);
        // Equal as numbers (a clamp may give -0 where the separate activation gives 0).
        fused.out.forEach((v, i) => expect(v === kept.out[i], `${backend} ${producer} -> ${act} [${i}]: ${v} vs ${kept.out[i]}`).toBe(true));
      }
    }
  });

  it('is not folded when the producer already clamps', () => {
    expect(runAll(model('CONV_2D', BuiltinOperator.RELU, false, Act.RELU6), 'js').ops).toEqual(['CONV_2D', 'RELU']);
  });
});
