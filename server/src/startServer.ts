import { CodeActionKind, FileChangeType, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { AnalysisPool } from './analysisPool';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { globMatcher } from './engine/classify';
import { clearFileCaches } from './fileSystem';
import { CUSTOM_REQUESTS, DOCUMENT_FEATURES } from './handlers';
import { nodeFiles } from './nodeFiles';
import { OpenDocument } from './openDocument';
import { formatError } from './runner';
import { DEFAULT_SETTINGS, readSettings } from './settings';
import { uriToPath } from './uris';
import { Workspace } from './workspace';

const CAPABILITIES: InitializeResult['capabilities'] = {
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
};

/** How long after `initialized` the first scan starts. */
const FIRST_SCAN_DELAY_MS = 50;

/** Wires the LSP connection to the workspace, the diagnostics scheduler and the request tables. */
export function startServer(connection: Connection): void {
  // CONTRACTS_ANALYSIS_WORKERS=0: every analysis in process, in slices (the tests compare both ways).
  const workspace = new Workspace(DEFAULT_SETTINGS, nodeFiles, process.env.CONTRACTS_ANALYSIS_WORKERS === '0' ? undefined : new AnalysisPool());
  workspace.onWarning = (message) => connection.console.warn(message);
  // Records each change's ranges before the document applies them: the workspace updates its analysis incrementally.
  const documents = new TextDocuments<OpenDocument>({
    create: OpenDocument.create,
    update: (document, changes, version) => {
      workspace.recordChanges(document.uri, document.version, version, changes);
      return OpenDocument.update(document, changes, version);
    },
  });
  const diagnostics = new DiagnosticsScheduler(connection, documents, workspace);
  let folders: string[] = [];

  /** Patterns the glob matcher refused match nothing: say so once per settings change. */
  const warnAboutGlobs = (globs: readonly string[]): void => {
    for (const problem of globMatcher(globs).problems) connection.console.warn(`Ignored the contracts.deploymentGlobs pattern ${JSON.stringify(problem.pattern.slice(0, 80))}: ${problem.reason}.`);
  };

  async function indexWorkspace(): Promise<void> {
    const started = Date.now();
    try {
      await workspace.scan(folders, () => diagnostics.tasksChangedIn([]));
      connection.console.info(`Indexed ${workspace.allAnalyses().length} contract files in ${Date.now() - started} ms.`);
      diagnostics.tasksChangedIn([]);
      diagnostics.rescheduleOpen();
    } catch (error) {
      connection.console.error(`Indexing failed: ${formatError(error)}`);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    workspace.updateSettings(readSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings));
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    workspace.renameCapabilities = { documentChanges: workspaceEdit?.documentChanges === true, renameFiles: workspaceEdit?.resourceOperations?.includes('rename') === true };
    folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (!folders.length && params.rootUri) folders = [uriToPath(params.rootUri)];
    return { capabilities: CAPABILITIES, serverInfo: { name: 'contract-workbench', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    warnAboutGlobs(workspace.deploymentGlobs);
    // The client opens its visible editors right after `initialized`: their analyses go first and the scan waits for them, rather than reading and starting to parse the same big file.
    setTimeout(() => void indexWorkspace(), FIRST_SCAN_DELAY_MS);
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri))];
      void indexWorkspace();
    });
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { contracts?: unknown } | undefined)?.contracts;
    if (!settings) return;
    workspace.updateSettings(readSettings(settings));
    warnAboutGlobs(workspace.deploymentGlobs);
    diagnostics.rescheduleOpen();
    void indexWorkspace();
  });

  documents.onDidOpen((event) => diagnostics.documentChanged(event.document, true));
  documents.onDidChangeContent((event) => diagnostics.documentChanged(event.document));
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    diagnostics.documentClosed(uri);
    workspace.close(uri);
    // The disk copy takes over from the (possibly unsaved) buffer.
    void workspace.refreshFromDisk(uriToPath(uri)).then(() => diagnostics.tasksChangedIn([uri]));
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    clearFileCaches();
    const changed: string[] = [];
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (workspace.openFileEvent(path, change.type === FileChangeType.Deleted)) changed.push(change.uri);
      if (workspace.isOpen(change.uri)) continue;
      if (await workspace.refreshFromDisk(path)) changed.push(change.uri);
    }
    if (!changed.length) return;
    diagnostics.tasksChangedIn(changed);
    // Task files read their board's other files: check the open ones again.
    diagnostics.rescheduleOpen((uri) => workspace.latestAnalysis(uri)?.kind === 'task');
  });

  for (const register of [...DOCUMENT_FEATURES, ...CUSTOM_REQUESTS]) register(connection, workspace);

  documents.listen(connection);
  connection.listen();
}
