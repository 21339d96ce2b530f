/** readModel on malformed input: every failure is a ModelError that says what and where. */
import fs from 'node:fs';
import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Model } from '../../schema/types.js';
import { ModelError } from '../../schema/errors.js';
import { MODELS, available } from '../helpers/models.js';
import { model, op, tensor } from './build.js';

function fails(bytes: Uint8Array, message: RegExp | string): void {
  let error: unknown;
  try {
    readModel(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelError);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
}

/** A small valid model: conv over a 1x4x4x3 float input with constant weights in buffer 1 and bias in 2. */
function convModel(): Model {
  return model({
    operatorCodes: [{ builtinCode: Op.CONV_2D, customCode: null, version: 1 }],
    buffers: [{ data: null }, { data: new Uint8Array(2 * 3 * 4) }, { data: new Uint8Array(2 * 4) }],
    tensors: [
      tensor('input', TensorType.FLOAT32, [1, 4, 4, 3]),
      tensor('conv1/weights', TensorType.FLOAT32, [2, 1, 1, 3], { buffer: 1 }),
      tensor('conv1/bias', TensorType.FLOAT32, [2], { buffer: 2 }),
      tensor('output', TensorType.FLOAT32, [1, 4, 4, 2]),
    ],
    inputs: [0], outputs: [3],
    operators: [op(0, [0, 1, 2], [3], {
      kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 1, strideH: 1, fusedActivationFunction: Act.NONE, dilationWFactor: 1, dilationHFactor: 1,
    })],
  });
}

function edit(f: (m: Model) => void): Uint8Array {
  const m = convModel();
  f(m);
  return writeModel(m);
}

describe('readModel refuses malformed models with ModelError', () => {
  it('accepts the unmodified base model', () => {
    expect(readModel(writeModel(convModel())).subgraphs[0]!.tensors).toHaveLength(4);
  });

  it('refuses bytes without the TFL3 identifier', () => {
    fails(new Uint8Array(0), 'model: not a TFLite model (0 bytes is too short)');
    fails(new TextEncoder().encode('{"name": "not a model"}'), 'model: not a TFLite model (file identifier "me\\":", expected "TFL3")');
    const b = writeModel(convModel());
    b[4] = 0x58;
    fails(b, /not a TFLite model/);
  });

  it('refuses schema versions other than 3', () => {
    fails(edit((m) => { m.version = 2; }), 'model: unsupported schema version 2 (only version 3 is supported)');
  });

  it('names the tensor whose buffer index is out of range', () => {
    fails(edit((m) => { m.subgraphs[0]!.tensors[1]!.buffer = 300; }), "model: tensor 1 'conv1/weights': buffer 300 out of range (model has 3 buffers)");
  });

  it('refuses a buffer smaller than its tensor', () => {
    fails(edit((m) => { m.buffers[1] = { data: new Uint8Array(20) }; }),
      "model: tensor 1 'conv1/weights': buffer 1 holds 20 bytes but shape [2,1,1,3] FLOAT32 needs 24");
  });

  it('refuses unknown tensor types', () => {
    fails(edit((m) => { m.subgraphs[0]!.tensors[3]!.type = 42 as TensorType; }), "model: tensor 3 'output': unknown tensor type 42");
  });

  it('refuses negative dimensions', () => {
    fails(edit((m) => { m.subgraphs[0]!.tensors[0]!.shape = [1, -4, 4, 3]; }), /tensor 0 'input': negative dimension in shape \[1,-4,4,3\]/);
  });

  it('refuses out-of-range opcode and tensor indices', () => {
    fails(edit((m) => { m.subgraphs[0]!.operators[0]!.opcodeIndex = 5; }), 'model: operator 0: opcode_index 5 out of range (model has 1 operator codes)');
    fails(edit((m) => { m.subgraphs[0]!.operators[0]!.inputs = [0, 9, 2]; }), 'model: operator 0 (CONV_2D) inputs: tensor index 9 out of range (subgraph 0 has 4 tensors)');
    fails(edit((m) => { m.subgraphs[0]!.operators[0]!.outputs = [-1]; }), /operator 0 \(CONV_2D\) outputs: tensor index -1 out of range/);
    fails(edit((m) => { m.subgraphs[0]!.inputs = [4]; }), /subgraph inputs: tensor index 4 out of range/);
  });

  it('refuses option tables that do not belong to the operator, and unknown option types', () => {
    fails(edit((m) => { m.subgraphs[0]!.operators[0]!.builtinOptions = { kind: 'AddOptions', fusedActivationFunction: Act.NONE, potScaleInt16: true }; }),
      'model: operator 0 (CONV_2D): builtin options are AddOptions, expected Conv2DOptions');
    fails(edit((m) => {
      m.subgraphs[0]!.operators[0]!.builtinOptions = { kind: 'Conv2DOptions', padding: 7 as Padding, strideW: 1, strideH: 1, fusedActivationFunction: Act.NONE, dilationWFactor: 1, dilationHFactor: 1 };
    }), 'model: operator 0 (CONV_2D) Conv2DOptions: padding has unknown Padding value 7');
    // set builtin_options_type to a code past the end of the union
    expect(patchOptionsType(writeModel(convModel()), 200)).toBe('model: operator 0 (CONV_2D): unknown builtin_options type 200');
  });

  it('refuses inconsistent quantization', () => {
    fails(edit((m) => { m.subgraphs[0]!.tensors[1]!.quantization = { scale: [1, 2], zeroPoint: [0], quantizedDimension: 0 }; }),
      "model: tensor 1 'conv1/weights': quantization has 2 scale(s) but 1 zero point(s)");
    fails(edit((m) => { m.subgraphs[0]!.tensors[1]!.quantization = { scale: [1, 2, 3], zeroPoint: [0, 0, 0], quantizedDimension: 0 }; }),
      "model: tensor 1 'conv1/weights': 3 per-axis scales but dimension 0 of shape [2,1,1,3] has 2");
    fails(edit((m) => { m.subgraphs[0]!.tensors[1]!.quantization = { scale: [1], zeroPoint: [0], quantizedDimension: 4 }; }),
      /quantized_dimension 4 out of range for shape \[2,1,1,3\]/);
  });

  it('refuses sparsity with unknown dimension formats', () => {
    fails(edit((m) => {
      m.subgraphs[0]!.tensors[1]!.sparsity = { traversalOrder: [0], blockMap: [], dimMetadata: [{ format: 3 as 0, denseSize: 2, arraySegments: null, arrayIndices: null }] };
    }), /tensor 1 'conv1\/weights' sparsity dim_metadata 0: unknown dimension format 3/);
  });

  it('refuses dangling signature and metadata references, and models without subgraphs', () => {
    fails(edit((m) => { m.signatureDefs = [{ signatureKey: 'serve', subgraphIndex: 1, inputs: [], outputs: [] }]; }),
      "model: signature 0 'serve': subgraph 1 out of range (model has 1 subgraphs)");
    fails(edit((m) => { m.signatureDefs = [{ signatureKey: 'serve', subgraphIndex: 0, inputs: [{ name: 'x', tensorIndex: 12 }], outputs: [] }]; }),
      "model: signature 0 'serve' inputs 'x': tensor index 12 out of range (subgraph 0 has 4 tensors)");
    fails(edit((m) => { m.metadata = [{ name: 'TFLITE_METADATA', buffer: 9 }]; }),
      "model: metadata 0 'TFLITE_METADATA': buffer 9 out of range (model has 3 buffers)");
    fails(edit((m) => { m.subgraphs = []; }), 'model: the model has no subgraphs');
  });

  it('refuses truncated files', () => {
    const bytes = writeModel(convModel());
    for (const n of [4, 8, 12, 40, bytes.length >> 1, bytes.length - 1]) fails(bytes.subarray(0, n), /model: /);
  });

  it('checks a vector length claiming 2^31 elements against the remaining bytes before allocating', () => {
    const m = convModel();
    m.subgraphs[0]!.tensors[0]!.shape = [1, 77777, 4, 3];
    m.subgraphs[0]!.tensors[3]!.shape = [1, 77777, 4, 2];
    const b = writeModel(m);
    // the shape vector [1,77777,4,3] is stored as its length 4 followed by the values
    const pattern = new Uint8Array(new Int32Array([4, 1, 77777, 4, 3]).buffer);
    const at = indexOf(b, pattern);
    expect(at).toBeGreaterThan(0);
    new DataView(b.buffer, b.byteOffset).setUint32(at, 0x80000000, true);
    fails(b, "model: tensor 0 shape: vector of 2147483648 element(s) runs past the end of the input (" + b.length + ' bytes)');
  });

  it('stops aliased offsets from expanding a small file into huge arrays', () => {
    // 3000 tensors all pointing at one 20,000-element shape vector: 60M elements from a ~130 KB file.
    const b = new Builder(1 << 18);
    b.startVector(4, 20000, 4);
    for (let i = 0; i < 20000; i++) b.addInt32(1);
    const shape = b.endVector();
    const tensors: number[] = [];
    for (let i = 0; i < 3000; i++) {
      b.startObject(8);
      b.addFieldOffset(0, shape, 0);
      tensors.push(b.endObject());
    }
    const bytes = finishModel(b, tensors);
    fails(bytes, /expands far beyond the file size/);
  });

  it('reads buffer data stored past the FlatBuffer (offset/size fields) as a view, and range-checks it', () => {
    const at = 4096;
    const make = (offset: number, size: number): Uint8Array => {
      const b = new Builder(1024);
      b.startObject(8);
      b.addFieldInt32(2, 1, 0); // buffer 1
      b.addFieldInt8(1, TensorType.INT8, 0);
      const t = b.endObject();
      return finishModel(b, [t], { offset, size }, at + 16);
    };
    const good = make(at, 16);
    good.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], at);
    const m = readModel(good);
    expect(Array.from(m.buffers[1]!.data!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(m.buffers[1]!.data!.buffer).toBe(good.buffer);
    fails(make(at, 17), /buffer 1 \(external data of 17 bytes at offset 4096\): 17 byte\(s\) at offset 4096 are out of range/);
    fails(make(2 ** 40, 4), /out of range/);
  });
});

/**
 * Finishes a raw Model table (written field by field, for layouts `writeModel` never produces): one subgraph
 * with `tensors`, the sentinel buffer and optionally a buffer whose data lives outside the FlatBuffer.
 */
function finishModel(b: Builder, tensors: number[], external?: { offset: number; size: number }, fileSize?: number): Uint8Array {
  const vec = (offs: number[]): number => {
    b.startVector(4, offs.length, 4);
    for (let i = offs.length - 1; i >= 0; i--) b.addOffset(offs[i]!);
    return b.endVector();
  };
  const tensorVec = vec(tensors);
  b.startObject(5);
  b.addFieldOffset(0, tensorVec, 0);
  const sg = b.endObject();
  const buffers: number[] = [];
  b.startObject(3);
  buffers.push(b.endObject());
  if (external) {
    b.startObject(3);
    b.addFieldInt64(1, BigInt(external.offset), 0n);
    b.addFieldInt64(2, BigInt(external.size), 0n);
    buffers.push(b.endObject());
  }
  const sgVec = vec([sg]);
  const bufVec = vec(buffers);
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(2, sgVec, 0);
  b.addFieldOffset(4, bufVec, 0);
  b.finish(b.endObject(), 'TFL3');
  const fb = b.asUint8Array();
  if (!fileSize) return fb.slice();
  expect(fb.length).toBeLessThan(4096);
  const out = new Uint8Array(fileSize);
  out.set(fb);
  return out;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Overwrites the operator's builtin_options_type byte (value 1 = Conv2DOptions) with `code`: tries each byte
 * equal to 1 and returns the ModelError message of the patch the reader rejects for its options type.
 */
function patchOptionsType(bytes: Uint8Array, code: number): string | null {
  for (let at = 8; at < bytes.length; at++) {
    if (bytes[at] !== 1) continue;
    const b = bytes.slice();
    b[at] = code;
    try {
      readModel(b);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      if (/builtin_options type/.test(e.message)) return e.message;
    }
  }
  return null;
}

describe.skipIf(!available('truncated real model', [MODELS.mobilenetQuant]))('truncated real models', () => {
  it('refuses every prefix of the flatbuffer part with ModelError', () => {
    const bytes = new Uint8Array(fs.readFileSync(MODELS.mobilenetQuant));
    for (const n of [0, 3, 7, 100, 1000, 4096, 100_000, 400_000]) fails(bytes.subarray(0, n), /model: /);
  });
});
