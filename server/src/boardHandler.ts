import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { AddTaskParams, AddTaskResult, BoardCard, BoardParams, BoardResult, MoveCardParams, MoveCardResult } from '../../shared/board';
import type { DocumentAnalysis } from './engine/analyze';
import { computeAddTask } from './engine/addTask';
import { buildBoardView, type BoardCardSource, type BoardViewSource } from './engine/boardView';
import { computeCardMove, type FileEdits } from './engine/cardMove';
import { dirName } from './engine/classify';
import { isContractStatus } from '../../shared/lifecycle';
import { toRange } from './features/convert';
import type { Workspace } from './workspace';

/**
 * The board view's requests: the kanban of a board, a card placed in a
 * column, a new task. Every edit is a versioned WorkspaceEdit the client
 * applies through its guarded path (undoable, unsaved buffers included).
 */

interface ResolvedBoard {
  config: DocumentAnalysis;
  /** v2: every task file of the board, `logs/` included. */
  taskFiles: DocumentAnalysis[];
  view: BoardViewSource;
}

export function resolveBoard(workspace: Workspace, uri: string): ResolvedBoard | { reason: string } {
  const analysis = workspace.analysisFor(uri);
  if (!analysis || (analysis.kind !== 'board' && analysis.kind !== 'task')) return { reason: `${uri} is not a Brainfile board the server knows.` };
  if (analysis.kind === 'board' && (analysis.version ?? 1) === 1) return { config: analysis, taskFiles: [], view: buildBoardView(analysis) };
  const board = workspace.boards().boardOf(analysis);
  const config = board?.file;
  const tasks = board?.taskFiles ?? [];
  if (!config) return { reason: `The task file ${uri} belongs to no board: there is no brainfile.md beside its folder.` };
  return { config, taskFiles: tasks, view: buildBoardView(config, tasks) };
}

export function handleBoard(workspace: Workspace, params: BoardParams): BoardResult {
  const resolved = resolveBoard(workspace, params.uri);
  if ('reason' in resolved) return { found: false, reason: resolved.reason, uri: params.uri, title: '', version: 1, lanes: [], unplaced: [] };
  const { config, view } = resolved;
  const uri = workspace.uriOf(config.path);
  const result: BoardResult = {
    found: true,
    uri,
    title: view.title ?? baseTitle(config.path),
    version: view.version,
    documentVersion: workspace.documentVersion(uri),
    lanes: view.lanes.map((lane) => ({ id: lane.id, title: lane.title, cards: lane.cards.flatMap((c) => cardOf(workspace, c)) })),
    unplaced: view.unplaced.flatMap((c) => cardOf(workspace, c)),
  };
  if (view.syntaxError) result.syntaxError = { message: view.syntaxError.message, line: config.lines.positionAt(view.syntaxError.range.start).line + 1 };
  return result;
}

function cardOf(workspace: Workspace, source: BoardCardSource): BoardCard[] {
  const { task, analysis } = source;
  if (task.id === undefined || !task.idNode) return [];
  const status = task.contract?.status;
  const card: BoardCard = {
    id: task.id,
    title: task.title ?? '',
    uri: workspace.uriOf(analysis.path),
    hasContract: task.contractNode !== undefined && task.contractNode.type !== 'null',
    tags: source.tags,
    deliverables: task.contract?.deliverables.length ?? 0,
    commands: task.contract?.commands.length ?? 0,
    range: toRange(analysis.lines, task.node.range),
    idRange: toRange(analysis.lines, task.idNode.range),
  };
  if (isContractStatus(status)) card.status = status;
  else if (status !== undefined) card.invalidStatus = status;
  if (task.priority) card.priority = task.priority;
  if (task.assignee) card.assignee = task.assignee;
  if (task.columnId) card.column = task.columnId;
  if (source.problem) card.problem = source.problem.message;
  return [card];
}

export function handleMoveCard(workspace: Workspace, params: MoveCardParams): MoveCardResult {
  const resolved = resolveBoard(workspace, params.boardUri);
  if ('reason' in resolved) return { refused: resolved.reason };
  const stale = staleVersion(workspace, resolved.config, params.version);
  if (stale) return { refused: stale };
  const outcome = computeCardMove(resolved.view, params);
  if ('refused' in outcome) return outcome;
  const result: MoveCardResult = { notes: outcome.notes };
  if (outcome.files.length) result.edit = workspaceEdit(workspace, outcome.files);
  return result;
}

export function handleAddTask(workspace: Workspace, params: AddTaskParams): AddTaskResult {
  const resolved = resolveBoard(workspace, params.boardUri);
  if ('reason' in resolved) return { refused: resolved.reason };
  const { config, view, taskFiles } = resolved;
  const stale = staleVersion(workspace, config, params.version);
  if (stale) return { refused: stale };
  const ids = view.version === 1 ? (config.board?.tasks ?? []).filter((t) => t.location !== 'fence').map((t) => t.id) : taskFiles.map((a) => a.task?.id);
  const outcome = computeAddTask(view, config, ids.filter((id): id is string => id !== undefined), params);
  if ('refused' in outcome) return outcome;
  if ('edits' in outcome) return { id: outcome.id, uri: workspace.uriOf(config.path), edit: workspaceEdit(workspace, [{ analysis: config, edits: outcome.edits }]) };
  const path = `${dirName(config.path)}/board/${outcome.newFile.name}`;
  if (workspace.realPath(path) !== undefined) return { refused: `${outcome.newFile.name} already exists in board/; nothing was changed.` };
  const uri = workspace.uriOf(path);
  const edit: WorkspaceEdit = {
    documentChanges: [
      { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: outcome.newFile.text }] },
    ],
  };
  return { id: outcome.id, uri, edit };
}

function staleVersion(workspace: Workspace, config: DocumentAnalysis, version: number | undefined): string | undefined {
  if (version === undefined) return undefined;
  const current = workspace.documentVersion(workspace.uriOf(config.path));
  return current === version ? undefined : `The board changed since you looked (version ${version}, now ${current ?? 'not open'}).`;
}

export function workspaceEdit(workspace: Workspace, files: FileEdits[]): WorkspaceEdit {
  return {
    documentChanges: files.map(({ analysis, edits }) => {
      const uri = workspace.uriOf(analysis.path);
      const textEdits: TextEdit[] = edits.map((e) => ({ range: toRange(analysis.lines, e.range), newText: e.newText }));
      return { textDocument: { uri, version: workspace.documentVersion(uri) ?? null }, edits: textEdits };
    }),
  };
}

function baseTitle(path: string): string {
  return path.split('/').slice(-2, -1)[0] ?? path;
}
