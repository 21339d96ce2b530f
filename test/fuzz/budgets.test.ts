/** The budgets where users meet them: the ImageEmbedder's options and the CLI's --max-arena. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BudgetError, ImageError } from '../../schema/errors.js';
import { ImageEmbedder } from '../../src/embedder/image_embedder.js';
import { createFrameBuffer } from '../../src/image/frame_buffer.js';
import { main } from '../../src/cli/main.js';

const modelPath = fileURLToPath(new URL('../../fixtures/embedder.tflite', import.meta.url));
const model = new Uint8Array(readFileSync(modelPath));

async function cli(argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (l) => err.push(l) });
  return { code, err };
}

describe('budgets in the ImageEmbedder and the CLI', () => {
  it('maxArenaBytes reaches the interpreter', () => {
    expect(() => ImageEmbedder.createFromModelBuffer(model, { maxArenaBytes: 4096 })).toThrow(BudgetError);
    expect(() => ImageEmbedder.createFromModelBuffer(model, { maxArenaBytes: 4096 })).toThrow(/needs .*over the/);
  });

  it('the pixel budget also holds for frames callers pass in', () => {
    const embedder = ImageEmbedder.createFromModelBuffer(model, { maxImagePixels: 1000 });
    const frame = createFrameBuffer(40, 30, 'RGB');
    expect(() => embedder.embed(frame)).toThrow(ImageError);
    expect(() => embedder.embed({ data: new Uint8Array(40 * 30 * 4), width: 40, height: 30 }))
      .toThrow('frame of 40x30 (0.0 MP) exceeds the pixel budget of 0.0 MP (option maxImagePixels)');
    expect(embedder.embed(createFrameBuffer(20, 20, 'RGB')).embeddings).toHaveLength(1);
  });

  it('--max-arena on run and embed', async () => {
    const small = await cli(['run', modelPath, '--max-arena', '64KiB']);
    expect(small.code).not.toBe(0);
    expect(small.err.join('\n')).toMatch(/over the (arena )?budget of 64\.0 KiB/);
    const bad = await cli(['run', modelPath, '--max-arena', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain("--max-arena must be a size such as 1073741824, 512MiB or 2GiB, got 'lots'");
    expect((await cli(['run', modelPath, '--max-arena', '1GiB'])).code).toBe(0);
    const embed = await cli(['embed', '--model', modelPath, '--max-arena', '1000', 'fixtures/demo/house.jpg']);
    expect(embed.code).not.toBe(0);
    expect(embed.err.join('\n')).toContain('over the');
  });
});
