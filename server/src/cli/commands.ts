import { checkCommand } from './check';
import type { CliHandler } from './command';
import { listCommand, MOVE_COMMANDS, moveCommand, showCommand } from './lifecycle';
import { validateCommand } from './validate';

/** Every `contracts` subcommand: name → handler returning the exit code. Add a module in cli/ and list it here. */
export const COMMANDS: Record<string, CliHandler> = {
  check: checkCommand,
  list: listCommand,
  show: showCommand,
  validate: validateCommand,
  // Loaded when asked for: the MCP SDK builds its zod schemas as it loads, which every `check` (and each of its workers) would pay.
  mcp: async (args, io) => (await import('./mcp.js')).mcpCommand(args, io),
  ...Object.fromEntries(MOVE_COMMANDS.map((move): [string, CliHandler] => [move, (args, io) => moveCommand(move, args, io)])),
};
