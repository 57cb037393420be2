import { checkCommand } from './check';
import type { CliHandler } from './command';
import { listCommand, MOVE_COMMANDS, moveCommand, showCommand } from './lifecycle';
import { mcpCommand } from './mcp';
import { validateCommand } from './validate';

/** Every `contracts` subcommand: name → handler returning the exit code. Add a module in cli/ and list it here. */
export const COMMANDS: Record<string, CliHandler> = {
  check: checkCommand,
  list: listCommand,
  show: showCommand,
  validate: validateCommand,
  mcp: mcpCommand,
  ...Object.fromEntries(MOVE_COMMANDS.map((move): [string, CliHandler] => [move, (args, io) => moveCommand(move, args, io)])),
};
