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
 * finish so one big file does not hold up a share. Each group's findings are
 * what the single-threaded check gives its files; the main thread merges them
 * in the same order.
 */

/** Below this many files a worker pool costs more than it saves. */
export const PARALLEL_MIN_FILES = 64;
/** About this many files per message to a worker. */
const BATCH_FILES = 32;

export function defaultJobs(): number {
  return availableParallelism();
}

export interface ParallelCheckResult {
  diagnostics: CliDiagnostic[];
  /** Files checked (contract files analysed). */
  checked: number;
  problems: FileProblem[];
}

interface WorkerInput {
  contractsCheckWorker: true;
  safe: SafeFilesOptions;
  maxFileBytes?: number;
  cwd: string;
  /** The files named on the command line, with the kind their content showed. */
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

/** Checks `files` on `jobs` worker threads; the same findings, in the same order, as one `checkFiles`. */
export async function checkFilesInParallel(
  files: string[],
  safe: SafeFilesOptions,
  maxFileBytes: number | undefined,
  cwd: string,
  jobs: number,
  named: ReadonlyMap<string, DocumentKind> = new Map(),
): Promise<ParallelCheckResult> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = groupKey(file);
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  // Big groups first, so the last batches are small and the workers finish together.
  const queue = [...groups.values()].sort((a, b) => b.length - a.length);
  const nextBatch = (): string[] => {
    const batch: string[] = [];
    while (queue.length && (batch.length === 0 || batch.length + queue[queue.length - 1].length <= BATCH_FILES)) {
      // Take from the front while the batch is empty (a big group alone), then fill up with small ones from the back.
      batch.push(...(batch.length === 0 ? queue.shift()! : queue.pop()!));
    }
    return batch;
  };
  const result: ParallelCheckResult = { diagnostics: [], checked: 0, problems: [] };
  const input: WorkerInput = { contractsCheckWorker: true, safe, maxFileBytes, cwd, named: [...named] };
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: input });
      const next = () => {
        const batch = nextBatch();
        if (batch.length) worker.postMessage(batch);
        else void worker.terminate().then(() => resolve());
      };
      worker.on('message', (done: ParallelCheckResult) => {
        result.diagnostics.push(...done.diagnostics);
        result.checked += done.checked;
        result.problems.push(...done.problems);
        next();
      });
      worker.once('error', reject);
      worker.once('online', next);
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, groups.size)) }, runWorker));
  // As `toCliDiagnostics` orders them; each file's own order came from one worker (the sort is stable).
  result.diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return result;
}

/** In a worker: the ordinary check of each batch of groups. */
function checkBatch(files: string[], input: WorkerInput): ParallelCheckResult {
  const safe = new SafeFiles(input.safe);
  const results = checkFiles(files, { maxFileBytes: input.maxFileBytes }, safe, undefined, new Map(input.named)).files;
  return { diagnostics: toCliDiagnostics(results, input.cwd), checked: [...results.values()].filter((r) => r.analysis.kind !== 'none').length, problems: safe.problems };
}

if (!isMainThread && (workerData as Partial<WorkerInput> | undefined)?.contractsCheckWorker) {
  const input = workerData as WorkerInput;
  parentPort!.on('message', (files: string[]) => parentPort!.postMessage(checkBatch(files, input)));
}
