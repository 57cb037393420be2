import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { applyTransition, type TransitionOutcome } from '../lifecycle/applyTransition';
import type { Transition } from '../../../shared/lifecycle';
import { refOf, transitionOf, whyNot } from '../lifecycle/transitions';
import { pickTransitionTarget, targetFromArgument, type TransitionTarget } from '../lifecycle/pickTask';
import { showRefusal } from '../lifecycle/report';
import { selectedTask } from '../views';

/**
 * The lifecycle commands. Each takes a tree item `{ task }`, a code lens
 * argument, or nothing (then the Tasks view's selection, else a quick pick of
 * the tasks it can move), and returns the outcome so callers can tell what happened.
 */
function transitionCommand(command: string) {
  const transition = transitionOf(command);
  return (ctx: Ctx) =>
    async (arg?: unknown): Promise<TransitionOutcome> => {
      const target = targetFromArgument(arg) ?? selectionFor(ctx, transition) ?? (await pickTransitionTarget(ctx, transition));
      if (!target) return { applied: false, reason: 'No task was chosen.' };
      // Menus hide moves that do not apply, but a stale menu, a lens or a keybinding may still ask.
      const notAllowed = whyNot(transition, target);
      if (notAllowed) {
        showRefusal(ctx, notAllowed);
        return { applied: false, reason: notAllowed };
      }
      const feedback = await feedbackFor(transition, target);
      if (feedback === null) return { applied: false, reason: 'Cancelled.' };
      return applyTransition(ctx, { uri: target.uri, taskId: target.taskId, transition: transition.name, expectedStatus: target.status, feedback });
    };
}

/** The selected task, when the move applies to it; otherwise the user picks from those it applies to. */
function selectionFor(ctx: Ctx, transition: Transition): TransitionTarget | undefined {
  const task = selectedTask(ctx);
  const target = task && refOf(task);
  return target && !whyNot(transition, target) ? target : undefined;
}

/** Reject needs to say what must change; null when the user cancels. */
async function feedbackFor(transition: Transition, target: TransitionTarget): Promise<string | undefined | null> {
  if (transition.name !== 'reject') return target.feedback;
  if (target.feedback !== undefined) return target.feedback;
  const text = await vscode.window.showInputBox({
    title: `Reject ${target.taskId}`,
    prompt: 'What must change before this can be approved? Stored as the contract\'s feedback.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Say what must change.'),
  });
  return text === undefined ? null : text.trim();
}

export const publish = transitionCommand('contracts.publish');
export const claim = transitionCommand('contracts.claim');
export const deliver = transitionCommand('contracts.deliver');
export const approve = transitionCommand('contracts.approve');
export const reject = transitionCommand('contracts.reject');
export const rework = transitionCommand('contracts.rework');
export const block = transitionCommand('contracts.block');
export const unblock = transitionCommand('contracts.unblock');
export const cancel = transitionCommand('contracts.cancel');
export const addContract = transitionCommand('contracts.addContract');
