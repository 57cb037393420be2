import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { restartServer, showOutput } from './server';

type CommandFactory = (ctx: Ctx) => (...args: any[]) => unknown;

/** Every command in package.json, mapped to the factory of its handler. */
const COMMANDS: Record<string, CommandFactory> = {
  'contracts.restartServer': restartServer,
  'contracts.showOutput': showOutput,
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    const handler = factory(ctx);
    ctx.pushExtCleanup(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          ctx.log.error(`${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          void vscode.window.showErrorMessage(`Contract Workbench: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
  }
}

export const COMMAND_IDS = Object.keys(COMMANDS);
