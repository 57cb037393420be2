import type { DocumentAnalysis } from './analyze';
import { getValue, toPlain } from './dataNode';
import type { TaskInfo } from './model';
import { quoted, sortEdits, YamlEditor, type OffsetEdit } from './yamlEdit';

/**
 * Completing a Brainfile v2 task, as `@brainfile/core` does: the task file
 * gets `completedAt`, leaves `board/` for `logs/`, and one record is appended
 * to `logs/ledger.jsonl` (the protocol's ledger-record schema). This module
 * computes the edit and the record; moving and appending are the caller's.
 */

/** One line of `logs/ledger.jsonl`. Required keys first, then those the task can fill. */
export interface LedgerRecord {
  id: string;
  type: 'task' | 'epic' | 'adr';
  title: string;
  filesChanged: string[];
  createdAt: string;
  completedAt: string;
  cycleTimeHours: number;
  summary: string;
  columnHistory?: string[];
  assignee?: string;
  priority?: string;
  tags?: string[];
  parentId?: string;
  relatedFiles?: string[];
  deliverables?: string[];
  contractStatus?: string;
  validationAttempts?: number;
  constraints?: string[];
  subtasksCompleted?: number;
  subtasksTotal?: number;
}

/** Whether approving this task completes it: a v2 task file in a `board/` folder. */
export function completesOnApprove(analysis: DocumentAnalysis): boolean {
  return analysis.kind === 'task' && analysis.version === 2 && /\/board\/[^/]+$/.test(analysis.path);
}

/** The minimal edit that writes `completedAt` into the task's front matter. */
export function completedAtEdits(analysis: DocumentAnalysis, task: TaskInfo, completedAt: string): OffsetEdit[] | string {
  const editor = new YamlEditor(analysis.text, analysis.lines);
  const problem = editor.setProperties(task.node, [['completedAt', quoted(completedAt)]]);
  return problem ?? sortEdits(editor.edits);
}

const PRIORITIES = ['low', 'medium', 'high', 'critical'];
const LEDGER_STATUSES = ['ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked'];

/** The ledger record of a task completed at `completedAt`; `body` is the Markdown after the front matter. */
export function ledgerRecord(task: TaskInfo, body: string, completedAt: string): LedgerRecord {
  const plain = toPlain(task.node) as Record<string, unknown>;
  const contract = (isObject(plain.contract) ? plain.contract : {}) as Record<string, unknown>;
  const strings = (value: unknown) => unique((Array.isArray(value) ? value : []).filter((v): v is string => typeof v === 'string').map((v) => v.trim()));
  const paths = (value: unknown) => unique(strings(value).map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '')));
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);
  const id = task.id ?? '';
  const title = task.title ?? id;
  const createdAt = text(plain.createdAt) ?? completedAt;
  const deliverables = paths((Array.isArray(contract.deliverables) ? contract.deliverables : []).map((d) => (isObject(d) ? d.path : undefined)));
  const relatedFiles = paths(plain.relatedFiles);
  const record: LedgerRecord = {
    id,
    type: ledgerType(text(plain.type), id),
    title,
    filesChanged: deliverables.length ? deliverables : relatedFiles.length ? relatedFiles : [`${id}.md`],
    createdAt,
    completedAt,
    cycleTimeHours: cycleTimeHours(createdAt, completedAt),
    summary: summaryOf(body, title),
  };
  const column = text(plain.column);
  if (column) record.columnHistory = [column];
  if (task.assignee) record.assignee = task.assignee;
  if (task.priority && PRIORITIES.includes(task.priority)) record.priority = task.priority;
  const tags = strings(plain.tags);
  if (tags.length) record.tags = tags;
  const parentId = text(plain.parentId);
  if (parentId) record.parentId = parentId;
  if (relatedFiles.length) record.relatedFiles = relatedFiles;
  if (deliverables.length) record.deliverables = deliverables;
  if (typeof contract.status === 'string' && LEDGER_STATUSES.includes(contract.status)) record.contractStatus = contract.status;
  const rework = getValue(getValue(task.contract?.node, 'metrics'), 'reworkCount');
  if (rework?.type === 'number' && Number.isFinite(rework.value) && (rework.value as number) >= 0) record.validationAttempts = Math.floor(rework.value as number);
  const constraints = strings(contract.constraints);
  if (constraints.length) record.constraints = constraints;
  if (Array.isArray(plain.subtasks)) {
    record.subtasksTotal = plain.subtasks.length;
    record.subtasksCompleted = plain.subtasks.filter((s) => isObject(s) && s.completed === true).length;
  }
  return record;
}

function ledgerType(type: string | undefined, id: string): LedgerRecord['type'] {
  if (type === 'task' || type === 'epic' || type === 'adr') return type;
  if (id.startsWith('epic-')) return 'epic';
  if (id.startsWith('adr-')) return 'adr';
  return 'task';
}

/** The first line of the body that is neither blank nor a heading, as core does. */
function summaryOf(body: string, title: string): string {
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) return trimmed;
  }
  return `Completed: ${title}`;
}

function cycleTimeHours(createdAt: string, completedAt: string): number {
  const hours = (Date.parse(completedAt) - Date.parse(createdAt)) / 3_600_000;
  return Number.isFinite(hours) && hours >= 0 ? Number(hours.toFixed(3)) : 0;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
