/** ModuleBuilder: types, one imported memory, functions, exports → the bytes of a WebAssembly module. */
import { ByteWriter } from './bytes.js';
import { FunctionBuilder } from './function_builder.js';
import { AsmError, type FuncRef, type Local, type ValType, VALTYPE_CODE } from './types.js';

export interface MemoryImport {
  /** Import module and field names; the instantiating code passes `{[module]: {[name]: memory}}`. */
  readonly module: string;
  readonly name: string;
  /** Minimum size in 64 KiB pages the imported memory must have. */
  readonly minPages: number;
  readonly maxPages?: number;
}

export interface FunctionSignature<P extends Record<string, ValType>> {
  /** Named parameters, in order: the body receives one Local per name. */
  readonly params: P;
  readonly results?: readonly ValType[];
  /** Export under the function's name (default true). */
  readonly exported?: boolean;
}

const MAGIC_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly typeBytes: Uint8Array[] = [];
  private readonly funcs: { ref: FuncRef; type: number; exported: boolean; code: Uint8Array | null }[] = [];

  constructor(readonly memory: MemoryImport = { module: 'env', name: 'memory', minPages: 1 }) {}

  /** Names of the functions added so far. */
  get functionNames(): string[] {
    return this.funcs.map((f) => f.ref.name);
  }

  has(name: string): boolean {
    return this.funcs.some((f) => f.ref.name === name);
  }

  /**
   * Adds a function and writes its body at once: `body(f, params)` gets the builder and one Local per named
   * parameter. Returns a reference for `call` from functions added later.
   */
  addFunction<P extends Record<string, ValType>>(
    name: string,
    sig: FunctionSignature<P>,
    body: (f: FunctionBuilder, params: { readonly [K in keyof P]: Local }) => void,
  ): FuncRef {
    if (this.has(name)) throw new AsmError(`function ${name} is defined twice`);
    const paramNames = Object.keys(sig.params);
    const paramTypes = paramNames.map((k) => sig.params[k]!);
    const results = sig.results ?? [];
    const ref: FuncRef = { kind: 'func', index: this.funcs.length, name, params: paramTypes, results };
    const entry = { ref, type: this.typeIndex(paramTypes, results), exported: sig.exported ?? true, code: null as Uint8Array | null };
    this.funcs.push(entry);
    const f = new FunctionBuilder(name, paramTypes, results);
    const locals = Object.fromEntries(paramNames.map((k, i) => [k, f.param(i, k)])) as { [K in keyof P]: Local };
    try {
      body(f, locals);
      entry.code = f.finish();
    } catch (e) {
      this.funcs.pop();
      if (e instanceof AsmError) throw new AsmError(`in ${name}: ${e.message}`);
      throw e;
    }
    return ref;
  }

  /** The module's bytes. */
  finish(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter().bytes(MAGIC_VERSION);
    const section = (id: number, fill: (w: ByteWriter) => void): void => {
      const w = new ByteWriter();
      fill(w);
      out.byte(id).sized(w);
    };
    section(1, (w) => {
      w.u32(this.typeBytes.length);
      for (const t of this.typeBytes) w.bytes(t);
    });
    section(2, (w) => {
      const m = this.memory;
      w.u32(1).name(m.module).name(m.name).byte(0x02);
      if (m.maxPages === undefined) w.byte(0x00).u32(m.minPages);
      else w.byte(0x01).u32(m.minPages).u32(m.maxPages);
    });
    section(3, (w) => {
      w.u32(this.funcs.length);
      for (const f of this.funcs) w.u32(f.type);
    });
    section(7, (w) => {
      const exported = this.funcs.filter((f) => f.exported);
      w.u32(exported.length);
      for (const f of exported) w.name(f.ref.name).byte(0x00).u32(f.ref.index);
    });
    section(10, (w) => {
      w.u32(this.funcs.length);
      for (const f of this.funcs) w.u32(f.code!.length).bytes(f.code!);
    });
    return out.finish();
  }

  private typeIndex(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(',')}:${results.join(',')}`;
    let i = this.types.indexOf(key);
    if (i < 0) {
      const w = new ByteWriter().byte(0x60).u32(params.length);
      for (const p of params) w.byte(VALTYPE_CODE[p]);
      w.u32(results.length);
      for (const r of results) w.byte(VALTYPE_CODE[r]);
      i = this.types.push(key) - 1;
      this.typeBytes.push(w.finish());
    }
    return i;
  }
}
