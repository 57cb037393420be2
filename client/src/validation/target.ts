import * as vscode from 'vscode';
import { TasksRequest, type TaskSummary, type TasksResult } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { selectedTask } from '../views';
import { isCheckableDeliverable } from '../../../shared/validation/deliverables';
import { plural } from '../../../shared/validation/summary';

/** The statuses validation is offered for: delivered gets a verdict, in_progress a dry run. */
export const VALIDATABLE = ['delivered', 'in_progress'];

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

/** `{ uri, taskId }` from a tree item (`{ task }`) or a code lens argument; undefined from the palette. */
export function refFromArgument(arg: unknown): { uri: string; taskId: string } | undefined {
  if (!isObject(arg)) return undefined;
  const task = arg.task;
  if (isObject(task) && typeof task.uri === 'string' && typeof task.id === 'string') return { uri: task.uri, taskId: task.id };
  if (typeof arg.uri === 'string' && typeof arg.taskId === 'string') return { uri: arg.uri, taskId: arg.taskId };
  return undefined;
}

/** The current tasks, asked of the server now: a tree item or a lens may be stale. */
export async function fetchTasks(ctx: Ctx): Promise<TaskSummary[] | undefined> {
  const client = ctx.client;
  if (!client) {
    void vscode.window.showWarningMessage('The Contracts language server is not running; try again once it has started.');
    return undefined;
  }
  return (await client.sendRequest<TasksResult>(TasksRequest, {})).tasks;
}

/** The task the command was invoked on, or the one the user picks. */
export async function resolveTask(ctx: Ctx, arg: unknown): Promise<TaskSummary | undefined> {
  const tasks = await fetchTasks(ctx);
  if (!tasks) return undefined;
  const ref = refFromArgument(arg);
  if (ref) {
    const found = tasks.find((t) => t.uri === ref.uri && t.id === ref.taskId);
    if (!found) void vscode.window.showWarningMessage(`${ref.taskId} is no longer in ${vscode.workspace.asRelativePath(vscode.Uri.parse(ref.uri))}.`);
    return found;
  }
  // The task selected in the Tasks view comes first; the user still says which.
  const selected = selectedTask(ctx);
  const isSelected = (t: TaskSummary) => t.uri === selected?.uri && t.id === selected.id;
  const candidates = tasks.filter((t) => t.status !== undefined && VALIDATABLE.includes(t.status)).sort((a, b) => Number(isSelected(b)) - Number(isSelected(a)));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No delivered or in-progress contract to validate.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((task) => ({
      label: task.id,
      description: task.title,
      detail: [task.status === 'delivered' ? 'delivered' : 'in progress: dry run, the status will not change', checksOf(task), task.boardTitle].join(' · '),
      task,
    })),
    { title: 'Run Validation: which contract?', placeHolder: 'Type a task id or title', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.task;
}

function checksOf(task: TaskSummary): string {
  const files = task.deliverables.filter(isCheckableDeliverable).length;
  const parts = [plural(task.commands.length, 'command'), files ? plural(files, 'deliverable') : ''].filter(Boolean);
  return parts.join(', ');
}
