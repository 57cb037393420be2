import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { classifyDocument, dirName, toPosix, type DocumentKind } from '../engine/classify';
import { SafeFiles, type FileProblem, type SafeFilesOptions } from '../safeFiles';
import { checkFiles, toCliDiagnostics, type CliDiagnostic } from './check';

/**
 * `contracts check` over all cores. The files are split into groups that no
 * cross-file rule crosses (the files of one board folder together: a v2
 * board's task files and its board file; every other file alone), and worker
 * threads run the ordinary `checkFiles` on batches of groups, taken as they
 * finish so one big file does not hold up a share: each worker reads, parses
 * and checks its own files. Each group's findings are what the
 * single-threaded check gives its files; the main thread only walks, merges
 * them in the same order and prints.
 *
 * What a worker costs, measured on 10,010 files (docs/performance.md): its
 * start (loading the bundle, compiling the schemas) and, above all, V8
 * optimizing the parser and rules again in its own isolate (about 0.5 s of
 * CPU on background threads). One thread gets that optimizing done on the
 * idle cores for free; workers pay it once each, on cores that are busy. So
 * the pool starts while the walk is still going, and by default only for a
 * folder big enough that the shares outweigh it.
 */

/** With `--jobs N` given: below this many files a worker pool costs more than it saves, whatever the cores. */
export const PARALLEL_MIN_FILES = 64;
/**
 * Without `--jobs`, workers pay when the share of work they take off the
 * main thread outweighs their start: the files from which one worker per core
 * beats one thread, from what was measured on 10,010 files
 * (docs/performance.md): the main thread of one thread spends about 0.2 ms a
 * file while its process spends 0.3 ms of CPU a file in all (the rest is V8
 * optimizing and collecting on other cores), and each worker costs about
 * 0.5 s of CPU to start and warm up. That is 10,000 files on 2 cores, 4,000 on 4.
 */
const MAIN_MS_PER_FILE = 0.2;
const CPU_MS_PER_FILE = 0.3;
const WORKER_START_MS = 500;
export function defaultParallelFrom(cores: number): number {
  const saved = MAIN_MS_PER_FILE - CPU_MS_PER_FILE / cores;
  return saved > 0 ? Math.ceil(WORKER_START_MS / saved) : Infinity;
}
/** About this many files per message to a worker. */
const BATCH_FILES = 32;

export function defaultJobs(): number {
  return availableParallelism();
}

/** The files from which a check on `jobs` workers is worth starting: `explicit` when the user asked for the jobs. */
export function parallelFrom(jobs: number, explicit: boolean): number {
  if (jobs <= 1) return Infinity;
  return explicit ? PARALLEL_MIN_FILES : defaultParallelFrom(jobs);
}

export interface ParallelCheckResult {
  diagnostics: CliDiagnostic[];
  /** Files checked (contract files analysed). */
  checked: number;
  problems: FileProblem[];
}

/** What every worker knows from its start: known before the walk, so workers can start during it. */
interface WorkerInput {
  contractsCheckWorker: true;
  safe: SafeFilesOptions;
  maxFileBytes?: number;
  cwd: string;
}

/** One message to a worker: a batch of whole groups, with the kind their content showed for files named on the command line. */
interface Batch {
  files: string[];
  named: Array<[string, DocumentKind]>;
}

/** The folder whose files one check must see together: a task file's board folder, a board file's folder. */
function groupKey(file: string): string {
  const posix = toPosix(file);
  const kind = classifyDocument(posix, undefined);
  if (kind === 'task') return dirName(dirName(posix));
  if (kind === 'board') return dirName(posix);
  return posix;
}

/** Whole groups, biggest first, so the last batches are small and the workers finish together. */
function groupsOf(files: string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = groupKey(file);
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

/**
 * Worker threads that start loading at once (`contracts check` makes the pool
 * as soon as its walk has found enough files, so they load while it walks on)
 * and check one list of files once the walk is done.
 */
export class CheckPool {
  private readonly workers: Worker[];

  constructor(jobs: number, safe: SafeFilesOptions, maxFileBytes: number | undefined, cwd: string) {
    const input: WorkerInput = { contractsCheckWorker: true, safe, maxFileBytes, cwd };
    this.workers = Array.from({ length: Math.max(1, jobs) }, () => new Worker(__filename, { workerData: input }));
  }

  get size(): number {
    return this.workers.length;
  }

  /** The same findings, in the same order, as one `checkFiles` of `files`; the workers end with it. */
  async check(files: string[], named: ReadonlyMap<string, DocumentKind> = new Map()): Promise<ParallelCheckResult> {
    const queue = groupsOf(files);
    const nextBatch = (): Batch => {
      const batch: string[] = [];
      while (queue.length && (batch.length === 0 || batch.length + queue[queue.length - 1].length <= BATCH_FILES)) {
        // Take from the front while the batch is empty (a big group alone), then fill up with small ones from the back.
        batch.push(...(batch.length === 0 ? queue.shift()! : queue.pop()!));
      }
      return { files: batch, named: named.size ? batch.flatMap((file): Array<[string, DocumentKind]> => (named.has(file) ? [[file, named.get(file)!]] : [])) : [] };
    };
    const result: ParallelCheckResult = { diagnostics: [], checked: 0, problems: [] };
    const run = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        const next = () => {
          const batch = nextBatch();
          if (batch.files.length) worker.postMessage(batch);
          else resolve();
        };
        worker.on('message', (done: ParallelCheckResult) => {
          result.diagnostics.push(...done.diagnostics);
          result.checked += done.checked;
          result.problems.push(...done.problems);
          next();
        });
        worker.once('error', reject);
        // Messages wait for a worker still loading: the first batch goes now.
        next();
      });
    try {
      await Promise.all(this.workers.map(run));
    } finally {
      await this.close();
    }
    // As `toCliDiagnostics` orders them; each file's own order came from one worker (the sort is stable).
    result.diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return result;
  }

  /** Ends the workers (when the walk found too few files to use them, or once they are done). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Checks `files` on `jobs` worker threads; the same findings, in the same order, as one `checkFiles`. */
export async function checkFilesInParallel(
  files: string[],
  safe: SafeFilesOptions,
  maxFileBytes: number | undefined,
  cwd: string,
  jobs: number,
  named: ReadonlyMap<string, DocumentKind> = new Map(),
): Promise<ParallelCheckResult> {
  return new CheckPool(Math.min(jobs, groupsOf(files).length), safe, maxFileBytes, cwd).check(files, named);
}

/** In a worker: the ordinary check of each batch of groups. */
function checkBatch(batch: Batch, input: WorkerInput): ParallelCheckResult {
  const safe = new SafeFiles(input.safe);
  const results = checkFiles(batch.files, { maxFileBytes: input.maxFileBytes }, safe, undefined, new Map(batch.named)).files;
  return { diagnostics: toCliDiagnostics(results, input.cwd), checked: [...results.values()].filter((r) => r.analysis.kind !== 'none').length, problems: safe.problems };
}

if (!isMainThread && (workerData as Partial<WorkerInput> | undefined)?.contractsCheckWorker) {
  const input = workerData as WorkerInput;
  parentPort!.on('message', (batch: Batch) => parentPort!.postMessage(checkBatch(batch, input)));
}
