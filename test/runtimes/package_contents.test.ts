/**
 * What `npm pack` ships: the build, the CLI, the default model and the demo pictures — not the test data
 * (fixtures/image_refs.json, the decoder test images, the tiny test models), which the package listed before.
 * (npm adds every README, so fixtures/README.md, which describes the default model, comes along.)
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/models.js';

describe('npm pack contents', () => {
  it('ships the default model and demo pictures, and no test data', () => {
    // --ignore-scripts: list the files without running the build (`prepare`) again.
    const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(json) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'bin/embedlite.js',
      'fixtures/embedder.tflite', 'fixtures/demo/house.jpg', 'fixtures/demo/house_zoomed.jpg', 'fixtures/demo/checkerboard.png',
    ]));
    const fixtures = files.filter((f) => f.startsWith('fixtures/'));
    expect(fixtures.filter((f) => f !== 'fixtures/embedder.tflite' && f !== 'fixtures/README.md' && !f.startsWith('fixtures/demo/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.endsWith('.test.js'))).toEqual([]);
  });
});
