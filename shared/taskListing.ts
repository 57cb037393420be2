import type { BoardListing, TaskSummary } from './protocol';

/**
 * A board's tasks from one listing of a grouped `contracts/tasks` answer and
 * the tasks the client held for that board: the listing's own tasks, the held
 * ones when unchanged, or the held ones with the changes applied (changed
 * tasks replaced, shifted ones moved). Undefined when the changes need tasks
 * the client does not hold (it then asks for all).
 */
export function mergeListing(held: readonly TaskSummary[] | undefined, listing: BoardListing): TaskSummary[] | undefined {
  if (listing.tasks) return listing.tasks;
  if (!held) return undefined;
  if (!listing.changes) return [...held];
  const { count, changed, shifted = [], versions } = listing.changes;
  const tasks: Array<TaskSummary | undefined> = new Array(count);
  for (const [index, task] of changed) tasks[index] = task;
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
  for (let index = 0; index < count; index++) {
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
