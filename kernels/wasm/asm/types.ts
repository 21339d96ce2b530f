/** Value types, their binary codes, and the assembler's error. */
import { EmbedliteError } from '../../../schema/errors.js';

/** A kernel written wrong: operand of the wrong type, branch to a label out of scope, bad immediate. */
export class AsmError extends EmbedliteError {}

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

export const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** A local variable (parameters are locals 0..n-1). */
export interface Local {
  readonly kind: 'local';
  readonly index: number;
  readonly type: ValType;
  readonly name: string;
}

/** A branch target made by `block`/`loop`; `br` turns it into a relative depth. */
export interface Label {
  readonly kind: 'label';
  readonly height: number;
  readonly loop: boolean;
}

/** A function of the module, returned by `ModuleBuilder.addFunction`, usable in `call`. */
export interface FuncRef {
  readonly kind: 'func';
  readonly index: number;
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}
