import { ErrorCodes, ResponseError, type CancellationToken, type Connection, type Disposable, type TextDocumentIdentifier } from 'vscode-languageserver';
import type { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { BriefRequest, CompleteRequest } from '../../shared/agents';
import { AddTaskRequest, BoardRequest, MoveCardRequest } from '../../shared/board';
import { DeploymentsRequest, NextTaskRequest, ServerInfoRequest, TasksRequest, TransitionRequest } from '../../shared/protocol';
import { handleAddTask, handleBoard, handleMoveCard } from './boardHandler';
import { handleBrief } from './briefHandler';
import { handleComplete } from './completeHandler';
import type { DocumentAnalysis } from './engine/analyze';
import { provideCodeActions } from './features/codeActions';
import { provideCodeLenses } from './features/codeLens';
import { provideCompletions } from './features/completion';
import { provideDefinition } from './features/definition';
import { provideDocumentLinks } from './features/documentLinks';
import { provideDocumentSymbols } from './features/documentSymbols';
import { provideHover } from './features/hover';
import { prepareCallHierarchy, provideIncomingCalls, provideOutgoingCalls } from './features/callHierarchy';
import { provideFoldingRanges } from './features/foldingRanges';
import { provideDocumentHighlights, provideReferences } from './features/references';
import { providePrepareRename, provideRename } from './features/rename';
import { provideSelectionRanges } from './features/selectionRanges';
import { provideWorkspaceSymbols } from './features/workspaceSymbols';
import { handleNextTask } from './nextTaskHandler';
import { runSafe, runSafeAsync } from './runner';
import { summarizeDeployments, tasksAnswer } from './summaries';
import { handleTransition } from './transitionHandler';
import type { Workspace } from './workspace';

/**
 * Every request the server answers, as tables: the document features (an LSP
 * method answered from the document's current analysis, with a fallback for
 * files we do not handle) and our custom requests. Each answer runs through
 * `runSafe`: an exception is logged and answered with the fallback, and a
 * cancelled request is answered as cancelled. Add a row to add a feature.
 */

type Handler<P, R> = (params: P, token: CancellationToken) => R | ResponseError<void>;
type Registration = (connection: Connection, workspace: Workspace) => void;

/** A document feature: `on` picks the connection's registration method, `provide` answers from the analysis. */
function documentFeature<P extends { textDocument: TextDocumentIdentifier }, R>(
  name: string,
  on: (connection: Connection) => (handler: Handler<P, R>) => Disposable | void,
  fallback: R,
  provide: (analysis: DocumentAnalysis, params: P, workspace: Workspace) => R,
  exact = false,
): Registration {
  return (connection, workspace) => on(connection)((params, token) => runSafe(connection, name, token, fallback, () => answer(workspace, params, fallback, provide, exact)));
}

/**
 * The same for a feature asked on every keystroke (completion after `-` and
 * space): it yields first, so a cancellation already sent (the next
 * keystroke) stops the request before any work.
 */
function keystrokeFeature<P extends { textDocument: TextDocumentIdentifier }, R>(
  name: string,
  on: (connection: Connection) => (handler: (params: P, token: CancellationToken) => Promise<R | ResponseError<void>>) => Disposable | void,
  fallback: R,
  provide: (analysis: DocumentAnalysis, params: P, workspace: Workspace) => R,
): Registration {
  return (connection, workspace) =>
    on(connection)((params, token) =>
      runSafeAsync(connection, name, token, fallback, async () => {
        // Two turns, so the reader gets two chances to take in a cancellation sent right behind the request (it may come in a later read on a loaded machine).
        for (let turn = 0; turn < 2 && !token.isCancellationRequested; turn++) await new Promise((resolve) => setImmediate(resolve));
        return token.isCancellationRequested ? fallback : answer(workspace, params, fallback, provide);
      }),
    );
}

/**
 * The feature's answer from the document's last finished analysis (a big
 * document being analyzed never holds a request up), or the fallback for
 * files we do not handle. Answers that edit the text (`exact`) come only from
 * the current version's analysis.
 */
function answer<P extends { textDocument: TextDocumentIdentifier }, R>(
  workspace: Workspace,
  params: P,
  fallback: R,
  provide: (analysis: DocumentAnalysis, params: P, workspace: Workspace) => R,
  exact = false,
): R {
  const uri = params.textDocument.uri;
  const analysis = exact ? workspace.currentAnalysis(uri) : workspace.latestAnalysis(uri);
  return analysis && analysis.kind !== 'none' && !analysis.skipped ? provide(analysis, params, workspace) : fallback;
}

export const DOCUMENT_FEATURES: readonly Registration[] = [
  keystrokeFeature('completion', (c) => c.onCompletion.bind(c), [], (a, p, ws) => provideCompletions(a, p.position, ws)),
  documentFeature('hover', (c) => c.onHover.bind(c), null, (a, p, ws) => provideHover(a, p.position, ws)),
  documentFeature('codeAction', (c) => c.onCodeAction.bind(c), [], (a, p, ws) => provideCodeActions(a, p.range, p.context.diagnostics, ws), true),
  documentFeature('documentSymbol', (c) => c.onDocumentSymbol.bind(c), [], (a) => provideDocumentSymbols(a)),
  documentFeature('definition', (c) => c.onDefinition.bind(c), null, (a, p, ws) => provideDefinition(a, p.position, ws)),
  documentFeature('documentLinks', (c) => c.onDocumentLinks.bind(c), [], (a, _p, ws) => provideDocumentLinks(a, ws)),
  // The lens carries the version its analysis is of (`documentVersion`): a click on a lens of an older version is refused as stale.
  documentFeature('codeLens', (c) => c.onCodeLens.bind(c), [], (a, p, ws) => provideCodeLenses(a, ws, ws.documentVersion(p.textDocument.uri))),
  documentFeature('documentHighlight', (c) => c.onDocumentHighlight.bind(c), [], (a, p, ws) => provideDocumentHighlights(a, p.position, ws)),
  documentFeature('references', (c) => c.onReferences.bind(c), [], (a, p, ws) => provideReferences(a, p.position, p.context.includeDeclaration, ws)),
  // A refusal is an error reply: VS Code shows its message where the rename was asked for.
  (connection, workspace) =>
    connection.onPrepareRename((params, token) =>
      runSafe(connection, 'prepareRename', token, null, () => refusalAsError(answer(workspace, params, null, (a, p, ws) => providePrepareRename(a, p.position, ws), true))),
    ),
  (connection, workspace) =>
    connection.onRenameRequest((params, token) =>
      runSafe(connection, 'rename', token, null, () => {
        const result = answer(workspace, params, null, (a, p, ws) => provideRename(a, p.position, p.newName, ws, ws.renameCapabilities), true);
        if (!result) return null;
        return 'refused' in result ? new ResponseError<void>(ErrorCodes.InvalidRequest, result.refused) : result.edit;
      }),
    ),
  documentFeature('foldingRanges', (c) => c.onFoldingRanges.bind(c), [], (a) => provideFoldingRanges(a)),
  documentFeature('selectionRanges', (c) => c.onSelectionRanges.bind(c), [], (a, p) => provideSelectionRanges(a, p.positions)),
  documentFeature('prepareCallHierarchy', (c) => c.languages.callHierarchy.onPrepare.bind(c.languages.callHierarchy), null, (a, p, ws) => prepareCallHierarchy(a, p.position, ws)),
  // The call hierarchy's follow-up requests name their document in the item.
  (connection, workspace) => {
    const itemFeature = <P extends { item: { uri: string } }, R>(name: string, provide: (analysis: DocumentAnalysis, params: P, ws: Workspace) => R[]) => (params: P, token: CancellationToken) =>
      runSafe(connection, name, token, [] as R[], () => answer(workspace, { ...params, textDocument: { uri: params.item.uri } }, [] as R[], provide));
    connection.languages.callHierarchy.onIncomingCalls(itemFeature('incomingCalls', (a, p, ws) => provideIncomingCalls(a, p.item, ws)));
    connection.languages.callHierarchy.onOutgoingCalls(itemFeature('outgoingCalls', (a, p, ws) => provideOutgoingCalls(a, p.item, ws)));
  },
  (connection, workspace) => connection.onWorkspaceSymbol((params, token) => runSafe(connection, 'workspaceSymbol', token, [], () => provideWorkspaceSymbols(params.query, workspace))),
];

/** A feature's refusal (`{ refused }`) as the error reply VS Code shows in place. */
function refusalAsError<T>(result: T | { refused: string }): T | ResponseError<void> {
  return result && typeof result === 'object' && 'refused' in result ? new ResponseError(ErrorCodes.InvalidRequest, result.refused) : (result as T);
}

/**
 * `connection.onRequest` for a typed request. Its handler type is a conditional
 * type that a generic result cannot satisfy, so it is called untyped here; the
 * rows below are typed by `customRequest`'s own signature.
 */
function onRequest(connection: Connection, type: { method: string }, handler: (...args: never[]) => unknown): void {
  (connection.onRequest as (type: unknown, handler: unknown) => Disposable).call(connection, type, handler);
}

/** A custom request of shared/protocol.ts or shared/board.ts, answered from the workspace. */
function customRequest<P, R>(type: RequestType<P, R, void>, fallback: (params: P, workspace: Workspace) => R, answer: (params: P, workspace: Workspace) => R): Registration {
  return (connection, workspace) => onRequest(connection, type, (params: P, token: CancellationToken) => runSafe(connection, type.method, token, fallback(params, workspace), () => answer(params, workspace)));
}

/** The same for a request without params. */
function customRequest0<R>(type: RequestType0<R, void>, fallback: (workspace: Workspace) => R, answer: (workspace: Workspace) => R): Registration {
  return (connection, workspace) => onRequest(connection, type, (token: CancellationToken) => runSafe(connection, type.method, token, fallback(workspace), () => answer(workspace)));
}

const COULD_NOT = (what: string) => `The language server could not ${what}; see the "Contracts" output.`;

export const CUSTOM_REQUESTS: readonly Registration[] = [
  customRequest(TasksRequest, (_params, ws) => ({ tasks: [], indexed: ws.indexed }), (params, ws) => tasksAnswer(ws, params)),
  customRequest0(DeploymentsRequest, (ws) => ({ deployments: [], indexed: ws.indexed }), (ws) => ({ deployments: summarizeDeployments(ws), indexed: ws.indexed })),
  customRequest(TransitionRequest, () => ({ refused: COULD_NOT('compute this move') }), (params, ws) => handleTransition(ws, params)),
  customRequest(BoardRequest, (params) => ({ found: false, reason: COULD_NOT('read this board'), uri: params.uri, title: '', version: 1 as const, lanes: [], unplaced: [] }), (params, ws) => handleBoard(ws, params)),
  customRequest(MoveCardRequest, () => ({ refused: COULD_NOT('compute this move') }), (params, ws) => handleMoveCard(ws, params)),
  customRequest(AddTaskRequest, () => ({ refused: COULD_NOT('add the task') }), (params, ws) => handleAddTask(ws, params)),
  customRequest(BriefRequest, () => ({ refused: COULD_NOT('write this brief') }), (params, ws) => handleBrief(ws, params)),
  customRequest(CompleteRequest, () => ({ applies: true, refused: COULD_NOT('compute the completion') }), (params, ws) => handleComplete(ws, params)),
  customRequest0(NextTaskRequest, () => ({ skipped: [] }), (ws) => handleNextTask(ws)),
  customRequest0(ServerInfoRequest, (ws) => ({ pid: process.pid, indexed: ws.indexed, documents: 0 }), (ws) => ({ pid: process.pid, indexed: ws.indexed, documents: ws.allAnalyses().length })),
];
