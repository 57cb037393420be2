import type { ContractStatusName, TaskSummary } from '../../../shared/protocol';
import { LIFECYCLE_MOVES } from '../views/statuses';

/** A command that changes a task through `contracts/transition`. */
export interface Move {
  /** The `transition` asked of the server. */
  name: string;
  title: string;
  command: string;
  /** The statuses the task may have; undefined: the task must have no contract yet. */
  from?: readonly ContractStatusName[];
  versions: ReadonlyArray<1 | 2>;
}

const ADD_CONTRACT: Move = { name: 'addContract', title: 'Add Contract', command: 'contracts.addContract', versions: [1, 2] };

export const MOVES: readonly Move[] = [...LIFECYCLE_MOVES, ADD_CONTRACT];

export function moveOf(command: string): Move {
  const move = MOVES.find((m) => m.command === command);
  if (!move) throw new Error(`${command} is not a lifecycle command`);
  return move;
}

/** What the client knows of the task a move is aimed at; fields it does not know stay undefined. */
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
 * Why `move` cannot apply to `task`, in words for a person, or undefined.
 * The server checks again on the current text; this only spares a round trip
 * and explains a click on a stale menu or a palette run on the wrong task.
 */
export function whyNot(move: Move, task: TaskRef): string | undefined {
  const verb = move.title.toLowerCase();
  if (move.from === undefined) {
    return task.hasContract || task.status !== undefined ? `${task.taskId} already has a contract.` : undefined;
  }
  if (task.boardVersion !== undefined && !move.versions.includes(task.boardVersion)) {
    return `Cannot ${verb} ${task.taskId}: ${move.title} exists only on Brainfile v${move.versions.join(' and v')} boards.`;
  }
  if ((move.from as readonly string[]).includes(task.status ?? '')) return undefined;
  const now = task.status === undefined ? (task.hasContract === false ? 'has no contract' : 'has no contract status') : `is ${task.status}`;
  return `Cannot ${verb} ${task.taskId}: it ${now}, and ${move.title} needs a ${move.from.join(' or ')} task.`;
}

/** "claimed" for in_progress: the move that usually leads to a status, in the past tense. */
export function pastTenseOf(status: string): string {
  const move = LIFECYCLE_MOVES.find((m) => m.to === status);
  if (!move) return 'changed';
  const verb = move.title.toLowerCase();
  return verb.endsWith('e') ? `${verb}d` : `${verb}ed`;
}
