/**
 * The board view's messages with the language server: the kanban of one
 * board (`contracts/board`), a card moved to a column or a place in its lane
 * (`contracts/moveCard`) and a new task (`contracts/addTask`). Lifecycle moves
 * go through `contracts/transition` (protocol.ts). Typed messages, as in protocol.ts.
 */
import { RequestType, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { ContractStatus } from './lifecycle';

/** One card: what the board shows of a task. */
export interface BoardCard {
  id: string;
  title: string;
  /** The document that holds the task: the board (v1) or its task file (v2). */
  uri: string;
  status?: ContractStatus;
  /** The raw status text when it is not a known status. */
  invalidStatus?: string;
  hasContract: boolean;
  priority?: string;
  assignee?: string;
  tags: string[];
  /** Counts of the contract's deliverables and validation commands. */
  deliverables: number;
  commands: number;
  /** The first error inside the task, for the card's "invalid" marker. */
  problem?: string;
  /** The column the task is in (v1) or names (v2). */
  column?: string;
  range: Range;
  idRange: Range;
}

export interface BoardLane {
  id: string;
  title: string;
  cards: BoardCard[];
}

export interface BoardParams {
  /** Any file of the board: a v1 board, a v2 board config or one of its task files. */
  uri: string;
}
export interface BoardResult {
  /** False when `uri` is not part of a board the server knows; `reason` says why. */
  found: boolean;
  reason?: string;
  /** The board file (the config for v2). */
  uri: string;
  title: string;
  version: 1 | 2;
  /** The board file's document version, when it is open. */
  documentVersion?: number;
  lanes: BoardLane[];
  /** Tasks whose column the board does not declare. */
  unplaced: BoardCard[];
  /** The board file's first syntax error: the board shown may not be what the text means. */
  syntaxError?: { message: string; line: number };
}
/** client → server: the kanban of the board a file belongs to. */
export const BoardRequest = new RequestType<BoardParams, BoardResult, void>('contracts/board');

/** The answer to an edit request: a versioned WorkspaceEdit to apply, or why not. */
export interface BoardEditResult {
  edit?: WorkspaceEdit;
  refused?: string;
  notes?: string[];
}

export interface MoveCardParams {
  boardUri: string;
  taskId: string;
  toColumn: string;
  /** The card to land before in `toColumn`; none: the end of the lane. */
  beforeTaskId?: string;
  /** The column the client saw the task in; refused when it has moved since. */
  expectedColumn?: string;
  /** The version of the board document the client saw; a stale one is refused. */
  version?: number;
}
export type MoveCardResult = BoardEditResult;
/** client → server: a card placed in a column (and before a card), as a versioned edit. */
export const MoveCardRequest = new RequestType<MoveCardParams, MoveCardResult, void>('contracts/moveCard');

export interface AddTaskParams {
  boardUri: string;
  column: string;
  title: string;
  withContract: boolean;
  version?: number;
}
export interface AddTaskResult extends BoardEditResult {
  /** The new task's id and the document that holds it. */
  id?: string;
  uri?: string;
}
/** client → server: a new task in a column, as a versioned edit. */
export const AddTaskRequest = new RequestType<AddTaskParams, AddTaskResult, void>('contracts/addTask');
