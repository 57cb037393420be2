import * as vscode from 'vscode';
import { transitionsFrom } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';
import type { TaskStore } from '../taskStore';
import { describeTransitions, groupKeyOf, STATUS_LABELS, transitionBetween, type StatusGroupKey } from './statuses';
import type { TaskNode, TaskTreeNode } from './taskNodes';
import type { TaskTreeProvider } from './taskTree';

export const TASKS_MIME = 'application/vnd.code.tree.contracts.tasks';

/**
 * Dragging a task onto a status group runs the lifecycle command for that
 * move, so a drop does exactly what the menu item would (and can be undone).
 * A move the lifecycle does not allow is refused with the moves that are.
 */
export class TaskDragAndDrop implements vscode.TreeDragAndDropController<TaskTreeNode> {
  readonly dragMimeTypes = [TASKS_MIME];
  readonly dropMimeTypes = [TASKS_MIME];

  constructor(
    private readonly store: TaskStore,
    private readonly tree: TaskTreeProvider,
  ) {}

  handleDrag(source: readonly TaskTreeNode[], dataTransfer: vscode.DataTransfer): void {
    const keys = source.filter((node): node is TaskNode => node.kind === 'task').map((node) => node.key);
    // Keys, not objects: the drop looks the tasks up again, as they may have changed meanwhile.
    if (keys.length) dataTransfer.set(TASKS_MIME, new vscode.DataTransferItem(JSON.stringify(keys)));
  }

  async handleDrop(target: TaskTreeNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const item = dataTransfer.get(TASKS_MIME);
    if (!item) return;
    // VS Code's own item for this mime holds the dragged elements; ours holds their keys.
    const value: unknown = item.value;
    const keys = Array.isArray(value) ? value.filter(isTaskNode).map((node) => node.key) : parseKeys(await item.asString());
    const refusals = await this.drop(target, keys, token);
    for (const refusal of refusals) void vscode.window.showWarningMessage(refusal);
  }

  /** Moves the tasks to the target's status; returns why each refused one could not move. */
  async drop(target: TaskTreeNode | undefined, keys: readonly string[], token?: vscode.CancellationToken): Promise<string[]> {
    const status = targetStatus(target);
    if (!status) return [];
    const refusals: string[] = [];
    for (const key of keys) {
      if (token?.isCancellationRequested) break;
      const task = this.store.byTaskKey(key);
      const row = this.tree.nodeFor(key);
      if (!task || !row) continue;
      const refusal = await dropTask(row, task, status);
      if (refusal) refusals.push(refusal);
    }
    return refusals;
  }
}

/** Runs the lifecycle command for the transition, or says why there is none. */
async function dropTask(row: TaskNode, task: TaskSummary, target: StatusGroupKey): Promise<string | undefined> {
  const from = groupKeyOf(task);
  if (from === target) return undefined;
  if (from === 'none') return `${task.id} has no contract. Add one first ("Contracts: Add Contract to Task").`;
  if (from === 'invalid') return `${task.id} has no valid contract status; fix its status before moving it.`;
  if (target === 'none' || target === 'invalid') return `A task cannot be moved to "${STATUS_LABELS[target]}".`;
  const transition = transitionBetween(task.status, target, task.version);
  if (transition) {
    await vscode.commands.executeCommand(transition.command, row);
    return undefined;
  }
  const allowed = transitionsFrom(task.status, task.version);
  const options = allowed.length ? `From ${STATUS_LABELS[from]} you can: ${describeTransitions(allowed)}.` : `${STATUS_LABELS[from]} is final: no move leaves it.`;
  return `Cannot move ${task.id} from ${STATUS_LABELS[from]} to ${STATUS_LABELS[target]}. ${options}`;
}

/** A drop on a task counts as a drop on its group. */
function targetStatus(target: TaskTreeNode | undefined): StatusGroupKey | undefined {
  if (!target || target.kind === 'board') return undefined;
  if (target.kind === 'status') return target.status;
  if (target.kind === 'task') return target.parent.status;
  return target.parent.parent.status;
}

function isTaskNode(value: unknown): value is TaskNode {
  return typeof value === 'object' && value !== null && (value as TaskNode).kind === 'task';
}

function parseKeys(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
