/** What every `contracts` subcommand module provides, and what it is given. */

export interface CliIo {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CliCommand {
  /** The subcommand's name: `contracts <name> …`. */
  name: string;
  /** One line for `contracts --help`. */
  summary: string;
  /** The subcommand's own help text. */
  usage: string;
  /** Runs with the arguments after the name; returns the exit code (throw `UsageError` for exit 2). */
  run(args: string[], io: CliIo): number | Promise<number>;
}

/** Bad arguments: the dispatcher prints the message and a hint, and exits 2. */
export class UsageError extends Error {}

/**
 * Splits `--flag=value` and `--flag value` forms: calls `onFlag` for each flag
 * with a function that takes its value, and `onPositional` for the rest.
 */
export function parseArgs(args: string[], onFlag: (flag: string, value: () => string) => boolean, onPositional: (arg: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (arg.startsWith('-') && arg !== '-') {
      if (!onFlag(flag, value)) throw new UsageError(`unknown option ${arg}`);
    } else {
      onPositional(arg);
    }
  }
}
