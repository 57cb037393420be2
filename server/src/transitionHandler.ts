import type { TextEdit } from 'vscode-languageserver';
import type { TransitionParams, TransitionResult } from '../../shared/protocol';
import { isoSeconds } from '../../shared/text';
import { findTransition } from '../../shared/lifecycle';
import { resolveBoard, workspaceEdit } from './boardHandler';
import type { DocumentAnalysis } from './engine/analyze';
import { findDrop, placeInLane } from './engine/cardMove';
import { computeTransition, isRefusal, type TransitionInput, type TransitionOutcome } from './engine/transition';
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
  const input: TransitionInput = {
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
  };
  const placed = placeV2Drop(workspace, analysis, params, input);
  if (placed) return placed;
  const outcome = computeTransition(analysis, input);
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

/**
 * A v2 task dropped before a card of a lifecycle column: the move also writes
 * the lane's positions, as a plain card move does, all in one WorkspaceEdit.
 * Undefined when it is no such drop, or the drop cannot be placed (the plain
 * move then goes to the end of the column, with its own notes).
 */
function placeV2Drop(workspace: Workspace, analysis: DocumentAnalysis, params: TransitionParams, input: TransitionInput): TransitionResult | undefined {
  const to = findTransition(params.transition)?.to;
  const column = to && params.moveToColumn ? params.columnMap?.[to] : undefined;
  if (analysis.kind !== 'task' || params.beforeTaskId === undefined || !column) return undefined;
  const board = resolveBoard(workspace, params.uri);
  if ('reason' in board) return undefined;
  const drop = findDrop(board.view, params.taskId, column, params.beforeTaskId);
  if ('refused' in drop || drop.card.analysis.path !== analysis.path) return undefined;
  let transition: TransitionOutcome | undefined;
  const outcome = placeInLane(drop.lane.cards, drop.card, drop.before, (position) => {
    transition = computeTransition(analysis, { ...input, position });
    return isRefusal(transition) ? transition : { edits: transition.edits };
  });
  if (transition && isRefusal(transition)) return transition;
  if ('refused' in outcome) return outcome;
  if (!transition) return undefined;
  const result: TransitionResult = { edit: workspaceEdit(workspace, outcome.files), to: transition.to, notes: transition.notes };
  if (transition.from) result.from = transition.from;
  return result;
}
