import type { BoardListing, CompactRange, ListedTask, SharedTaskField, TaskSummary, TasksParams, TasksResult } from './protocol';

/** The most tasks one `contracts/tasks` answer builds and sends (`TasksParams.pageSize`): a tenth of the 5,000-task board, about 290 KB. */
export const TASK_PAGE_SIZE = 500;

/** Board listings as a client holds them, by key, in board order. */
export type HeldListings = Map<string, { revision: string; tasks: TaskSummary[] }>;

/**
 * `contracts/tasks` as the extension's task store asks it: with the revisions of the listings it holds, in pages,
 * asking again at once while a board has more, so that it only ever shows complete listings. The listings of the
 * last answer (every board complete) and that answer; undefined when an answer needs tasks not held (ask again with
 * nothing held).
 */
export async function fetchListings(ask: (params: TasksParams) => Promise<TasksResult>, held: HeldListings, pageSize = TASK_PAGE_SIZE): Promise<{ listings: HeldListings; result: TasksResult } | undefined> {
  // What is held, with the boards completed by earlier pages of this fetch.
  const current: HeldListings = new Map(held);
  /** The boards being paged through: the revision, the tasks so far. */
  let pages: HeldListings = new Map();
  for (;;) {
    const known = Object.fromEntries([...current].map(([key, listing]) => [key, listing.revision]));
    const resume = Object.fromEntries([...pages].map(([key, page]) => [key, { revision: page.revision, from: page.tasks.length }]));
    const result = await ask({ known, pageSize, ...(pages.size ? { resume } : {}) });
    if (!result.boards) return { listings: new Map(), result };
    const listings: HeldListings = new Map();
    const next: HeldListings = new Map();
    for (const board of result.boards) {
      // A page goes on from the earlier ones of the same revision; a board that changed meanwhile starts again.
      const earlier = board.from ? pages.get(board.key) : undefined;
      if (board.from && earlier?.revision !== board.revision) return undefined;
      const tasks = mergeListing(current.get(board.key)?.tasks, board, earlier?.tasks);
      if (!tasks) return undefined;
      (board.next === undefined ? listings : next).set(board.key, { revision: board.revision, tasks });
    }
    if (!next.size) return { listings, result };
    for (const [key, listing] of listings) current.set(key, listing);
    pages = next;
  }
}

/**
 * A board's tasks from one listing of a grouped `contracts/tasks` answer and
 * the tasks the client held for that board: the listing's own tasks, the held
 * ones when unchanged, or the held ones with the changes applied (changed
 * tasks replaced, shifted ones moved). Undefined when the changes need tasks
 * the client does not hold (it then asks for all).
 *
 * A page (`BoardListing.from`, `next`) gives the tasks up to where it ends,
 * after `pages`: what the earlier pages of the same revision gave.
 */
export function mergeListing(held: readonly TaskSummary[] | undefined, listing: BoardListing, pages: readonly TaskSummary[] = []): TaskSummary[] | undefined {
  if ((listing.from ?? 0) !== pages.length) return undefined;
  if (listing.tasks) return [...pages, ...listing.tasks.map((task) => unpackTask(task, listing.shared))];
  if (!held) return undefined;
  if (!listing.changes) return [...held];
  const { count, changed, shifted = [], versions } = listing.changes;
  const tasks: Array<TaskSummary | undefined> = [...pages];
  tasks.length = count;
  for (const [index, task] of changed) tasks[index] = unpackTask(task, listing.shared);
  const withVersion = (task: TaskSummary): TaskSummary => {
    task.documentVersion = versions[task.uri];
    if (task.documentVersion === undefined) delete task.documentVersion;
    return task;
  };
  for (const [from, to, lines] of shifted) {
    for (let index = from; index < to; index++) {
      const before = held[index];
      if (!before) return undefined;
      tasks[index] = withVersion({ ...before, range: moveRange(before.range, lines), idRange: moveRange(before.idRange, lines) });
    }
  }
  for (let index = pages.length; index < count; index++) {
    if (tasks[index]) continue;
    const before = held[index];
    if (!before) return undefined;
    tasks[index] = withVersion({ ...before });
  }
  return tasks as TaskSummary[];
}

/** A task's range `lines` lines further down (up when negative). */
function moveRange(range: TaskSummary['range'], lines: number): TaskSummary['range'] {
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

const SHARED_FIELDS: readonly SharedTaskField[] = ['boardTitle', 'boardUri', 'boardMissing', 'version', 'location'];

/** A board's tasks as a grouped answer sends them: the fields all have alike once, ranges as four numbers. */
export function packListing(tasks: readonly TaskSummary[]): { shared?: BoardListing['shared']; tasks: ListedTask[] } {
  const shared: Record<string, unknown> = {};
  for (const field of SHARED_FIELDS) {
    const value = tasks[0]?.[field];
    if (value !== undefined && tasks.every((task) => task[field] === value)) shared[field] = value;
  }
  const packed = tasks.map((task) => packTask(task, shared));
  return Object.keys(shared).length ? { shared, tasks: packed } : { tasks: packed };
}

/** One task as its listing sends it (`shared`: the fields its listing sends once). */
export function packTask(task: TaskSummary, shared: BoardListing['shared'] = {}): ListedTask {
  const packed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(task)) {
    if ((shared as Record<string, unknown>)[field] !== undefined) continue;
    packed[field] = field === 'range' || field === 'idRange' ? packRange(value as TaskSummary['range']) : value;
  }
  return packed as ListedTask;
}

/** The `TaskSummary` a listed task stands for. */
export function unpackTask(task: ListedTask, shared: BoardListing['shared']): TaskSummary {
  return { ...shared, ...task, range: unpackRange(task.range), idRange: unpackRange(task.idRange) } as TaskSummary;
}

function packRange({ start, end }: TaskSummary['range']): CompactRange {
  return [start.line, start.character, end.line, end.character];
}

function unpackRange([startLine, startCharacter, endLine, endCharacter]: CompactRange): TaskSummary['range'] {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}
