import { baseName, dirName } from './classify';
import { getString, getValue, type ScalarNode } from './dataNode';
import { stronglyConnected } from './graph';
import type { TaskInfo } from './model';

/** The id pattern of both task schemas (`task-3`, `epic-12`); a rename must keep to it. */
export const TASK_ID_PATTERN = /^[a-z][a-z0-9]*-[0-9]+$/;

/** The fields whose values name other tasks. */
export type TaskRefField = 'blockedBy' | 'dependsOn' | 'parentId';

/** The fields that say a task waits for another one (the dependency graph's edges). */
export const WAIT_FIELDS: readonly TaskRefField[] = ['blockedBy', 'dependsOn'];

export interface TaskIdReference {
  field: TaskRefField;
  id: string;
  node: ScalarNode;
}

/** Every id a task names: `blockedBy` and `dependsOn` entries and its `parentId`, in field order. */
export function taskIdReferences(task: TaskInfo): TaskIdReference[] {
  const out: TaskIdReference[] = [];
  for (const field of ['blockedBy', 'dependsOn'] as const) {
    const list = getValue(task.node, field);
    if (list?.type !== 'array') continue;
    for (const item of list.items) if (isIdScalar(item)) out.push({ field, id: String(item.value), node: item });
  }
  const parent = getValue(task.node, 'parentId');
  if (isIdScalar(parent)) out.push({ field: 'parentId', id: String(parent.value), node: parent });
  return out;
}

function isIdScalar(node: ReturnType<typeof getValue>): node is ScalarNode {
  return node?.type === 'string' || node?.type === 'number';
}

/** True for a task that no longer holds anything up: done, cancelled, archived or logged. */
export function isTaskFinished(task: TaskInfo, path: string): boolean {
  if (task.location === 'archive') return true;
  if (task.location === 'file' && baseName(dirName(path)) === 'logs') return true;
  if (task.location === 'file' && getString(task.node, 'completedAt')) return true;
  const status = task.contract?.status;
  return status === 'done' || status === 'cancelled';
}

/** Anything that carries a task and the path of the file it lives in. */
export interface GraphTask {
  task: TaskInfo;
  analysis: { path: string };
}

/** One edge of the dependency graph: `from` waits for `to` through `field`, written at `node`. */
export interface WaitEdge<T extends GraphTask> {
  from: T;
  to?: T;
  toId: string;
  field: TaskRefField;
  node: ScalarNode;
}

/**
 * The dependency graph of one board: which task waits for which through
 * `blockedBy` and `dependsOn`, and which tasks sit on a cycle. Fenced tasks are
 * examples and take no part; the first task with an id defines it.
 */
export class TaskGraph<T extends GraphTask> {
  readonly byId = new Map<string, T>();
  private readonly outgoing = new Map<T, WaitEdge<T>[]>();
  private readonly incoming = new Map<string, WaitEdge<T>[]>();
  private cycles?: Map<string, string[]>;

  constructor(tasks: readonly T[]) {
    const defining = tasks.filter((t) => t.task.location !== 'fence' && t.task.id !== undefined);
    for (const t of defining) if (!this.byId.has(t.task.id!)) this.byId.set(t.task.id!, t);
    for (const from of defining) {
      const edges = taskIdReferences(from.task)
        .filter((r) => WAIT_FIELDS.includes(r.field))
        .map((r) => ({ from, to: this.byId.get(r.id), toId: r.id, field: r.field, node: r.node }));
      this.outgoing.set(from, edges);
      for (const edge of edges) {
        const list = this.incoming.get(edge.toId) ?? [];
        list.push(edge);
        this.incoming.set(edge.toId, list);
      }
    }
  }

  /** What `task` waits for. */
  waitsFor(task: T): WaitEdge<T>[] {
    return this.outgoing.get(task) ?? [];
  }

  /** The edges of the tasks that wait for `id`. */
  waitedBy(id: string): WaitEdge<T>[] {
    return this.incoming.get(id) ?? [];
  }

  /** The blockers of `task` that are not finished (unknown ids count as open: nobody can finish them). */
  openBlockers(task: T): WaitEdge<T>[] {
    return this.waitsFor(task).filter((e) => !e.to || !isTaskFinished(e.to.task, e.to.analysis.path));
  }

  /** The cycle a task id sits on, as ids from it back to it (`a → b → a`), or undefined. */
  cycleOf(id: string): string[] | undefined {
    this.cycles ??= this.findCycles();
    return this.cycles.get(id);
  }

  /** Each strongly connected component of two or more tasks (or a self-loop) is a cycle. */
  private findCycles(): Map<string, string[]> {
    const next = (id: string) => this.waitsFor(this.byId.get(id)!).flatMap((e) => (e.to ? [e.toId] : []));
    const componentOf = stronglyConnected([...this.byId.keys()], next);
    const members = new Map<number, string[]>();
    for (const [id, component] of componentOf) {
      const list = members.get(component);
      if (list) list.push(id);
      else members.set(component, [id]);
    }
    const result = new Map<string, string[]>();
    for (const component of members.values()) {
      const selfLoop = component.length === 1 && next(component[0]).includes(component[0]);
      if (component.length > 1 || selfLoop) for (const id of component) result.set(id, this.cyclePath(id, new Set(component)));
    }
    return result;
  }

  /** A shortest way from `id` back to itself inside its component, for the message. */
  private cyclePath(id: string, component: Set<string>): string[] {
    const previous = new Map<string, string>();
    const queue = [id];
    while (queue.length) {
      const current = queue.shift()!;
      for (const edge of this.waitsFor(this.byId.get(current)!)) {
        if (!edge.to || !component.has(edge.toId)) continue;
        if (edge.toId === id) {
          const path = [id];
          for (let at = current; at !== id; at = previous.get(at)!) path.splice(1, 0, at);
          return [...path, id];
        }
        if (!previous.has(edge.toId)) {
          previous.set(edge.toId, current);
          queue.push(edge.toId);
        }
      }
    }
    return [id, id];
  }
}
