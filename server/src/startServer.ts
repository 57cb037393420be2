import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DeploymentsRequest,
  DidChangeTasksNotification,
  NextTaskRequest,
  ServerInfoRequest,
  TasksRequest,
  TransitionRequest,
  type DeploymentsResult,
  type DidChangeTasksParams,
  type NextTaskResult,
  type ServerInfoResult,
  type TasksResult,
  type TransitionParams,
  type TransitionResult,
} from '../../shared/protocol';
import { AddTaskRequest, BoardRequest, MoveCardRequest, type AddTaskParams, type AddTaskResult, type BoardParams, type BoardResult, type MoveCardParams, type MoveCardResult } from '../../shared/board';
import { handleAddTask, handleBoard, handleMoveCard } from './boardHandler';
import type { DocumentAnalysis } from './engine/analyze';
import { provideCodeActions } from './features/codeActions';
import { provideCodeLenses } from './features/codeLens';
import { provideCompletions } from './features/completion';
import { toLspDiagnostic } from './features/convert';
import { provideDefinition } from './features/definition';
import { provideDocumentLinks } from './features/documentLinks';
import { provideDocumentSymbols } from './features/documentSymbols';
import { provideHover } from './features/hover';
import { prepareCallHierarchy, provideIncomingCalls, provideOutgoingCalls } from './features/callHierarchy';
import { provideFoldingRanges } from './features/foldingRanges';
import { provideDocumentHighlights, provideReferences } from './features/references';
import { providePrepareRename, provideRename, type RenameCapabilities } from './features/rename';
import { provideSelectionRanges } from './features/selectionRanges';
import { provideWorkspaceSymbols } from './features/workspaceSymbols';
import { handleNextTask } from './nextTaskHandler';
import { globMatcher } from './engine/classify';
import { clearFileCaches } from './fileSystem';
import { formatError, runSafe, runSafeAsync } from './runner';
import { DEFAULT_SETTINGS, readSettings } from './settings';
import { summarizeDeployments, summarizeTasks } from './summaries';
import { handleTransition } from './transitionHandler';
import { uriToPath } from './uris';
import { Workspace } from './workspace';

/** Files up to this size are analyzed in full in a few milliseconds (about 1,000 lines). */
const CHEAP_FULL_ANALYSIS_CHARS = 32 * 1024;

/** Wires the LSP connection to the workspace model and the feature modules. */
export function startServer(connection: Connection): void {
  // Records each change's ranges before the document applies them: the workspace updates its analysis incrementally.
  const documents = new TextDocuments<TextDocument>({
    create: TextDocument.create,
    update: (document, changes, version) => {
      workspace.recordChanges(document.uri, document.version, version, changes);
      return TextDocument.update(document, changes, version);
    },
  });
  let workspace = new Workspace(DEFAULT_SETTINGS);
  let workspaceFolders: string[] = [];
  let renameCapabilities: RenameCapabilities = { documentChanges: false, renameFiles: false };
  const diagnosticTimers = new Map<string, NodeJS.Timeout>();
  /** Documents changed since their diagnostics were last published: their board and task tree follow. */
  const unpropagated = new Set<string>();
  let tasksChangedTimer: NodeJS.Timeout | undefined;
  const changedUris = new Set<string>();

  let deploymentGlobs: readonly string[] = [];

  /** The analysis to answer a request with, or undefined for files we do not handle. */
  const analysisOf = (uri: string): DocumentAnalysis | undefined => {
    const analysis = workspace.analysisFor(uri);
    return analysis && analysis.kind !== 'none' && !analysis.skipped ? analysis : undefined;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { settings?: unknown };
    const settings = readSettings(options.settings);
    workspace = new Workspace(settings);
    deploymentGlobs = settings.deploymentGlobs;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (!workspaceFolders.length && params.rootUri) workspaceFolders = [uriToPath(params.rootUri)];
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    renameCapabilities = { documentChanges: workspaceEdit?.documentChanges === true, renameFiles: workspaceEdit?.resourceOperations?.includes('rename') === true };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: [':', ' ', '"', '-', '/', '[', ','], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: { label: 'Contracts' },
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        documentHighlightProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        callHierarchyProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'contract-workbench', version: '0.1.0' },
    };
  });

  /** Patterns the glob matcher refused match nothing: say so once per settings change. */
  const warnAboutGlobs = (globs: readonly string[]): void => {
    for (const problem of globMatcher(globs).problems) connection.console.warn(`Ignored the contracts.deploymentGlobs pattern ${JSON.stringify(problem.pattern.slice(0, 80))}: ${problem.reason}.`);
  };

  connection.onInitialized(() => {
    warnAboutGlobs(deploymentGlobs);
    void indexWorkspace();
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri))];
      void indexWorkspace();
    });
  });

  async function indexWorkspace(): Promise<void> {
    const started = Date.now();
    try {
      await workspace.scan(workspaceFolders, () => notifyTasksChanged([]));
      connection.console.info(`Indexed ${workspace.allAnalyses().length} contract files in ${Date.now() - started} ms.`);
      notifyTasksChanged([]);
      for (const document of documents.all()) scheduleDiagnostics(document.uri, 0);
    } catch (error) {
      connection.console.error(`Indexing failed: ${formatError(error)}`);
    }
  }

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { contracts?: unknown } | undefined)?.contracts;
    if (!settings) return;
    const read = readSettings(settings);
    workspace.updateSettings(read);
    deploymentGlobs = read.deploymentGlobs;
    warnAboutGlobs(deploymentGlobs);
    for (const document of documents.all()) scheduleDiagnostics(document.uri, 0);
    void indexWorkspace();
  });

  // ---- diagnostics ----------------------------------------------------------

  function scheduleDiagnostics(uri: string, delay = workspace.diagnosticsDelayMs): void {
    clearTimeout(diagnosticTimers.get(uri));
    // A newer version resets the timer, so stale versions are never checked.
    diagnosticTimers.set(
      uri,
      setTimeout(() => publishDiagnostics(uri), delay),
    );
  }

  function publishDiagnostics(uri: string): void {
    diagnosticTimers.delete(uri);
    const document = documents.get(uri);
    if (!document) return;
    try {
      const analysis = workspace.analysisFor(uri);
      const diagnostics = analysis && analysis.kind !== 'none' ? workspace.diagnosticsFor(uri).map((d) => toLspDiagnostic(analysis.lines, d)) : [];
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      if (unpropagated.delete(uri) && analysis && analysis.kind !== 'none') {
        for (const dependent of workspace.dependentOpenUris(analysis)) scheduleDiagnostics(dependent, 0);
        notifyTasksChanged([uri]);
      }
    } catch (error) {
      connection.console.error(`Diagnostics for ${uri} failed: ${formatError(error)}`);
    }
  }

  function notifyTasksChanged(uris: string[]): void {
    uris.forEach((uri) => changedUris.add(uri));
    if (tasksChangedTimer) return;
    tasksChangedTimer = setTimeout(() => {
      tasksChangedTimer = undefined;
      const params: DidChangeTasksParams = { uris: [...changedUris] };
      changedUris.clear();
      void connection.sendNotification(DidChangeTasksNotification, params);
    }, 100);
  }

  /** After a document changes: its own diagnostics, then its board's and the task tree (see publishDiagnostics). */
  function documentChanged(uri: string, delay?: number): void {
    unpropagated.add(uri);
    scheduleDiagnostics(uri, delay);
  }

  documents.onDidOpen((event) => {
    workspace.setOpen(event.document);
    documentChanged(event.document.uri, 0);
  });
  documents.onDidChangeContent((event) => {
    workspace.setOpen(event.document);
    // An edit inside one task (re-checked at once, incrementally) or in a small file costs a few ms: publish
    // without waiting. A full parse of a big file waits for the typing burst to end, so it runs once per burst.
    const cheap = workspace.updateIncrementally(event.document.uri) || event.document.getText().length < CHEAP_FULL_ANALYSIS_CHARS;
    documentChanged(event.document.uri, cheap ? 0 : undefined);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    clearTimeout(diagnosticTimers.get(uri));
    unpropagated.delete(uri);
    workspace.close(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // The disk copy takes over from the (possibly unsaved) buffer.
    void workspace.refreshFromDisk(uriToPath(uri)).then(() => notifyTasksChanged([uri]));
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    clearFileCaches();
    const changed: string[] = [];
    for (const change of params.changes) {
      if (workspace.isOpen(change.uri)) continue;
      if (await workspace.refreshFromDisk(uriToPath(change.uri))) changed.push(change.uri);
    }
    if (!changed.length) return;
    notifyTasksChanged(changed);
    for (const document of documents.all()) {
      const analysis = workspace.analysisFor(document.uri);
      if (analysis?.kind === 'task') scheduleDiagnostics(document.uri, 0);
    }
  });

  // ---- features -------------------------------------------------------------

  // `-` and space trigger completion on every keystroke: yield once first, so a
  // cancellation already sent (the next keystroke) stops the request before any work.
  connection.onCompletion((params, token) =>
    runSafeAsync(connection, 'completion', token, [], async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) return [];
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideCompletions(analysis, params.position, workspace) : [];
    }),
  );
  connection.onHover((params, token) =>
    runSafe(connection, 'hover', token, null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideHover(analysis, params.position, workspace) : null;
    }),
  );
  connection.onCodeAction((params, token) =>
    runSafe(connection, 'codeAction', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideCodeActions(analysis, params.range, params.context.diagnostics, workspace) : [];
    }),
  );
  connection.onDocumentSymbol((params, token) =>
    runSafe(connection, 'documentSymbol', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideDocumentSymbols(analysis) : [];
    }),
  );
  connection.onDefinition((params, token) =>
    runSafe(connection, 'definition', token, null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideDefinition(analysis, params.position, workspace) : null;
    }),
  );
  connection.onDocumentLinks((params, token) =>
    runSafe(connection, 'documentLinks', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideDocumentLinks(analysis, workspace) : [];
    }),
  );
  connection.onCodeLens((params, token) =>
    runSafe(connection, 'codeLens', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideCodeLenses(analysis, workspace, workspace.documentVersion(params.textDocument.uri)) : [];
    }),
  );

  connection.onDocumentHighlight((params, token) =>
    runSafe(connection, 'documentHighlight', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideDocumentHighlights(analysis, params.position, workspace) : [];
    }),
  );
  connection.onReferences((params, token) =>
    runSafe(connection, 'references', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideReferences(analysis, params.position, params.context.includeDeclaration, workspace) : [];
    }),
  );
  // A refusal is an error reply: VS Code shows its message where the rename was asked for.
  connection.onPrepareRename((params, token) =>
    runSafe(connection, 'prepareRename', token, null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      const result = analysis ? providePrepareRename(analysis, params.position, workspace) : null;
      return result && 'refused' in result ? new ResponseError(ErrorCodes.InvalidRequest, result.refused) : result;
    }),
  );
  connection.onRenameRequest((params, token) =>
    runSafe(connection, 'rename', token, null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      const result = analysis ? provideRename(analysis, params.position, params.newName, workspace, renameCapabilities) : null;
      if (!result) return null;
      return 'refused' in result ? new ResponseError(ErrorCodes.InvalidRequest, result.refused) : result.edit;
    }),
  );
  connection.onWorkspaceSymbol((params, token) => runSafe(connection, 'workspaceSymbol', token, [], () => provideWorkspaceSymbols(params.query, workspace)));
  connection.onFoldingRanges((params, token) =>
    runSafe(connection, 'foldingRanges', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideFoldingRanges(analysis) : [];
    }),
  );
  connection.onSelectionRanges((params, token) =>
    runSafe(connection, 'selectionRanges', token, [], () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? provideSelectionRanges(analysis, params.positions) : [];
    }),
  );
  connection.languages.callHierarchy.onPrepare((params, token) =>
    runSafe(connection, 'prepareCallHierarchy', token, null, () => {
      const analysis = analysisOf(params.textDocument.uri);
      return analysis ? prepareCallHierarchy(analysis, params.position, workspace) : null;
    }),
  );
  connection.languages.callHierarchy.onIncomingCalls((params, token) =>
    runSafe(connection, 'incomingCalls', token, [], () => {
      const analysis = analysisOf(params.item.uri);
      return analysis ? provideIncomingCalls(analysis, params.item, workspace) : [];
    }),
  );
  connection.languages.callHierarchy.onOutgoingCalls((params, token) =>
    runSafe(connection, 'outgoingCalls', token, [], () => {
      const analysis = analysisOf(params.item.uri);
      return analysis ? provideOutgoingCalls(analysis, params.item, workspace) : [];
    }),
  );
  connection.onRequest(NextTaskRequest, (_params: unknown, token) => runSafe<NextTaskResult>(connection, NextTaskRequest, token, { skipped: [] }, () => handleNextTask(workspace)));

  connection.onRequest(TasksRequest, (_params: unknown, token) =>
    runSafe<TasksResult>(connection, TasksRequest, token, { tasks: [], indexed: workspace.indexed }, () => ({ tasks: summarizeTasks(workspace), indexed: workspace.indexed })),
  );
  connection.onRequest(DeploymentsRequest, (_params: unknown, token) =>
    runSafe<DeploymentsResult>(connection, DeploymentsRequest, token, { deployments: [], indexed: workspace.indexed }, () => ({
      deployments: summarizeDeployments(workspace),
      indexed: workspace.indexed,
    })),
  );

  connection.onRequest(TransitionRequest, (params: TransitionParams, token) =>
    runSafe<TransitionResult>(connection, TransitionRequest, token, { refused: 'The language server could not compute this move; see the "Contracts" output.' }, () => handleTransition(workspace, params)),
  );
  connection.onRequest(BoardRequest, (params: BoardParams, token) =>
    runSafe<BoardResult>(connection, BoardRequest, token, { found: false, reason: 'The language server could not read this board; see the "Contracts" output.', uri: params.uri, title: '', version: 1, lanes: [], unplaced: [] }, () =>
      handleBoard(workspace, params),
    ),
  );
  connection.onRequest(MoveCardRequest, (params: MoveCardParams, token) =>
    runSafe<MoveCardResult>(connection, MoveCardRequest, token, { refused: 'The language server could not compute this move; see the "Contracts" output.' }, () => handleMoveCard(workspace, params)),
  );
  connection.onRequest(AddTaskRequest, (params: AddTaskParams, token) =>
    runSafe<AddTaskResult>(connection, AddTaskRequest, token, { refused: 'The language server could not add the task; see the "Contracts" output.' }, () => handleAddTask(workspace, params)),
  );
  connection.onRequest(ServerInfoRequest, (): ServerInfoResult => ({ pid: process.pid, indexed: workspace.indexed, documents: workspace.allAnalyses().length }));

  documents.listen(connection);
  connection.listen();
}
