import type { Connection, TextDocuments } from 'vscode-languageserver';
import { DidChangeTasksNotification } from '../../shared/protocol';
import { capDiagnostics } from './engine/diagnostics';
import { toLspDiagnostic } from './features/convert';
import { collectIfDue } from './memory';
import type { OpenDocument } from './openDocument';
import { formatError } from './runner';
import type { Workspace } from './workspace';

/** Files up to this size are analyzed in full in a few milliseconds (about 1,000 lines). */
const CHEAP_FULL_ANALYSIS_CHARS = 32 * 1024;
/** Task-tree change notifications are batched over this long. */
const TASKS_CHANGED_BATCH_MS = 100;

/**
 * When diagnostics are computed and published. A change is published at once
 * when its analysis is cheap (an incremental update inside one task, or a
 * small file) and after the typing pause otherwise, so a big file is parsed
 * once per burst; a newer version cancels the pending run of an older one.
 * After a document's own diagnostics, the other open files of its board and
 * the client's task tree follow.
 */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents changed since their diagnostics were last published: their board and task tree follow. */
  private readonly unpropagated = new Set<string>();
  private readonly tasksChanged: TasksChangedNotifier;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<OpenDocument>,
    private readonly workspace: Workspace,
  ) {
    this.tasksChanged = new TasksChangedNotifier(connection);
  }

  /** A document was opened (`opened`) or edited: incremental when it can, full otherwise. */
  documentChanged(document: OpenDocument, opened = false): void {
    this.workspace.setOpen(document);
    const cheap = opened || this.workspace.updateIncrementally(document.uri) || document.getText().length < CHEAP_FULL_ANALYSIS_CHARS;
    this.unpropagated.add(document.uri);
    this.schedule(document.uri, cheap ? 0 : undefined);
  }

  /** A document was closed: nothing pending, no diagnostics left. */
  documentClosed(uri: string): void {
    this.cancel(uri);
    this.unpropagated.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Every open document again (after indexing or a settings change), or those that pass `filter`. */
  rescheduleOpen(filter: (uri: string) => boolean = () => true): void {
    for (const document of this.documents.all()) if (filter(document.uri)) this.schedule(document.uri, 0);
  }

  /** Tells the client the task tree changed (batched). */
  tasksChangedIn(uris: string[]): void {
    this.tasksChanged.add(uris);
  }

  private schedule(uri: string, delay = this.workspace.diagnosticsDelayMs): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => void this.publish(uri), delay),
    );
  }

  private cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  private async publish(uri: string): Promise<void> {
    this.timers.delete(uri);
    const document = this.documents.get(uri);
    if (!document) return;
    try {
      // A big document is analyzed in slices, requests answered meanwhile; a newer version drops this run (its own publishes).
      if (!(await this.workspace.ensureAnalyzed(uri)) || this.documents.get(uri)?.version !== document.version) return;
      const analysis = this.workspace.latestUnsettled(uri);
      const relevant = analysis && analysis.kind !== 'none' ? analysis : undefined;
      const diagnostics = relevant ? capDiagnostics(this.workspace.diagnosticsFor(uri), this.workspace.maxDiagnostics).map((d) => toLspDiagnostic(relevant.lines, d)) : [];
      void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      // The diagnostics are out: now the nodes after an incremental edit move (features read them; the next edit would otherwise).
      setImmediate(() => {
        this.workspace.settle(uri);
        collectIfDue();
      });
      if (this.unpropagated.delete(uri) && relevant) {
        for (const dependent of this.workspace.dependentOpenUris(relevant)) this.schedule(dependent, 0);
        this.tasksChangedIn([uri]);
      }
    } catch (error) {
      this.connection.console.error(`Diagnostics for ${uri} failed: ${formatError(error)}`);
    }
  }
}

/** `contracts/didChangeTasks`, batched: one notification for the documents changed in a short while. */
class TasksChangedNotifier {
  private timer?: NodeJS.Timeout;
  private readonly uris = new Set<string>();

  constructor(private readonly connection: Connection) {}

  add(uris: string[]): void {
    uris.forEach((uri) => this.uris.add(uri));
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const params = { uris: [...this.uris] };
      this.uris.clear();
      void this.connection.sendNotification(DidChangeTasksNotification, params);
    }, TASKS_CHANGED_BATCH_MS);
  }
}
