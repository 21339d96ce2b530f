/**
 * Quantized real models against TFLite's own runtime (the oracle) on real images.
 *
 * The oracle runs convolutions in XNNPACK, whose QU8/QS8 requantization can round differently from TFLite's
 * reference kernels; embedlite follows the reference kernels bit for bit, and where XNNPACK and the reference
 * kernels differ, the reference wins. So the outputs here may differ by at most 1 per byte, and the test reports
 * how many bytes differ.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Interpreter } from '../../src/interpreter.js';
import { makePattern } from '../../src/cli/pattern.js';
import { elementCount } from '../../src/tensor.js';
import { loadOracle, type Oracle } from '../helpers/tflite_oracle.js';
import { IMAGES, MODELS, type ModelName, available, loadModelFile } from '../helpers/models.js';
import { imageInput, loadRgb } from './image_input.js';
import { divergenceReport, nodeDiffs } from './divergence.js';
import { argmax, compareQuant, fmtQuantDiff, runBoth, setInputs } from './compare.js';

interface QuantCase {
  name: string;
  model: ModelName;
  kind: 'uint8' | 'int8';
  layout: 'NHWC' | 'NCHW';
  images: string[];
}

const CASES: QuantCase[] = [
  { name: 'mobilenet_v1_0.25_224_quant', model: 'mobilenetQuant', kind: 'uint8', layout: 'NHWC', images: [IMAGES.burger224, IMAGES.burger, IMAGES.catsAndDogs] },
  { name: 'mobilenet_v1_0.25_224_quant_without_subgraph_metadata', model: 'mobilenetQuantNoMetadata', kind: 'uint8', layout: 'NHWC', images: [IMAGES.burgerCrop] },
  { name: 'mobilenet_v2_quantized_1x3x224x224 (int8, NCHW)', model: 'mobilenetV2Int8', kind: 'int8', layout: 'NCHW', images: [IMAGES.burger224, IMAGES.catsAndDogs] },
];

const label = (file: string) => file.split('/').pop()!;

let oracle: Oracle;
beforeAll(async () => {
  oracle = await loadOracle();
});

describe('quantized models match TFLite within ±1 per output byte', () => {
  for (const c of CASES) {
    it.skipIf(!available(`quantized conformance ${c.name}`, [MODELS[c.model], ...c.images]))(c.name, () => {
      const bytes = loadModelFile(MODELS[c.model]);
      const interp = Interpreter.create(bytes);
      const t = interp.input(0);
      const inputs: [string, ArrayBufferView][] = [['pattern', makePattern(t.type, elementCount(t.shape))]];
      for (const img of c.images) inputs.push([label(img), imageInput(img, { kind: c.kind, shape: t.shape, layout: c.layout })]);
      const lines: string[] = [];
      let beyond = 0;
      for (const [name, input] of inputs) {
        let failed = false;
        for (const pair of runBoth(oracle, interp, bytes, [input])) {
          const d = compareQuant(pair.actual as ArrayLike<number>, pair.expected as ArrayLike<number>);
          lines.push(fmtQuantDiff(`${c.name} ${name}`, pair, d));
          beyond += d.beyondOne;
          if (d.beyondOne > 0) failed = true;
        }
        if (failed) {
          try {
            lines.push(divergenceReport(nodeDiffs(oracle, bytes, bytes, [input])));
          } catch (e) {
            lines.push(`(divergence search failed: ${(e as Error).message})`);
          }
        }
      }
      console.log(lines.join('\n'));
      expect(beyond, lines.join('\n')).toBe(0);
    });
  }
});

describe.skipIf(!available('burger top-1', [MODELS.mobilenetQuant, IMAGES.burger224]))('burger-224.png as raw RGB', () => {
  it('mobilenet_v1_0.25_224_quant gives top-1 class 934 with a score within ±1 of the oracle', () => {
    const bytes = loadModelFile(MODELS.mobilenetQuant);
    const rgb = loadRgb(IMAGES.burger224).data;
    const interp = Interpreter.create(bytes);
    setInputs(interp, [rgb]);
    interp.invoke();
    const ours = interp.output(0).data as Uint8Array;
    const ref = oracle.run(bytes, [rgb]).outputs[0]!.data as Uint8Array;
    const top = argmax(ours);
    console.log(`burger-224: embedlite top-1 ${top} score ${ours[top]}, oracle top-1 ${argmax(ref)} score ${ref[argmax(ref)]}`);
    expect(top).toBe(934);
    expect(argmax(ref)).toBe(934);
    expect(Math.abs(ours[934]! - ref[934]!)).toBeLessThanOrEqual(1);
  });
});
