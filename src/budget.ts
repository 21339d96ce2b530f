/**
 * Memory budgets of the interpreter. A model is untrusted input: a 300-byte file can declare a
 * [1,16000,16000,2] tensor. Sizes are checked from shapes before anything is allocated, so a model over the
 * budget ends in a BudgetError that says how much it asks for, not in a RangeError or a 4 GB arena.
 */
import { BudgetError, PrepareError } from '../schema/errors.js';
import { bytesPerElement, type Tensor } from '../kernels/tensor.js';

/** Default `maxArenaBytes`: 1 GiB. */
export const DEFAULT_MAX_ARENA_BYTES = 2 ** 30;

/**
 * Longest typed array, in elements, that every engine embedlite targets can create (V8's limit in Node 20+ and
 * Chrome is 2^32; SpiderMonkey's is larger).
 */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** "1.5 GiB (1610612736 bytes)". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]} (${n} bytes)`;
}

/** The budget option, validated: a positive number of bytes. */
export function arenaBudget(option: number | undefined): number {
  const budget = option ?? DEFAULT_MAX_ARENA_BYTES;
  if (!(budget > 0)) throw new BudgetError(`maxArenaBytes must be a positive number of bytes, got ${budget}`);
  return budget;
}

/**
 * Refuses a tensor whose shape is not a list of non-negative integers, has more elements than a typed array
 * can hold, or needs more bytes than the budget. `where` names the node or input ("node 3 PAD output 0").
 */
export function checkTensorSize(t: Tensor, budget: number, where: string): void {
  for (const d of t.shape) {
    if (!Number.isInteger(d) || d < 0) throw new PrepareError(`${where}: ${t.describe()} has an invalid dimension ${d}`);
  }
  const count = t.size;
  const bytes = count * bytesPerElement(t.type);
  if (bytes > budget) {
    throw new BudgetError(`${where}: ${t.describe()} needs ${formatBytes(bytes)}, over the arena budget of ` +
      `${formatBytes(budget)} (option maxArenaBytes, CLI --max-arena)`);
  }
  if (count > MAX_TYPED_ARRAY_LENGTH) {
    throw new BudgetError(`${where}: ${t.describe()} has ${count} elements, more than a typed array can hold (${MAX_TYPED_ARRAY_LENGTH})`);
  }
}
