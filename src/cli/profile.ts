/** `--profile` of `embed`, `similarity`, `nearest` and `preprocess`: where the time of one image went. */

/** `--profile`'s line for one image: `PATH: decode N ms, preprocess N ms, inference N ms`. */
export function profileLine(path: string, t: { decodeMs: number; preprocessMs: number; inferenceMs?: number }): string {
  const inference = t.inferenceMs === undefined ? 'n/a' : `${t.inferenceMs.toFixed(1)} ms`;
  return `${path}: decode ${t.decodeMs.toFixed(1)} ms, preprocess ${t.preprocessMs.toFixed(1)} ms, inference ${inference}`;
}
