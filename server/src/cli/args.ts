import { UsageError } from './command';

/** Arguments of one command: positionals, `--name value` options and `--flag` switches. */
export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** Parses `args` knowing which options take a value; throws UsageError on anything else. */
export function parseArgs(args: string[], spec: { values?: string[]; flags?: string[] }): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  const valueNames = new Set(spec.values ?? []);
  const flagNames = new Set(spec.flags ?? []);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (valueNames.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      parsed.values.set(name, value);
    } else if (flagNames.has(name) && eq < 0) {
      parsed.flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return parsed;
}

export function formatOption(parsed: ParsedArgs): 'text' | 'json' {
  const format = parsed.values.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, found "${format}"`);
  return format;
}

/** The one task id a command takes. */
export function taskIdArgument(parsed: ParsedArgs, command: string): string {
  if (parsed.positional.length !== 1) throw new UsageError(`${command} takes one task id, found ${parsed.positional.length ? parsed.positional.join(' ') : 'none'}`);
  return parsed.positional[0];
}
