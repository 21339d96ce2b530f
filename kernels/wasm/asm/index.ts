/**
 * embedlite's WebAssembly assembler: kernels are TypeScript functions that emit SIMD128 instruction streams.
 *
 * How a kernel is written:
 * ```ts
 * import { type KernelSource } from '../module.js';
 * export const vaddF32: KernelSource = (mb) => {
 *   // out[i] = a[i] + b[i] for i < n (n a multiple of 4): pointers are byte offsets into the imported memory.
 *   mb.addFunction('f32_vadd', { params: { a: 'i32', b: 'i32', out: 'i32', n: 'i32' } }, (f, p) => {
 *     const end = f.local('i32', 'end');
 *     f.set(end, f.i32.add(p.out, f.i32.shl(p.n, 2)));
 *     f.while(f.i32.lt_u(p.out, end), () => {
 *       f.v128.store(p.out, f.f32x4.add(f.v128.load(p.a), f.v128.load(p.b)));
 *       f.inc(p.a, 16); f.inc(p.b, 16); f.inc(p.out, 16);
 *     });
 *   });
 * };
 * ```
 * Expressions (`f.f32x4.add(...)`, `f.v128.load(addr, offset)`) build typed trees; statements (`f.set`, stores,
 * `f.block`/`f.loop`/`f.if`/`f.br`/`f.brIf`/`f.while`/`f.for`) emit them. Names follow the spec (`i32x4.dot_i16x8_s`,
 * `i16x8.narrow_i32x4_s`, `v128.load32_lane`); `f.i32x4.shuffle` is the 32-bit-lane form of `i8x16.shuffle`.
 *
 * How it is registered: add the `KernelSource` to a list the module builder concatenates
 * (`kernels/wasm/float/index.ts`, `kernels/wasm/quantized/index.ts`); `buildKernelModule()` runs every source on
 * one ModuleBuilder, so each exported function name must be unique (prefix by family: `f32_`, `qs8_`, `qu8_`).
 * The runtime then calls it as `runtime.exports.f32_vadd(aPtr, bPtr, outPtr, n)`.
 */
export { ByteWriter } from './bytes.js';
export { Expr, FunctionBuilder, type Operand } from './function_builder.js';
export { type FunctionSignature, type MemoryImport, ModuleBuilder } from './module_builder.js';
export { AsmError, type FuncRef, type Label, type Local, type ValType } from './types.js';
