/**
 * End to end against the Task Library: `ImageEmbedder.embed(photo bytes)` with a quantized model equals TFLite's own
 * interpreter (test/helpers/tflite_oracle.ts) run on the Task Library's pixels for that photo (test/oracle/taskpix.c:
 * stb_image decoding + libyuv resize), byte for byte: every dequantized element is the same float.
 *
 * Two steps: (1) embed() feeds the model exactly the Task Library's pixels (default JPEG decoder stb, libyuv
 * preprocessing): its embedding equals embedlite's interpreter run on the oracle's pixels; (2) with the TFLite-CPU
 * quantized arithmetic (issue 9) the output bytes equal TFLite's. Step 2 needs the quantized kernels' tflite-cpu mode
 * (when both modes compute the same bytes it says SKIPPED), and photos listed in PENDING_QUANT say SKIPPED with the
 * measured divergence.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { Interpreter } from '../../src/interpreter.js';
import { IMAGES, MODELS, available, loadModelFile } from '../helpers/models.js';
import { loadTaskpixOracle } from '../helpers/taskpix_oracle.js';
import { loadOracle, type Oracle } from '../helpers/tflite_oracle.js';

const pixels = loadTaskpixOracle();
const photos = [IMAGES.burger, IMAGES.catsAndDogs, IMAGES.segmentation];

/**
 * Photos whose TFLite-CPU bytes still differ from TFLite's, with the measured count (issue 9 is open; the pixels are
 * equal, see the first test): reported as SKIPPED with the count instead of failing. Remove an entry when it passes.
 */
const PENDING_QUANT: Record<string, string> = {
};

/** The model's uint8 output for uint8 input pixels, with embedlite's interpreter in the given arithmetic. */
function runOurs(model: Uint8Array, input: Uint8Array, arithmetic: 'tflite-cpu' | 'reference'): Uint8Array {
  const it = Interpreter.create(model, { quantizedArithmetic: arithmetic });
  (it.input(0).data as Uint8Array).set(input);
  it.invoke();
  return Uint8Array.from(it.output(0).data as Uint8Array);
}

describe.skipIf(!pixels || !available('Task Library embedding', [MODELS.mobilenetQuant, ...photos]))(
  'embed() equals the Task Library on a quantized model (mobilenet_v1_0.25_224_quant)', () => {
    let tflite: Oracle;
    let model: Uint8Array;
    let scale = 0, zeroPoint = 0;
    beforeAll(async () => {
      tflite = await loadOracle();
      model = loadModelFile(MODELS.mobilenetQuant);
      ({ scale, zeroPoint } = Interpreter.create(model).output(0));
    });
    const taskPixels = (photo: string): Uint8Array => {
      const [px] = pixels!.run([{ kind: 'image', file: photo, format: 'RGB', width: 224, height: 224 }]);
      if (!px!.ok) throw new Error(px!.error);
      return px!.data;
    };
    const embed = (photo: string): Float32Array => {
      const embedder = ImageEmbedder.createFromModelBuffer(model, { applyExifOrientation: false });
      try {
        return embedder.embed(new Uint8Array(readFileSync(photo))).embeddings[0]!.floatEmbedding!;
      } finally {
        embedder.close();
      }
    };
    const dequantized = (q: Uint8Array): number[] => Array.from(q, (v) => Math.fround((v - zeroPoint) * scale));

    for (const photo of photos) {
      const name = path.basename(photo);
      it(`${name}: embed() runs the model on the Task Library's pixels`, () => {
        const px = taskPixels(photo);
        expect(Array.from(embed(photo))).toEqual(dequantized(runOurs(model, px, 'tflite-cpu')));
      });

      it(`${name}: TFLite-CPU arithmetic gives TFLite's output bytes`, (ctx) => {
        const px = taskPixels(photo);
        const ours = runOurs(model, px, 'tflite-cpu');
        if (Buffer.from(ours).equals(Buffer.from(runOurs(model, px, 'reference')))) {
          console.warn(`${name}: SKIPPED the byte comparison with TFLite: the quantized kernels do not implement the ` +
            'tflite-cpu arithmetic yet (it computes what reference computes)');
          ctx.skip();
          return;
        }
        const ref = tflite.run(model, [px]).outputs[0]!.data as Uint8Array;
        let differ = 0;
        for (let i = 0; i < ref.length; i++) if (ours[i] !== ref[i]) differ++;
        if (PENDING_QUANT[name] !== undefined) {
          console.warn(`${name}: SKIPPED (known quantized divergence: ${PENDING_QUANT[name]}); now ${differ} bytes differ` +
            (differ === 0 ? ' - remove it from PENDING_QUANT' : ''));
          ctx.skip();
          return;
        }
        expect(differ).toBe(0);
        expect(Array.from(embed(photo))).toEqual(dequantized(ref));
      });
    }
  });

describe.skipIf(!available('jpegDecoder option', [MODELS.mobilenetQuant, IMAGES.catsAndDogs]))('jpegDecoder option', () => {
  it("defaults to 'stb'; 'libjpeg' gives libjpeg-turbo's pixels; anything else is refused at creation", () => {
    const model = loadModelFile(MODELS.mobilenetQuant);
    const bytes = new Uint8Array(readFileSync(IMAGES.catsAndDogs)); // 4:2:0: the decoders' chroma upsampling differs
    const run = (jpegDecoder?: 'stb' | 'libjpeg'): number[] => {
      const e = ImageEmbedder.createFromModelBuffer(model, jpegDecoder ? { jpegDecoder } : {});
      try {
        return Array.from(e.embed(bytes).embeddings[0]!.floatEmbedding!);
      } finally {
        e.close();
      }
    };
    const byDefault = run();
    expect(byDefault).toEqual(run('stb'));
    expect(byDefault).not.toEqual(run('libjpeg'));
    expect(() => ImageEmbedder.createFromModelBuffer(model, { jpegDecoder: 'jpeg-js' as 'stb' }))
      .toThrow("jpegDecoder must be 'stb'");
  });
});
