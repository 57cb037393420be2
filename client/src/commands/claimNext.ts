import * as vscode from 'vscode';
import { NextTaskRequest } from '../../../shared/protocol';
import type { Ctx } from '../context';
import type { TransitionOutcome } from '../lifecycle/applyTransition';

export interface ClaimNextOutcome extends TransitionOutcome {
  taskId?: string;
  /** Ready tasks passed over, with why ("task-2: waits for task-3 (in_progress)"). */
  skipped: string[];
}

/**
 * Claim Next: the server picks the top ready task (priority, then position)
 * whose blockers are all done; it is claimed through `contracts.claim`, the
 * same guarded path as every claim. Why other ready tasks were passed over is
 * logged and offered in the message.
 */
export function claimNext(ctx: Ctx) {
  return async (): Promise<ClaimNextOutcome> => {
    const client = ctx.client;
    if (!client) {
      const reason = 'The Contracts language server is not running; try again once it has started.';
      void vscode.window.showWarningMessage(reason);
      return { applied: false, reason, skipped: [] };
    }
    const result = await client.sendRequest(NextTaskRequest);
    const skipped = result.skipped.map((s) => `${s.taskId}: ${s.reason}`);
    for (const line of skipped) ctx.log.info(`Claim Next skipped ${line}`);
    if (!result.task) {
      const reason = skipped.length ? `No ready task can be claimed: ${skipped.join('; ')}.` : 'No ready task to claim.';
      void vscode.window.showInformationMessage(reason);
      return { applied: false, reason, skipped };
    }
    const { uri, taskId, title } = result.task;
    const outcome = (await vscode.commands.executeCommand<TransitionOutcome>('contracts.claim', { uri, taskId, status: 'ready' })) ?? { applied: false };
    if (outcome.applied) {
      const more = skipped.length ? ` Skipped ${skipped.length} other ready task${skipped.length === 1 ? '' : 's'}.` : '';
      void vscode.window.showInformationMessage(`Claimed ${taskId}${title ? ` · ${title}` : ''}.${more}`, ...(skipped.length ? ['Why?'] : [])).then((action) => {
        if (action === 'Why?') ctx.log.show(true);
      });
    }
    return { ...outcome, taskId, skipped };
  };
}
