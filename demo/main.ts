/**
 * The demo page: two photos → their cosine similarity, the time per stage and the backend; a folder → a grid
 * ranked by similarity to the photo you click. Embedding runs in a Web Worker (worker.ts).
 */
import type { EmbedReply } from './worker.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

interface Embedded { name: string; url: string; vector: number[] }

const worker = new Worker('./worker.js', { type: 'module' });
let nextId = 1;
const pending = new Map<number, (r: EmbedReply) => void>();
let ready: Promise<{ backend: string; dimension: number }>;

worker.onmessage = (ev: MessageEvent) => {
  const m = ev.data as EmbedReply & { type?: string };
  const done = pending.get(m.id);
  if (done) {
    pending.delete(m.id);
    done(m);
  }
};

function loadModel(bytes: ArrayBuffer, label: string): void {
  ready = new Promise((resolve, reject) => {
    const onReady = (ev: MessageEvent) => {
      const m = ev.data as { type?: string; backend: string; dimension: number; error?: string };
      if (m.type !== 'ready' && m.type !== 'error') return;
      worker.removeEventListener('message', onReady);
      if (m.type === 'error') {
        $('model').textContent = `model ${label}: ${m.error}`;
        reject(new Error(m.error));
        return;
      }
      $('model').textContent = `model ${label} · ${m.dimension}-value embeddings · backend ${m.backend}`;
      resolve(m);
    };
    worker.addEventListener('message', onReady);
    worker.postMessage({ type: 'model', bytes }, [bytes]);
  });
}

async function embed(file: File): Promise<EmbedReply> {
  await ready;
  const bytes = await file.arrayBuffer();
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, type: 'embed', name: file.name, bytes }, [bytes]);
  });
}

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : NaN;
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;

// ---- Two photos ----
const pair: (EmbedReply | null)[] = [null, null];

async function setSlot(k: 0 | 1, file: File): Promise<void> {
  const slot = $(`slot${k}`);
  slot.querySelector('img')!.src = URL.createObjectURL(file);
  slot.querySelector('.caption')!.textContent = `${file.name} · embedding…`;
  const r = await embed(file);
  pair[k] = r;
  slot.querySelector('.caption')!.textContent = r.error
    ? `${file.name}: ${r.error}`
    : `${file.name} · ${r.size!.width}x${r.size!.height} · decode ${ms(r.timings!.decodeMs)} · resize ${ms(r.timings!.preprocessMs)} · inference ${ms(r.timings!.inferenceMs)}`;
  const [a, b] = pair;
  if (a?.vector && b?.vector) {
    const s = cosine(a.vector, b.vector);
    $('similarity').textContent = s.toFixed(6);
    $('similarity').dataset['value'] = String(s);
    $('backend').textContent = `backend ${a.backend}`;
  } else if (r.error) {
    $('similarity').textContent = '—';
  }
}

for (const k of [0, 1] as const) {
  const input = $<HTMLInputElement>(`file${k}`);
  input.onchange = () => input.files?.[0] && void setSlot(k, input.files[0]);
  const slot = $(`slot${k}`);
  slot.ondragover = (e) => { e.preventDefault(); slot.classList.add('over'); };
  slot.ondragleave = () => slot.classList.remove('over');
  slot.ondrop = (e) => {
    e.preventDefault();
    slot.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void setSlot(k, f);
  };
}

// ---- A folder ----
const IMAGE = /\.(jpe?g|png|bmp)$/i;
let library: Embedded[] = [];

/** Every file under dropped folders (webkitGetAsEntry), depth first. */
async function filesOfDrop(items: DataTransferItemList): Promise<File[]> {
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) out.push(await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej)));
    else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e);
      }
    }
  };
  for (const item of Array.from(items)) {
    const entry = item.webkitGetAsEntry();
    if (entry) await walk(entry);
  }
  return out;
}

async function addFolder(files: File[]): Promise<void> {
  const images = files.filter((f) => IMAGE.test(f.name)).sort((a, b) => {
    const x = a.webkitRelativePath || a.name, y = b.webkitRelativePath || b.name;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  library = [];
  const status = $('status');
  let failed = 0;
  for (const [i, f] of images.entries()) {
    status.textContent = `embedding ${i + 1}/${images.length}…`;
    const r = await embed(f);
    if (r.vector) library.push({ name: f.webkitRelativePath || f.name, url: URL.createObjectURL(f), vector: r.vector });
    else failed++;
  }
  status.textContent = `${library.length} photos${failed ? `, ${failed} failed` : ''}${files.length > images.length ? `, ${files.length - images.length} skipped (not JPEG/PNG/BMP)` : ''} · click one to rank the others`;
  status.dataset['done'] = String(library.length);
  if (library[0]) rank(library[0]);
}

function rank(query: Embedded): void {
  const grid = $('grid');
  grid.replaceChildren();
  const ranked = library.map((e) => ({ e, score: cosine(query.vector, e.vector) })).sort((a, b) => b.score - a.score);
  for (const { e, score } of ranked) {
    const cell = document.createElement('figure');
    cell.className = e === query ? 'cell query' : 'cell';
    cell.dataset['name'] = e.name;
    cell.dataset['score'] = String(score);
    const img = document.createElement('img');
    img.src = e.url;
    const cap = document.createElement('figcaption');
    cap.textContent = `${score.toFixed(4)} · ${e.name}`;
    cell.append(img, cap);
    cell.onclick = () => rank(e);
    grid.append(cell);
  }
}

const folderInput = $<HTMLInputElement>('folder');
folderInput.onchange = () => folderInput.files && void addFolder(Array.from(folderInput.files));
const drop = $('folderdrop');
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer) void addFolder(await filesOfDrop(e.dataTransfer.items));
};

// ---- Model ----
const modelInput = $<HTMLInputElement>('modelfile');
modelInput.onchange = async () => {
  const f = modelInput.files?.[0];
  if (f) loadModel(await f.arrayBuffer(), f.name);
};
loadModel(await (await fetch('./embedder.tflite')).arrayBuffer(), 'embedder.tflite (the default)');
