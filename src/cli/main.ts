/**
 * `embedlite <command> [args]`: the subcommand dispatcher. Each command lives in its own module
 * `src/cli/<name>.ts` and is loaded lazily; to add one, add a line to COMMANDS whose `load` returns a
 * `CommandFn`. Errors end as one line `embedlite: <message>` on stderr (exit 2 for usage mistakes, 1 for
 * everything else), never a stack trace (set EMBEDLITE_DEBUG=1 to see one).
 *
 * Dev: `npx tsx src/cli/main.ts inspect MODEL`; built: `npx embedlite inspect MODEL` (bin/embedlite.js).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmbedliteError } from '../../schema/errors.js';
import { UsageError } from './args.js';
import type { CliIo, CommandFn } from './io.js';

export type { CliIo, CommandFn } from './io.js';

interface Command {
  summary: string;
  load(): Promise<CommandFn>;
}

/** The dispatch table: one line per subcommand. */
const COMMANDS: Record<string, Command> = {
  inspect: { summary: "a model's inputs, outputs, operators, metadata and unsupported ops", load: async () => (await import('./inspect.js')).inspectCommand },
  similarity: { summary: 'cosine similarity of two images under an embedding model', load: async () => (await import('./embed.js')).similarityCommand },
  embed: { summary: 'embed images (files or folders) into JSON lines', load: async () => (await import('./embed.js')).embedCommand },
  nearest: { summary: 'rank images (a folder, or a saved `embed` output with --index) by similarity to a query image', load: async () => (await import('./embed.js')).nearestCommand },
  run: { summary: 'run a model on input files or a pattern; write outputs, time invokes, profile ops', load: async () => (await import('./run.js')).runCommand },
  preprocess: { summary: 'write the raw pixels the image pipeline feeds a model (decode, crop, resize, rotate)', load: async () => (await import('./preprocess.js')).preprocessCommand },
};

export const MAIN_USAGE = 'usage: embedlite <command> [options]   (embedlite <command> --help for details)';

function usage(): string[] {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [MAIN_USAGE, '', 'commands:', ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`),
    '', '--version prints the version'];
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: { tty: !!process.stderr.isTTY, write: (text) => process.stderr.write(text) },
};

/** The package version, from the package.json next to src/ (source) or dist/ (built). */
export function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'embedlite' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

/** A closed pipe on stdout (`embedlite inspect M | head`) ends the command quietly, as Unix tools do. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo && process.stdout.listenerCount('error') === 0) exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const lines = usage();
    for (const l of lines) (name === undefined ? io.err : io.out)(l);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`embedlite ${version()}`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`embedlite: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (process.env['EMBEDLITE_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack);
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
  if (e instanceof UsageError) {
    io.err(`embedlite: ${message}${e.usage ? ` (${e.usage})` : ''}`);
    return 2;
  }
  // Typed library errors and system errors (ENOENT…) carry a message meant for users; anything else is a bug.
  const expected = e instanceof EmbedliteError || (e instanceof Error && 'code' in e);
  io.err(`embedlite: ${expected ? '' : 'internal error: '}${message}`);
  return 1;
}

/** True when this module is the process entry point (`tsx src/cli/main.ts ...`). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return fs.realpathSync(script) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
