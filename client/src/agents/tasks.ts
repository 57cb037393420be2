import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { selectedTask } from '../views';
import { fetchTasks, refFromArgument } from '../validation/target';

/** The task a command was invoked on (a tree row, a lens), else the selection, else one the user picks. */
export async function resolveAnyTask(ctx: Ctx, arg: unknown, title: string): Promise<TaskSummary | undefined> {
  const tasks = await fetchTasks(ctx);
  if (!tasks) return undefined;
  const ref = refFromArgument(arg);
  if (ref) return tasks.find((t) => t.uri === ref.uri && t.id === ref.taskId);
  const selected = selectedTask(ctx);
  if (selected) return tasks.find((t) => t.uri === selected.uri && t.id === selected.id);
  const picked = await vscode.window.showQuickPick(
    tasks.map((task) => ({ label: task.id, description: task.title, detail: [task.status ?? 'no contract', task.boardTitle].join(' · '), task })),
    { title: `${title}: which task?`, matchOnDescription: true },
  );
  return picked?.task;
}

/**
 * The task a language model tool names: by id, narrowed by `file` (a
 * workspace-relative path or a URI) when the id exists more than once.
 * Throws an error whose message tells the model what to do instead.
 */
export async function taskForTool(ctx: Ctx, taskId: unknown, file: unknown): Promise<TaskSummary> {
  if (typeof taskId !== 'string' || !taskId) throw new Error('taskId is required; call contracts_listTasks to see the task ids.');
  const tasks = await fetchTasks(ctx);
  if (!tasks) throw new Error('The Contracts language server is not running yet; try again in a moment.');
  let matches = tasks.filter((t) => t.id === taskId);
  if (typeof file === 'string' && file) matches = matches.filter((t) => t.uri === file || vscode.workspace.asRelativePath(vscode.Uri.parse(t.uri)) === file);
  if (matches.length === 1) return matches[0];
  if (!matches.length) throw new Error(`No task "${taskId}"${typeof file === 'string' && file ? ` in ${file}` : ''}. Call contracts_listTasks to see the task ids.`);
  const files = matches.map((t) => vscode.workspace.asRelativePath(vscode.Uri.parse(t.uri)));
  throw new Error(`${taskId} is in ${matches.length} files (${files.join(', ')}); pass file to say which.`);
}
