/**
 * Files for the CLI: reading with the path in every error, and expanding the paths given to `embed`/`nearest`
 * into the image files to embed, the files skipped, and the paths that failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EmbedliteError } from '../../schema/errors.js';

/** A file that could not be read or written; the message names the path and says why in words. */
export class FileError extends EmbedliteError {
  constructor(message: string, readonly path: string, readonly code?: string) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** `<what> '<path>': <reason> (<CODE>)` from a system error; other errors pass through unchanged. */
export function fileError(e: unknown, file: string, what: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return e;
  return new FileError(`${what} '${file}': ${REASONS[code] ?? (e as Error).message} (${code})`, file, code);
}

/** Reads a whole file as bytes; errors name the file (`cannot read image 'x': is a directory, not a file (EISDIR)`). */
export function readBytes(file: string, what = 'cannot read'): Uint8Array {
  try {
    const b = fs.readFileSync(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw fileError(e, file, what);
  }
}

/** Writes a whole file; errors name the file. */
export function writeBytes(file: string, data: Uint8Array | string, what = 'cannot write'): void {
  try {
    fs.writeFileSync(file, data);
  } catch (e) {
    throw fileError(e, file, what);
  }
}

/** Extensions the decoders read (JPEG, PNG, BMP); other files found in folders are skipped. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.bmp', '.dib']);

export interface Skipped {
  path: string;
  reason: string;
}

export interface Failed {
  path: string;
  message: string;
}

export interface ImageList {
  /** Image files to embed, in order: each given path in turn, folders sorted by name, depth first. */
  files: string[];
  /** Files of folders that are not images the decoders read. */
  skipped: Skipped[];
  /** Given paths that do not exist or cannot be listed. */
  failed: Failed[];
}

export const UNSUPPORTED = 'unsupported format';

/**
 * Expands files and folders into image files. Folders recurse unless `recursive` is false; inside folders, files
 * whose extension is not an image format are skipped (listed, not read); a file named on the command line is
 * always tried. A missing or unreadable path is one failure, not an abort.
 */
export function listImages(paths: readonly string[], recursive = true): ImageList {
  const out: ImageList = { files: [], skipped: [], failed: [] };
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.failed.push({ path: dir, message: messageOf(fileError(e, dir, 'cannot list folder')) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let kind: 'dir' | 'file' | 'other' = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
        } catch (e) {
          out.failed.push({ path: full, message: messageOf(fileError(e, full, 'broken link')) });
          continue;
        }
      }
      if (kind === 'dir') {
        if (recursive) walk(full);
      } else if (kind === 'file' && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        out.files.push(full);
      } else {
        out.skipped.push({ path: full, reason: kind === 'file' ? UNSUPPORTED : 'not a regular file' });
      }
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      out.failed.push({ path: p, message: messageOf(fileError(e, p, 'cannot read')) });
      continue;
    }
    if (st.isDirectory()) walk(p);
    else out.files.push(p);
  }
  return out;
}

export function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
}
