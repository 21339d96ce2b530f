/**
 * Mutation corpus: thousands of seeded corruptions of real (and writer-built) models — truncations, flipped
 * bits, overwritten offsets and vtable entries, deleted chunks, random bodies behind a valid header. Each one
 * must either read (and then pass a full walk of every field against the model's own invariants, and the
 * metadata / zip readers must behave the same way) or throw ModelError. Nothing else may escape.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TensorType } from '../../schema/enums.js';
import { listAssociatedFiles, readModelMetadata } from '../../schema/metadata_reader.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Model } from '../../schema/types.js';
import { ModelError } from '../../schema/errors.js';
import { bytesPerElement } from '../../kernels/tensor.js';
import { MODELS, available } from '../helpers/models.js';
import { model, op, rng, tensor } from './build.js';

/** Checks every invariant the reader promises and touches every field; throws a plain Error on violation. */
function walk(m: Model, bytes: Uint8Array): number {
  const fail = (msg: string): never => { throw new Error(`walk: ${msg}`); };
  let touched = 0;
  if (m.version !== 3) fail('version');
  if (typeof m.description !== 'string') fail('description');
  for (const c of m.operatorCodes) {
    if (!(c.builtinCode >= 0) || !(c.version >= 1) || (c.customCode !== null && typeof c.customCode !== 'string')) fail('operator code');
  }
  for (const b of m.buffers) {
    if (b.data === null) continue;
    if (b.data.buffer !== bytes.buffer || b.data.byteOffset < bytes.byteOffset || b.data.byteOffset + b.data.length > bytes.byteOffset + bytes.length) fail('buffer view');
    touched += b.data[0]! + b.data[b.data.length - 1]!;
  }
  if (m.subgraphs.length === 0) fail('no subgraph');
  for (const sg of m.subgraphs) {
    const n = sg.tensors.length;
    for (const t of sg.tensors) {
      if (typeof t.name !== 'string' || TensorType[t.type] === undefined) fail('tensor name/type');
      if (!(t.buffer >= 0 && t.buffer < m.buffers.length)) fail('tensor buffer');
      for (const d of t.shape) if (!Number.isInteger(d) || d < 0) fail('shape');
      for (const d of t.shapeSignature ?? []) if (!Number.isInteger(d)) fail('signature');
      const q = t.quantization;
      if (q) {
        if (q.scale.length === 0 || q.scale.length !== q.zeroPoint.length) fail('quant lengths');
        if (q.scale.length > 1 && t.shape.length > 0 && q.scale.length !== t.shape[q.quantizedDimension]) fail('per-axis');
        touched += q.scale.length + (q.min?.length ?? 0) + (q.max?.length ?? 0);
      }
      if (t.sparsity) {
        if (t.sparsity.dimMetadata.length !== t.sparsity.traversalOrder.length) fail('sparsity');
        for (const d of t.sparsity.dimMetadata) touched += d.denseSize + (d.arraySegments?.length ?? 0) + (d.arrayIndices?.length ?? 0);
      }
      const data = m.buffers[t.buffer]!.data;
      const size = bytesPerElement(t.type);
      if (data && !t.sparsity && size > 0 && data.length < size * t.shape.reduce((a, b) => a * b, 1)) fail('buffer too small');
    }
    const inRange = (i: number, optional: boolean) => (optional && i === -1) || (Number.isInteger(i) && i >= 0 && i < n);
    for (const i of [...sg.inputs, ...sg.outputs]) if (!inRange(i, false)) fail('subgraph io');
    for (const o of sg.operators) {
      if (!(o.opcodeIndex < m.operatorCodes.length)) fail('opcode index');
      for (const i of o.inputs) if (!inRange(i, true)) fail('op input');
      for (const i of [...o.outputs, ...o.intermediates]) if (!inRange(i, false)) fail('op output');
      if (o.builtinOptions && typeof o.builtinOptions.kind !== 'string') fail('options');
      touched += JSON.stringify(o.builtinOptions)?.length ?? 0;
      if (o.customOptions && o.customOptions.buffer !== bytes.buffer) fail('custom options view');
    }
  }
  for (const e of m.metadata) if (!(e.buffer < m.buffers.length)) fail('metadata');
  for (const s of m.signatureDefs) {
    const sg = m.subgraphs[s.subgraphIndex] ?? fail('signature subgraph');
    for (const t of [...s.inputs, ...s.outputs]) if (!(t.tensorIndex < sg.tensors.length)) fail('signature tensor');
  }
  return touched;
}

type Outcome = 'read' | 'model-error';

/** Reads one corrupted file; returns the outcome or throws when something other than ModelError escapes. */
function attempt(bytes: Uint8Array): Outcome {
  let m: Model;
  try {
    m = readModel(bytes);
  } catch (e) {
    if (e instanceof ModelError) return 'model-error';
    throw e;
  }
  walk(m, bytes);
  for (const extra of [() => readModelMetadata(m, bytes), () => listAssociatedFiles(bytes)]) {
    try {
      JSON.stringify(extra());
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
    }
  }
  return 'read';
}

/** Byte ranges of weight data, so most mutations land in the FlatBuffer structure instead of in weights. */
function structurePositions(bytes: Uint8Array): Int32Array {
  const m = readModel(bytes);
  const inData = new Uint8Array(bytes.length);
  for (const b of m.buffers) if (b.data) inData.fill(1, b.data.byteOffset - bytes.byteOffset, b.data.byteOffset - bytes.byteOffset + b.data.length);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (!inData[i]) out.push(i);
  return Int32Array.from(out);
}

function mutate(src: Uint8Array, structure: Int32Array, r: () => number): Uint8Array {
  const int = (n: number) => Math.floor(r() * n);
  const pos = () => (r() < 0.85 && structure.length > 0 ? structure[int(structure.length)]! : int(src.length));
  const kind = int(7);
  if (kind === 0) return src.slice(0, int(src.length)); // truncation
  const b = src.slice();
  const dv = new DataView(b.buffer);
  switch (kind) {
    case 1: { // flipped bits
      const k = 1 + int(8);
      for (let i = 0; i < k; i++) b[pos()]! ^= 1 << int(8);
      return b;
    }
    case 2: { // an overwritten offset / length / index
      const at = Math.min(pos() & ~3, b.length - 4);
      const old = dv.getUint32(at, true);
      const choices = [int(2 ** 32), int(64), b.length - at + int(16) - 8, 0xffffffff, 0x7fffffff, old + 4 * (int(9) - 4), old ^ (1 << int(32))];
      dv.setUint32(at, choices[int(choices.length)]! >>> 0, true);
      return b;
    }
    case 3: { // an overwritten vtable entry or small field
      const at = Math.min(pos() & ~1, b.length - 2);
      dv.setUint16(at, [int(65536), int(32), dv.getUint16(at, true) + 2 * (int(5) - 2)][int(3)]! & 0xffff, true);
      return b;
    }
    case 4: { // a deleted chunk (shifts everything after it)
      const a = pos();
      const end = Math.min(b.length, a + 1 + int(64));
      const out = new Uint8Array(b.length - (end - a));
      out.set(b.subarray(0, a));
      out.set(b.subarray(end), a);
      return out;
    }
    case 5: { // a run of random bytes
      const a = pos();
      const len = 1 + int(32);
      for (let i = a; i < Math.min(b.length, a + len); i++) b[i] = int(256);
      return b;
    }
    default: { // a random body behind a valid root offset and identifier
      const body = new Uint8Array(8 + int(512));
      for (let i = 8; i < body.length; i++) body[i] = int(256);
      body.set(src.subarray(0, 8));
      return body;
    }
  }
}

/** A writer-built model exercising sparsity, quantization, signatures and custom options. */
function builtModel(): Uint8Array {
  const m = model({
    operatorCodes: [
      { builtinCode: 123, customCode: null, version: 1 },
      { builtinCode: 32, customCode: 'MyOp', version: 2 },
      { builtinCode: 3, customCode: null, version: 3 },
    ],
    buffers: [{ data: null }, { data: new Uint8Array(8) }, { data: new Uint8Array(2 * 3 * 4) }],
    tensors: [
      tensor('sparse', TensorType.FLOAT16, [2, 4], {
        buffer: 1,
        sparsity: {
          traversalOrder: [0, 1], blockMap: [],
          dimMetadata: [{ format: 0, denseSize: 2, arraySegments: null, arrayIndices: null }, { format: 1, denseSize: 0, arraySegments: [0, 2, 4], arrayIndices: [0, 3, 1, 2] }],
        },
      }),
      tensor('dense', TensorType.FLOAT16, [2, 4], { shapeSignature: [-1, 4] }),
      tensor('w', TensorType.INT8, [2, 1, 1, 12], { buffer: 2, quantization: { scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 0, min: [-1, -2], max: [1, 2] } }),
      tensor('x', TensorType.INT8, [1, 2, 2, 12], { quantization: { scale: [0.1], zeroPoint: [-3], quantizedDimension: 0 } }),
      tensor('y', TensorType.INT8, [1, 2, 2, 2], { quantization: { scale: [0.2], zeroPoint: [4], quantizedDimension: 0 } }),
    ],
    inputs: [3], outputs: [4, 1],
    operators: [
      op(0, [0], [1]),
      { ...op(1, [1], [1]), customOptions: new Uint8Array([1, 2, 3, 4]) },
      op(2, [3, 2, -1], [4], { kind: 'Conv2DOptions', padding: 1, strideW: 1, strideH: 1, fusedActivationFunction: 1, dilationWFactor: 1, dilationHFactor: 1 }),
    ],
    metadata: [{ name: 'min_runtime_version', buffer: 1 }],
    signatureDefs: [{ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'x', tensorIndex: 3 }], outputs: [{ name: 'y', tensorIndex: 4 }] }],
  });
  return writeModel(m);
}

const CORPUS: { name: string; file?: string; count: number }[] = [
  { name: 'writer-built sparse/quantized model', count: 500 },
  { name: 'dilated_conv', file: MODELS.dilatedConv, count: 500 },
  { name: 'face_detection_short_range', file: MODELS.faceShort, count: 300 },
  { name: 'face_detection_full_range_sparse', file: MODELS.faceFullSparse, count: 150 },
  { name: 'selfie_segmentation', file: MODELS.selfie, count: 250 },
  { name: 'mobilenet_v1_0.25_224_quant (metadata + zip)', file: MODELS.mobilenetQuant, count: 250 },
  { name: 'mobilenet_v1_0.25_224_1_metadata_1', file: MODELS.mobilenetFloatMetadata, count: 60 },
  { name: 'hand_landmark_full', file: MODELS.handFull, count: 40 },
];

describe('mutation corpus', () => {
  const usable = CORPUS.filter((c) => !c.file || available(`mutation corpus on ${c.name}`, [c.file]));

  it(`every corruption reads cleanly or throws ModelError (${usable.reduce((s, c) => s + c.count, 0)} cases)`, () => {
    const start = performance.now();
    const tally: Record<Outcome, number> = { read: 0, 'model-error': 0 };
    let total = 0;
    usable.forEach((c, k) => {
      const src = c.file ? new Uint8Array(fs.readFileSync(c.file)) : builtModel();
      const structure = structurePositions(src);
      const r = rng(0x5eed + 7919 * k);
      for (let i = 0; i < c.count; i++) {
        const bytes = mutate(src, structure, r);
        let outcome: Outcome;
        try {
          outcome = attempt(bytes);
        } catch (e) {
          throw new Error(`${c.name} case ${i}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        }
        tally[outcome]++;
        total++;
      }
    });
    const ms = performance.now() - start;
    console.log(`mutation corpus: ${total} cases in ${ms.toFixed(0)} ms: ${tally.read} read cleanly, ${tally['model-error']} ModelError`);
    if (!CORPUS.every((c) => usable.includes(c))) return; // shared models absent: fewer cases, skip the count check
    expect(total).toBeGreaterThanOrEqual(2000);
    // Both outcomes occur: the corpus really corrupts structure, and the reader tolerates harmless changes.
    expect(tally['model-error']).toBeGreaterThan(total / 4);
    expect(tally.read).toBeGreaterThan(50);
  });
});

