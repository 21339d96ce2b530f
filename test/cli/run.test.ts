/** `embedlite run`: inputs from files or the pattern, outputs written raw, timing and profile lines. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorType } from '../../schema/enums.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Model, TensorDef } from '../../schema/types.js';
import { runModel, type RunOptions } from '../../src/cli/run.js';
import { main } from '../../src/cli/main.js';
import { patternValue } from '../../src/cli/pattern.js';
import { IMAGES, MODELS, available } from '../helpers/models.js';
import { loadRgb } from '../conformance/image_input.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tensor(name: string, type: TensorType, shape: number[]): TensorDef {
  return { name, shape, shapeSignature: null, type, buffer: 0, quantization: null, isVariable: false, sparsity: null };
}

/** A model without operators whose two inputs are also its outputs: the CLI plumbing, independent of kernels. */
function identityModel(): string {
  const model: Model = {
    version: 3, description: 'identity', operatorCodes: [], buffers: [{ data: null }], metadata: [], signatureDefs: [],
    subgraphs: [{
      name: 'main', operators: [], inputs: [0, 1], outputs: [0, 1],
      tensors: [tensor('a', TensorType.FLOAT32, [2, 3]), tensor('b', TensorType.INT8, [5])],
    }],
  };
  const file = path.join(tmp, 'identity.tflite');
  fs.writeFileSync(file, writeModel(model));
  return file;
}

function run(opts: Partial<RunOptions> & { model: string }): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = runModel({ inputs: [], runs: 0, profile: false, ...opts }, (l) => lines.push(l));
  return { code, lines };
}

describe('embedlite run', () => {
  const model = identityModel();

  it('fills inputs with the pattern and writes raw outputs', () => {
    const out = path.join(tmp, 'pattern');
    const { code, lines } = run({ model, out });
    expect(code).toBe(0);
    const f = new Float32Array(new Uint8Array(fs.readFileSync(path.join(out, 'out0.bin'))).buffer);
    expect(Array.from(f)).toEqual([0, 1, 2, 3, 4, 5].map((i) => Math.fround(((i * 7919) % 256) / 255)));
    const b = new Int8Array(new Uint8Array(fs.readFileSync(path.join(out, 'out1.bin'))).buffer);
    expect(Array.from(b)).toEqual([0, 1, 2, 3, 4].map((i) => patternValue(i, TensorType.INT8)));
    expect(b[1]).toBe(((7919 % 256) - 128));
    const text = lines.join('\n');
    expect(text).toMatch(/out0 'a' float32 \[2,3\] n=6/);
    expect(text).toMatch(/out1 'b' int8 \[5\] n=5 min=-128 .*first=\[-128, 111, 94, 77, 60\]/);
    expect(text).toMatch(/deterministic pattern/);
  });

  it('reads raw little-endian input files in input order', () => {
    const a = new Float32Array([1.5, -2, 3.25, 0, 7, -0.5]);
    const b = new Int8Array([-5, 4, -3, 2, -1]);
    const fa = path.join(tmp, 'a.bin'), fb = path.join(tmp, 'b.bin');
    fs.writeFileSync(fa, new Uint8Array(a.buffer));
    fs.writeFileSync(fb, new Uint8Array(b.buffer));
    const out = path.join(tmp, 'files');
    const { lines } = run({ model, inputs: [fa, fb], out });
    expect(new Uint8Array(fs.readFileSync(path.join(out, 'out0.bin')))).toEqual(new Uint8Array(a.buffer));
    expect(new Uint8Array(fs.readFileSync(path.join(out, 'out1.bin')))).toEqual(new Uint8Array(b.buffer));
    expect(lines.join('\n')).toMatch(/first=\[1\.5, -2, 3\.25, 0, 7, -0\.5\]/);
  });

  it('rejects input files of the wrong size or count', () => {
    const fa = path.join(tmp, 'short.bin');
    fs.writeFileSync(fa, new Uint8Array(7));
    expect(() => run({ model, inputs: [fa, fa] })).toThrow(/short\.bin has 7 bytes, input 0 'a' float32 \[2,3\] needs 24/);
    expect(() => run({ model, inputs: [fa] })).toThrow(/2 input\(s\), 1 --input/);
  });

  it('prints timing with --runs and a profile with --profile', () => {
    const { lines } = run({ model, runs: 3, profile: true });
    expect(lines.join('\n')).toMatch(/timing: 3 run\(s\) after 2 warm-ups: median \d+\.\d+ ms, min \d+\.\d+ ms per invoke/);
    expect(lines.join('\n')).toMatch(/profile: mean of 5 invoke\(s\), 0 nodes/);
  });
});

describe.skipIf(!available('embedlite run on a real model', [MODELS.mobilenetQuant, IMAGES.burger224]))('embedlite run on mobilenet_v1_0.25_224_quant', () => {
  it('classifies burger-224.png given as a raw input file, with timing and profile', () => {
    const input = path.join(tmp, 'burger.rgb');
    fs.writeFileSync(input, loadRgb(IMAGES.burger224).data);
    const out = path.join(tmp, 'mobilenet');
    const { lines } = run({ model: MODELS.mobilenetQuant, inputs: [input], out, runs: 2, profile: true });
    const scores = new Uint8Array(fs.readFileSync(path.join(out, 'out0.bin')));
    expect(scores.length).toBe(1001);
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
    expect(best).toBe(934);
    const text = lines.join('\n');
    expect(text).toMatch(/out0 'MobilenetV1\/Predictions\/Reshape_1' uint8 \[1,1001\] scale=0\.00390625 zp=0/);
    // Which op is slowest depends on the backend and the load: check the report's shape, not its order.
    expect(text).toMatch(/by op type:\n\s+[A-Z][A-Z0-9_]+ +[\d.]+ ms .*\((\d+ nodes?), (wasm|js|wasm \d+, js \d+)\)/);
    expect(text).toMatch(/slowest nodes:\n\s+node\s+\d+ [A-Z][A-Z0-9_]+ .* (wasm|js)\n/);
    expect(text).toMatch(/arena: \d+ bytes \(sum of activation sizes \d+ bytes\)/);
  });
});

describe('embedlite run through the CLI dispatcher', () => {
  const model = identityModel();
  const call = async (argv: string[]) => {
    const out: string[] = [], err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('parses --input (variadic), --out, --runs and --profile', async () => {
    const a = path.join(tmp, 'cli-a.bin'), b = path.join(tmp, 'cli-b.bin'), out = path.join(tmp, 'cli-out');
    fs.writeFileSync(a, new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer));
    fs.writeFileSync(b, new Uint8Array([1, 2, 3, 4, 5]));
    const r = await call(['run', model, '--input', a, b, '--out', out, '--runs', '2', '--profile']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/timing: 2 run\(s\)/);
    expect(r.out).toMatch(/profile: mean of 5 invoke/);
    expect(new Uint8Array(fs.readFileSync(path.join(out, 'out1.bin')))).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
  });

  it('reports usage mistakes with exit code 2', async () => {
    expect((await call(['run'])).code).toBe(2);
    expect((await call(['run', model, '--runs', '-1'])).err).toMatch(/--runs expects a non-negative integer/);
    const short = path.join(tmp, 'cli-short.bin');
    fs.writeFileSync(short, new Uint8Array(3));
    const r = await call(['run', model, '--input', short, short]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cli-short\.bin has 3 bytes, input 0 'a' float32 \[2,3\] needs 24/);
    expect((await call(['run', model, '--backend', 'gpu'])).err).toMatch(/--backend must be one of auto, wasm, js, got 'gpu'/);
    expect((await call(['run', model, '--quantized-arithmetic', 'x'])).err).toMatch(/--quantized-arithmetic must be one of tflite-cpu, reference/);
    expect((await call(['run', model, '--backend', 'js', '--quantized-arithmetic', 'reference'])).code).toBe(0);
    const help = await call(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/usage: embedlite run MODEL/);
    expect(help.out).toMatch(/--quantized-arithmetic/);
  });

  it('fails with exit code 1 on a missing model file', async () => {
    const r = await call(['run', path.join(tmp, 'nope.tflite')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^embedlite: .*nope\.tflite/);
  });
});
