/** `embedlite inspect` on every real model, the CLI dispatcher's error handling, and the shared argv parser. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuiltinOperator as Op, TensorType } from '../../schema/enums.js';
import { writeModel } from '../../schema/model_writer.js';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { main, type CliIo } from '../../src/cli/main.js';
import { FACTS, PATHS } from '../schema/facts.js';
import { model, op, tensor } from '../schema/build.js';
import { available, repoRoot } from '../helpers/models.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-inspect-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out, err };
}

const dtype = (t: TensorType) => TensorType[t]!.toLowerCase();

describe('embedlite inspect --json on the real models', () => {
  for (const [key, facts] of Object.entries(FACTS)) {
    const file = PATHS[key as keyof typeof PATHS];
    it.skipIf(!available(`inspect ${key}`, [file]))(`${path.basename(file)}`, async () => {
      const { code, out, err } = await cli('inspect', file, '--json');
      expect([code, err]).toEqual([0, []]);
      expect(out).toHaveLength(1);
      const r = JSON.parse(out[0]!);
      const io = (list: typeof facts.inputs) => list.map((f) => ({
        name: f.name, shape: f.shape, dtype: dtype(f.type),
        scale: f.scale === undefined ? null : Math.fround(f.scale), zeroPoint: f.zeroPoint ?? null,
      }));
      const pick = (list: { name: string; shape: number[]; dtype: string; scale: unknown; zeroPoint: unknown }[]) =>
        list.map(({ name, shape, dtype: d, scale, zeroPoint }) => ({ name, shape, dtype: d, scale, zeroPoint }));
      expect(pick(r.inputs)).toEqual(io(facts.inputs));
      expect(pick(r.outputs)).toEqual(io(facts.outputs));
      expect(r.operators).toEqual(facts.ops);
      expect(r.bytes).toBe(facts.bytes);
      if (facts.metadata.includes('TFLITE_METADATA')) expect(r.metadata).not.toBeNull();
      else expect(r.metadata).toBeNull();
      for (const custom of r.customOps) expect(facts.ops[custom]).toBeGreaterThan(0);
      expect(Array.isArray(r.unsupported)).toBe(true);
    });
  }

  it.skipIf(!available('inspect metadata summary', [PATHS.mobilenetFloatMetadata]))('summarises TFLite Metadata (json and text)', async () => {
    const json = JSON.parse((await cli('inspect', PATHS.mobilenetFloatMetadata, '--json')).out[0]!);
    expect(json.metadata.name).toBe('MobileNetV1 image classifier');
    expect(json.metadata.subgraphMetadata[0].inputTensorMetadata[0].processUnits).toEqual([{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }]);
    expect(json.metadata.packedFiles[0]).toMatchObject({ name: 'labels.txt', size: 10484 });
    const text = (await cli('inspect', PATHS.mobilenetFloatMetadata)).out;
    expect(text).toContain("  input 0 'image': image RGB; normalization mean [127.5] std [127.5]; stats min [-1] max [1]");
    expect(text).toContain('  packed files: labels.txt (10484 bytes)');
    expect(text).toContain('  CONV_2D             15  v1');
    expect(text).toContain("  [87] 'input' float32 [1,224,224,3]");
  });

  it.skipIf(!available('inspect text output', [PATHS.dilatedConv]))('prints shape signatures and plain metadata entries', async () => {
    const { out } = await cli('inspect', PATHS.dilatedConv);
    expect(out).toContain("  [0] 'input_1' float32 [1,1,1,3] signature [-1,-1,-1,3]");
    expect(out).toContain('metadata entries: min_runtime_version ("1.13.0"), TFLITE_METADATA (700 bytes)');
  });
});

describe('embedlite inspect on written models', () => {
  const file = path.join(tmp, 'per_axis.tflite');
  fs.writeFileSync(file, writeModel(model({
    operatorCodes: [
      { builtinCode: Op.CUSTOM, customCode: 'NoSuchOp', version: 1 },
      { builtinCode: Op.STABLEHLO_PAD, customCode: null, version: 1 },
    ],
    tensors: [
      tensor('w', TensorType.INT8, [3, 2], { quantization: { scale: [0.5, 0.25, 0.125], zeroPoint: [0, 1, 2], quantizedDimension: 0 } }),
      tensor('y', TensorType.FLOAT32, [2]),
    ],
    inputs: [0], outputs: [1],
    operators: [op(0, [0], [1]), op(1, [1], [1])],
  })));

  it('reports per-axis scales as arrays, custom ops and ops without kernels', async () => {
    const r = JSON.parse((await cli('inspect', '--json', file)).out[0]!);
    expect(r.inputs).toEqual([{ index: 0, name: 'w', shape: [3, 2], shapeSignature: null, dtype: 'int8', scale: [0.5, 0.25, 0.125], zeroPoint: [0, 1, 2], quantizedDimension: 0 }]);
    expect(r.outputs[0]).toMatchObject({ name: 'y', dtype: 'float32', scale: null, zeroPoint: null });
    expect(r.operators).toEqual({ NoSuchOp: 1, STABLEHLO_PAD: 1 });
    expect(r.customOps).toEqual(['NoSuchOp']);
    expect(r.unsupported).toEqual(["CUSTOM 'NoSuchOp'", 'STABLEHLO_PAD v1']);
    expect(r.metadata).toBeNull();
  });
});

describe('CLI dispatcher', () => {
  it('prints usage: to stderr with exit 2 without arguments, to stdout with exit 0 for --help', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^usage: embedlite <command>/);
    expect(none.err.some((l) => l.startsWith('  inspect '))).toBe(true);
    const help = await cli('--help');
    expect([help.code, help.err]).toEqual([0, []]);
    expect(help.out[0]).toMatch(/^usage: embedlite/);
    expect(await cli('inspect', '--help')).toEqual({ code: 0, out: ['usage: embedlite inspect MODEL [--json]'], err: [] });
  });

  it('reports every error as one line "embedlite: ..." with exit 1 (errors) or 2 (usage)', async () => {
    const cases: [string[], number, RegExp][] = [
      [['frobnicate'], 2, /^embedlite: unknown command 'frobnicate' \(commands: inspect/],
      [['inspect'], 2, /^embedlite: missing argument \(usage: embedlite inspect MODEL \[--json\]\)$/],
      [['inspect', 'a', 'b'], 2, /^embedlite: unexpected argument 'b'/],
      [['inspect', '--jsn', 'a'], 2, /^embedlite: unknown option --jsn/],
      [['inspect', path.join(tmp, 'missing.tflite')], 1, /^embedlite: ENOENT: no such file or directory/],
      [['inspect', path.join(repoRoot, 'package.json')], 1, /^embedlite: model: not a TFLite model \(file identifier/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.out).toEqual([]);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
  });

  it('refuses a corrupt model with a one-line ModelError', async () => {
    const file = path.join(tmp, 'bad.tflite');
    const bytes = writeModel(model({ tensors: [tensor('x', TensorType.FLOAT32, [1])], inputs: [0], outputs: [0] }));
    fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    const r = await cli('inspect', file);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^embedlite: model: /);
  });

  it('runs as a process via `tsx src/cli/main.ts` and sets the exit code', () => {
    const file = path.join(tmp, 'tiny.tflite');
    fs.writeFileSync(file, writeModel(model({ tensors: [tensor('x', TensorType.UINT8, [1, 2])], inputs: [0], outputs: [0] })));
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });
    const ok = run('inspect', '--json', file);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).inputs[0]).toMatchObject({ name: 'x', dtype: 'uint8', shape: [1, 2] });
    const bad = run('inspect', path.join(tmp, 'nope.tflite'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('parseArgs', () => {
  const spec = {
    usage: 'usage: t',
    flags: {
      input: { type: 'string', multiple: true, variadic: true, short: 'i' },
      runs: { type: 'number' }, json: { type: 'boolean' }, out: { type: 'string', short: 'o' },
    },
    positionals: { min: 1, max: 2 },
  } as const;

  it('parses values, repeated and variadic flags, switches, short aliases and --', () => {
    const a = parseArgs(['m.tflite', '--input', 'a.bin', 'b.bin', '-i', 'c.bin', '--runs=5', '--json', '-o', 'dir', '--', '--literal'], spec);
    expect(a.positionals).toEqual(['m.tflite', '--literal']);
    expect(a.strings('input')).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect([a.number('runs'), a.bool('json'), a.string('out'), a.help]).toEqual([5, true, 'dir', false]);
    expect(parseArgs(['m', '--json=false', '--runs', '-3'], spec).bool('json')).toBe(false);
    expect(parseArgs(['m', '--runs', '-3'], spec).number('runs')).toBe(-3);
    expect(parseArgs(['-h'], spec).help).toBe(true);
    expect(parseArgs(['m'], spec).has('out')).toBe(false);
  });

  it('throws UsageError (with the usage) for mistakes', () => {
    for (const argv of [[], ['a', 'b', 'c'], ['m', '--runs', 'x'], ['m', '--out'], ['m', '--nope'], ['m', '-z'], ['m', '--json=maybe']]) {
      let e: unknown;
      try {
        parseArgs(argv, spec);
      } catch (x) {
        e = x;
      }
      expect(e, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((e as UsageError).usage).toBe('usage: t');
    }
  });
});
