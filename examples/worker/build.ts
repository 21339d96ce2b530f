/**
 * Builds the example into examples/worker/dist/: worker.js (esbuild bundle of src/worker.ts, with `embedlite` taken
 * from this repository's source), embedder.tflite (the default model, a data module next to it) and kernels.wasm
 * (the SIMD kernels module, written by the same function as the package's dist/kernels.wasm).
 *   npx tsx examples/worker/build.ts && npx workerd serve examples/worker/config.capnp
 * In your own project, `embedlite` comes from npm and `wrangler deploy` does this bundling (see wrangler.toml).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { buildKernelModuleBytes } from '../../kernels/wasm/module.js';

/** The two binary modules stay imports of files next to worker.js, as workerd and wrangler load them. */
const binaryModules: Plugin = {
  name: 'binary-modules',
  setup(b) {
    b.onResolve({ filter: /^embedlite\/kernels\.wasm$/ }, () => ({ path: './kernels.wasm', external: true }));
    b.onResolve({ filter: /\.tflite$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

export async function buildWorker(): Promise<string> {
  const out = `${here}dist`;
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [`${here}src/worker.ts`], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'], outfile: `${out}/worker.js`, logLevel: 'warning', minify: true,
    alias: { embedlite: `${repo}src/index.ts` }, plugins: [binaryModules],
  });
  copyFileSync(`${repo}fixtures/embedder.tflite`, `${out}/embedder.tflite`);
  writeFileSync(`${out}/kernels.wasm`, buildKernelModuleBytes());
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(`built ${await buildWorker()}/worker.js`);
