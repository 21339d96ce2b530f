/**
 * The two fuzzers as the campaign sees them: load seeds once, make case `i` of seed `s` (bytes plus a readable
 * description), run it. Shared by the worker processes (which run cases) and scripts/fuzz.ts (which regenerates a
 * case's bytes to write a reproducer when a worker hangs or dies).
 */
import { writeModel } from '../../schema/model_writer.js';
import { EmbedliteError } from '../../schema/errors.js';
import { imageCase, jpegSeeds, runImageCase } from './image_fuzz.js';
import { caseRng, modelCase } from './model_mutator.js';
import { FUZZ_MAX_ARENA_BYTES, FUZZ_MAX_ARENA_BYTES_SMALL, runModelCase } from './model_runner.js';
import { seedPools } from './seed_models.js';

export type FuzzerName = 'models' | 'images';

export interface GeneratedCase {
  bytes: Uint8Array;
  /** File extension of the reproducer. */
  ext: string;
  /** Arena budget the case runs with (model cases). */
  maxArenaBytes?: number;
  description: string;
}

export interface Fuzzer {
  generate(seed: number, index: number): GeneratedCase | { skipped: string };
  /** Runs a case; returns its outcome ('ran', 'decoded', a typed error's name), throws on an escape. */
  run(c: GeneratedCase, seed: number, index: number): string;
}

export function modelFuzzer(): Fuzzer {
  const pools = seedPools();
  return {
    generate(seed, index) {
      const c = modelCase(pools, seed, index);
      let bytes: Uint8Array;
      try {
        bytes = writeModel(c.model);
      } catch (e) {
        // The writer refuses a model it cannot represent (a typed error): nothing to run. Anything else is a bug.
        if (e instanceof EmbedliteError) return { skipped: `writer: ${e.constructor.name}` };
        throw e;
      }
      return {
        bytes, ext: 'tflite', maxArenaBytes: c.real ? FUZZ_MAX_ARENA_BYTES : FUZZ_MAX_ARENA_BYTES_SMALL,
        description: `seed model ${c.seed}; mutations: ${c.mutations.join('; ') || 'none'}`,
      };
    },
    run: (c, seed, index) => runModelCase(c.bytes, caseRng(seed ^ 0x5eed, index), c.maxArenaBytes),
  };
}

export function imageFuzzer(): Fuzzer {
  const seeds = jpegSeeds();
  return {
    generate(seed, index) {
      const c = imageCase(seeds, seed, index);
      const ext = c.format === 'jpeg' ? 'jpg' : c.format;
      return { bytes: c.bytes, ext, description: `${c.format}; ${c.mutations.join('; ')}` };
    },
    run: (c, seed, index) => runImageCase(c.bytes, caseRng(seed ^ 0x1a6e7, index)),
  };
}

export function makeFuzzer(name: FuzzerName): Fuzzer {
  return name === 'models' ? modelFuzzer() : imageFuzzer();
}
