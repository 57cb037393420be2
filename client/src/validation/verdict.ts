import * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { applyTransition } from '../lifecycle/applyTransition';
import type { ValidationResult } from '../../../shared/validation/runCommands';
import { describeOutcome, failureFeedback } from '../../../shared/validation/summary';
import { currentTasks } from '../taskTarget';
import { toVscodeRange } from '../ranges';

/**
 * Turns a finished run into a status change: approve on a pass, reject with
 * feedback on a failure, through the lifecycle's one guarded path. Never over
 * an edit the user made while the run went on.
 */

export type Verdict = 'applied' | 'not-applied' | 'asked' | 'none';

/** The task as it was when the run started, to tell whether the user edited it since. */
export interface TaskSnapshot {
  text: string;
  version: number;
}

export async function snapshotTask(task: TaskSummary): Promise<TaskSnapshot> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(task.uri));
  return { text: document.getText(toVscodeRange(task.range)), version: document.version };
}

export interface VerdictInput {
  task: TaskSummary;
  result: ValidationResult;
  snapshot: TaskSnapshot;
  /** Opens the output of the check that failed. */
  showFailure: () => void;
}

export async function deliverVerdict(ctx: Ctx, input: VerdictInput): Promise<{ verdict: Verdict; feedback?: string }> {
  const { task, result } = input;
  const outcome = result.outcome;
  if (outcome === 'cancelled') {
    void vscode.window.showInformationMessage(`Validation of ${task.id} was cancelled; its status is unchanged.`);
    return { verdict: 'none' };
  }
  if (outcome === 'nothing-checked') {
    // Nothing checked is never a pass: a person has to decide.
    void vscode.window
      .showWarningMessage(`${task.id}: ${describeOutcome(result)}. It stays delivered.`, 'Approve by Hand')
      .then((choice) => (choice ? applyTransition(ctx, { uri: task.uri, taskId: task.id, transition: 'approve', expectedStatus: 'delivered' }) : undefined))
      .then(undefined, (error: unknown) => ctx.log.warn(`Approve by hand: ${String(error)}`));
    return { verdict: 'none' };
  }
  const passed = outcome === 'passed';
  const feedback = passed ? undefined : failureFeedback(result);
  const transition = passed ? 'approve' : 'reject';
  const apply = () =>
    applyTransition(ctx, { uri: task.uri, taskId: task.id, transition, expectedStatus: 'delivered', feedback });
  const told = () => tellVerdict(task, result, input.showFailure);

  if (await changedSince(ctx, task, input.snapshot)) {
    // The user edited the task during the run: show the verdict and let them choose.
    const what = passed ? 'passed' : `failed (${describeOutcome(result)})`;
    void vscode.window
      .showWarningMessage(`${task.id} changed while its validation ran. The validation ${what}. Apply the verdict (${transition}) to the changed task?`, 'Apply Verdict', 'Discard')
      .then(async (choice) => {
        if (choice === 'Apply Verdict' && (await apply()).applied) told();
      })
      .then(undefined, (error: unknown) => ctx.log.warn(`Applying a validation verdict: ${String(error)}`));
    return { verdict: 'asked', feedback };
  }
  const moved = await apply();
  if (moved.applied) told();
  return { verdict: moved.applied ? 'applied' : 'not-applied', feedback };
}

/** A dry run (in_progress) only reports. */
export function reportDryRun(task: TaskSummary, result: ValidationResult, showFailure: () => void): void {
  const text = `${task.id} (dry run, status unchanged): ${describeOutcome(result)}.`;
  if (result.outcome === 'passed') void vscode.window.showInformationMessage(text);
  else if (result.outcome === 'failed') void vscode.window.showWarningMessage(text, 'Show Output').then((c) => c && showFailure());
  else void vscode.window.showInformationMessage(text);
}

function tellVerdict(task: TaskSummary, result: ValidationResult, showFailure: () => void): void {
  if (result.outcome === 'passed') {
    void vscode.window.showInformationMessage(`${task.id} passed validation (${describeOutcome(result)}) and is now done.`);
  } else {
    void vscode.window.showWarningMessage(`${task.id} failed validation and is now failed: ${describeOutcome(result)}.`, 'Show Output').then((c) => c && showFailure());
  }
}

/** Whether the task's text or status changed since the snapshot; a task that is gone counts as changed. */
async function changedSince(ctx: Ctx, task: TaskSummary, snapshot: TaskSnapshot): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(task.uri));
  if (document.version === snapshot.version) return false;
  const now = (await currentTasks(ctx))?.find((t) => t.uri === task.uri && t.id === task.id);
  if (!now || now.status !== 'delivered') return true;
  // The server may not have seen the latest keystroke yet; then its range cannot be trusted.
  if (now.documentVersion !== undefined && now.documentVersion !== document.version) return true;
  return document.getText(toVscodeRange(now.range)) !== snapshot.text;
}
