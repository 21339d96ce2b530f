import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InterpreterError } from '../../../schema/errors.js';
import { Interpreter } from '../../../src/interpreter.js';
import { ModuleBuilder } from '../../../kernels/wasm/asm/index.js';
import { kernelsModuleBytes, precompileKernels } from '../../../kernels/wasm/runtime.js';
import { repoRoot } from '../../helpers/models.js';

const model = new Uint8Array(fs.readFileSync(`${repoRoot}/fixtures/embedder.tflite`));

function run(it: Interpreter): Float32Array {
  const x = it.input(0).data as Float32Array;
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 256) / 127.5 - 1;
  it.invoke();
  return Float32Array.from(it.output(0).data as Float32Array);
}

describe('backend selection', () => {
  it("'js', 'wasm' and 'auto' (wasm in Node) give the same embedding; the profile names each node's backend", () => {
    const js = Interpreter.create(model, { backend: 'js' });
    const wasm = Interpreter.create(model, { backend: 'wasm' });
    const auto = Interpreter.create(model);
    expect([js.backend, wasm.backend, auto.backend]).toEqual(['js', 'wasm', 'wasm']);
    const a = run(js), b = run(wasm), c = run(auto);
    for (let i = 0; i < a.length; i++) {
      expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a[i]!)));
    }
    expect(c).toEqual(b);
    const backends = new Set(wasm.invokeProfiled().map((t) => t.backend));
    expect(backends.has('wasm')).toBe(true);
    expect(new Set(js.invokeProfiled().map((t) => t.backend))).toEqual(new Set(['js']));
  });

  it('the arena and tensors live in the WebAssembly memory on the wasm backend', () => {
    const it = Interpreter.create(model, { backend: 'wasm' });
    expect(it.input(0).data.buffer).toBeInstanceOf(ArrayBuffer);
    const js = Interpreter.create(model, { backend: 'js' });
    expect(it.input(0).data.buffer).not.toBe(js.input(0).data.buffer);
    expect(it.input(0).data.byteOffset).toBeGreaterThan(0);
  });

  it('accepts a compiled wasmModule, and refuses a module without the kernels (auto falls back)', () => {
    const compiled = new WebAssembly.Module(kernelsModuleBytes());
    expect(Interpreter.create(model, { backend: 'wasm', wasmModule: compiled }).backend).toBe('wasm');
    const empty = new ModuleBuilder();
    empty.addFunction('nothing', { params: {} }, () => {});
    const foreign = new WebAssembly.Module(empty.finish());
    expect(() => Interpreter.create(model, { backend: 'wasm', wasmModule: foreign })).toThrow(InterpreterError);
    expect(() => Interpreter.create(model, { backend: 'wasm', wasmModule: foreign })).toThrow(/lacks \d+ kernel/);
    expect(Interpreter.create(model, { backend: 'auto', wasmModule: foreign }).backend).toBe('js');
    expect(() => Interpreter.create(model, { wasmModule: new Uint8Array(8) as never })).toThrow(/must be a WebAssembly.Module/);
  });

  it('precompileKernels compiles asynchronously (browsers main threads) and later interpreters use it', async () => {
    expect(await precompileKernels()).toBe(true);
    expect(Interpreter.create(model).backend).toBe('wasm');
  });

  it('without WebAssembly, auto runs typed arrays and wasm says why', () => {
    const probe = fileURLToPath(new URL('./no_wasm_probe.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: repoRoot, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.backend).toBe('js');
    expect(Number.isFinite(r.output0)).toBe(true);
    expect(r.error).toMatch(/InterpreterError: backend 'wasm' is unavailable: WebAssembly is not available/);
  });
});
