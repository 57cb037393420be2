import type { BoardListing, TaskSummary } from './protocol';

/**
 * A board's tasks from one listing of a grouped `contracts/tasks` answer and
 * the tasks the client held for that board: the listing's own tasks, the held
 * ones when unchanged, or the held ones with the changes applied. Undefined
 * when the changes need tasks the client does not hold (it then asks for all).
 */
export function mergeListing(held: readonly TaskSummary[] | undefined, listing: BoardListing): TaskSummary[] | undefined {
  if (listing.tasks) return listing.tasks;
  if (!held) return undefined;
  if (!listing.changes) return [...held];
  const { count, changed, versions } = listing.changes;
  const tasks: Array<TaskSummary | undefined> = new Array(count);
  for (const [index, task] of changed) tasks[index] = task;
  for (let index = 0; index < count; index++) {
    if (tasks[index]) continue;
    const before = held[index];
    if (!before) return undefined;
    const task: TaskSummary = { ...before, documentVersion: versions[before.uri] };
    if (task.documentVersion === undefined) delete task.documentVersion;
    tasks[index] = task;
  }
  return tasks as TaskSummary[];
}
