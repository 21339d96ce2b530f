/**
 * Float32 real models, end to end, against TFLite's own runtime (the oracle) on real images and on the
 * deterministic pattern. The oracle runs XNNPACK, so sums are ordered differently: outputs must agree within
 * |a - e| <= 2e-4 + 1e-4 * |e|. Each case logs its max |diff| per output.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Interpreter } from '../../src/interpreter.js';
import { makePattern } from '../../src/cli/pattern.js';
import { elementCount } from '../../kernels/tensor.js';
import { loadOracle, type Oracle } from '../helpers/tflite_oracle.js';
import { IMAGES, MODELS, type ModelName, available, loadModelFile } from '../helpers/models.js';
import { imageInput } from './image_input.js';
import { testBackend } from '../helpers/backend.js';
import { compareFloat, fmtFloatDiff, runBoth } from './compare.js';
import { withInputShape } from './patch_shape.js';
import { divergenceReport, nodeDiffs } from './divergence.js';

interface FloatCase {
  name: string;
  model: ModelName;
  /** The model the oracle runs when it cannot run the original (custom op). */
  oracleModel?: ModelName;
  /** Float range pixels 0..255 map to (the model's own normalisation). */
  range: [number, number];
  images: string[];
}

const CASES: FloatCase[] = [
  { name: 'mobilenet_v1_0.25_224_1_default_1', model: 'mobilenetFloat', range: [-1, 1], images: [IMAGES.burger, IMAGES.catsAndDogs] },
  { name: 'mobilenet_v1_0.25_224_1_metadata_1', model: 'mobilenetFloatMetadata', range: [-1, 1], images: [IMAGES.burgerCrop] },
  { name: 'face_detection_short_range', model: 'faceShort', range: [-1, 1], images: [IMAGES.catsAndDogs, IMAGES.segmentation] },
  { name: 'face_detection_full_range', model: 'faceFull', range: [-1, 1], images: [IMAGES.segmentation] },
  { name: 'face_detection_full_range_sparse', model: 'faceFullSparse', range: [-1, 1], images: [IMAGES.segmentation] },
  { name: 'selfie_segmentation (custom op; oracle: patched TRANSPOSE_CONV)', model: 'selfie', oracleModel: 'selfiePatched', range: [0, 1], images: [IMAGES.segmentation] },
  { name: 'hand_landmark_lite', model: 'handLite', range: [0, 1], images: [IMAGES.burger, IMAGES.colorGrid] },
  { name: 'hand_landmark_full', model: 'handFull', range: [0, 1], images: [IMAGES.burger] },
];

const label = (file: string) => file.split('/').pop()!;

/**
 * Runs every input through both runtimes, logs the diffs and expects every output within tolerance.
 * On a mismatch, the message names the first node whose output diverges from TFLite's.
 */
function checkFloat(
  oracle: Oracle, it: Interpreter, model: { bytes: Uint8Array; oracleBytes: Uint8Array; resize?: number[] },
  inputs: [string, ArrayBufferView][], title: string,
): void {
  const lines: string[] = [];
  const failures: string[] = [];
  for (const [name, input] of inputs) {
    let failed = false;
    for (const pair of runBoth(oracle, it, model.oracleBytes, [input])) {
      const d = compareFloat(pair.actual as Float32Array, pair.expected as Float32Array);
      const line = fmtFloatDiff(`${title} ${name}`, pair, d);
      lines.push(line);
      if (d.bad > 0 || d.nan > 0) {
        failures.push(line);
        failed = true;
      }
    }
    if (failed) {
      try {
        failures.push(divergenceReport(nodeDiffs(oracle, model.bytes, model.oracleBytes, [input], { resize: model.resize })));
      } catch (e) {
        failures.push(`(divergence search failed: ${(e as Error).message})`);
      }
    }
  }
  console.log(lines.join('\n'));
  expect(failures, failures.join('\n')).toEqual([]);
}

let oracle: Oracle;
beforeAll(async () => {
  oracle = await loadOracle();
});

describe('float32 models match TFLite', () => {
  for (const c of CASES) {
    const files = [MODELS[c.model], ...(c.oracleModel ? [MODELS[c.oracleModel]] : []), ...c.images];
    it.skipIf(!available(`float conformance ${c.name}`, files))(c.name, () => {
      const bytes = loadModelFile(MODELS[c.model]);
      const oracleBytes = c.oracleModel ? loadModelFile(MODELS[c.oracleModel]) : bytes;
      const interp = Interpreter.create(bytes, { backend: testBackend() });
      const t = interp.input(0);
      const inputs: [string, ArrayBufferView][] = [['pattern', makePattern(t.type, elementCount(t.shape))]];
      for (const img of c.images) inputs.push([label(img), imageInput(img, { kind: 'float32', shape: t.shape, range: c.range })]);
      checkFloat(oracle, interp, { bytes, oracleBytes }, inputs, c.name);
    });
  }
});

/**
 * dilated_conv has shape_signature [-1,-1,-1,3]: embedlite resizes its input; the oracle (which cannot resize)
 * runs a copy of the file whose static input shape is edited to the same size.
 */
describe.skipIf(!available('dilated_conv conformance', [MODELS.dilatedConv, IMAGES.burger, IMAGES.catsAndDogs]))('dilated_conv at several input sizes', () => {
  const sizes: [number, number][] = [[64, 48], [33, 57]];
  for (const [h, w] of sizes) {
    it(`${h}x${w} (resizeInput)`, () => {
      const bytes = loadModelFile(MODELS.dilatedConv);
      const shape = [1, h, w, 3];
      const interp = Interpreter.create(bytes, { backend: testBackend() });
      interp.resizeInput(0, shape);
      const inputs: [string, ArrayBufferView][] = [
        ['pattern', makePattern(interp.input(0).type, elementCount(shape))],
        [label(IMAGES.burger), imageInput(IMAGES.burger, { kind: 'float32', shape, range: [0, 1] })],
        [label(IMAGES.catsAndDogs), imageInput(IMAGES.catsAndDogs, { kind: 'float32', shape, range: [0, 1] })],
      ];
      checkFloat(oracle, interp, { bytes, oracleBytes: withInputShape(bytes, 0, shape), resize: shape }, inputs, `dilated_conv ${h}x${w}`);
      expect(interp.output(0).shape).toEqual([1, h, w, 16]);
    });
  }

  it('default shape [1,1,1,3], then resized and back', () => {
    const bytes = loadModelFile(MODELS.dilatedConv);
    const interp = Interpreter.create(bytes, { backend: testBackend() });
    checkFloat(oracle, interp, { bytes, oracleBytes: bytes }, [['pattern', makePattern(interp.input(0).type, 3)]], 'dilated_conv 1x1');
    const shape = [1, 20, 10, 3];
    interp.resizeInput(0, shape);
    checkFloat(oracle, interp, { bytes, oracleBytes: withInputShape(bytes, 0, shape), resize: shape },
      [['pattern', makePattern(interp.input(0).type, 600)]], 'dilated_conv 20x10');
    interp.resizeInput(0, [1, 1, 1, 3]);
    checkFloat(oracle, interp, { bytes, oracleBytes: bytes }, [['pattern', makePattern(interp.input(0).type, 3)]], 'dilated_conv 1x1 again');
  });
});
