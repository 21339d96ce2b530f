import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import { withMetadata } from '../../schema/metadata_writer.js';
import type { ModelMetadata } from '../../schema/metadata_reader.js';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { EmbedderError } from '../../schema/errors.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const defaultModel = new Uint8Array(readFileSync(`${repo}fixtures/embedder.tflite`));
const demo = (name: string) => new Uint8Array(readFileSync(`${repo}fixtures/demo/${name}`));

/** input → RESHAPE → output: the embedding is the (dequantized) input tensor itself. */
function reshapeModel(p: {
  inType?: TensorType; inShape?: number[]; outType?: TensorType; outShape?: number[];
  inQuant?: { scale: number; zeroPoint: number }; outQuant?: { scale: number; zeroPoint: number };
  normalization?: { mean: number[]; std: number[] }; inputs?: number;
}): Uint8Array {
  const inShape = p.inShape ?? [1, 2, 2, 3];
  const b = new ModelBuilder();
  const q = (x?: { scale: number; zeroPoint: number }) => (x ? { scale: [x.scale], zeroPoint: [x.zeroPoint], quantizedDimension: 0 } : null);
  const x = b.input('pixels', p.inType ?? TensorType.FLOAT32, inShape, { quantization: q(p.inQuant ?? p.outQuant) });
  for (let i = 1; i < (p.inputs ?? 1); i++) b.input(`extra${i}`, TensorType.FLOAT32, [1]);
  const outShape = p.outShape ?? [1, inShape.reduce((a, c) => a * c, 1)];
  const shape = b.constant('shape', TensorType.INT32, [outShape.length], outShape);
  const y = b.tensor('features', p.outType ?? p.inType ?? TensorType.FLOAT32, outShape, { quantization: q(p.outQuant ?? p.inQuant) });
  b.op(BuiltinOperator.RESHAPE, [x, shape], [y], { kind: 'ReshapeOptions', newShape: outShape });
  b.output(y);
  const model = b.build();
  if (!p.normalization) return writeModel(model);
  const meta: ModelMetadata = {
    name: 'test', description: null, version: null, author: null, license: null, minParserVersion: null, associatedFiles: [],
    subgraphMetadata: [{
      name: null, description: null, associatedFiles: [], inputProcessUnits: [], outputProcessUnits: [],
      inputTensorGroups: [], outputTensorGroups: [],
      inputTensorMetadata: [{
        name: 'image', description: null, dimensionNames: [], content: null, stats: null, associatedFiles: [],
        processUnits: [{ kind: 'NormalizationOptions', mean: p.normalization.mean, std: p.normalization.std }],
      }],
      outputTensorMetadata: [{ name: 'my_head', description: null, dimensionNames: [], content: null, stats: null, associatedFiles: [], processUnits: [] }],
    }],
  };
  return writeModel(withMetadata(model, meta));
}

/** A 2x2 RGB frame with known pixels. */
const frame2x2 = { data: Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]), width: 2, height: 2, format: 'RGB' as const };

describe('ImageEmbedder create-time rules', () => {
  const refuse = (bytes: Uint8Array, message: string | RegExp) => {
    expect(() => ImageEmbedder.createFromModelBuffer(bytes)).toThrow(EmbedderError);
    expect(() => ImageEmbedder.createFromModelBuffer(bytes)).toThrow(message);
  };

  it('one input', () => refuse(reshapeModel({ inputs: 2, normalization: { mean: [0], std: [1] } }), 'Image embedding models must have exactly 1 input tensor, found 2.'));
  it('input of rank 4', () => refuse(reshapeModel({ inShape: [1, 4, 3], normalization: { mean: [0], std: [1] } }),
    "Expected input tensor 'pixels' to have 4 dimensions [1, height, width, channels], found [1, 4, 3]."));
  it('batch 1', () => refuse(reshapeModel({ inShape: [2, 2, 2, 3], outShape: [2, 12], normalization: { mean: [0], std: [1] } }),
    "Expected batch size of 1 for input tensor 'pixels', found [2, 2, 2, 3]."));
  it('3 or 1 channels (NCHW named)', () => refuse(reshapeModel({ inShape: [1, 3, 4, 4], normalization: { mean: [0], std: [1] } }),
    /3 \(RGB\) or 1 \(greyscale\) channels .* found \[1, 3, 4, 4\] \(an NCHW layout is not supported\)/));
  it('uint8, int8 or float32 input', () => refuse(reshapeModel({ inType: TensorType.INT32 }),
    "Expected input tensor 'pixels' to have type kTfLiteUInt8, kTfLiteInt8 or kTfLiteFloat32, found INT32."));
  it('float32 input needs NormalizationOptions or caller mean/std', () => {
    refuse(reshapeModel({}), /requires specifying NormalizationOptions metadata.*pass `normalization: \{mean, std\}`/);
    expect(() => ImageEmbedder.createFromModelBuffer(reshapeModel({}), { normalization: { mean: 0, std: 255 } })).not.toThrow();
  });
  it('outputs [1,N] or [1,1,1,N]', () => {
    refuse(reshapeModel({ outShape: [1, 4, 3], normalization: { mean: [0], std: [1] } }),
      "Expected output tensor 0 'features' to have shape [1, N] or [1, 1, 1, N], found [1, 4, 3].");
    expect(() => ImageEmbedder.createFromModelBuffer(reshapeModel({ outShape: [1, 1, 1, 12], normalization: { mean: [0], std: [1] } }))).not.toThrow();
  });
  it('output types uint8, int8 or float32', () => {
    const b = new ModelBuilder();
    const x = b.input('pixels', TensorType.UINT8, [1, 2, 2, 3]);
    const y = b.tensor('ints', TensorType.INT32, [1, 2, 2, 3]);
    b.op(BuiltinOperator.CAST, [x], [y], { kind: 'CastOptions', inDataType: TensorType.UINT8, outDataType: TensorType.INT32 });
    const shape = b.constant('shape', TensorType.INT32, [2], [1, 12]);
    const z = b.tensor('flat', TensorType.INT32, [1, 12]);
    b.op(BuiltinOperator.RESHAPE, [y, shape], [z], { kind: 'ReshapeOptions', newShape: [1, 12] });
    b.output(z);
    refuse(writeModel(b.build()), "Expected output tensor 0 'flat' to have type kTfLiteFloat32, kTfLiteUInt8 or kTfLiteInt8, found INT32.");
  });
  it('an unknown outputTensors name', () => {
    expect(() => ImageEmbedder.createFromModelBuffer(reshapeModel({ normalization: { mean: [0], std: [1] } }), { outputTensors: ['nope'] }))
      .toThrow("outputTensors[0]: no tensor named 'nope'");
  });
});

describe('ImageEmbedder on writer-built models', () => {
  it('float32 input: (x - mean) / std from metadata, head name from output metadata', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ normalization: { mean: [10], std: [2] } }));
    const [emb] = e.embed(frame2x2).embeddings;
    expect(emb!.headName).toBe('my_head');
    expect(Array.from(emb!.floatEmbedding!)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(e.getEmbeddingDimension(0)).toBe(12);
    expect(e.getNumberOfOutputLayers()).toBe(1);
  });

  it('caller normalization overrides metadata, per channel', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({}), { normalization: { mean: [10, 20, 30], std: [1, 2, 5] } });
    expect(Array.from(e.embed(frame2x2).embeddings[0]!.floatEmbedding!)).toEqual([0, 0, 0, 30, 15, 6, 60, 30, 12, 90, 45, 18]);
  });

  it('uint8 model: raw pixels in, output dequantized with scale and zero point', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ inType: TensorType.UINT8, outQuant: { scale: 0.5, zeroPoint: 10 } }));
    const [emb] = e.embed(frame2x2).embeddings;
    expect(emb!.headName).toBe('features');
    expect(Array.from(emb!.floatEmbedding!)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  });

  it('int8 model without normalization: pixels shifted by -128, dequantized on the way out', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ inType: TensorType.INT8, outQuant: { scale: 1, zeroPoint: -128 } }));
    expect(Array.from(e.embed(frame2x2).embeddings[0]!.floatEmbedding!)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('greyscale model gets one luminance channel', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ inShape: [1, 2, 2, 1], normalization: { mean: [0], std: [1] } }));
    const grey = { data: Uint8Array.from([0, 0, 0, 255, 255, 255, 100, 100, 100, 7, 7, 7]), width: 2, height: 2, format: 'RGB' as const };
    expect(Array.from(e.embed(grey).embeddings[0]!.floatEmbedding!)).toEqual([0, 255, 100, 7]);
  });

  it('accepts ImageData-like RGBA objects', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ normalization: { mean: [0], std: [1] } }));
    const rgba = { data: new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 255, 100, 110, 120, 255]), width: 2, height: 2 };
    expect(Array.from(e.embed(rgba).embeddings[0]!.floatEmbedding!)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('rotationDegrees turns the picture, regionOfInterest crops it (pixels and normalized)', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ inShape: [1, 1, 1, 3], normalization: { mean: [0], std: [1] } }));
    const px = e.embed(frame2x2, { regionOfInterest: { x: 1, y: 1, width: 1, height: 1 } }).embeddings[0]!.floatEmbedding!;
    expect(Array.from(px)).toEqual([100, 110, 120]);
    const norm = e.embed(frame2x2, { regionOfInterest: { left: 0.5, top: 0, right: 1, bottom: 0.5 } }).embeddings[0]!.floatEmbedding!;
    expect(Array.from(norm)).toEqual([40, 50, 60]);
    const e2 = ImageEmbedder.createFromModelBuffer(reshapeModel({ normalization: { mean: [0], std: [1] } }));
    const rotated = e2.embed(frame2x2, { rotationDegrees: 180 }).embeddings[0]!.floatEmbedding!;
    expect(Array.from(rotated)).toEqual([100, 110, 120, 70, 80, 90, 40, 50, 60, 10, 20, 30]);
    expect(() => e2.embed(frame2x2, { rotationDegrees: 45 })).toThrow('rotationDegrees must be a multiple of 90, got 45');
  });

  it('outputTensors makes an intermediate tensor a head', () => {
    const e = ImageEmbedder.createFromModelBuffer(reshapeModel({ normalization: { mean: [0], std: [1] } }), { outputTensors: ['pixels'] });
    const [emb] = e.embed(frame2x2).embeddings;
    expect(emb!.headName).toBe('pixels');
    expect(emb!.floatEmbedding!.length).toBe(12);
  });
});

describe('ImageEmbedder with the default model (fixtures/embedder.tflite)', () => {
  it('scores two views of one scene far above a different picture', () => {
    const e = ImageEmbedder.createFromModelBuffer(defaultModel);
    const a = e.embed(demo('house.jpg')).embeddings[0]!;
    const b = e.embed(demo('house_zoomed.jpg')).embeddings[0]!;
    const c = e.embed(demo('checkerboard.png')).embeddings[0]!;
    const same = ImageEmbedder.cosineSimilarity(a, b), other = ImageEmbedder.cosineSimilarity(a, c);
    console.log(`default model: house~house_zoomed ${same.toFixed(4)}, house~checkerboard ${other.toFixed(4)}`);
    expect(same).toBeGreaterThan(0.9);
    expect(other).toBeLessThan(0.2);
  });

  it('l2Normalize gives unit vectors; quantize gives int8 with nearly the same similarity', () => {
    const f = ImageEmbedder.createFromModelBuffer(defaultModel, { l2Normalize: true });
    const q = ImageEmbedder.createFromModelBuffer(defaultModel, { l2Normalize: true, quantize: true });
    const fa = f.embed(demo('house.jpg')).embeddings[0]!.floatEmbedding!;
    expect(Math.hypot(...fa)).toBeCloseTo(1, 5);
    const qa = q.embed(demo('house.jpg')).embeddings[0]!, qb = q.embed(demo('house_zoomed.jpg')).embeddings[0]!;
    expect(qa.quantizedEmbedding).toBeInstanceOf(Int8Array);
    expect(qa.floatEmbedding).toBeUndefined();
    const fb = f.embed(demo('house_zoomed.jpg')).embeddings[0]!.floatEmbedding!;
    expect(Math.abs(ImageEmbedder.cosineSimilarity(qa, qb) - ImageEmbedder.cosineSimilarity(fa, fb))).toBeLessThan(0.01);
  });

  it('close() stops further embedding', () => {
    const e = ImageEmbedder.createFromModelBuffer(defaultModel);
    e.close();
    expect(() => e.embed(demo('house.jpg'))).toThrow('the embedder is closed');
  });
});

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const hasShared = existsSync(`${shared}models/mobilenet_v1_0.25_224_1_metadata_1.tflite`);
if (!hasShared) console.warn('SKIPPED: MobileNet embedder acceptance tests need ../shared (models and images), absent here.');

describe.skipIf(!hasShared)('ImageEmbedder with MobileNet V1 0.25 (../shared)', () => {
  const img = (n: string) => new Uint8Array(readFileSync(`${shared}images/${n}`));
  const model = (n: string) => new Uint8Array(readFileSync(`${shared}models/${n}`));
  const POOL = 'MobilenetV1/Logits/AvgPool_1a/AvgPool';

  it('pooled features: crop > other picture; ROI higher still; rotation 180 undone; quantized ≈ float', () => {
    const e = ImageEmbedder.createFromModelBuffer(model('mobilenet_v1_0.25_224_1_metadata_1.tflite'), { outputTensors: [POOL] });
    const emb = (n: string, o = {}) => e.embed(img(n), o).embeddings[0]!;
    const burger = emb('burger.jpg'), crop = emb('burger_crop.jpg'), cats = emb('cats_and_dogs.jpg');
    const roi = emb('burger.jpg', { regionOfInterest: { x: 0, y: 0, width: 400, height: 325 } });
    const rot = emb('burger_rotation180.jpg', { rotationDegrees: 180 });
    const s = ImageEmbedder.cosineSimilarity;
    const r = { crop: s(burger, crop), cats: s(burger, cats), roi: s(roi, crop), rot: s(burger, rot) };
    console.log(`mobilenet pooled: burger~crop ${r.crop.toFixed(4)} burger~cats ${r.cats.toFixed(4)} roi~crop ${r.roi.toFixed(4)} burger~rot180 ${r.rot.toFixed(4)}`);
    expect(e.getEmbeddingDimension(0)).toBe(256);
    expect(r.crop).toBeGreaterThan(r.cats + 0.2);
    expect(r.roi).toBeGreaterThan(r.crop);
    expect(r.rot).toBeGreaterThan(0.9);
    const q = ImageEmbedder.createFromModelBuffer(model('mobilenet_v1_0.25_224_1_metadata_1.tflite'), { outputTensors: [POOL], l2Normalize: true, quantize: true });
    const qs = s(q.embed(img('burger.jpg')).embeddings[0]!, q.embed(img('burger_crop.jpg')).embeddings[0]!);
    expect(Math.abs(qs - r.crop)).toBeLessThan(0.01);
  });

  it('the uint8 quantized model embeds through the same API (dequantized output head)', () => {
    const e = ImageEmbedder.createFromModelBuffer(model('mobilenet_v1_0.25_224_quant.tflite'));
    const [emb] = e.embed(img('burger.jpg')).embeddings;
    expect(emb!.headName).toBe('probability');
    expect(emb!.floatEmbedding!.length).toBe(1001);
    // Output scale 1/256, zero point 0: every value is a multiple of 1/256 in [0, 1).
    for (const v of emb!.floatEmbedding!) expect(Number.isInteger(v * 256) && v >= 0 && v < 1).toBe(true);
    const top = emb!.floatEmbedding!.indexOf(Math.max(...emb!.floatEmbedding!));
    expect(top).toBe(934); // cheeseburger
  });
});

describe('creation from paths and options (Node entry)', () => {
  it('createFromModelPath and createFromOptions({baseOptions: {modelAssetPath}}) read the file', async () => {
    const node = await import('../../src/node.js');
    const path = `${repo}fixtures/embedder.tflite`;
    const fromPath = await node.ImageEmbedder.createFromModelPath(path, { l2Normalize: true });
    const fromOptions = await node.ImageEmbedder.createFromOptions({ baseOptions: { modelAssetPath: path }, l2Normalize: true });
    const fromBuffer = await node.ImageEmbedder.createFromOptions({ baseOptions: { modelAssetBuffer: defaultModel }, l2Normalize: true });
    const v = (e: ImageEmbedder) => Array.from(e.embed(demo('house.jpg')).embeddings[0]!.floatEmbedding!);
    expect(v(fromPath)).toEqual(v(fromBuffer));
    expect(v(fromOptions)).toEqual(v(fromBuffer));
    await expect(node.ImageEmbedder.createFromOptions({ baseOptions: {} })).rejects.toThrow('baseOptions needs modelAssetBuffer or modelAssetPath');
  });
});
