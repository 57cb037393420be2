import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { currentTasks, pickTask, storedTask, taskArgument } from '../taskTarget';
import { TaskStore } from '../taskStore';
import { selectedTask } from '../views';
import { isCheckableDeliverable } from '../../../shared/validation/deliverables';
import { plural } from '../../../shared/text';
import { VALIDATABLE_STATUSES } from '../../../shared/lifecycle';

/** The statuses validation is offered for: delivered gets a verdict, work under way a dry run. */
export const VALIDATABLE: readonly string[] = VALIDATABLE_STATUSES;

/** The task the command was invoked on (as the server has it now), or the one the user picks. */
export async function resolveTask(ctx: Ctx, arg: unknown): Promise<TaskSummary | undefined> {
  const argument = taskArgument(arg);
  if (argument) {
    const tasks = await currentTasks(ctx);
    if (!tasks) return undefined;
    const found = storedTask(TaskStore.of(ctx), argument);
    if (!found) void vscode.window.showWarningMessage(`${argument.taskId} is no longer in ${vscode.workspace.asRelativePath(vscode.Uri.parse(argument.uri))}.`);
    return found;
  }
  // The task selected in the Tasks view comes first; the user still says which.
  return pickTask(ctx, {
    title: 'Run Validation: which contract?',
    accept: (t) => t.status !== undefined && VALIDATABLE.includes(t.status),
    none: 'No delivered or in-progress contract to validate',
    detail: (task) => [task.status === 'delivered' ? 'delivered' : 'in progress: dry run, the status will not change', checksOf(task), task.boardTitle].join(' · '),
    first: selectedTask(ctx),
  });
}

function checksOf(task: TaskSummary): string {
  const files = task.deliverables.filter(isCheckableDeliverable).length;
  const parts = [plural(task.commands.length, 'command'), files ? plural(files, 'deliverable') : ''].filter(Boolean);
  return parts.join(', ');
}
