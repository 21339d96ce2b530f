/** TFLite Metadata reader/writer and the zip appendix of associated files. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  listAssociatedFiles, readAssociatedFile, readMetadata, readModelMetadata, type ModelMetadata,
} from '../../schema/metadata_reader.js';
import { packAssociatedFiles, withMetadata, writeMetadata } from '../../schema/metadata_writer.js';
import { TensorType } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import { ModelError } from '../../schema/errors.js';
import { MODELS, available } from '../helpers/models.js';
import { model, rng, tensor } from './build.js';

const load = (f: string) => new Uint8Array(fs.readFileSync(f));
const LICENSE = 'Apache License. Version 2.0 http://www.apache.org/licenses/LICENSE-2.0.';
const DESCRIPTION = 'Identify the most prominent object in the image from a set of 1,001 categories such as trees, animals, food, vehicles, person etc.';

describe.skipIf(!available('metadata facts', [MODELS.mobilenetFloatMetadata, MODELS.mobilenetQuant, MODELS.mobilenetQuantNoMetadata, MODELS.mobilenetFloat, MODELS.dilatedConv]))('metadata of the shared models', () => {
  it('mobilenet_v1_0.25_224_1_metadata_1: image input normalised with mean 127.5 / std 127.5, labels packed', () => {
    const bytes = load(MODELS.mobilenetFloatMetadata);
    const meta = readModelMetadata(readModel(bytes), bytes)!;
    expect([meta.name, meta.description, meta.version, meta.author, meta.license, meta.minParserVersion])
      .toEqual(['MobileNetV1 image classifier', DESCRIPTION, 'v1', 'TensorFlow', LICENSE, null]);
    expect(meta.subgraphMetadata).toHaveLength(1);
    const input = meta.subgraphMetadata[0]!.inputTensorMetadata[0]!;
    expect(input.name).toBe('image');
    expect(input.content).toEqual({ properties: { kind: 'ImageProperties', colorSpace: 'RGB', defaultSize: null }, range: null });
    expect(input.processUnits).toEqual([{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }]);
    expect(input.stats).toEqual({ min: [-1], max: [1] });
    const output = meta.subgraphMetadata[0]!.outputTensorMetadata[0]!;
    expect(output.name).toBe('probability');
    expect(output.description).toBe('Probabilities of the 1001 labels respectively.');
    expect(output.content!.properties).toEqual({ kind: 'FeatureProperties' });
    expect(output.stats).toEqual({ min: [0], max: [1] });
    expect(output.associatedFiles).toEqual([
      { name: 'labels.txt', description: 'Labels for objects that the model can recognize.', type: 'TENSOR_AXIS_LABELS', locale: null },
    ]);
    // `unzip -lv` on the file: labels.txt, Stored, 10484 bytes
    expect(meta.packedFiles.map((f) => [f.name, f.size, f.compressedSize, f.method])).toEqual([['labels.txt', 10484, 10484, 0]]);
    const labels = new TextDecoder().decode(readAssociatedFile(bytes, 'labels.txt')!).split('\n').filter((l) => l);
    expect([labels.length, labels[0], labels[1], labels[1000]]).toEqual([1001, 'background', 'tench', 'toilet tissue']);
    expect(readAssociatedFile(bytes, 'missing.txt')).toBeNull();
  });

  it('mobilenet_v1_0.25_224_quant: the quantized variant has stats [0, 255] and the same normalization', () => {
    const bytes = load(MODELS.mobilenetQuant);
    const meta = readModelMetadata(readModel(bytes), bytes)!;
    expect(meta.name).toBe('MobileNetV1 image classifier (quantized)');
    const input = meta.subgraphMetadata[0]!.inputTensorMetadata[0]!;
    expect(input.processUnits).toEqual([{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }]);
    expect(input.stats).toEqual({ min: [0], max: [255] });
    expect(listAssociatedFiles(bytes).map((f) => f.name)).toEqual(['labels.txt']);
  });

  it('..._without_subgraph_metadata has model-level metadata only', () => {
    const bytes = load(MODELS.mobilenetQuantNoMetadata);
    const meta = readModelMetadata(readModel(bytes), bytes)!;
    expect([meta.name, meta.minParserVersion, meta.subgraphMetadata]).toEqual(['MobileNetV1 image classifier (quantized)', '1.0.0', []]);
    expect(meta.packedFiles.map((f) => f.name)).toEqual(['labels.txt']);
  });

  it('mobilenet_v1_0.25_224_1_default_1 has no metadata', () => {
    const bytes = load(MODELS.mobilenetFloat);
    expect(readModelMetadata(readModel(bytes), bytes)).toBeNull();
    expect(listAssociatedFiles(bytes)).toEqual([]);
  });

  it('dilated_conv: image input with mean 0 / std 1, no packed files', () => {
    const bytes = load(MODELS.dilatedConv);
    const meta = readModelMetadata(readModel(bytes), bytes)!;
    expect([meta.name, meta.version, meta.minParserVersion]).toEqual(['Dilated Convolution Model', 'v1', '1.0.0']);
    const input = meta.subgraphMetadata[0]!.inputTensorMetadata[0]!;
    expect(input.processUnits).toEqual([{ kind: 'NormalizationOptions', mean: [0], std: [1] }]);
    expect(input.stats).toEqual({ min: [0], max: [255] });
    expect(meta.packedFiles).toEqual([]);
  });
});

describe.skipIf(!available('MediaPipe metadata facts', [MODELS.faceShort, MODELS.selfie, MODELS.handLite]))('MediaPipe models', () => {
  it('carry no TFLITE_METADATA and no zip appendix', () => {
    for (const f of [MODELS.faceShort, MODELS.faceFull, MODELS.faceFullSparse, MODELS.selfie, MODELS.handLite, MODELS.handFull]) {
      const bytes = load(f);
      expect(readModelMetadata(readModel(bytes), bytes)).toBeNull();
      expect(listAssociatedFiles(bytes)).toEqual([]);
    }
  });
});

/** Metadata using every construct the reader knows. */
function fullMetadata(): ModelMetadata {
  return {
    name: 'Embedder', description: 'A test embedder', version: '2.1', author: 'embedlite', license: 'Apache-2.0', minParserVersion: '1.2.1',
    associatedFiles: [{ name: 'README.md', description: null, type: 'DESCRIPTIONS', locale: 'en' }],
    subgraphMetadata: [{
      name: 'main', description: 'sg',
      inputTensorMetadata: [{
        name: 'image', description: 'RGB image', dimensionNames: ['batch', 'height', 'width', 'channels'],
        content: { properties: { kind: 'ImageProperties', colorSpace: 'RGB', defaultSize: { width: 224, height: 160 } }, range: null },
        processUnits: [{ kind: 'NormalizationOptions', mean: [127.5, 127.5, 127.5], std: [127.5, 64, 32] }],
        stats: { min: [-1], max: [1] }, associatedFiles: [],
      }, {
        name: 'mask', description: null, dimensionNames: [],
        content: { properties: { kind: 'ImageProperties', colorSpace: 'GRAYSCALE', defaultSize: null }, range: { min: 1, max: 2 } },
        processUnits: [], stats: null, associatedFiles: [],
      }],
      outputTensorMetadata: [{
        name: 'embedding', description: 'feature vector', dimensionNames: [],
        content: { properties: { kind: 'FeatureProperties' }, range: null },
        processUnits: [{ kind: 'ScoreCalibrationOptions', scoreTransformation: 'INVERSE_LOGISTIC', defaultScore: 0.25 }, { kind: 'ScoreThresholdingOptions', globalScoreThreshold: 0.5 }],
        stats: { min: [0], max: [1] },
        associatedFiles: [{ name: 'labels.txt', description: 'labels', type: 'TENSOR_AXIS_LABELS', locale: null }],
      }, {
        name: 'boxes', description: null, dimensionNames: [],
        content: { properties: { kind: 'BoundingBoxProperties', index: [1, 0, 3, 2], type: 'CENTER', coordinateType: 'PIXEL' }, range: { min: 2, max: 2 } },
        processUnits: [{ kind: 'BertTokenizerOptions' }], stats: null, associatedFiles: [],
      }, {
        name: 'audio', description: null, dimensionNames: [], content: { properties: { kind: 'AudioProperties' }, range: null },
        processUnits: [], stats: null, associatedFiles: [{ name: 'index.bin', description: null, type: 'SCANN_INDEX_FILE', locale: null }],
      }],
      associatedFiles: [],
      inputProcessUnits: [{ kind: 'RegexTokenizerOptions' }], outputProcessUnits: [{ kind: 'SentencePieceTokenizerOptions' }],
      inputTensorGroups: [{ name: 'g', tensorNames: ['image', 'mask'] }], outputTensorGroups: [],
    }],
  };
}

describe('writeMetadata', () => {
  it('round-trips every field the reader parses', () => {
    const meta = fullMetadata();
    const bytes = writeMetadata(meta);
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe('M001');
    expect(readMetadata(bytes)).toEqual(meta);
  });

  it('embeds metadata in a model (withMetadata) and packs associated files after it', () => {
    const m = withMetadata(model({ tensors: [tensor('x', TensorType.FLOAT32, [1, 4])], inputs: [0], outputs: [0] }), fullMetadata());
    const labels = new TextEncoder().encode('cat\ndog\n');
    const bytes = packAssociatedFiles(writeModel(m), [{ name: 'labels.txt', data: labels }, { name: 'check.txt', data: new TextEncoder().encode('123456789') }]);
    const meta = readModelMetadata(readModel(bytes), bytes)!;
    const { packedFiles, ...plain } = meta;
    expect(plain).toEqual(fullMetadata());
    expect(packedFiles.map((f) => [f.name, f.size, f.method])).toEqual([['labels.txt', 8, 0], ['check.txt', 9, 0]]);
    expect(readAssociatedFile(bytes, 'labels.txt')).toEqual(labels);
    // CRC-32 check value of "123456789" is 0xCBF43926 (central directory entry offset 16)
    const cd = bytes.length - 22 - (46 + 10) - (46 + 9);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect(dv.getUint32(cd + 46 + 10 + 16, true)).toBe(0xcbf43926);
    // replacing existing metadata keeps one TFLITE_METADATA entry
    const again = withMetadata(m, { ...fullMetadata(), name: 'Renamed' });
    expect(again.metadata.filter((e) => e.name === 'TFLITE_METADATA')).toHaveLength(1);
    expect(readModelMetadata(readModel(writeModel(again)))!.name).toBe('Renamed');
  });

  it('refuses values it cannot encode', () => {
    const meta = fullMetadata();
    (meta.associatedFiles[0] as { type: string }).type = 'NOPE';
    expect(() => writeMetadata(meta)).toThrow(ModelError);
  });
});

describe('malformed metadata and zip appendices throw ModelError', () => {
  it('refuses a buffer without the M001 identifier', () => {
    expect(() => readMetadata(new Uint8Array(16))).toThrow(/metadata: file identifier .*expected "M001"/);
    expect(() => readMetadata(new Uint8Array(3))).toThrow(/metadata: buffer of 3 bytes is too short/);
  });

  it('reads or refuses 1,500 corruptions of a metadata buffer and of a zip appendix', () => {
    const meta = writeMetadata(fullMetadata());
    const packed = packAssociatedFiles(new Uint8Array(64), [{ name: 'a.txt', data: new Uint8Array(40) }, { name: 'b.bin', data: new Uint8Array(100) }]);
    const r = rng(42);
    let errors = 0;
    for (let i = 0; i < 1500; i++) {
      const src = i % 2 === 0 ? meta : packed;
      const b = src.slice(0, r() < 0.2 ? Math.floor(r() * src.length) : src.length);
      for (let k = 1 + Math.floor(r() * 4); k > 0 && b.length > 0; k--) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      try {
        JSON.stringify(i % 2 === 0 ? readMetadata(b) : listAssociatedFiles(b));
      } catch (e) {
        if (!(e instanceof ModelError)) throw new Error(`case ${i}: ${String(e)}`);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('reports an empty TFLITE_METADATA buffer', () => {
    const m = model({ tensors: [tensor('x', TensorType.FLOAT32, [1])], inputs: [0], outputs: [0], metadata: [{ name: 'TFLITE_METADATA', buffer: 0 }] });
    expect(() => readModelMetadata(readModel(writeModel(m)))).toThrow(/TFLITE_METADATA points at empty buffer 0/);
  });
});
