import type { DocumentAnalysis } from '../engine/analyze';
import type { ScalarNode } from '../engine/dataNode';
import { ledgerIdRefs, type LedgerIdRef } from '../engine/ledger';
import { taskIdReferences, type TaskRefField } from '../engine/taskGraph';
import { LineIndex, rangeContains } from '../engine/text';
import { boardTasks, type FeatureContext, type TaskRef } from './featureContext';

/**
 * A task id written somewhere: the task's own `id` (its definition) or an
 * entry that names it (`blockedBy`, `dependsOn`, `parentId`).
 */
export interface IdOccurrence {
  id: string;
  /** The definition, or the field that names the id. */
  role: 'definition' | TaskRefField;
  node: ScalarNode;
  /** The task whose text holds this occurrence. */
  holder: TaskRef;
}

/** All occurrences inside one task: its id (unless the task is a fenced example) and its references. */
function occurrencesIn(holder: TaskRef): IdOccurrence[] {
  const out: IdOccurrence[] = [];
  const { idNode, id, location } = holder.task;
  if (id !== undefined && location !== 'fence' && (idNode?.type === 'string' || idNode?.type === 'number')) {
    out.push({ id, role: 'definition', node: idNode as ScalarNode, holder });
  }
  for (const ref of taskIdReferences(holder.task)) out.push({ id: ref.id, role: ref.field, node: ref.node, holder });
  return out;
}

/** The id occurrence under the cursor in this document, if any. */
export function idOccurrenceAt(analysis: DocumentAnalysis, offset: number, context: FeatureContext): IdOccurrence | undefined {
  const holders = analysis.kind === 'task' ? (analysis.task ? [{ uri: context.uriOf(analysis.path), task: analysis.task, analysis }] : []) : (analysis.board?.tasks ?? []).map((task) => ({ uri: context.uriOf(analysis.path), task, analysis }));
  for (const holder of holders) {
    if (!rangeContains(holder.task.node.range, offset)) continue;
    const found = occurrencesIn(holder).find((o) => rangeContains(o.node.range, offset));
    if (found) return found;
  }
  return undefined;
}

/** Every occurrence of `id` across the board the document belongs to (every file of a v2 board). */
export function occurrencesOf(id: string, analysis: DocumentAnalysis, context: FeatureContext): IdOccurrence[] {
  return boardTasks(context, analysis).flatMap((holder) => occurrencesIn(holder).filter((o) => o.id === id));
}

/** The text range of an id without its quotes, so an edit keeps the quoting as written. */
export function idTextRange(analysis: DocumentAnalysis, node: ScalarNode): { start: number; end: number } {
  const first = analysis.text[node.range.start];
  const quoted = (first === '"' || first === "'") && node.range.end - node.range.start >= 2 && analysis.text[node.range.end - 1] === first;
  return quoted ? { start: node.range.start + 1, end: node.range.end - 1 } : node.range;
}

/** The ledger of a v2 board (`logs/ledger.jsonl`): the ids its records name, by offset in its text. */
export interface BoardLedger {
  uri: string;
  lines: LineIndex;
  refs: LedgerIdRef[];
}

/** The ledger of the v2 board the document belongs to (its open buffer when it is open); undefined for v1 boards and boards without one. */
export function boardLedger(analysis: DocumentAnalysis, context: FeatureContext): BoardLedger | undefined {
  const ledger = context.boards().boardOf(analysis)?.ledger;
  if (!ledger || ledger.skipped) return undefined;
  return { uri: context.uriOf(ledger.path), lines: ledger.lines, refs: ledgerIdRefs(ledger.text) };
}
