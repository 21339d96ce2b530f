/**
 * JSON Lines files for `embed --out` (written one image at a time, so an interrupted run keeps everything done so
 * far) and for reading them back (`--resume`, `nearest --index`), in chunks, so files larger than a JS string work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FileError, fileError } from './files.js';

/** Calls `onLine(text, lineNumber)` for every complete line of `file` (the final line may lack its newline). */
export function forEachLine(file: string, onLine: (line: string, n: number) => void, what = 'cannot read'): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw fileError(e, file, what);
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    const decoder = new TextDecoder();
    let rest = '', n = 0;
    for (;;) {
      let got: number;
      try {
        got = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw fileError(e, file, what);
      }
      if (got === 0) break;
      const text = rest + decoder.decode(chunk.subarray(0, got), { stream: true });
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const l of lines) onLine(l, ++n);
    }
    rest += decoder.decode();
    if (rest.length > 0) onLine(rest, ++n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Parses line `n` of a JSONL file; a line that is not a JSON object is an error naming the file and line. */
export function parseLine(line: string, n: number, file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(line) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new FileError(`${file}:${n}: not a JSON object (${line.length > 60 ? `${line.slice(0, 60)}...` : line})`, file);
}

/** An output file written line by line with unbuffered writes: each `write` is in the file when it returns. */
export class JsonlWriter {
  private constructor(private readonly fd: number, readonly file: string) {}

  /** Creates (or, with `append`, extends) `file`. */
  static open(file: string, append: boolean): JsonlWriter {
    try {
      return new JsonlWriter(fs.openSync(file, append ? 'a' : 'w'), file);
    } catch (e) {
      throw fileError(e, file, 'cannot write');
    }
  }

  write(text: string): void {
    try {
      fs.writeSync(this.fd, text);
    } catch (e) {
      throw fileError(e, this.file, 'cannot write');
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * For `--resume`: the (resolved) paths already in `file`. A run killed mid-write can leave a partial last line;
 * it is cut off here so the file stays valid JSONL. A missing file means nothing is done yet.
 */
export function donePaths(file: string): Set<string> {
  const done = new Set<string>();
  if (!fs.existsSync(file)) return done;
  const size = fs.statSync(file).size;
  let complete = 0; // bytes of complete lines
  forEachLine(file, (line, n) => {
    const bytes = Buffer.byteLength(line) + 1;
    if (complete + bytes > size) return; // the last line has no newline: an interrupted write
    complete += bytes;
    if (line.trim() === '') return;
    const p = parseLine(line, n, file)['path'];
    if (typeof p !== 'string') throw new FileError(`${file}:${n}: no "path" field; --resume needs a file written by embedlite embed`, file);
    done.add(path.resolve(p));
  });
  if (complete < size) fs.truncateSync(file, complete);
  return done;
}
