#!/usr/bin/env node
// `contracts`: the engine for terminals, CI and agents. Each subcommand is a
// module in cli/ listed in COMMANDS; this file only dispatches.
import { version } from '../../package.json';
import { check } from './cli/check';
import { UsageError, type CliCommand, type CliIo } from './cli/command';

export type { CliIo } from './cli/command';

/** Every subcommand, by name. Add a module in cli/ and list it here. */
const COMMANDS: readonly CliCommand[] = [check];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: contracts <command> [options]\n\nCommands:\n${commands}\n\n  -h, --help     show this help (contracts <command> --help for a command's)\n  -v, --version  show the version\n\n${COMMANDS[0].usage}`;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(name ? `contracts: unknown command "${name}"\n\n${usage()}` : usage());
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`contracts ${command.name}: ${error.message}\nRun "contracts ${command.name} --help" for usage.`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
  }).then((code) => (process.exitCode = code));
}
