/** What every `contracts` subcommand is given, and how it says its arguments are wrong. */

export interface CliIo {
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A subcommand: runs with the arguments after its name and returns the exit code. */
export type CliHandler = (args: string[], io: CliIo) => number | Promise<number>;

/** Bad arguments: the dispatcher prints the message and a hint, and exits 2. */
export class UsageError extends Error {}
