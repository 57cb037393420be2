import type * as vscode from 'vscode';
import type { TaskSummary } from '../../../shared/protocol';
import type { StatusGroupKey } from './statuses';

/**
 * The elements of the Tasks tree. Node objects are kept per id across
 * refreshes (VS Code finds the rows to refresh by object identity), and
 * updated in place.
 */
export type TaskTreeNode = BoardGroupNode | StatusGroupNode | TaskNode | CheckNode;

/** A board (a v1 file or a v2 folder) when grouping by board. Id `board:<boardUri>`. */
export interface BoardGroupNode {
  kind: 'board';
  id: string;
  boardUri: string;
  title: string;
  count: number;
}

/** A status group. Id `status:<s>`, or `board:<boardUri>:status:<s>` under a board. */
export interface StatusGroupNode {
  kind: 'status';
  id: string;
  status: StatusGroupKey;
  count: number;
  parent?: BoardGroupNode;
}

/** One task row. Id `${uri}#${taskId}`. Commands from the tree receive this, so it carries `task`. */
export interface TaskNode {
  kind: 'task';
  id: string;
  key: string;
  task: TaskSummary;
  parent: StatusGroupNode;
}

/** A row under a task, supplied by the validation runner. */
export interface CheckNode {
  kind: 'check';
  id: string;
  parent: TaskNode;
  row: ValidationCheckRow;
}

export interface ValidationCheckRow {
  /** Unique under its task; the node id becomes `${taskId}/check:${id}`. */
  id: string;
  /** Its contextValue should be `validationCheck;kind=<command|deliverable>;state=<pass|fail|running|pending>;`. */
  item: vscode.TreeItem;
  /** Anything the row's commands need (they receive the CheckNode). */
  data?: unknown;
}

/**
 * How the validation runner decorates task rows: a `validating;` flag in the
 * contextValue and child rows. Plug one in with `TaskTreeProvider.setValidationRows`.
 */
export interface ValidationRowSource {
  /** Fires with the keys (`${uri}#${id}`) of the tasks whose rows changed. */
  readonly onDidChange: vscode.Event<readonly string[]>;
  isValidating(taskKey: string): boolean;
  checks(taskKey: string): readonly ValidationCheckRow[];
}
