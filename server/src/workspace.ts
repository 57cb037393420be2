import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { AnalysisPool, PoolResult, PoolSettings } from './analysisPool';
import { analyzeDocument, analyzeDocumentSteps, type AnalyzeOptions, type DocumentAnalysis } from './engine/analyze';
import { BoardIndex } from './engine/boards';
import { baseName, dirName, isTaskFolderName, projectFolderOf } from './engine/classify';
import type { EngineDiagnostic } from './engine/diagnostics';
import { classifyOptionsFor, contractFileCandidates, readContractFile, type FileAccess } from './engine/files';
import { applyContentChanges, settleAnalysis, type ContentChange } from './engine/incremental';
import type { FeatureContext } from './features/featureContext';
import type { RenameCapabilities } from './features/rename';
import { isInsideFolder } from '../../shared/paths';
import { listRelativePaths, realPathCached } from './fileSystem';
import { nodeFiles } from './nodeFiles';
import { OpenDocument } from './openDocument';
import type { ServerSettings } from './settings';
import { runInSlices } from './slices';
import { pathToUri, uriToPath } from './uris';

interface OpenEntry {
  document: TextDocument;
  /** Its file was deleted (or moved away) on disk: the buffer stays open but is no board member until the file exists again. */
  orphaned?: boolean;
  analysis?: DocumentAnalysis;
  /** The document version `analysis` was computed from. */
  analyzedVersion?: number;
  /** Content changes since `analyzedVersion`, in order, for an incremental update. */
  pending?: ContentChange[];
  /** The version the last pending change leads to. */
  pendingVersion?: number;
  /** A full analysis running (on a worker or in slices), the version it is for, and how to drop it. */
  running?: { version: number; done: Promise<boolean>; cancel: () => void };
}

/**
 * From this size on, a full analysis of an open document runs in slices
 * (`slices.ts`) and requests are answered from the last finished analysis
 * meanwhile; smaller ones take a few milliseconds and run at once.
 */
export const SLICED_ANALYSIS_MIN_CHARS = 32 * 1024;

/** The most entries one scan of a workspace folder visits. */
const MAX_SCAN_ENTRIES = 200_000;
/** A scan yields to requests after this long. */
const SCAN_SLICE_MS = 8;
/** Files per message to a worker: fewer messages, and still small steps for the main thread to receive. */
const POOL_BATCH_FILES = 32;
/** Batches in flight per worker: one to work on, one waiting, so a worker never idles while the main thread receives. */
const POOL_BATCHES_PER_WORKER = 4;

/**
 * The server's picture of the workspace: a cache of analyses, open documents
 * (analyzed once per version, shared by every feature) over an index of
 * contract files on disk, kept current by the file watcher. Open documents
 * always win, so no task is listed twice. Which files form which board is the
 * engine's board model (`BoardIndex`), rebuilt only after something changed.
 */
export class Workspace implements FeatureContext {
  private readonly open = new Map<string, OpenEntry>();
  private readonly disk = new Map<string, DocumentAnalysis>();
  /** What the running scan has analyzed so far; it joins `disk` when the scan ends. */
  private scanned?: Map<string, DocumentAnalysis>;
  private readonly uriByPath = new Map<string, string>();
  private scanGeneration = 0;
  /** Bumped by every change to the set of analyses; the board index is rebuilt when it moved. */
  private generation = 0;
  private boardIndex?: { generation: number; index: BoardIndex };
  indexed = false;
  /** What the client's WorkspaceEdit can do, for rename (told in `initialize`). */
  renameCapabilities: RenameCapabilities = { documentChanges: false, renameFiles: false };
  /** The workspace folders, as last scanned. */
  private folders: string[] = [];
  /** Where the server's warnings go (its output channel); a failed analysis worker is told there once. */
  onWarning: (message: string) => void = () => undefined;
  private workerFailureTold = false;

  constructor(
    private settings: ServerSettings,
    private readonly files: FileAccess = nodeFiles,
    /** Worker threads for the scan (the server's; they read the real file system, so never with other `files`). */
    private readonly pool?: AnalysisPool,
  ) {}

  updateSettings(settings: ServerSettings): void {
    this.settings = settings;
    for (const entry of this.open.values()) entry.analysis = undefined;
    this.generation++;
  }

  get deploymentGlobs(): readonly string[] {
    return this.settings.deploymentGlobs;
  }

  get diagnosticsDelayMs(): number {
    return this.settings.diagnosticsDelayMs;
  }

  get maxDiagnostics(): number {
    return this.settings.maxDiagnostics;
  }

  analyzeOptions(): AnalyzeOptions {
    return { ...classifyOptionsFor(this.files, { deploymentGlobs: this.settings.deploymentGlobs }), maxFileBytes: this.settings.maxFileSizeKB * 1024 };
  }

  // ---- open documents -------------------------------------------------

  setOpen(document: TextDocument): void {
    const path = uriToPath(document.uri);
    this.uriByPath.set(path, document.uri);
    const entry = this.open.get(document.uri);
    if (entry) {
      entry.document = document;
      // A newer version makes a running full analysis pointless: a worker stops it at its next step.
      if (entry.running && entry.running.version !== document.version) entry.running.cancel();
    } else {
      const opened = this.adoptDiskCopy(path, document);
      opened.orphaned = this.movedAway(document.uri, path);
      this.open.set(document.uri, opened);
    }
    this.generation++;
  }

  /**
   * A v2 task buffer whose file is gone from disk while the same file name sits
   * in the sibling task folder (`board/` and `logs/`): the task was moved, and
   * VS Code kept the old buffer, which it sends again when the server restarts.
   */
  private movedAway(uri: string, path: string): boolean {
    const folder = dirName(path);
    if (!uri.startsWith('file:') || !isTaskFolderName(folder) || this.files.stat(path) !== undefined) return false;
    const sibling = `${dirName(folder)}/${baseName(folder) === 'board' ? 'logs' : 'board'}/${baseName(path)}`;
    return this.files.stat(sibling) !== undefined;
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

  /**
   * A file event for open documents. A buffer whose file was deleted no longer
   * stands in for a board member, or a task moved to `logs/` by another
   * program would be listed twice (VS Code keeps such a buffer open); it does
   * again once the file exists (a save, an undo of the move). Returns whether
   * an open document changed state.
   */
  openFileEvent(path: string, deleted: boolean): boolean {
    const target = path.replace(/\\/g, '/').replace(/\/+$/, '');
    let changed = false;
    for (const [uri, entry] of this.open) {
      const own = uriToPath(uri);
      const affected = deleted ? own === target || own.startsWith(target + '/') : own === target;
      if (!affected) continue;
      const orphaned = deleted && this.files.stat(own) === undefined;
      if (Boolean(entry.orphaned) === orphaned) continue;
      entry.orphaned = orphaned;
      changed = true;
    }
    if (changed) this.generation++;
    return changed;
  }

  close(uri: string): void {
    this.open.get(uri)?.running?.cancel();
    this.open.delete(uri);
    this.generation++;
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
    // The shift of the nodes after the edit waits until the diagnostics are out (`settle`) or a feature reads the tree.
    // Read through the document's pieces: a keystroke never copies a big text (`OpenDocument`).
    const document = entry.document;
    const updated = applyContentChanges(entry.analysis, pending, document.getText(), this.analyzeOptions(), true, document instanceof OpenDocument ? document.source : undefined);
    if (updated) this.store(entry, updated, entry.document.version);
    else if (pending.length > 1) {
      // A later change was refused after earlier ones updated the tree in place: the old analysis is spoilt.
      entry.analysis = undefined;
      entry.analyzedVersion = undefined;
      this.generation++;
    }
    // A single refused change left the previous analysis untouched: it answers requests until the full one is done.
    return updated !== undefined;
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  private isOpenPath(path: string): boolean {
    const uri = this.uriByPath.get(path);
    return uri !== undefined && this.open.has(uri);
  }

  /**
   * The analysis of a document's current version: open buffer first, then
   * disk. Runs a full analysis at once if the current one is stale, however
   * long it takes: for what must be exact (lifecycle edits). Requests use
   * `latestAnalysis`.
   */
  analysisFor(uri: string): DocumentAnalysis | undefined {
    return this.readWhole(uri, settled(this.upToDate(uri)));
  }

  /** `analysisFor`, its tree maybe not yet settled: for what reads only findings and lines. */
  private upToDate(uri: string): DocumentAnalysis | undefined {
    const entry = this.open.get(uri);
    if (entry) {
      // Parse once per version; every feature shares the result.
      if (!this.updateIncrementally(uri)) this.store(entry, analyzeDocument(uriToPath(uri), wholeText(entry.document), this.analyzeOptions()), entry.document.version);
      return entry.analysis;
    }
    return this.disk.get(uriToPath(uri));
  }

  /** Moves the nodes an incremental update left in place (once its diagnostics are published). */
  settle(uri: string): void {
    settled(this.open.get(uri)?.analysis);
  }

  /**
   * The analysis to answer a request with, never blocking on a big document:
   * its current version when done (or cheap: small documents and edits inside
   * one task are analyzed at once), else the last finished one while the
   * current one runs in slices (started here if it is not running).
   */
  latestAnalysis(uri: string): DocumentAnalysis | undefined {
    return this.readWhole(uri, settled(this.latestUnsettled(uri)));
  }

  /**
   * An analysis for features, which read its text whole (V8 then joins the
   * pieces of an edited document anyway): its line index reads that one flat
   * string instead of the pieces, and the document's pieces start from it, so
   * the base they were slices of is not kept beside it (`OpenDocument.flatText`).
   */
  private readWhole(uri: string, analysis: DocumentAnalysis | undefined): DocumentAnalysis | undefined {
    const document = this.open.get(uri)?.document;
    if (!analysis || analysis.lines.source === analysis.text || !(document instanceof OpenDocument) || this.open.get(uri)?.analyzedVersion !== document.version) return analysis;
    // The document's string of this version is the analysis's text (the same object, see `updateIncrementally`).
    const text = document.flatText();
    if (text === analysis.text) analysis.lines = analysis.lines.withText(text);
    return analysis;
  }

  /** `latestAnalysis` for what reads only findings and lines (publishing diagnostics): its tree maybe not yet settled. */
  latestUnsettled(uri: string): DocumentAnalysis | undefined {
    const entry = this.open.get(uri);
    if (!entry) return this.disk.get(uriToPath(uri));
    if (this.updateIncrementally(uri) || !this.isBig(entry)) return this.upToDate(uri);
    void this.analyzeInSlices(uri);
    return entry.analysis;
  }

  /** `latestAnalysis` when it is of the current version (for answers that edit the text, such as quick fixes and rename). */
  currentAnalysis(uri: string): DocumentAnalysis | undefined {
    const analysis = this.latestAnalysis(uri);
    const entry = this.open.get(uri);
    return !entry || entry.analyzedVersion === entry.document.version ? analysis : undefined;
  }

  /**
   * Brings an open document's analysis to its current version, in slices when
   * it is big. Resolves false when a newer version or a close made the work
   * stale (it is dropped; the newer version is analyzed on its own).
   */
  async ensureAnalyzed(uri: string): Promise<boolean> {
    const entry = this.open.get(uri);
    if (!entry) return false;
    if (this.updateIncrementally(uri) || !this.isBig(entry)) return this.upToDate(uri) !== undefined;
    return this.analyzeInSlices(uri);
  }

  private analyzeInSlices(uri: string): Promise<boolean> {
    const entry = this.open.get(uri)!;
    const version = entry.document.version;
    if (entry.running?.version === version) return entry.running.done;
    entry.running?.cancel();
    const stale = () => this.open.get(uri) !== entry || entry.document.version !== version;
    // Only a version after the first: see `analyzeBig`.
    const { analysis, cancel } = this.analyzeBig(uriToPath(uri), wholeText(entry.document), stale, entry.analysis !== undefined);
    const done = analysis.then((analysis) => {
      if (entry.running?.done === done) entry.running = undefined;
      if (!analysis || stale()) return false;
      this.store(entry, analysis, version);
      return true;
    });
    entry.running = { version, done, cancel };
    return done;
  }

  /**
   * A full analysis of a big text that never holds the main thread long: on
   * a worker thread when asked and the server has one (its heap takes the
   * parse's garbage), the result rebuilt here in slices; else, or when the
   * worker fails or leaves the document to us (a tree that shares nodes),
   * analyzed here in slices. Resolves undefined once `isStale` says the work
   * is pointless, or after `cancel`.
   *
   * Only later versions of an open document go to the worker: the worker's
   * heap at its peak (about 60 MB for the 5,000-task board) comes on top of
   * the main thread's, which cost the first analysis of a document (opened,
   * or read by the scan) 50–70 MB of peak RSS and half a second (starting
   * the worker) before its first diagnostics; the analyses after edits are
   * the ones that run while the user works.
   */
  private analyzeBig(path: string, text: string, isStale: () => boolean, onWorker: boolean): { analysis: Promise<DocumentAnalysis | undefined>; cancel: () => void } {
    // Parsed item by item from this size on (the same result as one parse, proven in chunkedParse.test.ts), so the parse pauses too.
    const options = { ...this.analyzeOptions(), chunkedParseMinChars: SLICED_ANALYSIS_MIN_CHARS };
    const inSlices = () => runInSlices(analyzeDocumentSteps(path, text, options), isStale);
    const job = onWorker ? this.pool?.analyzeDocument(path, text, this.poolSettings()) : undefined;
    if (!job) return { analysis: inSlices(), cancel: () => undefined };
    let cancelled = false;
    const analysis = job.result.then(
      (result) => ((typeof result !== 'object' && result !== 'main') || cancelled || isStale() ? undefined : result === 'main' ? inSlices() : runInSlices(result, isStale)),
      // The worker failed (it could not start, or stopped): analyzed here, and said once in the output.
      (error: unknown) => {
        this.tellWorkerFailure(error);
        return cancelled || isStale() ? undefined : inSlices();
      },
    );
    return {
      analysis,
      cancel: () => {
        cancelled = true;
        job.cancel();
      },
    };
  }

  private tellWorkerFailure(error: unknown): void {
    if (this.workerFailureTold) return;
    this.workerFailureTold = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.onWarning(`The analysis worker thread failed (${reason}); big documents are analysed on the main thread instead, in slices. Requests may answer more slowly while they are.`);
  }

  /**
   * Resolves once every open document has a finished analysis: the scan waits
   * for them (open documents first). A big one not yet analyzed (just opened,
   * its diagnostics not yet due) is started here rather than passed by.
   */
  private async openAnalysesDone(): Promise<void> {
    for (const [uri, entry] of this.open) {
      if (entry.running) await entry.running.done;
      else if (!entry.analysis && this.isBig(entry)) await this.analyzeInSlices(uri);
    }
  }

  private store(entry: OpenEntry, analysis: DocumentAnalysis, version: number): void {
    entry.analysis = analysis;
    entry.analyzedVersion = version;
    entry.pending = undefined;
    this.generation++;
  }

  private isBig(entry: OpenEntry): boolean {
    return entry.document.getText().length >= SLICED_ANALYSIS_MIN_CHARS;
  }

  /**
   * The version of an open document that its last finished analysis is of
   * (undefined for a file only on disk). Edits and versioned answers computed
   * from that analysis carry it, so the client refuses them once the buffer
   * is newer; after `analysisFor` it is the current version.
   */
  documentVersion(uri: string): number | undefined {
    const entry = this.open.get(uri);
    return entry?.analysis ? entry.analyzedVersion : entry?.document.version;
  }

  /** Every analyzed contract document, open ones in place of their disk copies. */
  allAnalyses(): DocumentAnalysis[] {
    if (!this.open.size) return [...this.disk.values()];
    const result = new Map<string, DocumentAnalysis>();
    for (const [path, analysis] of this.disk) result.set(path, analysis);
    for (const [uri, entry] of this.open) {
      if (entry.orphaned) continue;
      const analysis = this.latestAnalysis(uri);
      if (analysis && analysis.kind !== 'none') result.set(analysis.path, analysis);
    }
    return [...result.values()];
  }

  // ---- disk index ---------------------------------------------------------

  /**
   * Scans the workspace folders; safe to call again (a newer scan supersedes).
   * The walk comes first: how many files there are decides whether the worker
   * pool is worth starting (past `minFiles`). With the pool, the main thread
   * and the workers share the files: batches go to the workers while they
   * have fewer than a few in flight, and the main thread analyzes the next
   * file itself meanwhile, so neither side idles. The analyses join the index
   * in the order the walk found the files.
   */
  async scan(folders: string[], onProgress?: () => void): Promise<void> {
    this.folders = folders.map((folder) => folder.replace(/\\/g, '/'));
    const generation = ++this.scanGeneration;
    const superseded = () => generation !== this.scanGeneration;
    this.indexed = false;
    const found = new Map<string, DocumentAnalysis>();
    this.scanned = found;
    let sliceStart = Date.now();
    // Keep answering requests while indexing.
    const breathe = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    };
    const candidates: string[] = [];
    const walkOptions = { ...this.analyzeOptions(), maxEntries: MAX_SCAN_ENTRIES, shouldStop: superseded };
    for (const folder of folders) {
      for (const file of contractFileCandidates(folder, this.files, walkOptions)) {
        candidates.push(file);
        if (Date.now() - sliceStart >= SCAN_SLICE_MS) await breathe();
      }
    }
    const pool = this.pool && candidates.length > this.pool.minFiles ? this.pool : undefined;
    // Loading the bundle and compiling the schema on the workers while the main thread goes on with files of its own.
    pool?.warmUp(this.poolSettings());
    const maxInFlight = pool ? pool.size * POOL_BATCHES_PER_WORKER : 0;
    let inFlight = 0;
    /** The results in walk order: one slot per file analyzed here, or per batch sent to a worker (filled when it lands). */
    const slots: Array<{ analyses?: Array<DocumentAnalysis | undefined>; landed?: Promise<void> }> = [];
    let kept = 0;
    let sinceProgress = 0;
    const keepReady = () => {
      for (; kept < slots.length && slots[kept].analyses; kept++) {
        for (const analysis of slots[kept].analyses!) {
          // Already there: a file-watcher event read the file while this read was under way, and is newer.
          if (!analysis || found.has(analysis.path)) continue;
          found.set(analysis.path, analysis);
          if (++sinceProgress >= 200) {
            sinceProgress = 0;
            onProgress?.();
          }
        }
      }
    };
    for (let next = 0; next < candidates.length && !superseded(); ) {
      // Open documents first: the scan waits while one is being analyzed.
      await this.openAnalysesDone();
      if (pool && inFlight < maxInFlight) {
        // An open document's buffer wins anyway: parsing its disk copy too would cost time and memory twice.
        const batch = candidates.slice(next, next + POOL_BATCH_FILES).filter((file) => !this.isOpenPath(file));
        next += POOL_BATCH_FILES;
        const slot: (typeof slots)[number] = {};
        inFlight++;
        slot.landed = this.analyzeInPool(pool, batch).then((analyses) => {
          slot.analyses = analyses;
          inFlight--;
        });
        slots.push(slot);
      } else {
        const file = candidates[next++];
        if (!this.isOpenPath(file)) slots.push({ analyses: [await this.analyzeFromDisk(file)] });
      }
      keepReady();
      if (Date.now() - sliceStart >= SCAN_SLICE_MS) await breathe();
    }
    for (const slot of slots) await slot.landed;
    if (superseded()) return;
    keepReady();
    this.scanned = undefined;
    this.disk.clear();
    for (const [path, analysis] of found) if (!this.isOpenPath(path)) this.disk.set(path, analysis);
    this.indexed = true;
    this.generation++;
  }

  /** Re-reads one file after a change on disk; returns whether the index changed. */
  async refreshFromDisk(path: string): Promise<boolean> {
    const analysis = await this.analyzeFromDisk(path);
    if (analysis) {
      this.disk.set(analysis.path, analysis);
      // A scan under way replaces the index when it ends: it must keep this newer read too (its walk may have passed before the file was written).
      this.scanned?.set(analysis.path, analysis);
      this.generation++;
      return true;
    }
    return this.forgetUnder(path);
  }

  /** Drops a deleted file, or every indexed file under a deleted folder. */
  private forgetUnder(path: string): boolean {
    const gone = path.replace(/\\/g, '/').replace(/\/+$/, '');
    let changed = false;
    const under = (indexed: string) => indexed === gone || indexed.startsWith(gone + '/');
    for (const indexed of [...this.disk.keys()]) if (under(indexed)) changed = this.disk.delete(indexed) || changed;
    // Nor may a scan under way bring back what it read before the deletion.
    if (this.scanned) for (const indexed of [...this.scanned.keys()]) if (under(indexed)) changed = this.scanned.delete(indexed) || changed;
    if (changed) this.generation++;
    return changed;
  }

  private async analyzeFromDisk(file: string): Promise<DocumentAnalysis | undefined> {
    const options = this.analyzeOptions();
    const read = readContractFile(file, this.files, { ...options, maxFileBytes: options.maxFileBytes! });
    // Opened while we read it: the buffer wins.
    if (!read || this.isOpenPath(read.path)) return undefined;
    const { path, text } = read;
    // In slices: a big file on disk must not stop the server answering either; dropped if the file is opened meanwhile.
    return text.length < SLICED_ANALYSIS_MIN_CHARS ? analyzeDocument(path, text, options) : this.analyzeBig(path, text, () => this.isOpenPath(path), false).analysis;
  }

  private poolSettings(): PoolSettings {
    return { deploymentGlobs: this.settings.deploymentGlobs, maxFileBytes: this.settings.maxFileSizeKB * 1024, maxChars: SLICED_ANALYSIS_MIN_CHARS };
  }

  /**
   * Files of a scan analyzed on the worker pool; the big ones come back to be
   * analyzed here in slices, and a failed worker's files are analyzed here too.
   */
  private async analyzeInPool(pool: AnalysisPool, files: string[]): Promise<Array<DocumentAnalysis | undefined>> {
    let results: PoolResult[];
    try {
      results = await pool.analyze(
        files.map((path) => ({ path })),
        this.poolSettings(),
      );
    } catch {
      results = files.map(() => 'main');
    }
    const analyses: Array<DocumentAnalysis | undefined> = [];
    for (const [index, result] of results.entries()) {
      if (result === 'main') analyses.push(await this.analyzeFromDisk(files[index]));
      // Opened while a worker read it: the buffer wins.
      else analyses.push(result && !this.isOpenPath(result.path) ? result : undefined);
    }
    return analyses;
  }

  // ---- boards ---------------------------------------------------------------

  /** The engine's board model over every current analysis; rebuilt only after a change. */
  boards(): BoardIndex {
    // Bring open documents up to date first (a big one's last finished analysis stands in while its next runs): that may change the set.
    for (const uri of this.open.keys()) this.latestAnalysis(uri);
    if (this.boardIndex?.generation !== this.generation) this.boardIndex = { generation: this.generation, index: new BoardIndex(this.allAnalyses()) };
    return this.boardIndex.index;
  }

  /** A document's own findings plus its board's cross-file findings. */
  diagnosticsFor(uri: string): EngineDiagnostic[] {
    const analysis = this.latestUnsettled(uri);
    if (!analysis) return [];
    // A v1 board has no cross-file findings: its own are all (and its tree may wait to be settled).
    if (isV1Board(analysis)) return analysis.diagnostics;
    return this.boards().diagnosticsFor(analysis);
  }

  /** Open documents whose diagnostics depend on the given document (the task files of its v2 board). */
  dependentOpenUris(analysis: DocumentAnalysis): string[] {
    if (isV1Board(analysis)) return [];
    const board = analysis.kind === 'task' || analysis.kind === 'board' || analysis.kind === 'ledger' ? this.boards().boardOf(analysis) : undefined;
    if (!board || board.version !== 2) return [];
    return board.taskFiles.filter((member) => member.path !== analysis.path && this.isOpenPath(member.path)).map((member) => this.uriOf(member.path));
  }

  // ---- FeatureContext -----------------------------------------------------

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

function settled(analysis: DocumentAnalysis | undefined): DocumentAnalysis | undefined {
  return analysis && settleAnalysis(analysis);
}

/** A one-file (v1) board: the board model adds nothing to it (its board-wide rules run in the engine). */
function isV1Board(analysis: DocumentAnalysis): boolean {
  return analysis.kind === 'board' && analysis.version !== 2;
}

/** A document's text for a full analysis, which reads all of it: one flat string, which an open document's pieces then start from (`OpenDocument.flatText`). */
function wholeText(document: TextDocument): string {
  return document instanceof OpenDocument ? document.flatText() : document.getText();
}
