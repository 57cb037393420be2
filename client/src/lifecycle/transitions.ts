import { fromText, startsFrom, STATUS_TRANSITIONS, TRANSITIONS, type Transition } from '../../../shared/lifecycle';
import type { TaskSummary } from '../../../shared/protocol';

/** The transition a lifecycle command performs (`contracts.claim` → claim). */
export function transitionOf(command: string): Transition {
  const transition = TRANSITIONS.find((t) => t.command === command);
  if (!transition) throw new Error(`${command} is not a lifecycle command`);
  return transition;
}

/** What the client knows of the task a transition is aimed at; fields it does not know stay undefined. */
export interface TaskRef {
  uri: string;
  taskId: string;
  status?: string;
  hasContract?: boolean;
  /** The Brainfile version of the board (not the document version). */
  boardVersion?: 1 | 2;
}

export function refOf(task: TaskSummary): TaskRef {
  return { uri: task.uri, taskId: task.id, status: task.status ?? task.invalidStatus, hasContract: task.hasContract, boardVersion: task.version };
}

/**
 * Why `transition` cannot apply to `task`, in words for a person, or undefined.
 * The server checks again on the current text; this only spares a round trip
 * and explains a click on a stale menu or a palette run on the wrong task.
 */
export function whyNot(transition: Transition, task: TaskRef): string | undefined {
  const verb = transition.title.toLowerCase();
  if (transition.from === undefined) {
    return task.hasContract || task.status !== undefined ? `${task.taskId} already has a contract.` : undefined;
  }
  if (startsFrom(transition, task.status)) return undefined;
  const now = task.status === undefined ? (task.hasContract === false ? 'has no contract' : 'has no contract status') : `is ${task.status}`;
  return `Cannot ${verb} ${task.taskId}: it ${now}, and ${transition.title} needs ${wantedTask(transition)}.`;
}

/** "a ready task", or "a task that is in_progress or reworking": what a transition starts from. */
export function wantedTask(transition: Transition): string {
  if (transition.from === undefined) return 'a task without a contract';
  return transition.from.length === 1 ? `a ${fromText(transition)} task` : `a task that is ${fromText(transition)}`;
}

/** "claimed" for in_progress: the transition that usually leads to a status, in the past tense. */
export function pastTenseOf(status: string): string {
  const transition = STATUS_TRANSITIONS.find((t) => t.to === status);
  if (!transition) return 'changed';
  const verb = transition.title.toLowerCase();
  if (verb.endsWith('e')) return `${verb}d`;
  // British spelling, as the status itself: cancel → cancelled.
  return verb.endsWith('el') ? `${verb}led` : `${verb}ed`;
}
