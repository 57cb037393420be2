import type { ContractStatus } from './lifecycle';

/**
 * Custom messages between the extension client and the language server.
 * Each is defined once here and imported on both sides. Plain types only:
 * this file must not import `vscode` or the LSP packages.
 */

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export type ContractStatusName = ContractStatus;

/** One task as the client's tree shows it. */
export interface TaskSummary {
  uri: string;
  /** The document version the summary was computed from; undefined for files read from disk. */
  documentVersion?: number;
  id: string;
  title: string;
  /** The contract status, or undefined when the task has no contract (or its status is invalid). */
  status?: ContractStatusName;
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
  range: LspRange;
  idRange: LspRange;
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

/** client → server: every task in the workspace (open documents win over disk). */
export const TasksRequest = 'contracts/tasks';
export interface TasksResult {
  tasks: TaskSummary[];
  /** False while the first workspace scan is still running. */
  indexed: boolean;
}

/** client → server: every deployment contract in the workspace. */
export const DeploymentsRequest = 'contracts/deployments';
export interface DeploymentsResult {
  deployments: DeploymentSummary[];
  indexed: boolean;
}

/** server → client: the set of tasks or deployments changed; the client re-asks. */
export const DidChangeTasksNotification = 'contracts/didChangeTasks';
export interface DidChangeTasksParams {
  /** The documents whose tasks changed. */
  uris: string[];
}

/** client → server: a versioned WorkspaceEdit for one lifecycle move, or why not. */
export const TransitionRequest = 'contracts/transition';
export interface TransitionParams {
  uri: string;
  taskId: string;
  transition: string;
  /** The status the client saw; the move is refused if the task no longer has it. */
  expectedStatus?: string;
  /** The document version the client saw; a stale one is refused. */
  version?: number;
  /** Extra inputs: feedback for reject, assignee for claim, validation outcome. `transition: "addContract"` adds a skeleton contract. */
  feedback?: string;
  assignee?: string;
  now?: string;
  moveToColumn?: boolean;
  columnMap?: Record<string, string>;
}
export interface TransitionResult {
  /** An LSP WorkspaceEdit with versioned documentChanges, when the move is allowed. */
  edit?: unknown;
  /** Why the move was refused, in words for a person. */
  refused?: string;
  /** The status the task has now, when the refusal is a stale expectation. */
  currentStatus?: string;
  /** The statuses before and after the move, when it is allowed. */
  from?: string;
  to?: string;
  /** What the move left undone and why, e.g. a column the board does not have. */
  notes?: string[];
}

/** client → server: facts about the server process, for the status view and recovery tests. */
export const ServerInfoRequest = 'contracts/serverInfo';
export interface ServerInfoResult {
  pid: number;
  indexed: boolean;
  documents: number;
}

/** client → server: Claim Next, the ready task to take up first (priority, then position) whose blockers are all done. */
export const NextTaskRequest = 'contracts/nextTask';
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
