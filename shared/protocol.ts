/**
 * Custom messages between the extension client and the language server.
 * Each is one typed `RequestType`/`NotificationType` here, imported on both
 * sides, so a method name, its params and its result cannot drift apart.
 * Only the protocol package (message types, LSP data shapes): never `vscode`.
 */
import { NotificationType, RequestType, RequestType0, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { ContractStatus, TransitionName } from './lifecycle';

/** One task as the client's tree shows it. */
export interface TaskSummary {
  uri: string;
  /** The document version the summary was computed from; undefined for files read from disk. */
  documentVersion?: number;
  id: string;
  title: string;
  /** The contract status, or undefined when the task has no contract (or its status is invalid). */
  status?: ContractStatus;
  hasContract: boolean;
  /** The raw status text when it is not a known status. */
  invalidStatus?: string;
  assignee?: string;
  priority?: string;
  column?: string;
  /** The board's title, and the uri of its board file (the config for v2). */
  boardTitle: string;
  boardUri: string;
  /** v2: no board file was found for this task; `boardUri` names where it should be. */
  boardMissing?: boolean;
  version: 1 | 2;
  location: 'column' | 'archive' | 'fence' | 'file';
  /** The whole task, and the id token. */
  range: Range;
  idRange: Range;
  deliverables: Array<{ type?: string; path?: string; description?: string }>;
  commands: string[];
  constraints: string[];
  feedback?: string;
}

export interface DeploymentSummary {
  uri: string;
  documentVersion?: number;
  status?: string;
  repository?: string;
  commit?: string;
  timestamp?: string;
  engine?: string;
  coverage?: { actual?: number; required?: number; met?: boolean };
  tests?: { total?: number; passed?: number; failed?: number };
  /** Number of error diagnostics in the file. */
  errorCount: number;
}

export interface TasksParams {
  /**
   * The board listings the client holds (`TasksResult.boards`: key → revision).
   * When given (even empty), the answer comes grouped by board, and a board
   * whose revision is unchanged comes without its tasks: a 5,000-task board
   * is about 4 MB of JSON, too much to send after every change elsewhere.
   */
  known?: Record<string, string>;
  /**
   * With `known`: the most tasks one answer builds and sends (across its boards). A board not done comes with
   * `BoardListing.next`; the client asks again at once with `resume`, until no board has `next`. Without it, every
   * board comes whole (or as all its changes): the 5,000-task board's first listing was one answer of 3 MB.
   */
  pageSize?: number;
  /** Where to go on with the boards whose last answer had `next`: their key → the revision paged through and that `next`. */
  resume?: Record<string, { revision: string; from: number }>;
}

/** The fields a board's listing sends once (`BoardListing.shared`) when every task of it has the same value. */
export type SharedTaskField = 'boardTitle' | 'boardUri' | 'boardMissing' | 'version' | 'location';

/** A range as four numbers: start line, start character, end line, end character. */
export type CompactRange = [number, number, number, number];

/**
 * A task as a grouped answer sends it: without the fields its listing shares (`BoardListing.shared`), its ranges as four
 * numbers. The 10,000-task listing was 6 MB, a fifth of it the same board title and uri, a quarter the ranges' key names.
 * `mergeListing` (shared/taskListing.ts) gives back the `TaskSummary`.
 */
export type ListedTask = Omit<TaskSummary, SharedTaskField | 'range' | 'idRange'> & Partial<Pick<TaskSummary, SharedTaskField>> & { range: CompactRange; idRange: CompactRange };

/** One board's tasks in a grouped answer. */
export interface BoardListing {
  /** Names the board across answers (its board file, or the folder of a v2 board without one). */
  key: string;
  /** Changes whenever any of its tasks may have changed; unique per server process. */
  revision: string;
  /** Absent when the client holds this revision already (`TasksParams.known`), or when `changes` say what changed. */
  tasks?: ListedTask[];
  /** With `tasks` or `changes`: the fields every task of the board has alike, left out of each. */
  shared?: Partial<Pick<TaskSummary, SharedTaskField>>;
  /** Instead of `tasks`: the changes since the revision the client holds (`mergeListing` in shared/taskListing.ts applies them). */
  changes?: ListingChanges;
  /**
   * A page (`TasksParams.pageSize`): the index of the first task its `tasks` or `changes` are of (absent: 0); the
   * client asked to resume at it, for this revision. When the board changed meanwhile, the page starts again at 0.
   */
  from?: number;
  /** Present when the board has more tasks than this page: where the next page starts (`TasksParams.resume`). */
  next?: number;
}

/** A board's tasks as changes to an earlier listing of it: an edit in one task of a 5,000-task board sends that task. */
export interface ListingChanges {
  /** How many tasks the board has now; in a page with `next`, where the page ends (it is of the tasks `[from, count)`). */
  count: number;
  /** The tasks that differ (in more than `documentVersion` and a shift of their lines) from the earlier listing's at the same index. */
  changed: Array<[number, ListedTask]>;
  /**
   * Runs of tasks `[from, to)` that equal the earlier listing's at the same index with every line moved by `lines`
   * (a line added or removed above them): a line added at the top of a 5,000-task board sends one run, not 4 MB.
   * Absent when there are none.
   */
  shifted?: Array<[from: number, to: number, lines: number]>;
  /** The `documentVersion` of every open document of the board; a task of a document not named has none. */
  versions: Record<string, number>;
}

export interface TasksResult {
  /** Every task, in board order; empty when the answer is grouped (`boards`). */
  tasks: TaskSummary[];
  /** With `TasksParams.known`: every board, in order, each with its tasks unless unchanged. */
  boards?: BoardListing[];
  /** False while the first workspace scan is still running. */
  indexed: boolean;
}
/** client → server: every task in the workspace (open documents win over disk). */
export const TasksRequest = new RequestType<TasksParams | undefined, TasksResult, void>('contracts/tasks');

export interface DeploymentsResult {
  deployments: DeploymentSummary[];
  indexed: boolean;
}
/** client → server: every deployment contract in the workspace. */
export const DeploymentsRequest = new RequestType0<DeploymentsResult, void>('contracts/deployments');

export interface DidChangeTasksParams {
  /** The documents whose tasks changed. */
  uris: string[];
}
/** server → client: the set of tasks or deployments changed; the client re-asks. */
export const DidChangeTasksNotification = new NotificationType<DidChangeTasksParams>('contracts/didChangeTasks');

export interface TransitionParams {
  uri: string;
  taskId: string;
  /** A status transition (`claim`, `reject`…) or `addContract` (a skeleton contract). */
  transition: TransitionName;
  /** The status the client saw; the transition is refused if the task no longer has it. */
  expectedStatus?: string;
  /** The document version the client saw; a stale one is refused. */
  version?: number;
  /** Stored as the contract's `feedback`: the reviewer's words on reject, a validation verdict's summary. */
  feedback?: string;
  /** Written as the task's assignee on claim. */
  assignee?: string;
  /** The time of the transition (ISO, no milliseconds), written into metrics; the server's clock when absent. */
  now?: string;
  /** Also move the task to the column `columnMap` gives its new status. */
  moveToColumn?: boolean;
  columnMap?: Record<string, string>;
  /** With a column move: the task to land before (where a card was dropped; v2 also writes the lane's `position`s); none: the end of the column. */
  beforeTaskId?: string;
}
export interface TransitionResult {
  /** A WorkspaceEdit with versioned documentChanges, when the transition is allowed. */
  edit?: WorkspaceEdit;
  /** Why the transition was refused, in words for a person. */
  refused?: string;
  /** The status the task has now, when the refusal is a stale expectation. */
  currentStatus?: string;
  /** The statuses before and after, when it is allowed (`from` is absent for `addContract`). */
  from?: ContractStatus;
  to?: ContractStatus;
  /** What the transition left undone and why, e.g. a column the board does not have. */
  notes?: string[];
}
/** client → server: a versioned WorkspaceEdit for one lifecycle transition, or why not. */
export const TransitionRequest = new RequestType<TransitionParams, TransitionResult, void>('contracts/transition');

export interface ServerInfoResult {
  pid: number;
  indexed: boolean;
  documents: number;
}
/** client → server: facts about the server process, for the status view and recovery tests. */
export const ServerInfoRequest = new RequestType0<ServerInfoResult, void>('contracts/serverInfo');

export interface NextTaskCandidate {
  uri: string;
  taskId: string;
  title: string;
  /** The document version the choice was made on; undefined for files read from disk. */
  documentVersion?: number;
}
export interface NextTaskResult {
  /** The task to claim, when one is ready and unblocked. */
  task?: NextTaskCandidate;
  /** Every other ready task, with why it was not picked ("waits for task-3 (in_progress)"). */
  skipped: Array<NextTaskCandidate & { reason: string }>;
}
/** client → server: Claim Next, the ready task to take up first (priority, then position) whose blockers are all done. */
export const NextTaskRequest = new RequestType0<NextTaskResult, void>('contracts/nextTask');
