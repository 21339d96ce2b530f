/**
 * The op resolver: builtin code (+ version) or custom code → kernel. Kernels are registered explicitly
 * (`register_builtins.ts`); user kernels for custom ops go through `addCustom`.
 */
import { BuiltinOperator, TensorType, builtinName } from '../schema/enums.js';
import type { Kernel, KernelNode } from './kernel.js';
import { prepareError } from './kernel.js';

/** One registration line: which op, which versions, for which input types. */
export interface KernelSpec {
  op: BuiltinOperator;
  /** Inclusive version range the kernel implements. */
  minVersion?: number;
  maxVersion: number;
  /** Type of the input that selects the kernel (input 0 unless `dispatchInput` says otherwise). */
  types: TensorType[];
  dispatchInput?: number;
  kernel: Kernel;
}

interface Entry { minVersion: number; maxVersion: number; types: TensorType[]; dispatchInput: number; kernel: Kernel }

interface Dispatched { kernel: Kernel; data: unknown }

export class OpResolver {
  private readonly builtins = new Map<number, Entry[]>();
  private readonly customs = new Map<string, Kernel>();

  addBuiltin(spec: KernelSpec): this {
    const list = this.builtins.get(spec.op) ?? [];
    list.push({
      minVersion: spec.minVersion ?? 1, maxVersion: spec.maxVersion, types: spec.types,
      dispatchInput: spec.dispatchInput ?? 0, kernel: spec.kernel,
    });
    this.builtins.set(spec.op, list);
    return this;
  }

  addCustom(name: string, kernel: Kernel): this {
    this.customs.set(name, kernel);
    return this;
  }

  hasBuiltin(op: number): boolean {
    return this.builtins.has(op);
  }

  /** The highest op version any kernel for `op` accepts (0 when none). */
  maxVersion(op: number): number {
    return Math.max(0, ...(this.builtins.get(op) ?? []).map((e) => e.maxVersion));
  }

  supports(op: number, version: number): boolean {
    return (this.builtins.get(op) ?? []).some((e) => version >= e.minVersion && version <= e.maxVersion);
  }

  custom(name: string): Kernel | undefined {
    return this.customs.get(name);
  }

  /**
   * The kernel for a builtin op at a version, or undefined. When several kernels serve the op
   * (say float32 and quantized), the returned kernel picks one at prepare time by the dispatch input's type.
   */
  builtin(op: number, version: number): Kernel | undefined {
    const entries = (this.builtins.get(op) ?? []).filter((e) => version >= e.minVersion && version <= e.maxVersion);
    if (entries.length === 0) return undefined;
    if (entries.length === 1 && entries[0]!.types.length === 0) return entries[0]!.kernel;
    return dispatchByType(entries);
  }
}

function dispatchByType(entries: Entry[]): Kernel<Dispatched> {
  return {
    prepare(node: KernelNode): Dispatched {
      for (const e of entries) {
        const t = node.inputs[e.dispatchInput];
        if (e.types.length === 0 || (t && e.types.includes(t.type))) return { kernel: e.kernel, data: e.kernel.prepare(node) };
      }
      const t = node.inputs[entries[0]!.dispatchInput];
      const supported = [...new Set(entries.flatMap((e) => e.types.map((x) => TensorType[x])))].join(', ');
      throw prepareError(node, `input type ${t ? TensorType[t.type] : 'missing'} is not supported (supported: ${supported})`);
    },
    eval(node: KernelNode, d: Dispatched): void {
      d.kernel.eval(node, d.data);
    },
    backendOf(d: Dispatched): 'wasm' | 'js' {
      return d.kernel.backendOf?.(d.data) ?? 'js';
    },
  };
}

export function describeOp(op: number, customCode: string | null): string {
  return op === BuiltinOperator.CUSTOM && customCode ? `CUSTOM '${customCode}'` : builtinName(op);
}
