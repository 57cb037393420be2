import * as vscode from 'vscode';
import type { TaskSummary } from '../../shared/protocol';
import type { Ctx } from './context';
import { TaskStore } from './taskStore';

/**
 * "Which task?" for every command that acts on one (lifecycle, validation,
 * open): its argument first, then the `TaskStore`, then a quick pick.
 */

type Loose = Record<string, unknown>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

/** What a command's argument names: a tree row (`{ task, key? }`) or a code lens (`{ uri, taskId, status? }`). */
export interface TaskArgument {
  uri: string;
  taskId: string;
  /** A tree row's summary: what the user saw, maybe a refresh behind the store. */
  row?: TaskSummary;
  /** A tree row's unique key in the store. */
  key?: string;
  /** A lens's status (a lens shows only on a contract with a known status). */
  status?: string;
  /** Feedback the caller already gave (tests, validation verdicts). */
  feedback?: string;
}

/** The task a command argument names, or undefined (a palette run). */
export function taskArgument(arg: unknown): TaskArgument | undefined {
  if (!isObject(arg)) return undefined;
  const feedback = typeof arg.feedback === 'string' ? arg.feedback : undefined;
  const row = arg.task;
  if (isObject(row) && typeof row.uri === 'string' && typeof row.id === 'string') {
    const summary = row as unknown as TaskSummary;
    return { uri: summary.uri, taskId: summary.id, row: summary, key: typeof arg.key === 'string' ? arg.key : undefined, status: summary.status ?? summary.invalidStatus, feedback };
  }
  if (typeof arg.uri === 'string' && typeof arg.taskId === 'string') {
    return { uri: arg.uri, taskId: arg.taskId, status: typeof arg.status === 'string' ? arg.status : undefined, feedback };
  }
  return undefined;
}

/** The store's current copy of the argument's task. */
export function storedTask(store: TaskStore, argument: TaskArgument): TaskSummary | undefined {
  return (argument.key !== undefined ? store.byTaskKey(argument.key) : undefined) ?? store.find(argument.uri, argument.taskId);
}

/** The store's tasks after asking the server again: a row or a lens may be stale. */
export async function currentTasks(ctx: Ctx): Promise<readonly TaskSummary[] | undefined> {
  if (!ctx.client) {
    void vscode.window.showWarningMessage('The Contracts language server is not running; try again once it has started.');
    return undefined;
  }
  const store = TaskStore.of(ctx);
  await store.refresh();
  return store.tasks();
}

export interface TaskPick {
  /** The quick pick's title. */
  title: string;
  /** The tasks it offers. */
  accept: (task: TaskSummary) => boolean;
  /** What is shown when no task fits, e.g. "No ready task to claim". */
  none: string;
  /** The line under each task; board and assignee by default. */
  detail?: (task: TaskSummary) => string;
  /** A task to put first (the Tasks view's selection). */
  first?: TaskSummary;
}

/** A quick pick of the current tasks that `pick.accept` allows; undefined when there is none or the user cancels. */
export async function pickTask(ctx: Ctx, pick: TaskPick): Promise<TaskSummary | undefined> {
  const all = await currentTasks(ctx);
  if (!all) return undefined;
  const isFirst = (t: TaskSummary) => t.uri === pick.first?.uri && t.id === pick.first.id;
  const tasks = all.filter(pick.accept).sort((a, b) => Number(isFirst(b)) - Number(isFirst(a)));
  if (tasks.length === 0) {
    const more = TaskStore.of(ctx).indexed ? '' : ' (the workspace is still being scanned)';
    void vscode.window.showInformationMessage(`${pick.none}${more}.`);
    return undefined;
  }
  const detail = pick.detail ?? ((task: TaskSummary) => [task.boardTitle, task.assignee && `assigned to ${task.assignee}`].filter(Boolean).join(' · '));
  const picked = await vscode.window.showQuickPick(
    tasks.map((task) => ({ label: task.id, description: task.title, detail: detail(task), task })),
    { title: pick.title, placeHolder: 'Type a task id or title', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.task;
}
