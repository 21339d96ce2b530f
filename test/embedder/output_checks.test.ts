/**
 * Two checks on what the embedder returns (findings of the ecosystem issue):
 * - an embedding with NaN or Infinity is an EmbedderError naming the head and the count (it printed
 *   `Cosine similarity: NaN` with exit 0 and wrote nulls into the JSON); `allowNonFinite` returns the raw numbers;
 * - a head made by SOFTMAX/LOGISTIC warns once and names the classifier's pooled features; `outputTensors: ['auto']`
 *   takes them (it silently embedded the softmax probabilities).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../schema/enums.js';
import { EmbedderError } from '../../schema/errors.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { main } from '../../src/cli/main.js';
import { MODELS, IMAGES, available, repoRoot } from '../helpers/models.js';

const frame = { data: Uint8Array.from({ length: 12 }, (_, i) => i * 20), width: 2, height: 2, format: 'RGB' as const };
const normalization = { mean: 0, std: 255 };

/** pixels → RESHAPE [1,12] → ADD constant → output: the constant puts NaN / Infinity into chosen places. */
function addModel(constant: number[]): Uint8Array {
  const b = new ModelBuilder();
  const x = b.input('pixels', TensorType.FLOAT32, [1, 2, 2, 3]);
  const shape = b.constant('shape', TensorType.INT32, [2], [1, 12]);
  const flat = b.tensor('flat', TensorType.FLOAT32, [1, 12]);
  b.op(Op.RESHAPE, [x, shape], [flat], { kind: 'ReshapeOptions', newShape: [1, 12] });
  const c = b.constant('weights', TensorType.FLOAT32, [1, 12], constant);
  const y = b.tensor('features', TensorType.FLOAT32, [1, 12]);
  b.op(Op.ADD, [flat, c], [y], { kind: 'AddOptions', fusedActivationFunction: Act.NONE, potScaleInt16: false });
  b.output(y);
  return writeModel(b.build());
}

/** pixels → AVERAGE_POOL_2D 'pooled' [1,1,1,3] → RESHAPE [1,3] → FULLY_CONNECTED [1,4] → SOFTMAX/LOGISTIC. */
function classifierModel(activation: Op.SOFTMAX | Op.LOGISTIC): Uint8Array {
  const b = new ModelBuilder();
  const x = b.input('pixels', TensorType.FLOAT32, [1, 2, 2, 3]);
  const pooled = b.tensor('pooled', TensorType.FLOAT32, [1, 1, 1, 3]);
  b.op(Op.AVERAGE_POOL_2D, [x], [pooled], { kind: 'Pool2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 2, fusedActivationFunction: Act.NONE });
  const shape = b.constant('shape', TensorType.INT32, [2], [1, 3]);
  const flat = b.tensor('flat', TensorType.FLOAT32, [1, 3]);
  b.op(Op.RESHAPE, [pooled, shape], [flat], { kind: 'ReshapeOptions', newShape: [1, 3] });
  const w = b.constant('fc_weights', TensorType.FLOAT32, [4, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  const logits = b.tensor('logits', TensorType.FLOAT32, [1, 4]);
  b.op(Op.FULLY_CONNECTED, [flat, w, -1], [logits], { kind: 'FullyConnectedOptions', fusedActivationFunction: Act.NONE, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false });
  const probs = b.tensor('probability', TensorType.FLOAT32, [1, 4]);
  b.op(activation, [logits], [probs], activation === Op.SOFTMAX ? { kind: 'SoftmaxOptions', beta: 1 } : null);
  b.output(probs);
  return writeModel(b.build());
}

describe('non-finite embeddings', () => {
  it('NaN and Infinity are an EmbedderError naming the head and the counts', () => {
    const e = ImageEmbedder.createFromModelBuffer(addModel([NaN, NaN, Infinity, 0, 0, 0, 0, 0, 0, 0, 0, -Infinity]), { normalization });
    expect(() => e.embed(frame)).toThrow(EmbedderError);
    expect(() => e.embed(frame)).toThrow("head 0 'features': 2 NaN and 2 infinite value(s) of 12 in the embedding; the model's weights or arithmetic produce them for this image (option allowNonFinite returns them as they are).");
    expect(() => ImageEmbedder.createFromModelBuffer(addModel(Array(12).fill(0).map((v, i) => (i === 5 ? NaN : v))), { normalization, l2Normalize: true }).embed(frame))
      .toThrow(/1 NaN value\(s\) of 12/);
  });

  it('allowNonFinite returns the raw numbers', () => {
    const e = ImageEmbedder.createFromModelBuffer(addModel([NaN, Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), { normalization, allowNonFinite: true });
    const v = e.embed(frame).embeddings[0]!.floatEmbedding!;
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v[1]).toBe(Infinity);
    expect(v[2]).toBeCloseTo(40 / 255, 6);
  });

  it('the CLI fails the image with that message instead of printing NaN with exit 0', async () => {
    const model = path.join(fs.mkdtempSync(path.join(repoRoot, 'node_modules/.nan-')), 'nan.tflite');
    fs.writeFileSync(model, addModel([NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const out: string[] = [], err: string[] = [];
    const house = path.join(repoRoot, 'fixtures/demo/house.jpg');
    const code = await main(['similarity', '--model', model, '--mean', '0', '--std', '255', house, house], { out: (l) => out.push(l), err: (l) => err.push(l) });
    fs.rmSync(path.dirname(model), { recursive: true, force: true });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^embedlite: head 0 'features': 1 NaN value\(s\) of 12/)]);
  });

  it('embed fails such an image instead of writing nulls into the JSON', async () => {
    const dir = fs.mkdtempSync(path.join(repoRoot, 'node_modules/.nan-'));
    const model = path.join(dir, 'nan.tflite'), jsonl = path.join(dir, 'out.jsonl');
    fs.writeFileSync(model, addModel([0, 0, 0, Infinity, 0, 0, 0, 0, 0, 0, 0, 0]));
    const err: string[] = [];
    const house = path.join(repoRoot, 'fixtures/demo/house.jpg');
    const code = await main(['embed', '--model', model, '--mean', '0', '--std', '255', house, '--out', jsonl, '-j', '1'], { out: () => {}, err: (l) => err.push(l) });
    const written = fs.readFileSync(jsonl, 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(written).toBe('');
    expect(err).toContain('embedded 0, failed 1');
    expect(err[0]).toMatch(/house\.jpg: head 0 'features': 1 infinite value\(s\) of 12/);
  });
});

describe('classifier heads', () => {
  for (const [name, op] of [['SOFTMAX', Op.SOFTMAX], ['LOGISTIC', Op.LOGISTIC]] as const) {
    it(`a ${name} head warns once and names the pooled features; 'auto' takes them`, () => {
      const warnings: string[] = [];
      const e = ImageEmbedder.createFromModelBuffer(classifierModel(op), { normalization, onWarning: (m) => warnings.push(m) });
      e.embed(frame);
      e.embed(frame);
      expect(warnings).toEqual([
        `head 0 'probability' is made by ${name}: it holds class probabilities, not an embedding. The classifier's pooled features are tensor 'pooled': pass outputTensors: ['pooled'] or ['auto'] (CLI: --output-tensor auto).`,
      ]);
      const quiet: string[] = [];
      const auto = ImageEmbedder.createFromModelBuffer(classifierModel(op), { normalization, outputTensors: ['auto'], onWarning: (m) => quiet.push(m) });
      expect(quiet).toEqual([]);
      const head = auto.embed(frame).embeddings[0]!;
      expect(head.headName).toBe('pooled');
      expect(head.floatEmbedding!.length).toBe(3);
      [90, 110, 130].forEach((v, i) => expect(head.floatEmbedding![i]).toBeCloseTo(v / 255, 6)); // the pooled means
    });
  }

  it('without onWarning the warning goes to console.warn; an embedder model gives none, and auto keeps its outputs', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    ImageEmbedder.createFromModelBuffer(classifierModel(Op.SOFTMAX), { normalization });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toMatch(/^embedlite: head 0 'probability' is made by SOFTMAX/);
    const bytes = fs.readFileSync(path.join(repoRoot, 'fixtures/embedder.tflite'));
    const plain = ImageEmbedder.createFromModelBuffer(bytes);
    const auto = ImageEmbedder.createFromModelBuffer(bytes, { outputTensors: ['auto'] });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(auto.getEmbeddingDimension(0)).toBe(205);
    const house = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/demo/house.jpg')));
    expect(auto.embed(house).embeddings[0]).toEqual(plain.embed(house).embeddings[0]);
  });

  it.skipIf(!available('classifier head on MobileNet', [MODELS.mobilenetFloatMetadata, IMAGES.burger]))(
    'MobileNet V1 without --output-tensor warns and names its AvgPool; --output-tensor auto embeds it', async () => {
      const run = async (...extra: string[]) => {
        const out: string[] = [], err: string[] = [];
        const code = await main(['similarity', '--model', MODELS.mobilenetFloatMetadata, IMAGES.burger, IMAGES.burgerCrop, ...extra], { out: (l) => out.push(l), err: (l) => err.push(l) });
        return { code, out, err };
      };
      const plain = await run();
      expect(plain.err).toEqual([expect.stringContaining("is made by SOFTMAX: it holds class probabilities, not an embedding. The classifier's pooled features are tensor 'MobilenetV1/Logits/AvgPool_1a/AvgPool'")]);
      const auto = await run('--output-tensor', 'auto');
      expect(auto).toMatchObject({ code: 0, err: [] });
      const named = await run('--output-tensor', 'MobilenetV1/Logits/AvgPool_1a/AvgPool');
      expect(auto.out).toEqual(named.out);
    });
});
