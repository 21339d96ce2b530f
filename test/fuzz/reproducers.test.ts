/**
 * Regression tests from fuzz escapes: every file in test/fuzz/reproducers/ once escaped (an untyped error, a hang,
 * memory over the budget) and must now end in the typed outcome listed here. New reproducers from
 * `npm run fuzz` (fuzz-out/) are copied here, with a readable name, once fixed.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rng } from '../helpers/rng.js';
import { runImageCase } from './image_fuzz.js';
import { runModelCase } from './model_runner.js';

const dir = new URL('./reproducers/', import.meta.url);

/** File → outcome, and what escaped before the fix. */
const EXPECTED: Record<string, { outcome: string; was: string }> = {
  'png-idat-length-2gib.png': {
    outcome: 'ImageError', was: 'IDAT length field 2^31: pngjs allocated until the heap was exhausted (process killed)',
  },
  'resize-bilinear-width-2pow30.tflite': {
    outcome: 'BudgetError', was: 'RESIZE_BILINEAR to [1,4,2^30,2]: prepare built 2^30-entry tables before any budget check (hang)',
  },
  'densify-traversal-order-2pow30.tflite': {
    outcome: 'PrepareError', was: 'DENSIFY with traversal_order [2^30, 1]: a 2^30-element index array joined into an error message (29 s, hang)',
  },
  'densify-dense-shape-2x2147483647.tflite': {
    outcome: 'BudgetError', was: 'a sparse constant of dense shape [2, 2147483647]: DENSIFY allocated 16 GiB at prepare',
  },
};

describe('fuzz reproducers end in typed errors', () => {
  const files = fs.readdirSync(dir).filter((f) => !f.endsWith('.md')).sort();

  it('every reproducer is listed', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`${file} (was: ${EXPECTED[file]?.was ?? '?'})`, () => {
      const bytes = new Uint8Array(fs.readFileSync(new URL(file, dir)));
      const outcome = file.endsWith('.tflite') ? runModelCase(bytes, rng(1)) : runImageCase(bytes, rng(1));
      expect(outcome).toBe(EXPECTED[file]!.outcome);
    });
  }
});
