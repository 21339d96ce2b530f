/**
 * A worker thread of `embed --jobs N`: builds its own embedder from the model bytes it is sent, then embeds one
 * file per message and posts the TaskResult back (vectors transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder, embedTask, type EmbedSetup } from './embed_task.js';

const setup = workerData as EmbedSetup;
const port = parentPort!;
const embedder = createEmbedder(setup);

port.on('message', (task: { index: number; path: string }) => {
  const r = embedTask(embedder, setup.processing, task.index, task.path);
  port.postMessage(r, r.status === 'done' ? r.heads.map((h) => h.vector.buffer as ArrayBuffer) : []);
});
port.postMessage({ ready: true });
