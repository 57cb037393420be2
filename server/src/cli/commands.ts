import { UsageError, type CliIo } from '../cli';
import { listCommand, MOVE_COMMANDS, moveCommand, showCommand } from './lifecycle';
import { mcpCommand } from './mcp';
import { validateCommand } from './validate';

/** The commands for workers and agents, beside `check`: name → handler returning the exit code. */
export const AGENT_COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  list: listCommand,
  show: showCommand,
  validate: validateCommand,
  mcp: mcpCommand,
  ...Object.fromEntries(MOVE_COMMANDS.map((move) => [move, (args: string[], io: CliIo) => moveCommand(move, args, io)])),
};

/** Runs one of them; bad usage is exit 2 with the message. */
export async function runAgentCommand(command: string, args: string[], io: CliIo): Promise<number> {
  try {
    return await AGENT_COMMANDS[command](args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`contracts ${command}: ${error.message}\nRun "contracts --help" for usage.`);
    return 2;
  }
}
