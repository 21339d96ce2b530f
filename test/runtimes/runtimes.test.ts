/**
 * The README says embedlite runs wherever JavaScript runs; this proves it in each runtime CI has: Node, Bun (npm
 * `bun`), Deno (npm `deno`, no permission flags), workerd (npm `workerd`, on 127.0.0.1) and headless Chromium (page
 * and Web Worker). One packed tarball per run (project.ts) is installed into a user project; the same smoke script
 * (smoke/smoke.mjs) embeds a JPEG and a PNG with the default model and with MobileNet V1's pooled features, and
 * every runtime's vectors must match Node's. Each runtime prints one line per case into the test log. A runtime
 * is skipped, with a message, only when its binary cannot run on this machine.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEmbedder } from '../../src/index.js';
import { repoRoot } from '../helpers/models.js';
import { makeSmokeProject, type SmokeProject } from './project.js';

interface Outcome { vector?: number[]; error?: string }
interface SmokeResult { runtime: string; backend: string; results: Record<string, Outcome> }

const BIN = path.join(repoRoot, 'node_modules/.bin');
const CHROMIUM = '/usr/bin/chromium';

/** Whether `cmd --version` runs; when it does not, the runtime's test is skipped with this message. */
function runnable(name: string, cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch (e) {
    console.warn(`SKIPPED runtimes smoke on ${name}: ${cmd} --version failed (${(e as Error).message.split('\n')[0]})`);
    return false;
  }
}

const have = {
  bun: runnable('Bun', path.join(BIN, 'bun')),
  deno: runnable('Deno', path.join(BIN, 'deno')),
  workerd: runnable('workerd', path.join(BIN, 'workerd')),
  chromium: fs.existsSync(CHROMIUM) || (console.warn(`SKIPPED runtimes smoke on Chromium: ${CHROMIUM} is absent (.ci/run installs it)`), false),
};

let project: SmokeProject;
let node: SmokeResult;

function runScript(cmd: string, args: string[]): SmokeResult {
  const out = execFileSync(cmd, args, { cwd: project.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as SmokeResult;
}

/** Cases whose failure is expected, with the reason printed in the log (empty when none is expected). */
function expectedFailures(runtime: string): Map<string, string> {
  const m = new Map<string, string>();
  if (runtime.startsWith('deno') && project.pkg.dependencies?.['pngjs']) {
    for (const c of project.cases) {
      if (c.image.endsWith('.png')) m.set(c.name, 'pngjs fails under Deno ("number 0 is not a function"); passes once the own PNG decoder replaces pngjs');
    }
  }
  return m;
}

/** Logs one line per case and checks every vector against Node's (relative to the vector's largest value). */
function check(result: SmokeResult): void {
  const expected = expectedFailures(result.runtime);
  for (const c of project.cases) {
    const got = result.results[c.name], want = node.results[c.name]!.vector!;
    const why = expected.get(c.name);
    if (why) {
      console.log(`${result.runtime}: ${c.name}: EXPECTED FAILURE (${why}): ${got?.error ?? 'it passed: drop the expectation'}`);
      expect(got?.error, `${c.name} now works in ${result.runtime}: remove its expected failure`).toBeDefined();
      continue;
    }
    expect(got?.error, `${result.runtime}: ${c.name}`).toBeUndefined();
    const v = got!.vector!;
    expect(v.length).toBe(want.length);
    const scale = Math.max(...want.map(Math.abs));
    const diff = Math.max(...v.map((x, i) => Math.abs(x - want[i]!)));
    console.log(`${result.runtime} (backend ${result.backend}): ${c.name}: dim ${v.length}, max |diff| vs Node ${diff.toExponential(2)} (largest |value| ${scale.toFixed(3)})`);
    expect(diff).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Bundles `entry` of the project for browsers and workers (the package's non-Node export). */
async function bundle(entry: string, outfile: string, external: string[] = []): Promise<void> {
  const r = await build({
    entryPoints: [path.join(project.dir, entry)], bundle: true, format: 'esm', platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'], outfile, logLevel: 'silent', absWorkingDir: project.dir, external,
  });
  expect(r.errors).toEqual([]);
}

beforeAll(() => {
  project = makeSmokeProject();
  node = runScript(process.execPath, ['run.mjs']);
}, 600_000);
afterAll(() => project?.cleanup());

describe('runtimes smoke test on the packed package', () => {
  it('Node: the installed package gives the vectors of the source tree', () => {
    const model = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/embedder.tflite')));
    const house = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'fixtures/demo/house.jpg')));
    const here = Array.from(ImageEmbedder.createFromModelBuffer(model).embed(house).embeddings[0]!.floatEmbedding!);
    expect(node.results['default model, JPEG']!.vector).toEqual(here);
    for (const c of project.cases) {
      expect(node.results[c.name]!.error, c.name).toBeUndefined();
      console.log(`${node.runtime} (backend ${node.backend}): ${c.name}: dim ${node.results[c.name]!.vector!.length} (the reference)`);
    }
  });

  it.skipIf(!have.bun)('Bun', () => check(runScript(path.join(BIN, 'bun'), ['run.mjs'])));

  it.skipIf(!have.deno)('Deno, without permission flags', () => check(runScript(path.join(BIN, 'deno'), ['run', 'run.mjs'])));

  it.skipIf(!have.workerd)('workerd on 127.0.0.1: the packaged kernels.wasm as wasmModule, and the typed-array fallback without it', async () => {
    const wasm = path.join(project.dir, 'node_modules/embedlite/dist/kernels.wasm');
    const hasWasm = fs.existsSync(wasm);
    await bundle('worker.mjs', path.join(project.dir, 'worker.bundle.mjs'));
    if (hasWasm) {
      fs.copyFileSync(wasm, path.join(project.dir, 'kernels.wasm'));
      await bundle('worker_wasm.mjs', path.join(project.dir, 'worker_wasm.bundle.mjs'), ['./kernels.wasm']);
    } else console.warn('workerd: the package has no dist/kernels.wasm: testing the fallback path only');
    const [fallbackPort, simdPort] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(project.dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "fallback", worker = .fallback)${hasWasm ? ', (name = "simd", worker = .simd)' : ''}],
  sockets = [(name = "fallback", address = "127.0.0.1:${fallbackPort}", http = (), service = "fallback")${hasWasm ? `,
             (name = "simd", address = "127.0.0.1:${simdPort}", http = (), service = "simd")` : ''}],
);
const fallback :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.bundle.mjs")],
  compatibilityDate = "2024-09-23",
);
const simd :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker_wasm.bundle.mjs"), (name = "kernels.wasm", wasm = embed "kernels.wasm")],
  compatibilityDate = "2024-09-23",
);
`);
    const child = spawn(path.join(BIN, 'workerd'), ['serve', 'config.capnp'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitForPort(child, fallbackPort);
      const fallback = await fetchJson(`http://127.0.0.1:${fallbackPort}/`) as SmokeResult;
      expect(fallback.backend, 'without wasmModule, workerd (no run-time compiling) falls back to typed arrays').toBe('js');
      check(fallback);
      if (hasWasm) {
        await waitForPort(child, simdPort);
        const simd = await fetchJson(`http://127.0.0.1:${simdPort}/`) as SmokeResult;
        expect(simd.runtime).toBe('workerd (wasmModule)');
        expect(simd.backend, 'with the packaged kernels.wasm as wasmModule, workerd runs the SIMD kernels').toBe('wasm');
        check(simd);
      }
    } finally {
      child.kill();
    }
  });

  it.skipIf(!have.chromium)('headless Chromium, on the page and in a Web Worker', async () => {
    const { chromium } = await import('playwright-core');
    await bundle('browser.mjs', path.join(project.dir, 'bundle.js'));
    const server: Server = createServer((req, res) => {
      if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(path.join(project.dir, 'bundle.js')));
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`);
      await page.waitForFunction('typeof window.runSmoke === "function"');
      check(await page.evaluate('window.runSmoke()') as SmokeResult);
      check(await page.evaluate('window.runSmokeInWorker()') as SmokeResult);
    } finally {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

/**
 * GET `url` as JSON, retried twice after a network error: under load workerd can accept a connection on its port
 * before the worker is ready and reset it (seen once in a full suite run: ECONNRESET).
 */
async function fetchJson(url: string): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(url)).json();
    } catch (e) {
      if (attempt >= 3 || !(e instanceof TypeError)) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Resolves once workerd accepts connections on `port`; rejects if it exits first. */
function waitForPort(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '', done = false;
    child.stderr?.on('data', (d: Buffer) => (err += d));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`workerd exited (${code}) before listening: ${err}`));
    });
    const attempt = (): void => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        done = true;
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (!done) setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}
