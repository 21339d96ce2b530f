/** Self-test of the oracle (TFLite's wasm runtime) before anything is compared against it. */
import { describe, expect, it } from 'vitest';
import { loadOracle } from '../helpers/tflite_oracle.js';
import { IMAGES, MODELS, available, loadModelFile } from '../helpers/models.js';
import { loadRgb } from './image_input.js';
import { makePattern } from '../../src/cli/pattern.js';
import { TensorType } from '../../schema/enums.js';

describe.skipIf(!available('oracle self-test', [MODELS.mobilenetQuant, IMAGES.burger224]))('tflite oracle', () => {
  it('classifies burger-224.png as class 934 with mobilenet_v1_0.25_224_quant', async () => {
    const oracle = await loadOracle();
    const model = loadModelFile(MODELS.mobilenetQuant);
    const img = loadRgb(IMAGES.burger224);
    expect([img.width, img.height]).toEqual([224, 224]);
    const res = oracle.run(model, [img.data]);
    expect(res.inputs[0]).toMatchObject({ dtype: 'uint8', shape: [1, 224, 224, 3] });
    const out = res.outputs[0]!;
    expect(out.dtype).toBe('uint8');
    expect(out.shape).toEqual([1, 1001]);
    const scores = out.data as Uint8Array;
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
    expect(best).toBe(934);
  });

  it('is deterministic across runners and reports input sizes', async () => {
    const oracle = await loadOracle();
    const model = loadModelFile(MODELS.mobilenetQuant);
    const info = oracle.inspect(model);
    expect(info.outputs[0]!.shape).toEqual([1, 1001]);
    const input = makePattern(TensorType.UINT8, 224 * 224 * 3);
    const a = oracle.run(model, [input]).outputs[0]!.data;
    const b = oracle.run(model, [input]).outputs[0]!.data;
    expect(b).toEqual(a);
    expect(() => oracle.run(model, [new Uint8Array(10)])).toThrow(/needs 150528 bytes/);
  });
});
