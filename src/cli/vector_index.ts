/**
 * `nearest --index`: the vectors of an `embed` JSONL file in one Float32Array (rows L2-normalised at load), ranked
 * by exact cosine similarity to a query with a top-k scan: O(n·dim) multiply-adds and O(k) memory beyond the rows.
 */
import path from 'node:path';
import { FileError } from './files.js';
import { forEachLine, parseLine } from './jsonl.js';

export interface VectorIndex {
  file: string;
  paths: string[];
  dim: number;
  quantized: boolean;
  /** paths.length rows of dim values, each of unit length (all zeros when the stored vector had norm 0). */
  rows: Float32Array;
}

/** Reads the lines of head `head` from an `embed` output file. */
export function loadIndex(file: string, head = 0): VectorIndex {
  const paths: string[] = [];
  const seen = new Set<string>();
  let rows = new Float32Array(0);
  let dim = -1;
  let quantized: boolean | undefined;
  forEachLine(file, (line, n) => {
    if (line.trim() === '') return;
    const rec = parseLine(line, n, file);
    if ((rec['headIndex'] ?? 0) !== head) return;
    const p = rec['path'], v = rec['embedding'];
    if (typeof p !== 'string' || !Array.isArray(v)) throw new FileError(`${file}:${n}: expected "path" and "embedding" (a file written by embedlite embed)`, file);
    if (dim < 0) dim = v.length;
    if (v.length !== dim || dim === 0) throw new FileError(`${file}:${n}: embedding of ${v.length} values where earlier lines have ${dim}`, file);
    const q = rec['quantized'] === true;
    if (quantized !== undefined && q !== quantized) throw new FileError(`${file}:${n}: mixes quantized and float embeddings`, file);
    quantized = q;
    const resolved = path.resolve(p);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    const i = paths.length;
    if ((i + 1) * dim > rows.length) {
      const grown = new Float32Array(Math.max(1024 * dim, rows.length * 2));
      grown.set(rows);
      rows = grown;
    }
    let sq = 0;
    for (let j = 0; j < dim; j++) {
      const x = Number(v[j]);
      if (!Number.isFinite(x)) throw new FileError(`${file}:${n}: embedding value ${j} is not a finite number`, file);
      sq += x * x;
    }
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0, o = i * dim; j < dim; j++) rows[o + j] = Number(v[j]) * inv;
    paths.push(p);
  });
  if (paths.length === 0) throw new FileError(`${file}: no embeddings of head ${head}`, file);
  return { file, paths, dim, quantized: quantized ?? false, rows: rows.subarray(0, paths.length * dim) };
}

export interface Hit {
  index: number;
  score: number;
}

/** The k rows most similar to `query` (cosine), best first; rows listed in `exclude` are left out. */
export function topK(index: VectorIndex, query: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): Hit[] {
  const { dim, rows } = index;
  if (query.length !== dim) throw new FileError(`${index.file}: the index holds ${dim}-value embeddings, the query has ${query.length}`, index.file);
  const q = new Float32Array(dim);
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += query[j]! * query[j]!;
  const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let j = 0; j < dim; j++) q[j] = query[j]! * inv;
  // Best k so far, sorted descending; a new score enters by insertion (k is small next to n).
  const scores = new Float64Array(k).fill(-Infinity);
  const ids = new Int32Array(k).fill(-1);
  const n = index.paths.length;
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += rows[o + j]! * q[j]!;
    if (dot <= scores[k - 1]! || exclude.has(i)) continue;
    let p = k - 1;
    while (p > 0 && scores[p - 1]! < dot) {
      scores[p] = scores[p - 1]!;
      ids[p] = ids[p - 1]!;
      p--;
    }
    scores[p] = dot;
    ids[p] = i;
  }
  const hits: Hit[] = [];
  for (let p = 0; p < k && ids[p]! >= 0; p++) hits.push({ index: ids[p]!, score: Math.max(-1, Math.min(1, scores[p]!)) });
  return hits;
}
