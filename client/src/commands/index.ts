import * as vscode from 'vscode';
import { copyPickupBrief, sendBriefToChat } from '../agents/brief';
import { addTask, openBoard } from '../board/boardPanels';
import type { Ctx } from '../context';
import { claimNext } from './claimNext';
import { addContract, approve, block, cancel, claim, deliver, publish, rework, reject, unblock } from './lifecycle';
import { restartServer, showOutput } from './server';
import { runValidation, showValidationOutput } from './validation';
import { clearTaskFilter, createBoard, filterTasks, groupByBoard, groupByStatus, openDeployment, openTask, refreshTasks } from './views';

/** A handler takes whatever VS Code passes (tree rows, lens arguments, nothing); each checks its own arguments. */
type CommandFactory = (ctx: Ctx) => (...args: never[]) => unknown;

/** Every command in package.json, mapped to the factory of its handler. */
const COMMANDS: Record<string, CommandFactory> = {
  'contracts.restartServer': restartServer,
  'contracts.showOutput': showOutput,
  'contracts.runValidation': runValidation,
  'contracts.showValidationOutput': showValidationOutput,
  'contracts.publish': publish,
  'contracts.claim': claim,
  'contracts.claimNext': claimNext,
  'contracts.deliver': deliver,
  'contracts.approve': approve,
  'contracts.reject': reject,
  'contracts.rework': rework,
  'contracts.block': block,
  'contracts.unblock': unblock,
  'contracts.cancel': cancel,
  'contracts.addContract': addContract,
  'contracts.filterTasks': filterTasks,
  'contracts.clearTaskFilter': clearTaskFilter,
  'contracts.groupByBoard': groupByBoard,
  'contracts.groupByStatus': groupByStatus,
  'contracts.refreshTasks': refreshTasks,
  'contracts.openTask': openTask,
  'contracts.openDeployment': openDeployment,
  'contracts.createBoard': createBoard,
  'contracts.copyPickupBrief': copyPickupBrief,
  'contracts.sendBriefToChat': sendBriefToChat,
  'contracts.openBoard': openBoard,
  'contracts.addTask': addTask,
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(COMMANDS)) {
    const handler = factory(ctx);
    ctx.pushExtCleanup(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...(args as never[]));
        } catch (error) {
          ctx.log.error(`${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          void vscode.window.showErrorMessage(`Contract Workbench: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
  }
}

