/**
 * `npm run demo`: bundles demo/main.ts and demo/worker.ts with esbuild and serves the page on
 * http://127.0.0.1:8080 (PORT=… to change), with the default model. The tests call startDemo({ port: 0 }).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/** The page's files: HTML, the two bundles (built in memory) and the default model. */
export async function demoFiles(): Promise<Record<string, { body: Uint8Array | string; type: string }>> {
  const result = await build({
    entryPoints: { main: `${here}main.ts`, worker: `${here}worker.ts` }, bundle: true, format: 'esm', platform: 'browser',
    target: 'es2022', outdir: '/out', write: false, logLevel: 'silent', minify: true,
  });
  const files: Record<string, { body: Uint8Array | string; type: string }> = {
    '/': { body: readFileSync(`${here}index.html`), type: 'text/html; charset=utf-8' },
    '/embedder.tflite': { body: readFileSync(`${repo}fixtures/embedder.tflite`), type: 'application/octet-stream' },
  };
  for (const f of result.outputFiles) files[`/${f.path.split('/').pop()}`] = { body: f.contents, type: 'text/javascript' };
  return files;
}

export async function startDemo(options: { port?: number; host?: string } = {}): Promise<{ server: Server; url: string }> {
  const files = await demoFiles();
  const server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]!];
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' }).end(f.body);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 8080, host, resolve));
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}/` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { url } = await startDemo({ port: Number(process.env['PORT'] ?? 8080) });
  console.log(`embedlite demo: ${url}  (Ctrl-C to stop)`);
}
