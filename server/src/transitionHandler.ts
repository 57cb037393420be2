import type { TextEdit } from 'vscode-languageserver';
import type { TransitionParams, TransitionResult } from '../../shared/protocol';
import { isoSeconds } from '../../shared/text';
import { computeTransition, isRefusal } from './engine/transition';
import { toRange } from './features/convert';
import type { Workspace } from './workspace';

/**
 * `contracts/transition`: one lifecycle move as a versioned WorkspaceEdit, so
 * the client applies it (undoable, unsaved buffers included), or why not.
 */
export function handleTransition(workspace: Workspace, params: TransitionParams): TransitionResult {
  const analysis = workspace.analysisFor(params.uri);
  if (!analysis) return { refused: `${params.uri} is not a contract file the server knows.` };
  const documentVersion = workspace.documentVersion(params.uri);
  if (params.version !== undefined && params.version !== documentVersion) {
    return { refused: `The document changed since you looked (version ${params.version}, now ${documentVersion ?? 'not open'}).` };
  }
  const outcome = computeTransition(analysis, {
    taskId: params.taskId,
    transition: params.transition,
    expectedStatus: params.expectedStatus,
    now: params.now ?? isoSeconds(),
    assignee: params.assignee,
    feedback: params.feedback,
    moveToColumn: params.moveToColumn,
    columnMap: params.columnMap,
    beforeTaskId: params.beforeTaskId,
    boardColumns: analysis.kind === 'task' ? workspace.boards().columnsOf(analysis).flatMap((c) => (c.id ? [c.id] : [])) : undefined,
  });
  if (isRefusal(outcome)) return outcome;
  const edits: TextEdit[] = outcome.edits.map((e) => ({ range: toRange(analysis.lines, e.range), newText: e.newText }));
  const result: TransitionResult = {
    edit: { documentChanges: [{ textDocument: { uri: params.uri, version: documentVersion ?? null }, edits }] },
    to: outcome.to,
    notes: outcome.notes,
  };
  if (outcome.from) result.from = outcome.from;
  return result;
}
