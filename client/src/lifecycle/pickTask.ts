import * as vscode from 'vscode';
import { TasksRequest, type TaskSummary, type TasksResult } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { refOf, whyNot, type Move, type TaskRef } from './moves';

/** The task a command moves, and the feedback its caller already gave (tests, verdicts). */
export interface MoveTarget extends TaskRef {
  feedback?: string;
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function isSummary(value: unknown): value is TaskSummary {
  return isObject(value) && typeof value.uri === 'string' && typeof value.id === 'string';
}

/** A tree item exposing `task`, or a code lens argument `{ uri, taskId, status, version }`. */
export function targetFromArgument(arg: unknown): MoveTarget | undefined {
  if (!isObject(arg)) return undefined;
  const feedback = typeof arg.feedback === 'string' ? { feedback: arg.feedback } : {};
  if (isSummary(arg.task)) return { ...refOf(arg.task), ...feedback };
  if (typeof arg.uri === 'string' && typeof arg.taskId === 'string') {
    // A lens is only shown on a contract with a known status.
    const status = typeof arg.status === 'string' ? arg.status : undefined;
    return { uri: arg.uri, taskId: arg.taskId, status, hasContract: status === undefined ? undefined : true, ...feedback };
  }
  return undefined;
}

/** Every task `move` applies to now, in the server's order. */
export async function movableTasks(ctx: Ctx, move: Move): Promise<TasksResult> {
  const client = ctx.client;
  if (!client) return { tasks: [], indexed: false };
  const result = await client.sendRequest<TasksResult>(TasksRequest, {});
  return { ...result, tasks: result.tasks.filter((task) => whyNot(move, refOf(task)) === undefined) };
}

/** A quick pick of the tasks `move` applies to; undefined when there is none or the user cancels. */
export async function pickTask(ctx: Ctx, move: Move): Promise<MoveTarget | undefined> {
  if (!ctx.client) {
    void vscode.window.showWarningMessage('The Contracts language server is not running; try again once it has started.');
    return undefined;
  }
  const { tasks, indexed } = await movableTasks(ctx, move);
  if (tasks.length === 0) {
    const wanted = move.from === undefined ? 'task without a contract' : `${move.from.join(' or ')} task`;
    const more = indexed ? '' : ' (the workspace is still being scanned)';
    void vscode.window.showInformationMessage(`No ${wanted} to ${move.title.toLowerCase()}${more}.`);
    return undefined;
  }
  const items = tasks.map((task) => ({
    label: task.id,
    description: task.title,
    detail: [task.boardTitle, task.assignee && `assigned to ${task.assignee}`].filter(Boolean).join(' · '),
    task,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${move.title}: which task?`,
    placeHolder: 'Type a task id or title',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked && refOf(picked.task);
}
