import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { analyzeDocument, analyzeDocumentSteps, type AnalyzeOptions, type DocumentAnalysis } from './engine/analyze';
import { classifyDocument, type DocumentKind } from './engine/classify';
import { classifyOptionsFor, readContractFile } from './engine/files';
import { decodeAnalysis, decodeAnalysisSteps, encodeAnalysis, transferList, type TransferredAnalysis } from './engine/analysisTransfer';
import type { Steps } from './engine/steps';
import { collectNow } from './memory';
import { nodeFiles } from './nodeFiles';

/**
 * Contract files analyzed on worker threads, so the main thread keeps
 * answering requests and its heap holds only what is kept. Parsing a small
 * task file allocates about 150 KB (the YAML lexer and parser) for the 6 KB
 * its analysis keeps: in the main thread of a server started with
 * `--optimize-for-size` (a 1 MB young generation) that garbage made about
 * 1,600 collections in a 10,000-file scan, and the growing index made each
 * dearer. A worker's heap holds nothing for long; the main thread only
 * rebuilds each analysis from its flattened form (`engine/analysisTransfer.ts`).
 *
 * Big open documents (and big files the scan reads) are analyzed here too, one
 * at a time (`analyzeDocument`): a full analysis of a 4 MB board allocates
 * hundreds of MB, which on the main thread's heap meant collector pauses of
 * hundreds of milliseconds between requests. The main thread rebuilds the
 * result in steps, in slices between requests. A newer version supersedes a
 * running analysis: `cancel` sets a flag in shared memory that the worker
 * reads between steps.
 *
 * Each worker loads the bundle it was started from (`dist/server.js`, or this
 * module under `out/` in the tests) and serves analyses when `workerData` says
 * so; `server.ts` starts the LSP connection only on the main thread. Workers
 * start on first use and stop after `IDLE_MS` without work, so a session that
 * is not scanning holds none.
 *
 * In a scan's batches, files of `maxChars` or more come back as `'main'`
 * (the caller sends them on as documents of their own), and so do trees that
 * share nodes: the caller analyzes those itself (a big one in slices).
 */

export interface AnalysisJob {
  path: string;
  /** The text to analyze; without it the worker reads the file (a contract file within `maxFileBytes`). */
  text?: string;
}

/** What the workers need of the workspace settings (functions do not cross threads). */
export interface PoolSettings {
  deploymentGlobs: readonly string[];
  maxFileBytes: number;
  /** In a scan's batches, texts of this many characters or more come back as `'main'`. */
  maxChars?: number;
}

/** A job's result: the analysis; `undefined` when the file is no contract file or could not be read; `'main'` when it is left to the caller. */
export type PoolResult = DocumentAnalysis | undefined | 'main';

/** A full analysis of one document running on a worker (`AnalysisPool.analyzeDocument`). */
export interface DocumentJob {
  /**
   * The steps that rebuild the analysis on this thread (run them in slices);
   * `'main'` when the caller must analyze the document itself (its tree shares
   * nodes); once cancelled, `'stopped'` when the worker stopped before the
   * end, undefined when it had finished. Rejects when the worker fails.
   */
  result: Promise<Steps<DocumentAnalysis> | 'main' | 'stopped' | undefined>;
  /** Drops the work: the worker stops at its next step, and the result is undefined. */
  cancel(): void;
}

type Request = { id: number; settings: PoolSettings } & ({ jobs: AnalysisJob[] } | { document: { path: string; text: string }; cancelled: SharedArrayBuffer });

type BatchResult = { transferred: TransferredAnalysis; text?: string } | undefined | 'main';
type Reply = { id: number } & ({ results: BatchResult[] } | { document: TransferredAnalysis | 'main' | 'stale' });

interface WorkerData {
  contractsAnalysisWorker: true;
}

const WARM_UP_PATH = '/warm-up/.brainfile/board/warm-up.md';
const WARM_UP_TASK = '---\nid: warm-up\ntitle: Warm-up\ncolumn: todo\ncontract:\n  status: ready\n  deliverables:\n    - type: file\n      path: a.ts\n---\n';

/** Stop idle workers after this long: the scan is over, and each holds a heap of its own. */
const IDLE_MS = 5_000;

interface PoolWorker {
  worker: Worker;
  busy: number;
}

interface Waiter {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  worker: PoolWorker;
}

export class AnalysisPool {
  /** Worker threads to start at most. */
  readonly size: number;
  private readonly workers: PoolWorker[] = [];
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    /** The script a worker runs: the bundle (or module) that holds this one. */
    private readonly script = __filename,
    // One core stays with the main thread (requests, receiving) and the collector's helpers: on 2 cores a second worker cost more CPU than it saved.
    size = Math.min(availableParallelism() - 1, 3),
    /**
     * A scan of more files than this uses the pool (the main thread analyzes
     * files too meanwhile). A worker costs about 0.3 s of CPU to start
     * (loading the bundle, compiling the schemas, warming up) and 20 MB:
     * measured on 1,000 task files it made the index slower, on 10,000 faster.
     */
    readonly minFiles = 2_000,
  ) {
    this.size = Math.max(1, size);
  }

  /** Analyzes the jobs on one worker; results in the jobs' order. Rejects when the worker fails (the caller analyzes them itself). */
  async analyze(jobs: AnalysisJob[], settings: PoolSettings): Promise<PoolResult[]> {
    const reply = await this.send((id) => ({ id, jobs, settings }));
    if (!('results' in reply)) throw new Error('The analysis worker answered another job.');
    return reply.results.map((result, index) => (result === undefined || result === 'main' ? result : decodeAnalysis(result.transferred, result.text ?? jobs[index].text!)));
  }

  /** A full analysis of one document on a worker (see `DocumentJob`). */
  analyzeDocument(path: string, text: string, settings: PoolSettings): DocumentJob {
    const cancelled = new Int32Array(new SharedArrayBuffer(4));
    const result = this.send((id) => ({ id, document: { path, text }, cancelled: cancelled.buffer as SharedArrayBuffer, settings })).then((reply) => {
      if (!('document' in reply)) throw new Error('The analysis worker answered another job.');
      const { document } = reply;
      if (document === 'stale') return 'stopped';
      if (Atomics.load(cancelled, 0)) return undefined;
      return document === 'main' ? 'main' : decodeAnalysisSteps(document, text);
    });
    return { result, cancel: () => void Atomics.store(cancelled, 0, 1) };
  }

  private send(request: (id: number) => Request): Promise<Reply> {
    clearTimeout(this.idleTimer);
    const target = this.leastBusy();
    const id = this.nextId++;
    target.busy++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: target });
      target.worker.postMessage(request(id));
    });
  }

  /**
   * Starts the workers and has each analyze a small task file (loading the
   * bundle, compiling the task schema, a first run of the parser), so the
   * caller can go on with files of its own meanwhile. Failures are ignored:
   * `analyze` reports them.
   */
  warmUp(settings: PoolSettings): void {
    while (this.workers.length < this.size) {
      const warm = this.start();
      warm.busy++;
      const id = this.nextId++;
      this.waiting.set(id, { resolve: () => undefined, reject: () => undefined, worker: warm });
      warm.worker.postMessage({ id, jobs: [{ path: WARM_UP_PATH, text: WARM_UP_TASK }], settings } satisfies Request);
    }
  }

  /** Stops every worker; jobs still running are rejected. */
  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const stopping = this.workers.splice(0).map((w) => w.worker.terminate());
    await Promise.all(stopping);
  }

  private leastBusy(): PoolWorker {
    const idle = this.workers.find((w) => w.busy === 0);
    if (idle) return idle;
    if (this.workers.length < this.size) return this.start();
    return this.workers.reduce((best, w) => (w.busy < best.busy ? w : best));
  }

  private start(): PoolWorker {
    const worker = new Worker(this.script, { workerData: { contractsAnalysisWorker: true } satisfies WorkerData });
    // Never what keeps the server alive.
    worker.unref();
    const entry: PoolWorker = { worker, busy: 0 };
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      entry.busy--;
      waiter.resolve(reply);
      if (!this.waiting.size) this.idleTimer = setTimeout(() => void this.dispose(), IDLE_MS).unref();
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      for (const [id, waiter] of this.waiting) {
        if (waiter.worker !== entry) continue;
        this.waiting.delete(id);
        waiter.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The analysis worker stopped (exit code ${code}).`)));
    this.workers.push(entry);
    return entry;
  }
}

function analyzeOptions(settings: PoolSettings): AnalyzeOptions & { maxFileBytes: number } {
  return { ...classifyOptionsFor(nodeFiles, { deploymentGlobs: settings.deploymentGlobs }), maxFileBytes: settings.maxFileBytes };
}

/** In a worker: one job of a scan's batch, as `Workspace.analyzeFromDisk` does it on the main thread for a file. */
function runJob(job: AnalysisJob, settings: PoolSettings): BatchResult {
  const options = analyzeOptions(settings);
  let text = job.text;
  let kind: DocumentKind;
  if (text === undefined) {
    const read = readContractFile(job.path, nodeFiles, options);
    if (!read) return undefined;
    ({ text, kind } = read);
  } else {
    kind = classifyDocument(job.path, text, options);
  }
  if (settings.maxChars !== undefined && text.length >= settings.maxChars) return 'main';
  const transferred = encodeAnalysis(analyzeDocument(job.path, text, { ...options, kind }));
  // The text goes back only when the worker read it.
  return transferred ? { transferred, text: job.text === undefined ? text : undefined } : 'main';
}

/** In a worker: a full analysis of one document, dropped at the first step after the main thread cancelled it. */
function runDocumentJob(path: string, text: string, settings: PoolSettings, cancelled: Int32Array): TransferredAnalysis | 'main' | 'stale' {
  const steps = analyzeDocumentSteps(path, text, analyzeOptions(settings));
  for (;;) {
    const next = steps.next();
    if (next.done) return encodeAnalysis(next.value) ?? 'main';
    if (Atomics.load(cancelled, 0)) return 'stale';
  }
}

function reply(message: Reply, transfer: ArrayBuffer[]): void {
  parentPort!.postMessage(message, transfer);
}

if (!isMainThread && (workerData as Partial<WorkerData> | undefined)?.contractsAnalysisWorker) {
  parentPort!.on('message', (request: Request) => {
    const { id, settings } = request;
    if ('jobs' in request) {
      const results = request.jobs.map((job) => runJob(job, settings));
      reply({ id, results }, results.flatMap((result) => (result && result !== 'main' ? transferList(result.transferred) : [])));
    } else {
      const document = runDocumentJob(request.document.path, request.document.text, settings, new Int32Array(request.cancelled));
      reply({ id, document }, typeof document === 'string' ? [] : transferList(document));
      // The analysis (tens of MB for a 4 MB board) is garbage now: collected at once, while the main thread rebuilds it, or the two would add up in the peak.
      collectNow();
    }
  });
}
