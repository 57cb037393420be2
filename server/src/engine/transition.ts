import type { DocumentAnalysis } from './analyze';
import { describeNode, getValue, type ObjectNode } from './dataNode';
import { ADD_CONTRACT, findTransition, initialStatus, isContractStatus, statusesFor, transitionsFrom, TRANSITIONS, type ContractStatus, type Transition } from '../../../shared/lifecycle';
import type { TaskInfo } from './model';
import { relocateItem } from './taskItems';
import { mapping, plain, quoted, raw, sortEdits, YamlEditor, type OffsetEdit, type YamlValue } from './yamlEdit';
import { baseName } from '../../../shared/text';

/**
 * One lifecycle move of one task as minimal text edits: the status scalar,
 * the metrics, feedback, assignee and optionally the task's column. Refuses,
 * changing nothing, whenever the document or the move is not what it should be.
 */

export interface TransitionInput {
  taskId: string;
  /** A transition name (`claim`, ...) or `addContract`. */
  transition: string;
  /** The status the caller saw: compare-and-swap against the document. */
  expectedStatus?: string;
  /** The time of the move as an ISO date-time, written into metrics. */
  now: string;
  /** Written as the task's assignee on claim. */
  assignee?: string;
  /** Stored in the contract's `feedback` on approve or reject (a validation verdict). */
  feedback?: string;
  moveToColumn?: boolean;
  /** The column id each status belongs in, for `moveToColumn`. */
  columnMap?: Record<string, string>;
  /** v2: the column ids the board declares; a move to another column is skipped. */
  boardColumns?: string[];
  /** v1, with a column move: the task of the target column to land before; none: the end of the column (v2: see the transition handler's placeV2Drop). */
  beforeTaskId?: string;
  /** v2 (a task file): the `position` to write with the move, its place in the lane it was dropped in. */
  position?: number;
}

export interface TransitionEdits {
  /** Non-overlapping edits against `analysis.text`, in document order. */
  edits: OffsetEdit[];
  from?: ContractStatus;
  to: ContractStatus;
  /** What was left undone and why (a column move that could not happen). */
  notes: string[];
}

export interface TransitionRefusal {
  refused: string;
  /** The status the task has now, when the caller expected another one. */
  currentStatus?: string;
}

export type TransitionOutcome = TransitionEdits | TransitionRefusal;

export function isRefusal(outcome: TransitionOutcome): outcome is TransitionRefusal {
  return 'refused' in outcome;
}

/** Codes that mean the YAML is not what it looks like: never edit it. */
const BROKEN_CODES = new Set(['yaml-syntax', 'frontmatter-unclosed', 'frontmatter-unopened', 'duplicate-key', 'nesting-too-deep', 'alias-limit']);

export function computeTransition(analysis: DocumentAnalysis, input: TransitionInput): TransitionOutcome {
  const found = findTask(analysis, input.taskId);
  if ('refused' in found) return found;
  const { task } = found;
  const version = analysis.version ?? 1;
  if (input.transition === ADD_CONTRACT.name) return addContract(analysis, task, version);

  const move = findTransition(input.transition);
  if (!move) return { refused: `Unknown move "${input.transition}". Expected one of ${TRANSITIONS.map((t) => t.name).join(', ')}.` };
  const contract = task.contract;
  if (!task.contractNode) return { refused: `${input.taskId} has no contract, so it cannot ${move.name}. Add a contract first.` };
  if (!contract) return { refused: `The contract of ${input.taskId} is not a mapping of fields, so it cannot ${move.name}. Fix the contract first.` };
  const status = contract.status;
  if (!isContractStatus(status) || !statusesFor(version).includes(status)) {
    const written = contract.statusNode ? ` (found ${describeNode(contract.statusNode)})` : '';
    return { refused: `The contract of ${input.taskId} has no valid status${written}. Brainfile v${version} allows ${statusesFor(version).join(', ')}.` };
  }
  if (input.expectedStatus !== undefined && input.expectedStatus !== status) {
    return { refused: `${input.taskId} was moved by another change; it is now ${status}, not ${input.expectedStatus}.`, currentStatus: status };
  }
  const allowed = transitionsFrom(status, version);
  if (!allowed.includes(move)) return { refused: disallowedReason(input.taskId, move, status, allowed) };

  const notes: string[] = [];
  const column = input.moveToColumn ? targetColumn(input, move.to, notes) : undefined;
  const editor = new YamlEditor(analysis.text, analysis.lines);
  const contractProblem = editor.setProperties(contract.node, contractEntries(move, contract.node, input));
  if (contractProblem) return { refused: `Cannot ${move.name} ${input.taskId}: ${contractProblem} in its contract.` };
  // A position goes beside the column, where a card move puts it.
  const anchors = input.position !== undefined ? ['column', 'title', 'id'] : ['title', 'id'];
  const taskProblem = editor.setProperties(task.node, taskEntries(move, task, input, column, notes), anchors);
  if (taskProblem) return { refused: `Cannot ${move.name} ${input.taskId}: ${taskProblem}.` };

  if (column !== undefined && version === 1) {
    const moved = moveToColumn(analysis, task, editor, column, input.beforeTaskId, notes);
    if (moved) return { edits: moved, from: status, to: move.to, notes };
  }
  return { edits: sortEdits(editor.edits), from: status, to: move.to, notes };
}

function findTask(analysis: DocumentAnalysis, taskId: string): { task: TaskInfo } | TransitionRefusal {
  const file = baseName(analysis.path);
  if (analysis.skipped) return { refused: `${file} is not checked (${analysis.skipped === 'too-large' ? 'too large' : 'binary content'}), so it is not edited.` };
  if (analysis.kind !== 'board' && analysis.kind !== 'task') return { refused: `${file} is not a Brainfile board or task file.` };
  const unclosed = analysis.diagnostics.find((d) => d.code === 'frontmatter-unclosed');
  if (unclosed) return { refused: brokenReason(analysis, taskId, unclosed) };
  const tasks = analysis.task ? [analysis.task] : (analysis.board?.tasks ?? []);
  const matches = tasks.filter((t) => t.id === taskId);
  if (!matches.length) return { refused: `No task "${taskId}" in ${file}.` };
  if (matches.length > 1) {
    const lines = matches.map((t) => analysis.lines.positionAt(t.idNode!.range.start).line + 1);
    return { refused: `${taskId} appears ${matches.length} times in ${file} (lines ${lines.join(', ')}). Give each task its own id first.` };
  }
  const task = matches[0];
  const { region } = task;
  const broken = analysis.diagnostics.find(
    (d) => BROKEN_CODES.has(d.code) && d.range.start <= region.content.end && d.range.end >= Math.min(region.open.start, region.content.start),
  );
  if (broken) return { refused: brokenReason(analysis, taskId, broken) };
  return { task };
}

function brokenReason(analysis: DocumentAnalysis, taskId: string, fault: { range: { start: number }; message: string }): string {
  const line = analysis.lines.positionAt(fault.range.start).line + 1;
  return `The YAML around ${taskId} has errors (line ${line}: ${fault.message}) Fix them first; nothing was changed.`;
}

function disallowedReason(taskId: string, move: Transition, status: ContractStatus, allowed: Transition[]): string {
  const options = allowed.length ? `the allowed moves are ${allowed.map((t) => t.name).join(', ')}` : `no move is allowed (${status} is final)`;
  return `Cannot ${move.name} ${taskId}: it is ${status}, and from ${status} ${options}.`;
}

/** The contract keys a move writes: status, feedback, then metrics. */
function contractEntries(move: Transition, contract: ObjectNode, input: TransitionInput): Array<[string, YamlValue]> {
  const entries: Array<[string, YamlValue]> = [['status', plain(move.to)]];
  if ((move.name === 'approve' || move.name === 'reject') && input.feedback) entries.push(['feedback', quoted(input.feedback)]);
  const metrics = metricEntries(move, contract, input.now);
  if (metrics.length) entries.push(['metrics', mapping(metrics)]);
  return entries;
}

function metricEntries(move: Transition, contract: ObjectNode, now: string): Array<[string, YamlValue]> {
  const metrics = getValue(contract, 'metrics');
  switch (move.name) {
    case 'claim':
      return [['pickedUpAt', quoted(now)]];
    case 'deliver': {
      const entries: Array<[string, YamlValue]> = [['deliveredAt', quoted(now)]];
      const pickedUp = getValue(metrics, 'pickedUpAt');
      const seconds = pickedUp?.type === 'string' ? (Date.parse(now) - Date.parse(pickedUp.value as string)) / 1000 : NaN;
      if (Number.isFinite(seconds) && seconds >= 0) entries.push(['duration', plain(Math.round(seconds))]);
      return entries;
    }
    case 'approve':
    case 'reject':
      return [['validatedAt', quoted(now)]];
    case 'rework': {
      const count = getValue(metrics, 'reworkCount');
      const previous = count?.type === 'number' && Number.isInteger(count.value) && (count.value as number) >= 0 ? (count.value as number) : 0;
      return [['reworkCount', plain(previous + 1)]];
    }
    default:
      return [];
  }
}

/** The task keys a move writes: the assignee on claim, a v2 task's column. */
function taskEntries(move: Transition, task: TaskInfo, input: TransitionInput, column: string | undefined, notes: string[]): Array<[string, YamlValue]> {
  const entries: Array<[string, YamlValue]> = [];
  if (move.name === 'claim' && input.assignee) entries.push(['assignee', plain(input.assignee)]);
  if (column !== undefined && task.location === 'file' && column !== task.columnId) {
    if (input.boardColumns?.length && !input.boardColumns.includes(column)) notes.push(`The board has no column "${column}", so ${task.id} stays in ${task.columnId ?? 'its column'}.`);
    else entries.push(['column', plain(column)]);
  }
  if (input.position !== undefined && task.location === 'file') entries.push(['position', plain(input.position)]);
  return entries;
}

function targetColumn(input: TransitionInput, status: ContractStatus, notes: string[]): string | undefined {
  const column = input.columnMap?.[status];
  if (!column) notes.push(`No column is mapped to ${status}, so the task stays in its column.`);
  return column || undefined;
}

/**
 * Moves a v1 task's list item (with its status and metrics edits applied) to
 * the target column, before `beforeId` (a card dropped there) or at its end.
 * Returns undefined, with a note, when it cannot; the caller then edits the
 * task in place.
 */
function moveToColumn(analysis: DocumentAnalysis, task: TaskInfo, editor: YamlEditor, targetId: string, beforeId: string | undefined, notes: string[]): OffsetEdit[] | undefined {
  if (targetId === task.columnId) return undefined;
  const before = beforeId === undefined ? undefined : analysis.board?.tasks.find((t) => t.id === beforeId && t.columnId === targetId && t.location === 'column');
  if (beforeId !== undefined && !before) notes.push(`${beforeId} is not in ${targetId} any more, so ${task.id} goes to the end of it.`);
  const placed = relocateItem(analysis, task, editor, targetId, before);
  if ('edits' in placed) return placed.edits;
  notes.push(`${placed.problem}, so ${task.id} stays where it is.`);
  return undefined;
}

/** A skeleton contract for a task that has none: the first status of its version. */
function addContract(analysis: DocumentAnalysis, task: TaskInfo, version: 1 | 2): TransitionOutcome {
  if (task.contractNode) {
    const status = task.contract?.status;
    return { refused: `${task.id} already has a contract${status ? ` (${status})` : ''}.` };
  }
  const to = initialStatus(version);
  const editor = new YamlEditor(analysis.text, analysis.lines);
  const problem = editor.setProperties(task.node, [['contract', mapping([['status', plain(to)], ['deliverables', raw('[]')]])]]);
  if (problem) return { refused: `Cannot add a contract to ${task.id}: ${problem}.` };
  return { edits: sortEdits(editor.edits), to, notes: [] };
}
