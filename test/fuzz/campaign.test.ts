/**
 * The CI fuzz campaign: scripts/fuzz.ts with a fixed seed, 30 s per fuzzer (the two run side by side, so about 30 s
 * of wall time), must find no escape. 30 s rather than 60 keeps `npm test` well inside CI's 10-minute budget on 2
 * cores; run `npm run fuzz -- --seconds 600` for a long campaign. Nothing here is timed: a case counts as a hang
 * only past 10 s of CPU time (a load-independent measure), and a worker is killed only after 60 s without progress.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { CampaignSummary } from '../../scripts/fuzz.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECONDS = 30;
const SEED = 14;

it(`fuzz campaign: seed ${SEED}, ${SECONDS} s per fuzzer, no escapes`, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-fuzz-'));
  const args = ['scripts/fuzz.ts', '--seconds', String(SECONDS), '--seed', String(SEED), '--hang-ms', '10000', '--kill-ms', '60000',
    '--out', out, '--json'];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), args, { cwd: root });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (c) => resolve({ code: c, stdout, stderr }));
  });
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as CampaignSummary;
  for (const f of summary.fuzzers ?? []) console.log(`fuzz ${f.fuzzer}: ${f.cases} cases, ${f.escapes} escapes, outcomes ${JSON.stringify(f.outcomes)}`);
  expect(summary.escapes ?? [{ detail: stderr }], `reproducers in ${out}`).toEqual([]);
  expect(code).toBe(0);
  expect(summary.fuzzers.map((f) => f.fuzzer)).toEqual(['models', 'images']);
  for (const f of summary.fuzzers) expect(f.cases).toBeGreaterThan(0);
  fs.rmSync(out, { recursive: true, force: true });
}, 300_000);
