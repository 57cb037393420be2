import * as vscode from 'vscode';
import { BriefRequest, type BriefResult } from '../../../shared/agents';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { resolveAnyTask } from './tasks';

/** A task's pickup brief from the server: the same Markdown as `contracts show`. */
export async function fetchBrief(ctx: Ctx, task: Pick<TaskSummary, 'uri' | 'id'>): Promise<BriefResult> {
  const client = ctx.client;
  if (!client) return { refused: 'The Contracts language server is not running; try again once it has started.' };
  try {
    return await client.sendRequest(BriefRequest, { uri: task.uri, taskId: task.id });
  } catch (error) {
    return { refused: `The language server did not answer (${error instanceof Error ? error.message : String(error)}).` };
  }
}

/** `contracts.copyPickupBrief`: the brief of the task row (or the picked task) on the clipboard. */
export function copyPickupBrief(ctx: Ctx) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const markdown = await briefFor(ctx, arg, 'Copy Pickup Brief');
    if (markdown === undefined) return undefined;
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.setStatusBarMessage('Pickup brief copied.', 3000);
    return markdown;
  };
}

/** `contracts.sendBriefToChat`: opens the chat view with the brief as the prompt. */
export function sendBriefToChat(ctx: Ctx) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const markdown = await briefFor(ctx, arg, 'Send to Chat');
    if (markdown === undefined) return undefined;
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: `Pick up this task and do it:\n\n${markdown}` });
    return markdown;
  };
}

async function briefFor(ctx: Ctx, arg: unknown, title: string): Promise<string | undefined> {
  const task = await resolveAnyTask(ctx, arg, title);
  if (!task) return undefined;
  const brief = await fetchBrief(ctx, task);
  if (brief.markdown === undefined) void vscode.window.showWarningMessage(brief.refused ?? `No brief for ${task.id}.`);
  return brief.markdown;
}
