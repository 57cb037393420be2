import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { applyTransition, type TransitionOutcome } from '../lifecycle/applyTransition';
import { moveOf, refOf, whyNot, type Move } from '../lifecycle/moves';
import { pickTask, targetFromArgument, type MoveTarget } from '../lifecycle/pickTask';
import { showRefusal } from '../lifecycle/report';
import { selectedTask } from '../views';

/**
 * The lifecycle commands. Each takes a tree item `{ task }`, a code lens
 * argument, or nothing (then the Tasks view's selection, else a quick pick of
 * the tasks it can move), and returns the outcome so callers can tell what happened.
 */
function moveCommand(command: string) {
  const move = moveOf(command);
  return (ctx: Ctx) =>
    async (arg?: unknown): Promise<TransitionOutcome> => {
      const target = targetFromArgument(arg) ?? selectionFor(ctx, move) ?? (await pickTask(ctx, move));
      if (!target) return { applied: false, reason: 'No task was chosen.' };
      // Menus hide moves that do not apply, but a stale menu, a lens or a keybinding may still ask.
      const notAllowed = whyNot(move, target);
      if (notAllowed) {
        showRefusal(ctx, notAllowed);
        return { applied: false, reason: notAllowed };
      }
      const feedback = await feedbackFor(move, target);
      if (feedback === null) return { applied: false, reason: 'Cancelled.' };
      return applyTransition(ctx, { uri: target.uri, taskId: target.taskId, transition: move.name, expectedStatus: target.status, feedback });
    };
}

/** The selected task, when the move applies to it; otherwise the user picks from those it applies to. */
function selectionFor(ctx: Ctx, move: Move): MoveTarget | undefined {
  const task = selectedTask(ctx);
  const target = task && refOf(task);
  return target && !whyNot(move, target) ? target : undefined;
}

/** Reject needs to say what must change; null when the user cancels. */
async function feedbackFor(move: Move, target: MoveTarget): Promise<string | undefined | null> {
  if (move.name !== 'reject') return target.feedback;
  if (target.feedback !== undefined) return target.feedback;
  const text = await vscode.window.showInputBox({
    title: `Reject ${target.taskId}`,
    prompt: 'What must change before this can be approved? Stored as the contract\'s feedback.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Say what must change.'),
  });
  return text === undefined ? null : text.trim();
}

export const publish = moveCommand('contracts.publish');
export const claim = moveCommand('contracts.claim');
export const deliver = moveCommand('contracts.deliver');
export const approve = moveCommand('contracts.approve');
export const reject = moveCommand('contracts.reject');
export const rework = moveCommand('contracts.rework');
export const block = moveCommand('contracts.block');
export const unblock = moveCommand('contracts.unblock');
export const cancel = moveCommand('contracts.cancel');
export const addContract = moveCommand('contracts.addContract');
