import { readFile, stat } from 'node:fs/promises';
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { analyzeDocument, checkV2Board, type AnalyzeOptions, type DocumentAnalysis } from './engine/analyze';
import { applyContentChanges, type ContentChange } from './engine/incremental';
import { classifyDocument, projectFolderOf } from './engine/classify';
import type { EngineDiagnostic } from './engine/diagnostics';
import type { FeatureContext, TaskRef } from './features/featureContext';
import { isInsideFolder } from '../../shared/paths';
import { isTaskFolderOnDisk, listRelativePaths, realPathCached, walkFiles } from './fileSystem';
import type { ServerSettings } from './settings';
import { pathToUri, uriToPath } from './uris';

interface OpenEntry {
  document: TextDocument;
  analysis?: DocumentAnalysis;
  /** The document version `analysis` was computed from. */
  analyzedVersion?: number;
  /** Content changes since `analyzedVersion`, in order, for an incremental update. */
  pending?: ContentChange[];
  /** The version the last pending change leads to. */
  pendingVersion?: number;
}

/**
 * The server's picture of the workspace: open documents (analyzed once per
 * version, shared by every feature) over an index of contract files on disk.
 * Open documents always win, so no task is listed twice.
 */
export class Workspace implements FeatureContext {
  private readonly open = new Map<string, OpenEntry>();
  private readonly disk = new Map<string, DocumentAnalysis>();
  /** What the running scan has analyzed so far; it joins `disk` when the scan ends. */
  private scanned?: Map<string, DocumentAnalysis>;
  private readonly uriByPath = new Map<string, string>();
  private scanGeneration = 0;
  indexed = false;
  /** The workspace folders, as last scanned. */
  private folders: string[] = [];

  constructor(private settings: ServerSettings) {}

  updateSettings(settings: ServerSettings): void {
    this.settings = settings;
    for (const entry of this.open.values()) entry.analysis = undefined;
  }

  get diagnosticsDelayMs(): number {
    return this.settings.diagnosticsDelayMs;
  }

  analyzeOptions(): AnalyzeOptions {
    return { deploymentGlobs: this.settings.deploymentGlobs, maxFileBytes: this.settings.maxFileSizeKB * 1024, isTaskFolder: isTaskFolderOnDisk };
  }

  // ---- open documents -------------------------------------------------

  setOpen(document: TextDocument): void {
    const path = uriToPath(document.uri);
    this.uriByPath.set(path, document.uri);
    const entry = this.open.get(document.uri);
    if (entry) entry.document = document;
    else this.open.set(document.uri, this.adoptDiskCopy(path, document));
  }

  /**
   * A newly opened document drops its disk copy's analysis (the buffer wins), or
   * takes it over when the texts are equal: the scan may have reached the file
   * first, and a big board's analysis is worth neither a second parse nor
   * holding twice.
   */
  private adoptDiskCopy(path: string, document: TextDocument): OpenEntry {
    const disk = this.disk.get(path) ?? this.scanned?.get(path);
    this.disk.delete(path);
    this.scanned?.delete(path);
    const text = document.getText();
    if (!disk || disk.path !== path || disk.text !== text) return { document };
    // The buffer's string stands in for the file's, which can then go.
    const analysis: DocumentAnalysis = { ...disk, text, lines: disk.lines.withText(text) };
    return { document, analysis, analyzedVersion: document.version };
  }

  close(uri: string): void {
    this.open.delete(uri);
  }

  /**
   * Records the content changes that turn version `fromVersion` of an open
   * document into `toVersion`, before the document applies them, so the next
   * analysis can update the previous one instead of parsing everything again.
   */
  recordChanges(uri: string, fromVersion: number, toVersion: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.open.get(uri);
    if (!entry) return;
    const continues = entry.pending ? entry.pendingVersion === fromVersion : entry.analysis !== undefined && entry.analyzedVersion === fromVersion;
    if (!continues) {
      entry.pending = undefined;
      return;
    }
    entry.pending = [...(entry.pending ?? []), ...changes];
    entry.pendingVersion = toVersion;
  }

  /**
   * Brings an open document's analysis up to its current version when an
   * incremental update can (an edit inside one task); false when a full
   * analysis is due, which `analysisFor` then runs.
   */
  updateIncrementally(uri: string): boolean {
    const entry = this.open.get(uri);
    if (!entry) return false;
    if (entry.analysis && entry.analyzedVersion === entry.document.version) return true;
    const pending = entry.pending;
    entry.pending = undefined;
    if (!entry.analysis || !pending || entry.pendingVersion !== entry.document.version) return false;
    const updated = applyContentChanges(entry.analysis, pending, entry.document.getText(), this.analyzeOptions());
    // A failed update may have been refused before touching the old analysis, but a full one is due anyway.
    entry.analysis = updated;
    entry.analyzedVersion = updated ? entry.document.version : undefined;
    return updated !== undefined;
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  private isOpenPath(path: string): boolean {
    const uri = this.uriByPath.get(path);
    return uri !== undefined && this.open.has(uri);
  }

  /** The analysis of a document's current version: open buffer first, then disk. */
  analysisFor(uri: string): DocumentAnalysis | undefined {
    const entry = this.open.get(uri);
    if (entry) {
      // Parse once per version; every feature shares the result.
      if (!this.updateIncrementally(uri)) {
        entry.analysis = analyzeDocument(uriToPath(uri), entry.document.getText(), this.analyzeOptions());
        entry.analyzedVersion = entry.document.version;
      }
      return entry.analysis;
    }
    return this.disk.get(uriToPath(uri));
  }

  documentVersion(uri: string): number | undefined {
    return this.open.get(uri)?.document.version;
  }

  /** Every analyzed contract document, open ones in place of their disk copies. */
  allAnalyses(): DocumentAnalysis[] {
    const result = new Map<string, DocumentAnalysis>();
    for (const [path, analysis] of this.disk) result.set(path, analysis);
    for (const uri of this.open.keys()) {
      const analysis = this.analysisFor(uri);
      if (analysis && analysis.kind !== 'none') result.set(analysis.path, analysis);
    }
    return [...result.values()];
  }

  // ---- disk index ---------------------------------------------------------

  /** Scans the workspace folders; safe to call again (a newer scan supersedes). */
  async scan(folders: string[], onProgress?: () => void): Promise<void> {
    this.folders = folders.map((folder) => folder.replace(/\\/g, '/'));
    const generation = ++this.scanGeneration;
    this.indexed = false;
    const found = new Map<string, DocumentAnalysis>();
    this.scanned = found;
    let sinceProgress = 0;
    for (const folder of folders) {
      await walkFiles(
        folder,
        async (file) => {
          // An open document's buffer wins anyway: parsing its disk copy too would cost time and memory twice.
          if (this.isOpenPath(file.replace(/\\/g, '/'))) return;
          const analysis = await this.analyzeFromDisk(file);
          if (analysis) {
            found.set(analysis.path, analysis);
            if (++sinceProgress >= 200) {
              sinceProgress = 0;
              onProgress?.();
            }
          }
        },
        () => generation !== this.scanGeneration,
      );
    }
    if (generation !== this.scanGeneration) return;
    this.scanned = undefined;
    this.disk.clear();
    for (const [path, analysis] of found) if (!this.isOpenPath(path)) this.disk.set(path, analysis);
    this.indexed = true;
  }

  /** Re-reads one file after a change on disk; returns whether the index changed. */
  async refreshFromDisk(path: string): Promise<boolean> {
    const analysis = await this.analyzeFromDisk(path);
    if (analysis) {
      this.disk.set(analysis.path, analysis);
      return true;
    }
    return this.forgetUnder(path);
  }

  /** Drops a deleted file, or every indexed file under a deleted folder. */
  private forgetUnder(path: string): boolean {
    const gone = path.replace(/\\/g, '/').replace(/\/+$/, '');
    let changed = false;
    for (const indexed of [...this.disk.keys()]) {
      if (indexed === gone || indexed.startsWith(gone + '/')) changed = this.disk.delete(indexed) || changed;
    }
    return changed;
  }

  private async analyzeFromDisk(file: string): Promise<DocumentAnalysis | undefined> {
    const options = this.analyzeOptions();
    const posix = file.replace(/\\/g, '/');
    // Classify by path first, reading JSON only to look for a `$schema`.
    let kind = classifyDocument(posix, undefined, options);
    if (kind === 'none' && !posix.endsWith('.json')) return undefined;
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      // Too large to check: not indexed (an open one still gets its notice).
      if (info.size > options.maxFileBytes!) return undefined;
      const text = await readFile(file, 'utf8');
      // Opened while we read it: the buffer wins.
      if (this.isOpenPath(posix)) return undefined;
      if (kind === 'none') kind = classifyDocument(posix, text, options);
      if (kind === 'none') return undefined;
      return analyzeDocument(posix, text, options);
    } catch {
      return undefined;
    }
  }

  // ---- boards ---------------------------------------------------------------

  /** The config and task files of the v2 board a document belongs to. */
  v2BoardMembers(analysis: DocumentAnalysis): { config?: DocumentAnalysis; tasks: DocumentAnalysis[]; ledger?: DocumentAnalysis } {
    const root = projectFolderOf(analysis.path, analysis.kind);
    const members = this.allAnalyses().filter((a) => (a.kind === 'task' || a.kind === 'ledger' || (a.kind === 'board' && a.version === 2)) && projectFolderOf(a.path, a.kind) === root);
    return { config: members.find((a) => a.kind === 'board'), tasks: members.filter((a) => a.kind === 'task'), ledger: members.find((a) => a.kind === 'ledger') };
  }

  /** A document's own findings plus its board's cross-file findings. */
  diagnosticsFor(uri: string): EngineDiagnostic[] {
    const analysis = this.analysisFor(uri);
    if (!analysis) return [];
    if (analysis.kind !== 'task' || analysis.skipped) return analysis.diagnostics;
    const { config, tasks, ledger } = this.v2BoardMembers(analysis);
    const cross = checkV2Board(config, tasks, ledger).get(analysis.path) ?? [];
    return cross.length ? [...analysis.diagnostics, ...cross] : analysis.diagnostics;
  }

  /** Open documents whose diagnostics depend on the given document (its v2 board). */
  dependentOpenUris(analysis: DocumentAnalysis): string[] {
    if (analysis.kind !== 'task' && analysis.kind !== 'ledger' && !(analysis.kind === 'board' && analysis.version === 2)) return [];
    const root = projectFolderOf(analysis.path, analysis.kind);
    return [...this.open.keys()].filter((uri) => {
      const other = this.analysisFor(uri);
      return other && other.kind === 'task' && other.path !== analysis.path && projectFolderOf(other.path, other.kind) === root;
    });
  }

  // ---- FeatureContext -----------------------------------------------------

  boardTasks(analysis: DocumentAnalysis): TaskRef[] {
    if (analysis.kind === 'board' && analysis.version === 1) {
      return (analysis.board?.tasks ?? []).map((task) => ({ uri: this.uriOf(analysis.path), task, analysis }));
    }
    return this.v2BoardMembers(analysis).tasks.flatMap((a) => (a.task ? [{ uri: this.uriOf(a.path), task: a.task, analysis: a }] : []));
  }

  boardColumns(analysis: DocumentAnalysis): Array<{ id?: string; title?: string }> {
    if (analysis.board) return analysis.board.columns;
    return this.v2BoardMembers(analysis).config?.board?.columns ?? [];
  }

  listPaths(folder: string): string[] {
    return listRelativePaths(folder);
  }

  realPath(absolutePath: string): string | undefined {
    return realPathCached(absolutePath);
  }

  workspaceFolderOf(path: string): string | undefined {
    // The innermost folder wins when workspace folders nest.
    return this.folders.filter((folder) => isInsideFolder(path, folder)).sort((a, b) => b.length - a.length)[0];
  }

  projectFolder(analysis: DocumentAnalysis): string {
    return projectFolderOf(analysis.path, analysis.kind);
  }

  uriOf(path: string): string {
    return this.uriByPath.get(path) ?? pathToUri(path);
  }
}
