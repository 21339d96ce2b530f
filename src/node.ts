/**
 * The Node entry: everything of the browser entry, with `modelAssetPath` / `createFromModelPath` reading files.
 */
import { readFile } from 'node:fs/promises';
import { setModelLoader } from './embedder/image_embedder.js';

setModelLoader(async (path) => new Uint8Array(await readFile(path)));

export * from './index.js';
