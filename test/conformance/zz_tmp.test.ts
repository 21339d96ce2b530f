import { it } from 'vitest';
import { loadOracle } from '../helpers/tflite_oracle.js';
import { MODELS, IMAGES, loadModelFile } from '../helpers/models.js';
import { imageInput } from './image_input.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import { Interpreter } from '../../src/interpreter.js';
it('dw', async () => {
  const o = await loadOracle();
  const bytes = loadModelFile(MODELS.mobilenetQuant);
  const m = readModel(bytes); const sg = m.subgraphs[0]!;
  const op = sg.operators[1]!;
  console.log(JSON.stringify(op.builtinOptions));
  const [xi, wi, bi] = op.inputs; const yi = op.outputs[0]!;
  const T = (i: number) => sg.tensors[i]!;
  const q = (i: number) => T(i).quantization!;
  console.log(T(xi).shape, T(wi).shape, q(xi).scale, q(xi).zeroPoint, q(wi).scale, q(wi).zeroPoint, q(yi).scale, q(yi).zeroPoint);
  const outs = [op.inputs[0]!, yi];
  const r = o.run(writeModel({ ...m, subgraphs: [{ ...sg, outputs: outs }] }), [imageInput(IMAGES.catsAndDogs, { kind: 'uint8', shape: [1,224,224,3] })]);
  const x = r.outputs.find((t) => t.name === T(xi).name)!.data as Uint8Array;
  const yRef = r.outputs.find((t) => t.name === T(yi).name)!.data as Uint8Array;
  const w = m.buffers[T(wi).buffer]!.data!; const bb = m.buffers[T(bi).buffer]!.data!;
  const bias = new Int32Array(bb.buffer.slice(bb.byteOffset, bb.byteOffset + bb.byteLength));
  const [, H, W, C] = T(xi).shape as number[];
  const [, OH, OW] = T(yi).shape as number[];
  const opts = op.builtinOptions as any;
  const sh = opts.strideH, sw = opts.strideW;
  const M = q(xi).scale[0]! * q(wi).scale[0]! / q(yi).scale[0]!;
  const padH = Math.max(0, ((OH - 1) * sh + 3 - H)) >> 1, padW = Math.max(0, ((OW - 1) * sw + 3 - W)) >> 1;
  // embedlite on same input, single node
  const one = { ...m, subgraphs: [{ ...sg, inputs: [xi], outputs: [yi], operators: [op] }] };
  const it2 = Interpreter.create(writeModel(one)); (it2.input(0).data as Uint8Array).set(x); it2.invoke();
  const yOurs = it2.output(0).data as Uint8Array;
  let twoDiff = 0; let dRef = 0, dOurs = 0, both = 0, ties = 0, n = 0;
  const zx = q(xi).zeroPoint[0]!, zw = q(wi).zeroPoint[0]!, zy = q(yi).zeroPoint[0]!;
  for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let c = 0; c < C; c++) {
    let acc = bias[c]!;
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
      const iy = oy * sh - padH + ky, ix = ox * sw - padW + kx;
      if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
      acc += (x[(iy * W + ix) * C + c]! - zx) * (w[(ky * 3 + kx) * C + c]! - zw);
    }
    const real = acc * M + zy;
    // TFLite reference: QuantizeMultiplier + MultiplyByQuantizedMultiplier (SRDHM then RoundingDivideByPOT)
    let e = 0; let fr = M; while (fr < 0.5) { fr *= 2; e--; } while (fr >= 1) { fr /= 2; e++; }
    let qm = BigInt(Math.round(fr * 2 ** 31)); if (qm === 2n ** 31n) { qm /= 2n; e++; }
    const prod = BigInt(acc) * qm; const nudge = prod >= 0n ? 1n << 30n : 1n - (1n << 30n);
    const hi = (prod + nudge) / (1n << 31n); // truncating division like C
    const rs = -e; const mask = (1n << BigInt(rs)) - 1n; const rem = hi & mask; const thr = (mask >> 1n) + (hi < 0n ? 1n : 0n);
    const two = Number((hi >> BigInt(rs)) + (rem > thr ? 1n : 0n)) + zy;
    const refTwo = Math.min(255, Math.max(0, two));
    if (refTwo !== yOurs[(oy * OW + ox) * C + c]) twoDiff++;
    const ideal = Math.min(255, Math.max(0, Math.round(real)));
    const idx = (oy * OW + ox) * C + c; n++;
    const frac = Math.abs(real - Math.floor(real) - 0.5);
    if (yRef[idx] !== ideal) dRef++;
    if (yOurs[idx] !== ideal) { dOurs++; if (frac < 1e-3) ties++; if (dOurs < 0) console.log('acc', acc, 'real', real.toFixed(5), 'ideal', ideal, 'ours', yOurs[idx], 'c', c); }
    if (yRef[idx] !== yOurs[idx]) both++;
  }
  console.log({ oursVsTwoStepReference: twoDiff, n, M, dRefVsIdeal: dRef, dOursVsIdeal: dOurs, oursNearTie: ties, refVsOurs: both });
});
