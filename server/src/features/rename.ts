import type { Position, Range, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { baseName, dirName } from '../engine/classify';
import { LEDGER_FILE } from '../engine/ledger';
import { TASK_ID_PATTERN } from '../engine/taskGraph';
import { toRange } from './convert';
import { boardTasks, type FeatureContext } from './featureContext';
import { boardLedger, idOccurrenceAt, idTextRange, occurrencesOf, type IdOccurrence } from './taskIds';

/** What the client can apply: versioned `documentChanges`, and file renames among them. */
export interface RenameCapabilities {
  documentChanges: boolean;
  renameFiles: boolean;
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { refused: string } | null;
export type RenameResult = { edit: WorkspaceEdit } | { refused: string } | null;

/** What F2 would rename at the cursor: the id without its quotes, or why it cannot. */
export function providePrepareRename(analysis: DocumentAnalysis, position: Position, context: FeatureContext): PrepareRenameResult {
  const target = renameTarget(analysis, position, context);
  if (!target || 'refused' in target) return target ?? null;
  return { range: toRange(analysis.lines, idTextRange(analysis, target.at.node)), placeholder: target.at.id };
}

/**
 * Renames a task id everywhere its board names it (every file of a v2 board,
 * and the records of its `logs/ledger.jsonl`), editing only the id's
 * characters so quotes and comments stay, and renames a
 * v2 task file named after the id (`board/task-3.md` → `board/task-7.md`) in the same edit.
 */
export function provideRename(analysis: DocumentAnalysis, position: Position, newName: string, context: FeatureContext, capabilities: RenameCapabilities): RenameResult {
  const target = renameTarget(analysis, position, context);
  if (!target || 'refused' in target) return target ?? null;
  const { at, occurrences } = target;
  const name = newName.trim();
  if (name === at.id) return { edit: {} };
  if (!TASK_ID_PATTERN.test(name)) return { refused: `"${name}" is not a task id. Expected a lowercase prefix, a dash and a number, such as task-7 or epic-3.` };
  const taken = boardTasks(context, analysis).find((t) => t.task.id === name && t.task.location !== 'fence');
  if (taken) return { refused: `${name} is taken by "${taken.task.title ?? name}" in ${baseName(taken.analysis.path)}. Expected an id no task of this board uses.` };
  const ledger = boardLedger(analysis, context);
  if (ledger?.refs.some((r) => r.field === 'id' && r.id === name)) return { refused: `${name} is taken by a completed task recorded in ${LEDGER_FILE}. Expected an id no task of this board uses.` };

  const byUri = new Map<string, TextEdit[]>();
  const add = (uri: string, edit: TextEdit) => byUri.set(uri, [...(byUri.get(uri) ?? []), edit]);
  for (const o of occurrences) add(o.holder.uri, { range: toRange(o.holder.analysis.lines, idTextRange(o.holder.analysis, o.node)), newText: name });
  // The ledger's records of the task (and of its sub-tasks' parent) follow the new id.
  for (const ref of ledger?.refs ?? []) if (ref.id === at.id) add(ledger!.uri, { range: toRange(ledger!.lines, ref), newText: name });
  const fileRenames = capabilities.documentChanges && capabilities.renameFiles ? taskFileRenames(occurrences, at.id, name, context) : [];
  for (const rename of fileRenames) {
    if (context.realPath(rename.newPath) !== undefined) return { refused: `${baseName(rename.newPath)} already exists beside ${baseName(rename.oldPath)}. Expected a free file name for the renamed task.` };
  }
  if (!capabilities.documentChanges) {
    return { edit: { changes: Object.fromEntries(byUri) } };
  }
  // The file renames come first and the text edits of a renamed file name its
  // new uri: VS Code's own conversion of a WorkspaceEdit (the one behind
  // `vscode.executeDocumentRenameProvider`) moves every file operation ahead
  // of the text edits, so edits addressed to the old name would find no file.
  const renamed = new Map(fileRenames.map((r) => [r.oldUri, context.uriOf(r.newPath)]));
  const documentChanges: Array<TextDocumentEdit | RenameFile> = fileRenames.map((r) => ({ kind: 'rename', oldUri: r.oldUri, newUri: context.uriOf(r.newPath), options: { overwrite: false, ignoreIfExists: false } }));
  for (const [uri, edits] of byUri) {
    const target = renamed.get(uri);
    documentChanges.push({ textDocument: { uri: target ?? uri, version: target ? null : (context.documentVersion(uri) ?? null) }, edits });
  }
  return { edit: { documentChanges } };
}

function renameTarget(analysis: DocumentAnalysis, position: Position, context: FeatureContext): { at: IdOccurrence; occurrences: IdOccurrence[] } | { refused: string } | undefined {
  const at = idOccurrenceAt(analysis, analysis.lines.offsetAt(position), context);
  if (!at) return undefined;
  const occurrences = occurrencesOf(at.id, analysis, context);
  if (!occurrences.some((o) => o.role === 'definition')) return { refused: `No task of this board has the id ${at.id}, so there is nothing to rename. Expected the id of a task on this board.` };
  return { at, occurrences };
}

/** v2 task files named after the id they define. */
function taskFileRenames(occurrences: IdOccurrence[], oldId: string, newId: string, _context: FeatureContext): Array<{ oldUri: string; oldPath: string; newPath: string }> {
  return occurrences
    .filter((o) => o.role === 'definition' && o.holder.task.location === 'file' && baseName(o.holder.analysis.path) === `${oldId}.md`)
    .map((o) => ({ oldUri: o.holder.uri, oldPath: o.holder.analysis.path, newPath: `${dirName(o.holder.analysis.path)}/${newId}.md` }));
}
