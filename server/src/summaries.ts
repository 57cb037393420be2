import type { BoardListing, DeploymentSummary, ListedTask, TaskSummary, TasksParams, TasksResult } from '../../shared/protocol';
import { packListing } from '../../shared/taskListing';
import type { DocumentAnalysis } from './engine/analyze';
import type { Board, BoardIndex } from './engine/boards';
import { getString, getValue, type DataNode } from './engine/dataNode';
import { isContractStatus } from '../../shared/lifecycle';
import type { TaskInfo } from './engine/model';
import { toRange } from './features/convert';
import type { Workspace } from './workspace';

/**
 * A board's listing: its tasks, kept while its members are the same analyses of the same versions. It is built in
 * steps (`extend`): a paged answer builds only the tasks it sends, so no answer summarizes a 5,000-task board at once.
 */
interface Listing {
  key: string;
  fingerprint: string;
  revision: string;
  /** Its number: revisions only grow. */
  number: number;
  /** The tasks built so far (all of them once `rest` is done). */
  tasks: TaskSummary[];
  /** Per task (by index), the number of the revision since which it is the same (but for `documentVersion`). */
  sameSince: number[];
  /** Per task (by index), the number of the revision since which it is the same but for its lines (all moved alike) and `documentVersion`. */
  shapeSince: number[];
  /** The first line of each task (built so far) in this and the few revisions before (by number): how far a task moved since the client's revision. */
  startLines: Array<[number, number[]]>;
  /** The tasks not yet built; undefined once all are. */
  rest?: Iterator<TaskSummary>;
  /** While building: the board's previous listing, which the new tasks are compared with. */
  previous?: Listing;
}

/** How many revisions of a board remember their tasks' lines: the client asks after each change, so it is rarely more than one behind. */
const LINE_HISTORY = 8;

/** The listings of the last board model: an unchanged model lists the same. */
const listed = new WeakMap<BoardIndex, Listing[]>();
/** The same, as one list of every task. */
const flattened = new WeakMap<Listing[], TaskSummary[]>();
/** Every board's last listing, by key, per workspace: a board whose members did not change is not listed again. */
const lastListings = new WeakMap<Workspace, Map<string, Listing>>();
/** A serial number per analysis object (an incremental update keeps the object: its version goes in the fingerprint too). */
const serials = new WeakMap<DocumentAnalysis, number>();
let nextSerial = 1;
/** Revisions are unique per server process: a client holding one from a previous server never matches. */
const REVISION_PREFIX = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let nextRevision = 1;

/**
 * The tree's view of every task in the workspace, board by board: one pass
 * over the board model (linear in the number of tasks); a board whose member
 * analyses did not change keeps its listing (the client asks again after
 * every change notification, and a change in one board leaves the others).
 * A new listing's tasks are built as they are asked for (`extend`).
 */
function listBoards(workspace: Workspace): Listing[] {
  const boards = workspace.boards();
  let listings = listed.get(boards);
  if (listings) return listings;
  const previous = lastListings.get(workspace) ?? new Map<string, Listing>();
  const current = new Map<string, Listing>();
  listings = [];
  for (const board of boards.boards) {
    const base = boardKey(workspace, board);
    let key = base;
    for (let n = 2; current.has(key); n++) key = `${base}#${n}`;
    const fingerprint = fingerprintOf(workspace, board);
    const kept = previous.get(key);
    const listing = kept?.fingerprint === fingerprint ? kept : newListing(key, fingerprint, listTasks(workspace, board), kept);
    current.set(key, listing);
    listings.push(listing);
  }
  // A listing no longer current is never built further: its analyses may since have been updated in place.
  for (const listing of previous.values()) if (current.get(listing.key) !== listing) listing.rest = listing.previous = undefined;
  lastListings.set(workspace, current);
  listed.set(boards, listings);
  return listings;
}

/** Every task in the workspace, in board order. */
export function summarizeTasks(workspace: Workspace): TaskSummary[] {
  const listings = listBoards(workspace);
  let tasks = flattened.get(listings);
  if (!tasks) {
    for (const listing of listings) extend(listing, Infinity);
    flattened.set(listings, (tasks = listings.flatMap((listing) => listing.tasks)));
  }
  return tasks;
}

/** A board's new listing, none of its tasks built yet. */
function newListing(key: string, fingerprint: string, rest: Iterator<TaskSummary>, previous: Listing | undefined): Listing {
  const number = nextRevision++;
  const startLines: Listing['startLines'] = [...(previous?.startLines.slice(1 - LINE_HISTORY) ?? []), [number, []]];
  return { key, fingerprint, revision: `${REVISION_PREFIX}.${number}`, number, tasks: [], sameSince: [], shapeSince: [], startLines, rest, previous };
}

/**
 * Builds a listing's tasks up to `count` (or all): a task the same as the previous listing's at its index keeps the
 * revision it has been the same since, and one that only moved (a line added above it) the revision it has had that
 * shape since.
 */
function extend(listing: Listing, count: number): void {
  const { tasks, sameSince, shapeSince, previous, number } = listing;
  const lines = listing.startLines[listing.startLines.length - 1][1];
  while (listing.rest && tasks.length < count) {
    const next = listing.rest.next();
    if (next.done) {
      listing.rest = listing.previous = undefined;
      break;
    }
    const task = next.value;
    const index = tasks.length;
    tasks.push(task);
    lines.push(task.range.start.line);
    // The previous listing may not have been built this far (its client never paged through it): those tasks count as new.
    const before = previous?.tasks[index];
    const sameShape = before !== undefined && sameButLines(task, before);
    shapeSince.push(sameShape ? previous!.shapeSince[index] : number);
    sameSince.push(sameShape && task.range.start.line === before.range.start.line ? previous!.sameSince[index] : number);
  }
}

/**
 * `contracts/tasks`: every task at once, or, when the client says which
 * listings it holds (`known`), grouped by board: an unchanged board without
 * its tasks, a changed one as its changed tasks when the client holds an
 * earlier revision of it and fewer than half changed, else whole. With
 * `pageSize`, the answer builds and sends at most that many tasks: a board
 * not done comes with `next`, where the client's next request resumes it.
 */
export function tasksAnswer(workspace: Workspace, params: TasksParams | undefined): TasksResult {
  if (!params?.known) return { tasks: summarizeTasks(workspace), indexed: workspace.indexed };
  const { known, resume = {} } = params;
  const budget = { build: params.pageSize ?? Infinity, send: params.pageSize ?? Infinity };
  const boards = listBoards(workspace).map((listing): BoardListing => {
    if (known[listing.key] === listing.revision) return { key: listing.key, revision: listing.revision };
    // The client's place in a listing it is paging through, if that listing is still the board's (else from the start).
    const from = resume[listing.key]?.revision === listing.revision ? Math.min(resume[listing.key].from, listing.tasks.length) : 0;
    return boardPage(listing, revisionNumber(known[listing.key]), from, budget);
  });
  return { tasks: [], boards, indexed: workspace.indexed };
}

/**
 * The tasks of a listing from index `from` on, as far as the budget goes: whole (the client holds no revision of
 * it, or more than half changed), or as the changes since the revision the client holds (`held`).
 */
function boardPage(listing: Listing, held: number | undefined, from: number, budget: { build: number; send: number }): BoardListing {
  const { key, revision, tasks } = listing;
  const built = tasks.length;
  // One task past the budget, to know whether more follow.
  extend(listing, built + budget.build + 1);
  let end = Math.min(tasks.length, built + budget.build);
  budget.build -= end - built;
  const changed: number[] = [];
  const shifted: Array<[number, number, number]> = [];
  if (held !== undefined) {
    // Same since a revision the client holds: it has that task at that index already (moved by as many lines as it moved since).
    const heldLines = listing.startLines.find(([number]) => number === held)?.[1];
    for (let index = from; index < end; index++) {
      if (listing.sameSince[index] <= held) continue;
      const lines = heldLines?.[index] === undefined ? undefined : tasks[index].range.start.line - heldLines[index];
      if (lines === undefined || listing.shapeSince[index] > held) {
        if (changed.length === budget.send) {
          end = index;
          break;
        }
        changed.push(index);
        continue;
      }
      const run = shifted[shifted.length - 1];
      if (lines === 0) continue; // moved and back
      if (run && run[1] === index && run[2] === lines) run[1] = index + 1;
      else shifted.push([index, index + 1, lines]);
    }
  }
  const place = (end: number) => ({ ...(from ? { from } : {}), ...(end < tasks.length ? { next: end } : {}) });
  if (held === undefined || changed.length * 2 > end - from) {
    end = Math.min(end, from + budget.send);
    budget.send -= end - from;
    return { key, revision, ...place(end), ...packListing(tasks.slice(from, end)) };
  }
  budget.send -= changed.length;
  const packed = packListing(changed.map((index) => tasks[index]));
  const versions: Record<string, number> = {};
  for (let index = from; index < end; index++) if (tasks[index].documentVersion !== undefined) versions[tasks[index].uri] = tasks[index].documentVersion!;
  const changes = { count: end, changed: changed.map((index, k): [number, ListedTask] => [index, packed.tasks[k]]), ...(shifted.length ? { shifted } : {}), versions };
  return { key, revision, ...place(end), ...(packed.shared ? { shared: packed.shared } : {}), changes };
}

/** The number of a revision of this server process, or undefined (another process's, or none). */
function revisionNumber(revision: string | undefined): number | undefined {
  if (!revision?.startsWith(`${REVISION_PREFIX}.`)) return undefined;
  const number = Number(revision.slice(REVISION_PREFIX.length + 1));
  return Number.isInteger(number) ? number : undefined;
}

/** Fields compared on their own (ranges, relative to the task's first line) or not at all (`documentVersion`). */
const NOT_COMPARED = new Set(['documentVersion', 'range', 'idRange']);

/**
 * The task each summary was made from. An edit inside one task of a board gives that task a new `TaskInfo` and keeps
 * the others (the incremental update moves their nodes, which only changes their ranges): two summaries of the same
 * `TaskInfo` in the same board and document differ at most in their ranges, so 5,000 deep comparisons are skipped.
 */
const madeFrom = new WeakMap<TaskSummary, TaskInfo>();

/** Whether two summaries are equal but for `documentVersion` and their lines, all moved by the same count. */
function sameButLines(a: TaskSummary, b: TaskSummary): boolean {
  const lines = a.range.start.line - b.range.start.line;
  if (!sameMovedRange(a.range, b.range, lines) || !sameMovedRange(a.idRange, b.idRange, lines)) return false;
  const task = madeFrom.get(a);
  if (task && task === madeFrom.get(b) && a.uri === b.uri && a.boardUri === b.boardUri && a.boardTitle === b.boardTitle && a.boardMissing === b.boardMissing) return true;
  return sameProperties(a, b, NOT_COMPARED);
}

function sameMovedRange(a: TaskSummary['range'], b: TaskSummary['range'], lines: number): boolean {
  return (
    a.start.line === b.start.line + lines &&
    a.end.line === b.end.line + lines &&
    a.start.character === b.start.character &&
    a.end.character === b.end.character
  );
}

/** Deep equality of JSON-like values (an undefined property counts as absent, as in JSON). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  return sameProperties(a, b);
}

/** Whether two objects have the same defined properties with deeply equal values, but for those `skipped`. Allocates nothing: it runs on every task of a 5,000-task board after each edit. */
function sameProperties(a: object, b: object, skipped?: ReadonlySet<string>): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (x[key] === undefined || skipped?.has(key)) continue;
    if (!sameValue(x[key], y[key])) return false;
    count++;
  }
  for (const key in y) if (y[key] !== undefined && !skipped?.has(key)) count--;
  return count === 0;
}

function boardKey(workspace: Workspace, board: Board): string {
  return workspace.uriOf(board.file ? board.file.path : board.home);
}

/** What a board's listing depends on: which analyses, of which document versions. */
function fingerprintOf(workspace: Workspace, board: Board): string {
  const part = (analysis: DocumentAnalysis | undefined) => {
    if (!analysis) return '-';
    let serial = serials.get(analysis);
    if (serial === undefined) serials.set(analysis, (serial = nextSerial++));
    return `${serial}@${workspace.documentVersion(workspace.uriOf(analysis.path)) ?? ''}`;
  };
  return [part(board.file), ...board.taskFiles.map(part)].join(' ');
}

/** A board's tasks, one at a time (a listing builds them as they are asked for). */
function* listTasks(workspace: Workspace, board: Board): Generator<TaskSummary> {
  if (board.version === 1 && board.file?.board) {
    const analysis = board.file;
    const boardUri = workspace.uriOf(analysis.path);
    const document = { uri: boardUri, documentVersion: workspace.documentVersion(boardUri) };
    for (const task of analysis.board!.tasks) {
      if (task.location === 'fence') continue; // examples in the notes, not board tasks
      const summary = summarizeTask(document, analysis, task, analysis.board!.title ?? boardUri, boardUri);
      if (summary) yield summary;
    }
  }
  const config = board.file;
  // Without its board file, name the file that should be there (`board/x.md` → `brainfile.md` beside `board/`),
  // never a folder: the client finds the project folder from this uri.
  const boardUri = workspace.uriOf(config ? config.path : `${board.home}/brainfile.md`);
  for (const analysis of board.taskFiles) {
    if (!analysis.task) continue;
    const uri = workspace.uriOf(analysis.path);
    const document = { uri, documentVersion: workspace.documentVersion(uri) };
    const summary = summarizeTask(document, analysis, analysis.task, config?.board?.title ?? workspace.projectFolder(analysis), boardUri);
    if (summary && !config) summary.boardMissing = true;
    if (summary) yield summary;
  }
}

/** A task's summary; `document` is its document's uri and version (the same for the 5,000 tasks of a board: computed once). */
function summarizeTask(document: Pick<TaskSummary, 'uri' | 'documentVersion'>, analysis: DocumentAnalysis, task: TaskInfo, boardTitle: string, boardUri: string): TaskSummary | undefined {
  if (task.id === undefined || !task.idNode) return undefined;
  const status = task.contract?.status;
  const summary: TaskSummary = {
    uri: document.uri,
    documentVersion: document.documentVersion,
    id: task.id,
    title: task.title ?? '',
    hasContract: task.contractNode !== undefined && task.contractNode.type !== 'null',
    boardTitle,
    boardUri,
    version: analysis.version ?? 1,
    location: task.location,
    range: toRange(analysis.lines, task.node.range),
    idRange: toRange(analysis.lines, task.idNode.range),
    deliverables: (task.contract?.deliverables ?? []).map(({ type, path, description }) => ({ type, path, description })),
    commands: task.contract?.commands ?? [],
    constraints: task.contract?.constraints ?? [],
  };
  if (isContractStatus(status)) summary.status = status;
  else if (status !== undefined) summary.invalidStatus = status;
  if (task.assignee) summary.assignee = task.assignee;
  if (task.priority) summary.priority = task.priority;
  if (task.columnId) summary.column = task.columnId;
  const feedback = task.contract ? getString(task.contract.node, 'feedback') : undefined;
  if (feedback) summary.feedback = feedback;
  madeFrom.set(summary, task);
  return summary;
}

/** The Deployments view's rows. */
export function summarizeDeployments(workspace: Workspace): DeploymentSummary[] {
  return workspace
    .allAnalyses()
    .filter((a) => a.kind === 'deployment')
    .map((analysis) => {
      const root = analysis.deployment;
      const uri = workspace.uriOf(analysis.path);
      const quality = getValue(root, 'quality');
      const num = (node: DataNode | undefined) => (node?.type === 'number' ? (node.value as number) : undefined);
      const bool = (node: DataNode | undefined) => (node?.type === 'boolean' ? (node.value as boolean) : undefined);
      const coverage = getValue(quality, 'coverage');
      const tests = getValue(quality, 'tests');
      return {
        uri,
        documentVersion: workspace.documentVersion(uri),
        status: getString(root, 'status'),
        repository: getString(getValue(root, 'audit'), 'repository'),
        commit: getString(getValue(root, 'audit'), 'commit'),
        timestamp: getString(getValue(root, 'meta'), 'timestamp'),
        engine: getString(getValue(root, 'meta'), 'engine'),
        coverage: coverage ? { actual: num(getValue(coverage, 'actual')), required: num(getValue(coverage, 'required')), met: bool(getValue(coverage, 'met')) } : undefined,
        tests: tests ? { total: num(getValue(tests, 'total')), passed: num(getValue(tests, 'passed')), failed: num(getValue(tests, 'failed')) } : undefined,
        errorCount: analysis.diagnostics.filter((d) => d.severity === 'error').length,
      };
    });
}
