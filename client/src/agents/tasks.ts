import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { currentTasks, pickTask, storedTask, taskArgument } from '../taskTarget';
import { TaskStore } from '../taskStore';
import { selectedTask } from '../views';

/** The task a command was invoked on (a tree row, a lens, as the server has it now), else one the user picks (the selection first). */
export async function resolveAnyTask(ctx: Ctx, arg: unknown, title: string): Promise<TaskSummary | undefined> {
  const argument = taskArgument(arg);
  if (!argument) return pickTask(ctx, { title: `${title}: which task?`, accept: () => true, none: 'No task in the workspace', first: selectedTask(ctx) });
  if (!(await currentTasks(ctx))) return undefined;
  const found = storedTask(TaskStore.of(ctx), argument);
  if (!found) void vscode.window.showWarningMessage(`${argument.taskId} is no longer in ${vscode.workspace.asRelativePath(vscode.Uri.parse(argument.uri))}.`);
  return found;
}

/**
 * The task a language model tool names: by id, narrowed by `file` (a
 * workspace-relative path or a URI) when the id exists more than once.
 * Throws an error whose message tells the model what to do instead.
 */
export async function taskForTool(ctx: Ctx, taskId: unknown, file: unknown): Promise<TaskSummary> {
  if (typeof taskId !== 'string' || !taskId) throw new Error('taskId is required; call contracts_listTasks to see the task ids.');
  const tasks = await toolTasks(ctx);
  let matches = tasks.filter((t) => t.id === taskId);
  if (typeof file === 'string' && file) matches = matches.filter((t) => t.uri === file || vscode.workspace.asRelativePath(vscode.Uri.parse(t.uri)) === file);
  if (matches.length === 1) return matches[0];
  if (!matches.length) throw new Error(`No task "${taskId}"${typeof file === 'string' && file ? ` in ${file}` : ''}. Call contracts_listTasks to see the task ids.`);
  const files = matches.map((t) => vscode.workspace.asRelativePath(vscode.Uri.parse(t.uri)));
  throw new Error(`${taskId} is in ${matches.length} files (${files.join(', ')}); pass file to say which.`);
}

/** The current tasks for a tool, or an error the model can act on. */
export async function toolTasks(ctx: Ctx): Promise<readonly TaskSummary[]> {
  if (!ctx.client) throw new Error('The Contracts language server is not running yet; try again in a moment.');
  const store = TaskStore.of(ctx);
  await store.refresh();
  return store.tasks();
}
