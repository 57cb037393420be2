import type { Transition } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';
import type { Ctx } from '../context';
import { pickTask, taskArgument } from '../taskTarget';
import { refOf, wantedTask, whyNot, type TaskRef } from './transitions';

/** The task a command moves, and the feedback its caller already gave (tests, verdicts). */
export interface TransitionTarget extends TaskRef {
  feedback?: string;
}

/** A tree row `{ task }`, or a code lens argument `{ uri, taskId, status }`: what the user saw when they clicked. */
export function targetFromArgument(arg: unknown): TransitionTarget | undefined {
  const argument = taskArgument(arg);
  if (!argument) return undefined;
  const feedback = argument.feedback !== undefined ? { feedback: argument.feedback } : {};
  if (argument.row) return { ...refOf(argument.row), ...feedback };
  // A lens is only shown on a contract with a known status.
  return { uri: argument.uri, taskId: argument.taskId, status: argument.status, hasContract: argument.status === undefined ? undefined : true, ...feedback };
}

/** The tasks `transition` applies to, in the server's order. */
export function movableTasks(tasks: readonly TaskSummary[], transition: Transition): TaskSummary[] {
  return tasks.filter((task) => whyNot(transition, refOf(task)) === undefined);
}

/** A quick pick of the tasks `transition` applies to; undefined when there is none or the user cancels. */
export async function pickTransitionTarget(ctx: Ctx, transition: Transition): Promise<TransitionTarget | undefined> {
  const wanted = wantedTask(transition).replace(/^an? /, '');
  const picked = await pickTask(ctx, {
    title: `${transition.title}: which task?`,
    accept: (task) => whyNot(transition, refOf(task)) === undefined,
    none: `No ${wanted} to ${transition.title.toLowerCase()}`,
  });
  return picked && refOf(picked);
}
