/** Progress of `embed`/`nearest` batches: a bar redrawn in place on a terminal, lines every N images otherwise. */
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function run(total: number, tty: boolean, every: number): string[] {
  const written: string[] = [];
  const p = new Progress(total, { tty, write: (t) => written.push(t) }, every);
  for (let i = 0; i < total; i++) p.tick();
  return written;
}

describe('Progress', () => {
  it('on a terminal: a bar redrawn with \\r, always drawn at the end and then a newline', () => {
    const w = run(250, true, 100);
    expect(w.length).toBeGreaterThanOrEqual(2); // the first image and the last, at least
    expect(w.every((t) => t.startsWith('\r['))).toBe(true);
    expect(w.at(-1)).toMatch(/^\r\[#{30}\] 250\/250 .*\n$/);
    expect(w.slice(0, -1).every((t) => !t.endsWith('\n'))).toBe(true);
  });

  it('otherwise: a line every N images and one at the end', () => {
    expect(run(250, false, 100).map((t) => t.replace(/\).*/s, ')'))).toEqual([
      'progress: 100/250 (40%)', 'progress: 200/250 (80%)', 'progress: 250/250 (100%)',
    ]);
  });

  it('says nothing for 0 (--progress 0) or a single image', () => {
    expect(run(250, false, 0)).toEqual([]);
    expect(run(250, true, 0)).toEqual([]);
    expect(run(1, true, 100)).toEqual([]);
  });
});
