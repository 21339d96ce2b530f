/**
 * A small argv parser shared by the `embedlite` subcommands.
 *
 *   const args = parseArgs(argv, {
 *     usage: 'usage: embedlite run MODEL [--input FILE ...] [--runs N] [--json]',
 *     flags: { input: { type: 'string', multiple: true, variadic: true }, runs: { type: 'number' }, json: { type: 'boolean' } },
 *     positionals: { min: 1, max: 1 },
 *   });
 *   if (args.help) { io.out(usage); return 0; }
 *   args.positionals[0]; args.strings('input'); args.number('runs'); args.bool('json');
 *
 * Accepted forms: `--name value`, `--name=value`, booleans as `--name` (or `--name=true|false`), repeated
 * flags when `multiple` (values collect in order), `variadic` flags that also take the following non-flag
 * words (`--input a.bin b.bin`), short aliases (`-o DIR`), `--` to end flag parsing, and `-h`/`--help`.
 * Anything else (unknown flag, missing value, bad number, wrong positional count) throws `UsageError`.
 */
import { EmbedliteError } from '../../schema/errors.js';

/** A command-line mistake: `main` prints it with the command's usage and exits with status 2. */
export class UsageError extends EmbedliteError {
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

export interface FlagSpec {
  type: 'string' | 'number' | 'boolean';
  /** May be given several times; values collect in order. */
  multiple?: boolean;
  /** With `multiple`: also consumes the following words that do not start with '-'. */
  variadic?: boolean;
  /** One-letter alias, used as `-x`. */
  short?: string;
}

export interface ArgsSpec {
  usage: string;
  flags?: Record<string, FlagSpec>;
  positionals?: { min?: number; max?: number };
}

type Value = string | number | boolean;

export class ParsedArgs {
  constructor(
    readonly positionals: string[],
    private readonly values: Map<string, Value[]>,
    /** True when -h/--help was given (other checks are skipped). */
    readonly help: boolean,
    private readonly typed: Map<string, string> = new Map(),
  ) {}

  /** The flag as the user typed it (`-k` or `--k`), for messages; `--name` when it was not given. */
  flag(name: string): string {
    return this.typed.get(name) ?? `--${name}`;
  }

  has(name: string): boolean {
    return (this.values.get(name)?.length ?? 0) > 0;
  }

  /** Last value of a string flag. */
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return v && v.length > 0 ? String(v[v.length - 1]) : undefined;
  }

  /** Every value of a (multiple) string flag, in order. */
  strings(name: string): string[] {
    return (this.values.get(name) ?? []).map(String);
  }

  /** Last value of a number flag. */
  number(name: string): number | undefined {
    const v = this.values.get(name);
    return v && v.length > 0 ? (v[v.length - 1] as number) : undefined;
  }

  numbers(name: string): number[] {
    return (this.values.get(name) ?? []) as number[];
  }

  bool(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v.length > 0 && v[v.length - 1] === true;
  }
}

/** Converts a flag's text; `shown` is the flag as typed (`-k`, `--k`), used in messages. */
function convert(shown: string, spec: FlagSpec, raw: string, usage: string): Value {
  if (spec.type === 'string') return raw;
  if (spec.type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${shown} expects a number, got '${raw}'`, usage);
    return n;
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`${shown} is a switch (use ${shown} or ${shown}=true|false), got '${raw}'`, usage);
}

export function parseArgs(argv: readonly string[], spec: ArgsSpec): ParsedArgs {
  const flags = spec.flags ?? {};
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(flags)) if (f.short) byShort.set(f.short, name);
  const values = new Map<string, Value[]>();
  const positionals: string[] = [];
  const typed = new Map<string, string>();
  let help = false;

  const add = (name: string, v: Value): void => {
    const list = values.get(name) ?? [];
    if (!flags[name]!.multiple) list.length = 0;
    list.push(v);
    values.set(name, list);
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      shown = `--${name}`;
    } else {
      const long = byShort.get(arg.slice(1));
      if (long === undefined) throw new UsageError(`unknown option ${arg}`, spec.usage);
      name = long;
      shown = arg;
    }
    const f = Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (!f) throw new UsageError(`unknown option ${shown}`, spec.usage);
    typed.set(name, shown);
    if (f.type === 'boolean') {
      add(name, inline === undefined ? true : convert(shown, f, inline, spec.usage));
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(`${shown} needs a value`, spec.usage);
      }
      raw = next;
      i++;
    }
    add(name, convert(shown, f, raw, spec.usage));
    if (f.multiple && f.variadic) {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) add(name, convert(shown, f, argv[++i]!, spec.usage));
    }
  }

  if (!help) {
    const { min = 0, max = Infinity } = spec.positionals ?? { max: 0 };
    if (positionals.length < min) throw new UsageError(`missing argument${min - positionals.length > 1 ? 's' : ''}`, spec.usage);
    if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`, spec.usage);
  }
  return new ParsedArgs(positionals, values, help, typed);
}
