/**
 * Exact facts of every real model, as TFLite itself reports them (facts.ts), plus a cross-check of every tensor
 * against a second, independent reader built on the official `flatbuffers` runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ByteBuffer } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType, builtinName } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import type { Model } from '../../schema/types.js';
import { MODELS, available } from '../helpers/models.js';
import { FACTS, PATHS, type Facts } from './facts.js';

export function histogram(m: Model): Record<string, number> {
  const h: Record<string, number> = {};
  for (const sg of m.subgraphs) {
    for (const op of sg.operators) {
      const c = m.operatorCodes[op.opcodeIndex]!;
      const name = c.builtinCode === BuiltinOperator.CUSTOM ? c.customCode! : builtinName(c.builtinCode);
      h[name] = (h[name] ?? 0) + 1;
    }
  }
  return h;
}

/**
 * A second reader of the tensor table, written against the official `flatbuffers` runtime (its __offset /
 * __vector / __string logic), to cross-check every tensor the bounds-checked reader returns.
 */
function officialTensors(bytes: Uint8Array): { name: string; type: number; shape: number[]; buffer: number; scales: number }[] {
  const bb = new ByteBuffer(bytes);
  const root = bb.readInt32(0);
  const field = (table: number, id: number): number => bb.__offset(table, 4 + 2 * id);
  const sgVec = root + field(root, 2);
  const sg = bb.__indirect(bb.__vector(sgVec));
  const tVec = sg + field(sg, 0);
  const out = [];
  for (let i = 0; i < bb.__vector_len(tVec); i++) {
    const t = bb.__indirect(bb.__vector(tVec) + 4 * i);
    const shapeOff = field(t, 0);
    const shape: number[] = [];
    if (shapeOff) for (let k = 0; k < bb.__vector_len(t + shapeOff); k++) shape.push(bb.readInt32(bb.__vector(t + shapeOff) + 4 * k));
    const qOff = field(t, 4);
    let scales = 0;
    if (qOff) {
      const q = bb.__indirect(t + qOff);
      const sOff = field(q, 2);
      scales = sOff ? bb.__vector_len(q + sOff) : 0;
    }
    out.push({
      name: bb.__string(t + field(t, 3)) as string,
      type: field(t, 1) ? bb.readInt8(t + field(t, 1)) : 0,
      shape,
      buffer: field(t, 2) ? bb.readUint32(t + field(t, 2)) : 0,
      scales,
    });
  }
  return out;
}

/**
 * Describe callbacks run at collection even when the suite is skipped: read the file only when it exists, and
 * give skipped suites an empty model to collect against.
 */
function bytesIf(present: boolean, file: string): Uint8Array {
  return present ? new Uint8Array(fs.readFileSync(file)) : new Uint8Array(0);
}

const EMPTY_MODEL: Model = {
  version: 3, description: '', operatorCodes: [], buffers: [], metadata: [], signatureDefs: [],
  subgraphs: [{ name: '', tensors: [], inputs: [], outputs: [], operators: [] }],
};

for (const [key, facts] of Object.entries(FACTS) as [keyof typeof FACTS, Facts][]) {
  const file = PATHS[key];
  const present = available(`model facts of ${key}`, [file]);
  describe.skipIf(!present)(`readModel: ${path.basename(file)}`, () => {
    const bytes = bytesIf(present, file);
    const m = present ? readModel(bytes) : EMPTY_MODEL;
    const sg = m.subgraphs[0]!;

    it('has the size, inputs and outputs TFLite reports', () => {
      expect(bytes.length).toBe(facts.bytes);
      expect(m.version).toBe(3);
      expect(m.subgraphs).toHaveLength(1);
      for (const [list, expected] of [[sg.inputs, facts.inputs], [sg.outputs, facts.outputs]] as const) {
        expect(list).toEqual(expected.map((f) => f.index));
        expected.forEach((f, k) => {
          const t = sg.tensors[list[k]!]!;
          expect(t.name).toBe(f.name);
          expect(t.type).toBe(f.type);
          expect(t.shape).toEqual(f.shape);
          expect(t.shapeSignature).toEqual(f.signature ?? null);
          if (f.scale === undefined) expect(t.quantization).toBeNull();
          else {
            expect(t.quantization!.scale).toEqual([Math.fround(f.scale)]);
            expect(t.quantization!.zeroPoint).toEqual([f.zeroPoint]);
          }
        });
      }
      if (facts.tensors !== undefined) expect(sg.tensors).toHaveLength(facts.tensors);
    });

    it('has the operator histogram TFLite reports', () => {
      expect(histogram(m)).toEqual(facts.ops);
      for (const [name, v] of Object.entries(facts.versions ?? {})) {
        const versions = m.operatorCodes.filter((c) => builtinName(c.builtinCode) === name).map((c) => c.version);
        expect(new Set(versions)).toEqual(new Set([v]));
      }
      expect(m.metadata.map((e) => e.name)).toEqual(facts.metadata);
    });

    it('agrees tensor by tensor with a reader built on the official flatbuffers runtime', () => {
      const ref = officialTensors(bytes);
      expect(sg.tensors).toHaveLength(ref.length);
      sg.tensors.forEach((t, i) => {
        const r = ref[i]!;
        expect([t.name, t.type, t.shape, t.buffer]).toEqual([r.name, r.type, r.shape, r.buffer]);
        expect(t.quantization?.scale.length ?? 0).toBe(r.scales);
      });
    });

    it('returns buffer data as views into the model bytes', () => {
      const withData = m.buffers.filter((b) => b.data !== null);
      expect(withData.length).toBeGreaterThan(0);
      for (const b of withData) expect(b.data!.buffer).toBe(bytes.buffer);
      // every constant tensor's buffer covers shape x element size (checked by the reader; spot-check one)
      const conv = sg.tensors.find((t) => m.buffers[t.buffer]!.data && t.type === TensorType.FLOAT32 && !t.sparsity);
      if (conv) expect(m.buffers[conv.buffer]!.data!.length).toBeGreaterThanOrEqual(4 * conv.shape.reduce((a, b) => a * b, 1));
    });
  });
}

const perAxisPresent = available('per-axis quantization facts', [MODELS.mobilenetV2Int8]);
describe.skipIf(!perAxisPresent)('per-axis quantization (mobilenet_v2_quantized_1x3x224x224)', () => {
  const m = perAxisPresent ? readModel(bytesIf(true, MODELS.mobilenetV2Int8)) : EMPTY_MODEL;
  const sg = m.subgraphs[0]!;
  const convs = sg.operators.filter((o) => m.operatorCodes[o.opcodeIndex]!.builtinCode === BuiltinOperator.CONV_2D);

  it('gives the first convolution per-output-channel int8 weights and int32 bias', () => {
    const first = convs[0]!;
    expect(first.builtinOptions).toEqual({
      kind: 'Conv2DOptions', padding: 1, strideW: 2, strideH: 2, fusedActivationFunction: 3, dilationWFactor: 1, dilationHFactor: 1,
    });
    const w = sg.tensors[first.inputs[1]!]!;
    expect([w.name, w.type, w.shape]).toEqual(['fuse_attr_41', TensorType.INT8, [32, 3, 3, 3]]);
    expect(w.quantization!.scale).toHaveLength(32);
    expect(w.quantization!.scale[0]).toBe(Math.fround(0.000042315379687352106));
    expect(w.quantization!.quantizedDimension).toBe(0);
    expect(m.buffers[w.buffer]!.data!.length).toBe(864);
    const bias = sg.tensors[first.inputs[2]!]!;
    expect([bias.type, bias.shape, bias.quantization!.scale.length]).toEqual([TensorType.INT32, [32], 32]);
  });

  it('quantizes every convolution filter per axis 0 with zero points 0', () => {
    expect(convs).toHaveLength(35);
    for (const c of convs) {
      const w = sg.tensors[c.inputs[1]!]!;
      expect(w.quantization!.scale).toHaveLength(w.shape[0]!);
      expect(w.quantization!.zeroPoint.every((z) => z === 0)).toBe(true);
      expect(w.quantization!.scale.every((s) => s > 0)).toBe(true);
    }
  });
});

describe.skipIf(!available('sparse model facts', [MODELS.faceFullSparse]))('sparse tensors (face_detection_full_range_sparse)', () => {
  const m = readModel(new Uint8Array(fs.readFileSync(MODELS.faceFullSparse)));
  const sg = m.subgraphs[0]!;

  it('parses the sparsity of each DENSIFY input', () => {
    const densify = sg.operators.filter((o) => m.operatorCodes[o.opcodeIndex]!.builtinCode === BuiltinOperator.DENSIFY);
    expect(densify).toHaveLength(46);
    expect(sg.tensors.filter((t) => t.sparsity)).toHaveLength(46);
    for (const d of densify) expect(sg.tensors[d.inputs[0]!]!.sparsity).not.toBeNull();
    const t = sg.tensors[14]!;
    expect([t.name, t.type, t.shape]).toEqual(['model_1/model/conv2d_1/Conv2D_dequantize', TensorType.FLOAT16, [8, 1, 1, 32]]);
    expect(t.sparsity!.traversalOrder).toEqual([0, 1, 2, 3]);
    expect(t.sparsity!.dimMetadata.map((d) => d.format)).toEqual([0, 0, 0, 1]);
    expect(t.sparsity!.dimMetadata[0]!.denseSize).toBe(8);
    const csr = t.sparsity!.dimMetadata[3]!;
    // CSR segments: one more entry than the 8 rows of the dense prefix, non-decreasing, ending at the index count
    expect(csr.arraySegments).toHaveLength(9);
    expect(csr.arraySegments!.at(-1)).toBe(csr.arrayIndices!.length);
    expect(m.buffers[t.buffer]!.data!.length).toBe(2 * csr.arrayIndices!.length);
  });
});

describe.skipIf(!available('custom op facts', [MODELS.selfie]))('custom ops (selfie_segmentation)', () => {
  it('reads Convolution2DTransposeBias at node 244 (where TFLite reports the unresolved custom op) with its options', () => {
    const m = readModel(new Uint8Array(fs.readFileSync(MODELS.selfie)));
    const node = m.subgraphs[0]!.operators[244]!;
    const code = m.operatorCodes[node.opcodeIndex]!;
    expect([code.builtinCode, code.customCode, code.version]).toEqual([BuiltinOperator.CUSTOM, 'Convolution2DTransposeBias', 1]);
    expect(node.builtinOptions).toBeNull();
    expect(node.customOptions).toHaveLength(12);
    expect(node.inputs).toEqual([245, 253, 281]);
  });
});
