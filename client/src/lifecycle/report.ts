import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { TaskStore } from '../taskStore';
import { pastTenseOf } from './transitions';

/** Tells the user why a move did not happen. Never awaits the toast: it stays until dismissed. */
export function showRefusal(ctx: Ctx, reason: string): void {
  ctx.log.info(`Lifecycle move refused: ${reason}`);
  void vscode.window.showWarningMessage(reason);
}

/** The task's status changed under the user's feet: offer to refresh the tree or to see what changed. */
export function showStaleStatus(ctx: Ctx, uri: vscode.Uri, taskId: string, currentStatus: string): string {
  const reason = `${taskId} was ${pastTenseOf(currentStatus)} by another change; now ${currentStatus}.`;
  ctx.log.info(`Lifecycle move refused: ${reason}`);
  void vscode.window.showWarningMessage(reason, 'Reload', 'Compare').then(async (action) => {
    if (action === 'Reload') await TaskStore.of(ctx).refresh();
    if (action === 'Compare') await compareWithSaved(uri);
  }).then(undefined, (error: unknown) => ctx.log.warn(`After a stale move: ${String(error)}`));
  return reason;
}

/** The buffer against the file on disk: shows the unsaved change that moved the task, if any. */
async function compareWithSaved(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(uri, { preview: false });
  await vscode.commands.executeCommand('workbench.files.action.compareWithSaved', uri);
}
