/**
 * The runtimes smoke tests' user project: the repo is packed with `npm pack` — as it is when dist/ is fresh (CI,
 * right after `npm ci`), else from a staged copy (tracked and new files, not node_modules or dist) where npm runs
 * the package's own build (`prepare`) — then the tarball is installed into an empty project with `npm install` the way a user would, dependencies from the npm cache
 * (--prefer-offline). The smoke scripts and `data.mjs` (model and image bytes as base64) go next to it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGES, MODELS, repoRoot, sharedAvailable } from '../helpers/models.js';

export interface SmokeCase {
  name: string;
  model: string;
  image: string;
  options: Record<string, unknown>;
}

export interface SmokeProject {
  dir: string;
  tarball: string;
  /** The installed package's package.json. */
  pkg: { version: string; dependencies?: Record<string, string>; exports?: Record<string, unknown> };
  cases: SmokeCase[];
  /** True when the real model from ../shared is among the cases. */
  realModel: boolean;
  cleanup(): void;
}

const POOLED = 'MobilenetV1/Logits/AvgPool_1a/AvgPool';

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** Copies the repo's files (as git sees them, untracked included) into `dest`; node_modules is linked. */
function stageRepo(dest: string): void {
  const list = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repoRoot).split('\0').filter(Boolean);
  for (const rel of list) {
    if (rel.startsWith('node_modules/') || rel.startsWith('dist/')) continue;
    const from = path.join(repoRoot, rel);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue; // deleted in the work tree
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, rel));
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** Newest modification time of the files under `dir` whose names match `re`. */
function newest(dir: string, re: RegExp): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && re.test(e.name)) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/**
 * True when dist/ was built after the last change to the sources (as right after `npm ci`, which runs `prepare`):
 * then the repo is packed as it is; otherwise a staged copy is built and packed, leaving the work tree's dist alone.
 */
function distIsFresh(): boolean {
  const built = ['dist/src/index.js', 'dist/src/node.js', 'dist/kernels.wasm'].map((f) => path.join(repoRoot, f));
  if (!built.every((f) => fs.existsSync(f))) return false;
  const sources = Math.max(...['src', 'schema', 'kernels', 'scripts'].map((d) => newest(path.join(repoRoot, d), /\.(ts|mjs)$/)),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => fs.statSync(path.join(repoRoot, f)).mtimeMs));
  return Math.min(...built.map((f) => fs.statSync(f).mtimeMs)) > sources;
}

export function makeSmokeProject(): SmokeProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlite-runtimes-'));
  const stage = path.join(root, 'stage'), dir = path.join(root, 'project');
  fs.mkdirSync(dir);
  const fresh = distIsFresh();
  if (!fresh) {
    fs.mkdirSync(stage);
    stageRepo(stage);
  }
  console.log(fresh ? 'runtimes smoke: packing the repo (dist/ is newer than every source)' : 'runtimes smoke: dist/ is missing or older than the sources: building a staged copy to pack');
  // The build (`prepare`, staged copy only) may print lines of its own before npm's JSON.
  const packOut = fresh
    ? run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], repoRoot)
    : run('npm', ['pack', '--json', '--pack-destination', root], stage);
  const packed = JSON.parse(packOut.slice(packOut.search(/^\[/m))) as [{ filename: string }];
  const tarball = path.join(root, packed[0].filename);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/embedlite/package.json'), 'utf8')) as SmokeProject['pkg'];

  const files: Record<string, string> = {};
  const add = (name: string, file: string): void => {
    files[name] = fs.readFileSync(file).toString('base64');
  };
  // The default model and demo pictures come from the installed package, as a user would find them.
  const installed = path.join(dir, 'node_modules/embedlite/fixtures');
  add('embedder.tflite', path.join(installed, 'embedder.tflite'));
  add('house.jpg', path.join(installed, 'demo/house.jpg'));
  add('checkerboard.png', path.join(installed, 'demo/checkerboard.png'));
  const cases: SmokeCase[] = [
    { name: 'default model, JPEG', model: 'embedder.tflite', image: 'house.jpg', options: {} },
    { name: 'default model, PNG', model: 'embedder.tflite', image: 'checkerboard.png', options: {} },
  ];
  if (sharedAvailable && fs.existsSync(MODELS.mobilenetFloatMetadata)) {
    add('mobilenet.tflite', MODELS.mobilenetFloatMetadata);
    add('burger.jpg', IMAGES.burger);
    add('burger-224.png', IMAGES.burger224);
    cases.push(
      { name: 'MobileNet V1 pooled features, JPEG', model: 'mobilenet.tflite', image: 'burger.jpg', options: { outputTensors: [POOLED] } },
      { name: 'MobileNet V1 pooled features, PNG', model: 'mobilenet.tflite', image: 'burger-224.png', options: { outputTensors: [POOLED] } },
    );
  } else {
    console.warn('SKIPPED runtimes smoke with the real model: ../shared/models/mobilenet_v1_0.25_224_1_metadata_1.tflite is absent (default model only)');
  }
  fs.writeFileSync(path.join(dir, 'data.mjs'), `export const files = ${JSON.stringify(files)};\nexport const cases = ${JSON.stringify(cases)};\n`);
  for (const f of fs.readdirSync(path.join(repoRoot, 'test/runtimes/smoke'))) fs.copyFileSync(path.join(repoRoot, 'test/runtimes/smoke', f), path.join(dir, f));
  return { dir, tarball, pkg, cases, realModel: cases.length > 2, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
