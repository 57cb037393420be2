import { getValue } from './dataNode';
import { TaskGraph, type GraphTask } from './taskGraph';

const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const NO_PRIORITY = 4;

export interface SkippedTask<T> {
  task: T;
  reason: string;
}

export interface NextTaskChoice<T> {
  pick?: T;
  /** Every other ready task, with why it was not picked. */
  skipped: SkippedTask<T>[];
}

/** A board's tasks in board order: document order for v1, task files in any order for v2. */
export interface BoardTasks<T extends GraphTask> {
  tasks: readonly T[];
}

/**
 * Claim Next: the ready task to take up first. Among ready contracts whose
 * blockers (`blockedBy`, `dependsOn`) are all finished, the highest priority
 * wins, then the earliest position (a v2 task's `position`, else its place
 * on the board), then the earlier board.
 */
export function pickNextTask<T extends GraphTask>(boards: readonly BoardTasks<T>[]): NextTaskChoice<T> {
  const ready: Array<{ task: T; rank: number[]; waitsFor: string[] }> = [];
  boards.forEach((board, boardIndex) => {
    const graph = new TaskGraph(board.tasks);
    board.tasks.forEach((t, order) => {
      if (t.task.location === 'fence' || t.task.id === undefined || t.task.contract?.status !== 'ready') return;
      if (graph.byId.get(t.task.id) !== t) return; // a duplicate id: the first one stands for it
      // One mention per blocker, even when both blockedBy and dependsOn name it.
      const waitsFor = [...new Set(graph.openBlockers(t).map((e) => (e.to ? `${e.toId} (${e.to.task.contract?.status ?? 'no contract'})` : `${e.toId} (no such task)`)))];
      const position = getValue(t.task.node, 'position');
      const place = position?.type === 'number' ? (position.value as number) : order;
      ready.push({ task: t, rank: [PRIORITY_RANK[t.task.priority ?? ''] ?? NO_PRIORITY, place, boardIndex, order], waitsFor });
    });
  });
  ready.sort((a, b) => compareRanks(a.rank, b.rank));
  const pick = ready.find((r) => !r.waitsFor.length)?.task;
  const skipped = ready
    .filter((r) => r.task !== pick)
    .map((r) => ({ task: r.task, reason: r.waitsFor.length ? `waits for ${r.waitsFor.join(', ')}` : `ranks below ${pick!.task.id} (${describeRank(pick!)})` }));
  return { pick, skipped };
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function describeRank(t: GraphTask): string {
  return t.task.priority ? `priority ${t.task.priority}` : 'no priority, earlier on the board';
}
