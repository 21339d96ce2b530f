/**
 * The vector constants of the JPEG kernels, kept in memory: each kernel takes a pointer `k` to this table and
 * loads what it needs. (V8 rebuilds a v128.const, or a splat it has folded into one, at every use inside a loop
 * with 2-4 instructions, and a byte shuffle of two vectors with two such masks; a load is one instruction.)
 * `jpeg_consts(k)` writes the table: call it once per memory, at a 16-aligned address, before the other kernels.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

const i32x4 = (v: number): number[] => {
  const b = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
  return Array.from(b);
};
const i16x8 = (...lanes: number[]): number[] => {
  const l = lanes.length === 1 ? new Array<number>(8).fill(lanes[0]!) : lanes;
  return Array.from(new Uint8Array(new Int16Array(l).buffer));
};

const entries = new Map<string, number[]>();

/** Registers a 16-byte constant (by value; a name may be registered once). */
export function defineConst(name: string, bytes: readonly number[]): void {
  if (bytes.length !== 16) throw new Error(`constant ${name}: ${bytes.length} bytes`);
  const old = entries.get(name);
  if (old && old.join() !== bytes.join()) throw new Error(`constant ${name} defined twice`);
  entries.set(name, bytes.map((b) => b & 255));
}

export const defineI32 = (name: string, v: number): void => defineConst(name, i32x4(v));
export const defineI16 = (name: string, ...lanes: number[]): void => defineConst(name, i16x8(...lanes));

/** Bytes of the table (known once every kernel source module is loaded). */
export function constsBytes(): number {
  return entries.size * 16;
}

/** The constant `name` loaded from the table at `k`. */
export function loadConst(f: FunctionBuilder, k: Local, name: string): Expr {
  const i = [...entries.keys()].indexOf(name);
  if (i < 0) throw new Error(`JPEG constant ${name} is not defined`);
  return f.v128.load(k, 16 * i);
}

/** Space to reserve for the table: generous, so callers need not know the exact count. */
export const CONSTS_MAX_BYTES = 2048;

export const jpegConstsSource: KernelSource = (mb: ModuleBuilder) => {
  if (constsBytes() > CONSTS_MAX_BYTES) throw new Error(`the JPEG constants take ${constsBytes()} bytes`);
  mb.addFunction('jpeg_consts', { params: { k: 'i32' } }, (f, p) => {
    let i = 0;
    for (const bytes of entries.values()) f.v128.store(p.k, f.v128.const(bytes), 16 * i++);
  });
};
