// `contracts`: the engine for terminals, CI and agents. Each subcommand is a
// module in cli/, listed once in the table of cli/commands.ts; this file only dispatches.
import { isMainThread } from 'node:worker_threads';
import { version } from '../../package.json';
import { CHECK_USAGE } from './cli/check';
import { setCliV8Flags } from './cliFlags';
import { escapeText } from './cliText';
import { UsageError, type CliIo } from './cli/command';
import { COMMANDS } from './cli/commands';
import { MOVE_COMMANDS } from './cli/lifecycle';

const USAGE = `${CHECK_USAGE}

Lifecycle (for workers and agents; the same minimal edits as the editor):
  contracts list [paths...] [--status s] [--assignee a] [--format text|json]
  contracts show <task-id> [--board path]          the pickup brief, in Markdown
  contracts ${MOVE_COMMANDS.join('|')} <task-id>
      [--board path] [--expect-status s] [--assignee a] [--feedback text]
      [--no-complete] [--format text|json]
  contracts validate <task-id> [--board path] [--timeout s] [--continue-on-failure]
      [--dry-run] [--no-complete] [--format text|json]

  --board path     a board file, a v2 .brainfile/brainfile.md or a folder to
                   look for the task in (default: the working folder)
  --no-complete    approving a v2 task in board/ moves it to logs/ with
                   completedAt and appends logs/ledger.jsonl; this keeps it in board/
  A move writes the file atomically, only if it still holds the bytes that were
  read. Exit status: 0 done, 1 refused (the message names the allowed moves) or
  validation failed, 2 bad usage, 3 changed since read, 130 interrupted.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(version);
    return 0;
  }
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) {
    io.err(command ? `contracts: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await COMMANDS[command](rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`contracts ${command}: ${escapeText(error.message)}\nRun "contracts --help" for usage.`);
    return 2;
  }
}

/**
 * A reader that stops early (`contracts check . | head`) closes the pipe: the
 * rest of the output has nowhere to go, so it is dropped without a stack trace,
 * and the command still ends with its own exit status.
 */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}

/** Runs the CLI as this process: its arguments, its output, its exit code. */
export function run(): void {
  setCliV8Flags(process.argv.slice(2));
  process.stdout.on('error', ignoreClosedPipe);
  process.stderr.on('error', ignoreClosedPipe);
  main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
  }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`contracts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

// Started directly (`node dist/cli-main.js`) rather than by dist/cli.js, the loader, which calls `run` itself.
// A worker thread of `check --jobs` loads this bundle too: it must not run the CLI.
if (require.main === module && isMainThread) run();
