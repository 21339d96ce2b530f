/**
 * Generates fixtures/tiny_embedder_metadata.tflite with the model and metadata writers and checks the committed
 * file is byte-identical to what the writers produce now. Regenerate with `UPDATE_FIXTURES=1 npx vitest run
 * test/schema/fixtures.test.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType as Act, BuiltinOperator as Op, Padding, TensorType } from '../../schema/enums.js';
import type { ModelMetadata } from '../../schema/metadata_reader.js';
import { readModelMetadata } from '../../schema/metadata_reader.js';
import { withMetadata } from '../../schema/metadata_writer.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Model } from '../../schema/types.js';
import { repoRoot } from '../helpers/models.js';
import { model, op, tensor } from './build.js';

export const TINY_EMBEDDER = path.join(repoRoot, 'fixtures/tiny_embedder_metadata.tflite');

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

/** image [1,8,8,3] -> CONV_2D 3x3x3->4 SAME ReLU -> MEAN over H,W -> embedding [1,4]. */
export function tinyEmbedder(): Model {
  const weights = Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => (((i * 37) % 17) - 8) / 16);
  const m = model({
    description: 'embedlite test fixture: tiny image embedder',
    operatorCodes: [{ builtinCode: Op.CONV_2D, customCode: null, version: 1 }, { builtinCode: Op.MEAN, customCode: null, version: 1 }],
    buffers: [{ data: null }, { data: f32(weights) }, { data: f32([0.5, -0.25, 0.125, 0]) }, { data: new Uint8Array(new Int32Array([1, 2]).buffer) }],
    tensors: [
      tensor('image', TensorType.FLOAT32, [1, 8, 8, 3]),
      tensor('conv/weights', TensorType.FLOAT32, [4, 3, 3, 3], { buffer: 1 }),
      tensor('conv/bias', TensorType.FLOAT32, [4], { buffer: 2 }),
      tensor('conv/relu', TensorType.FLOAT32, [1, 8, 8, 4]),
      tensor('mean/axes', TensorType.INT32, [2], { buffer: 3 }),
      tensor('embedding', TensorType.FLOAT32, [1, 4]),
    ],
    inputs: [0], outputs: [5],
    operators: [
      op(0, [0, 1, 2], [3], { kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 1, strideH: 1, fusedActivationFunction: Act.RELU, dilationWFactor: 1, dilationHFactor: 1 }),
      op(1, [3, 4], [5], { kind: 'ReducerOptions', keepDims: false }),
    ],
  });
  const meta: ModelMetadata = {
    name: 'Tiny embedder', description: 'A 3x3 convolution and a spatial mean: a deterministic test model.', version: 'v1',
    author: 'embedlite', license: 'Apache-2.0', minParserVersion: '1.0.0', associatedFiles: [],
    subgraphMetadata: [{
      name: null, description: null, associatedFiles: [], inputProcessUnits: [], outputProcessUnits: [], inputTensorGroups: [], outputTensorGroups: [],
      inputTensorMetadata: [{
        name: 'image', description: 'RGB image, 8x8.', dimensionNames: [],
        content: { properties: { kind: 'ImageProperties', colorSpace: 'RGB', defaultSize: null }, range: null },
        processUnits: [{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }],
        stats: { min: [-1], max: [1] }, associatedFiles: [],
      }],
      outputTensorMetadata: [{
        name: 'embedding', description: 'Feature vector of 4 values.', dimensionNames: [],
        content: { properties: { kind: 'FeatureProperties' }, range: null }, processUnits: [], stats: null, associatedFiles: [],
      }],
    }],
  };
  return withMetadata(m, meta);
}

describe('fixtures', () => {
  it('tiny_embedder_metadata.tflite is what the writers produce', () => {
    const bytes = writeModel(tinyEmbedder());
    if (process.env['UPDATE_FIXTURES']) fs.writeFileSync(TINY_EMBEDDER, bytes);
    const onDisk = new Uint8Array(fs.readFileSync(TINY_EMBEDDER));
    expect(Buffer.compare(onDisk, bytes)).toBe(0);
    const m = readModel(onDisk);
    expect(m.subgraphs[0]!.tensors.map((t) => t.name)).toEqual(['image', 'conv/weights', 'conv/bias', 'conv/relu', 'mean/axes', 'embedding']);
    const meta = readModelMetadata(m)!;
    expect(meta.subgraphMetadata[0]!.inputTensorMetadata[0]!.processUnits).toEqual([{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }]);
  });
});
