import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { DocumentAnalysis } from '../engine/analyze';
import { classifyDocument, dirName, toPosix, type DocumentKind } from '../engine/classify';
import type { EngineDiagnostic } from '../engine/diagnostics';
import { isTaskFolder } from '../engine/files';
import { SafeFiles, type FileProblem, type SafeFilesOptions } from '../safeFiles';
import { crossFileFindings, memberFacts, type MemberFacts } from './boardParts';
import { analyzeFile, boardMembers, checkFiles, toCliDiagnostics, type CheckResult, type CliDiagnostic } from './check';

/**
 * `contracts check` over all cores. The files are split into groups that no
 * cross-file rule crosses (the files of one board folder together: a v2
 * board's task files and its board file; every other file alone), and the
 * checkers, worker threads and the main thread, run the ordinary
 * `checkFiles` on batches of groups, taken as they finish so one big file
 * does not hold up a share: each reads, parses and checks its own files.
 * Each group's findings are what the single-threaded check gives its files;
 * the main thread also walks, merges them in the same order and prints.
 *
 * What a worker costs, measured on 10,010 files (docs/performance.md): its
 * start (loading the bundle) and, above all, V8 optimizing the parser and
 * rules again in its own isolate and running slower until it has. One
 * thread gets that optimizing done on the idle cores for free; each worker
 * pays it again, on cores that are busy. So `--jobs N` is the main thread
 * and N - 1 workers, the pool starts while the walk is still going, and by
 * default only for a folder big enough that the shares outweigh it.
 */

/** With `--jobs N` given: below this many files a worker pool costs more than it saves, whatever the cores. */
export const PARALLEL_MIN_FILES = 64;
/**
 * Without `--jobs`, workers pay when the share of work they take off the
 * main thread outweighs what they cost: the files from which the main thread
 * and one worker per other core beat one thread, from what the fourth
 * session's quiet `npm run bench` measured on 10,010 files (code cache,
 * fewer system calls a file; docs/performance.md). One thread's main thread
 * spends about 0.082 ms a file while its process spends 0.117 ms of CPU a
 * file in all (the rest is V8 optimizing and collecting on other cores); each
 * worker adds about 0.5 s of CPU (its start, its own warm-up, V8's work for
 * its isolate). On `cores` busy cores the check ends when their CPU is spent:
 * (0.117 ms × files + (cores - 1) × 0.5 s) / cores against 0.082 ms × files.
 * That is 10,600 files on 2 cores (measured: 2 threads 0.95× one at 10,010),
 * 7,100 on 4.
 */
const MAIN_MS_PER_FILE = 0.082;
const CPU_MS_PER_FILE = 0.117;
const WORKER_COST_MS = 500;
export function defaultParallelFrom(cores: number): number {
  const saved = MAIN_MS_PER_FILE - CPU_MS_PER_FILE / cores;
  // In hundreds of files: the figures behind it are not more precise.
  return cores > 1 && saved > 0 ? Math.round((((cores - 1) / cores) * WORKER_COST_MS) / saved / 100) * 100 : Infinity;
}
/** About this many files per message to a worker. */
const BATCH_FILES = 32;

export function defaultJobs(): number {
  return availableParallelism();
}

/** The files from which a check on `jobs` threads (the main thread and `jobs - 1` workers) is worth starting: `explicit` when the user asked for the jobs. */
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

/**
 * A message to a worker: `check` a batch of whole groups (with the kind their
 * content showed for files named on the command line); `analyze` one part of
 * a big board and keep it; `finish` that part with the board's cross-file findings.
 */
type Request =
  | { type: 'check'; files: string[]; named: Array<[string, DocumentKind]> }
  | { type: 'analyze'; part: number; files: string[] }
  | { type: 'finish'; part: number; cross: Array<[string, EngineDiagnostic[]]> };

type Reply =
  | { type: 'checked'; finished?: true; result: ParallelCheckResult }
  | { type: 'analyzed'; part: number; members: MemberFacts[]; checked: number; problems: FileProblem[] };

/** The folder whose files one check must see together: a task file's or ledger's board folder, a board file's folder. */
function groupKey(file: string): string {
  const posix = toPosix(file);
  const kind = classifyDocument(posix, undefined);
  // A ledger alone would make its worker analyse its whole board again, as the board's members.
  if (kind === 'task' || kind === 'ledger') return dirName(dirName(posix));
  if (kind === 'board') return dirName(posix);
  return posix;
}

/** Whole groups by key, biggest first, so the last batches are small and the workers finish together. */
function groupsOf(files: string[]): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = groupKey(file);
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** A big board is split when it is over this many files and more than half a worker's fair share. */
const SPLIT_MIN_FILES = 256;

/**
 * Whether the group at `home` is a whole v2 board the check may split: every
 * member the board rules read is among the files, and none was named (named
 * files keep their content's kind, which only the ordinary check applies).
 */
function isWholeBoard(home: string, group: string[], safe: SafeFiles, named: ReadonlyMap<string, DocumentKind>): boolean {
  if (group.some((file) => named.has(file)) || !isTaskFolder(`${home}/board`, safe)) return false;
  const files = new Set(group.map(toPosix));
  return boardMembers(home, safe).every((member) => files.has(member));
}

/** What the pool asks of a worker thread, and of the main thread standing in for one. */
interface Checker {
  postMessage(request: Request): void;
  on(event: 'message', listener: (reply: Reply) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The main thread as one of the pool's checkers: it answers its requests one
 * at a time between the workers' messages, so the thread that has already
 * loaded the engine checks a share instead of waiting, and `--jobs N` starts
 * N - 1 workers, each a new isolate to warm up.
 */
class MainThreadChecker extends EventEmitter implements Checker {
  private readonly answer: (request: Request) => Reply;

  constructor(input: WorkerInput) {
    super();
    this.answer = serve(input);
  }

  postMessage(request: Request): void {
    // Later, not now: the pool's bookkeeping of this request comes first, as for a worker.
    setImmediate(() => {
      let reply: Reply;
      try {
        reply = this.answer(request);
      } catch (error) {
        this.emit('error', error);
        return;
      }
      this.emit('message', reply);
    });
  }
}

/**
 * Worker threads that start loading at once (`contracts check` makes the pool
 * as soon as its walk has found enough files, so they load while it walks on)
 * and, with the main thread, check one list of files once the walk is done.
 */
export class CheckPool {
  /** The worker threads: one fewer than the jobs, as the main thread checks too. */
  private readonly workers: Worker[];
  private readonly input: WorkerInput;

  constructor(
    jobs: number,
    private readonly safe: SafeFilesOptions,
    maxFileBytes: number | undefined,
    cwd: string,
    /** Boards of at least this many files may be split (tests lower it). */
    private readonly splitMinFiles = SPLIT_MIN_FILES,
  ) {
    this.input = { contractsCheckWorker: true, safe, maxFileBytes, cwd };
    this.workers = Array.from({ length: Math.max(1, jobs - 1) }, () => new Worker(__filename, { workerData: this.input }));
  }

  /** The threads that check: the workers and the main thread. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** The same findings, in the same order, as one `checkFiles` of `files`; the workers end with it. */
  async check(files: string[], named: ReadonlyMap<string, DocumentKind> = new Map()): Promise<ParallelCheckResult> {
    const result: ParallelCheckResult = { diagnostics: [], checked: 0, problems: [] };
    // A board bigger than half a worker's share is split into parts, so one big board divides too.
    const splitFrom = Math.max(this.splitMinFiles, files.length / (2 * this.size));
    const partFiles = Math.max(64, Math.ceil(files.length / (4 * this.size)));
    const lookups = new SafeFiles(this.safe);
    const boards: Array<{ waiting: number; members: MemberFacts[]; parts: number[] }> = [];
    const parts: Array<{ board: number; paths: string[]; worker?: Checker }> = [];
    const queue: Array<string[] | { part: number; files: string[] }> = [];
    for (const [key, group] of groupsOf(files)) {
      if (group.length < splitFrom || !isWholeBoard(key, group, lookups, named)) {
        queue.push(group);
        continue;
      }
      const board = boards.push({ waiting: 0, members: [], parts: [] }) - 1;
      for (let i = 0; i < group.length; i += partFiles) {
        const partOf = group.slice(i, i + partFiles);
        const part = parts.push({ board, paths: partOf.map(toPosix) }) - 1;
        boards[board].parts.push(part);
        boards[board].waiting++;
        queue.push({ part, files: partOf });
      }
    }
    // What the main thread's lookups could not read, as `checkFiles` reports it.
    result.problems.push(...lookups.problems);
    const nextRequest = (): Request | undefined => {
      if (!queue.length) return undefined;
      if (!Array.isArray(queue[0])) {
        const { part, files: partOf } = queue.shift() as { part: number; files: string[] };
        return { type: 'analyze', part, files: partOf };
      }
      const batch: string[] = [];
      // Take from the front while the batch is empty (a big group alone), then fill up with small whole groups from the back.
      while (queue.length && Array.isArray(queue[0]) && (batch.length === 0 || (Array.isArray(queue[queue.length - 1]) && batch.length + (queue[queue.length - 1] as string[]).length <= BATCH_FILES))) {
        batch.push(...((batch.length === 0 ? queue.shift() : queue.pop()) as string[]));
      }
      return { type: 'check', files: batch, named: named.size ? batch.flatMap((file): Array<[string, DocumentKind]> => (named.has(file) ? [[file, named.get(file)!]] : [])) : [] };
    };
    let waiting = 0;
    await new Promise<void>((resolve, reject) => {
      const send = (worker: Checker, request: Request) => {
        waiting++;
        worker.postMessage(request);
      };
      const next = (worker: Checker) => {
        const request = nextRequest();
        if (request?.type === 'analyze') parts[request.part].worker = worker;
        if (request) send(worker, request);
        else if (waiting === 0) resolve();
      };
      const checkers: Checker[] = [...this.workers, new MainThreadChecker(this.input)];
      for (const worker of checkers) {
        worker.on('message', (reply: Reply) => {
          waiting--;
          if (reply.type === 'checked') {
            result.diagnostics.push(...reply.result.diagnostics);
            result.checked += reply.result.checked;
            result.problems.push(...reply.result.problems);
            // A finished part was extra work: the worker's next request is already under way.
            if (reply.finished) {
              if (waiting === 0 && !queue.length) resolve();
              return;
            }
          } else {
            result.checked += reply.checked;
            result.problems.push(...reply.problems);
            const board = boards[parts[reply.part].board];
            board.members.push(...reply.members);
            if (--board.waiting === 0) {
              // The whole board is analysed: its rules once, and each part its findings, on the worker that holds it.
              const cross = crossFileFindings(board.members);
              for (const part of board.parts) {
                const found = parts[part].paths.flatMap((path): Array<[string, EngineDiagnostic[]]> => (cross.has(path) ? [[path, cross.get(path)!]] : []));
                send(parts[part].worker!, { type: 'finish', part, cross: found });
              }
            }
          }
          next(worker);
        });
        worker.once('error', reject);
        // Messages wait for a worker still loading: the first request goes now. A worker thread gets a second one
        // at once, so it has work while its answer waits for the main thread to finish a request of its own.
        next(worker);
        if (worker instanceof Worker) next(worker);
      }
    }).finally(() => this.close());
    // As `toCliDiagnostics` orders them; each file's own order came from one worker (the sort is stable).
    result.diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return result;
  }

  /** Ends the workers (when the walk found too few files to use them, or once they are done). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Checks `files` on `jobs` threads (the main thread and `jobs - 1` workers); the same findings, in the same order, as one `checkFiles`. */
export async function checkFilesInParallel(
  files: string[],
  safe: SafeFilesOptions,
  maxFileBytes: number | undefined,
  cwd: string,
  jobs: number,
  named: ReadonlyMap<string, DocumentKind> = new Map(),
  splitMinFiles?: number,
): Promise<ParallelCheckResult> {
  return new CheckPool(jobs, safe, maxFileBytes, cwd, splitMinFiles).check(files, named);
}

/** In a worker: what each request asks, with the parts of big boards kept until their board's findings come. */
function serve(input: WorkerInput): (request: Request) => Reply {
  const kept = new Map<number, DocumentAnalysis[]>();
  const options = { maxFileBytes: input.maxFileBytes };
  const counted = (analyses: DocumentAnalysis[]) => analyses.filter((a) => a.kind !== 'none').length;
  return (request) => {
    const safe = new SafeFiles(input.safe);
    if (request.type === 'check') {
      const results = checkFiles(request.files, options, safe, undefined, new Map(request.named)).files;
      return { type: 'checked', result: { diagnostics: toCliDiagnostics(results, input.cwd), checked: counted([...results.values()].map((r) => r.analysis)), problems: safe.problems } };
    }
    if (request.type === 'analyze') {
      const analyses = request.files.flatMap((file) => analyzeFile(file, options, safe) ?? []);
      kept.set(request.part, analyses);
      return { type: 'analyzed', part: request.part, members: analyses.flatMap((a) => memberFacts(a) ?? []), checked: counted(analyses), problems: safe.problems };
    }
    const cross = new Map(request.cross);
    const results: CheckResult['files'] = new Map();
    for (const analysis of kept.get(request.part) ?? []) {
      const found = analysis.skipped ? undefined : cross.get(analysis.path);
      results.set(analysis.path, { analysis, diagnostics: found?.length ? [...analysis.diagnostics, ...found] : analysis.diagnostics });
    }
    kept.delete(request.part);
    return { type: 'checked', finished: true, result: { diagnostics: toCliDiagnostics(results, input.cwd), checked: 0, problems: [] } };
  };
}

if (!isMainThread && (workerData as Partial<WorkerInput> | undefined)?.contractsCheckWorker) {
  const answer = serve(workerData as WorkerInput);
  parentPort!.on('message', (request: Request) => parentPort!.postMessage(answer(request)));
}
