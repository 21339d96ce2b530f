/** The types every CLI subcommand stands on; `main.ts` dispatches to the subcommands, which never import it. */

/** Where a command prints; tests pass collectors, the CLI passes stdout/stderr. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw stderr text for a progress bar, and whether stderr is a terminal; absent: progress lines go to `err`. */
  progress?: { tty: boolean; write(text: string): void };
}

/** A subcommand: parses its own argv (the words after the command name) and returns the exit code. */
export type CommandFn = (argv: string[], io: CliIo) => number | Promise<number>;
