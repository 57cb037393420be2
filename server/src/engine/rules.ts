import { getValue, type DataNode, type ScalarNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import type { ColumnInfo, TaskInfo } from './model';

/**
 * Board-wide rules over a set of tasks: ids are unique, `blockedBy` names a
 * task that exists, a contract's status fits its column, a v2 task's column exists.
 * Reported per document path, since v2 tasks live in many files.
 */
export interface TaskSetInput {
  path: string;
  task: TaskInfo;
}

export interface TaskSetOptions {
  /** The board's `strict: true`: a v2 task's unknown column is then an error, not a hint. */
  strict?: boolean;
  /** Ids of finished tasks kept elsewhere (the v2 ledger): references to them are fine. */
  completedIds?: ReadonlySet<string>;
}

export function checkTaskSet(tasks: TaskSetInput[], columns: ColumnInfo[] | undefined, version: 1 | 2, options: TaskSetOptions = {}): Map<string, EngineDiagnostic[]> {
  const out = new Map<string, EngineDiagnostic[]>();
  const report = (path: string, d: EngineDiagnostic) => {
    const list = out.get(path) ?? [];
    list.push(d);
    out.set(path, list);
  };
  // Fenced blocks are examples in the notes: they may reference board tasks but do not define ids.
  const defining = tasks.filter((t) => t.task.location !== 'fence');
  const firstById = new Map<string, TaskSetInput>();
  for (const entry of defining) {
    const { id, idNode } = entry.task;
    if (id === undefined || !idNode) continue;
    const first = firstById.get(id);
    if (first) {
      const where = first.path === entry.path ? '' : ` in ${baseName(first.path)}`;
      report(entry.path, diagnostic('duplicate-id', 'error', idNode.range, `Duplicate task id "${id}": it is already used by "${first.task.title ?? id}"${where}. Expected a unique id.`));
    } else firstById.set(id, entry);
  }

  const known = (id: string) => firstById.has(id) || !!options.completedIds?.has(id);
  for (const entry of tasks) {
    for (const [field, refs] of [['blockedBy', entry.task.blockedBy], ['dependsOn', entry.task.dependsOn]] as const) {
      for (const ref of refs) {
        const id = String(ref.value);
        if (!known(id)) {
          report(entry.path, diagnostic('unknown-task-ref', 'error', ref.range, `${field} names "${id}", but no task with that id exists in this board. Expected the id of a task on this board.`));
        }
      }
    }
    const parent = entry.task.parentId;
    if (parent && !known(String(parent.value))) {
      report(entry.path, diagnostic('unknown-task-ref', 'error', parent.range, `parentId names "${parent.value}", but no task or epic with that id exists in this board. Expected the id of a task or epic on this board.`));
    }
  }
  for (const [path, d] of dependencyCycles(defining)) report(path, d);

  const columnById = new Map((columns ?? []).filter((c) => c.id).map((c) => [c.id!, c]));
  for (const entry of tasks) {
    const { task } = entry;
    // Tasks in a v2 `logs/` folder have left the board: the column they finished in may be gone.
    if (version === 2 && isLogFile(entry.path)) continue;
    if (version === 2 && task.location === 'file' && columns && task.columnId && task.columnNode && !columnById.has(task.columnId)) {
      const ids = [...columnById.keys()];
      // The protocol rejects an unknown column only in strict mode; boards often keep tasks in a column they dropped.
      const severity = options.strict ? 'error' : 'hint';
      const why = options.strict ? 'The board sets strict: true, so every column must be declared.' : 'Brainfile tools accept it because the board is not strict, but no column of the board shows it.';
      report(entry.path, diagnostic('unknown-column', severity, task.columnNode.range, `Column "${task.columnId}" is not declared by the board. ${why} Expected one of ${ids.join(', ')}.`, { allowed: ids }));
    }
    const mismatch = statusColumnMismatch(task, task.columnId ? columnById.get(task.columnId) : undefined);
    if (mismatch) report(entry.path, mismatch);
  }
  return out;
}

/**
 * Cycles through `blockedBy` and `dependsOn`: no task of a cycle can ever
 * start. Each edge of a cycle gets an error that names the whole cycle.
 */
function dependencyCycles(tasks: TaskSetInput[]): Array<[string, EngineDiagnostic]> {
  const byId = new Map<string, TaskSetInput>();
  for (const entry of tasks) if (entry.task.id !== undefined && !byId.has(entry.task.id)) byId.set(entry.task.id, entry);
  const edges = new Map<string, Array<{ to: string; ref: ScalarNode; field: string }>>();
  for (const [id, entry] of byId) {
    const out = [
      ...entry.task.blockedBy.map((ref) => ({ to: String(ref.value), ref, field: 'blockedBy' })),
      ...entry.task.dependsOn.map((ref) => ({ to: String(ref.value), ref, field: 'dependsOn' })),
    ].filter((e) => byId.has(e.to));
    edges.set(id, out);
  }
  const component = stronglyConnected([...byId.keys()], (id) => edges.get(id)!.map((e) => e.to));
  const out: Array<[string, EngineDiagnostic]> = [];
  for (const [from, list] of edges) {
    for (const edge of list) {
      if (component.get(from) !== component.get(edge.to)) continue;
      const back = shortestPath(edge.to, from, (id) => edges.get(id)!.map((e) => e.to).filter((next) => component.get(next) === component.get(from)));
      const cycle = [from, ...(back ?? [edge.to])];
      if (cycle[cycle.length - 1] !== from) cycle.push(from);
      out.push([
        byId.get(from)!.path,
        diagnostic('dependency-cycle', 'error', edge.ref.range, `${edge.field} of "${from}" closes a dependency cycle: ${cycle.join(' → ')}. No task of the cycle can ever start. Expected dependencies that lead back to no task.`),
      ]);
    }
  }
  return out;
}

/** Tarjan's algorithm, iterative: the component number of each node. */
function stronglyConnected(nodes: string[], next: (node: string) => string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  let components = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; children: string[]; i: number }> = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node), i: 0 });
    };
    enter(root);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++];
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, components);
        } while (member !== frame.node);
        components++;
      }
    }
  }
  return component;
}

/** The nodes from `start` to `goal` (both included) by breadth-first search, or undefined. */
function shortestPath(start: string, goal: string, next: (node: string) => string[]): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    if (node === goal) {
      const path: string[] = [];
      for (let at: string | null = node; at !== null; at = previous.get(at)!) path.unshift(at);
      return path;
    }
    for (const child of next(node)) {
      if (!previous.has(child)) {
        previous.set(child, node);
        queue.push(child);
      }
    }
  }
  return undefined;
}

/** Column ids must be unique: core warns and merges the columns' tasks. Reported on each later duplicate. */
export function checkDuplicateColumns(columns: ColumnInfo[]): EngineDiagnostic[] {
  const seen = new Map<string, ColumnInfo>();
  const out: EngineDiagnostic[] = [];
  for (const column of columns) {
    if (!column.id || !column.idNode) continue;
    const first = seen.get(column.id);
    if (!first) {
      seen.set(column.id, column);
      continue;
    }
    out.push(
      diagnostic('duplicate-column', 'warning', column.idNode.range, `Duplicate column id "${column.id}": column "${first.title ?? column.id}" already uses it. Brainfile tools merge the two columns' tasks into one. Expected a unique column id.`),
    );
  }
  return out;
}

type ColumnStage = 'todo' | 'doing' | 'review' | 'done' | 'blocked';

const STAGE_WORDS: Array<[ColumnStage, RegExp]> = [
  ['blocked', /\b(blocked|on-?hold|waiting)\b/],
  ['done', /\b(done|complete|completed|closed|finished|shipped|archived?)\b/],
  ['review', /\b(review|in-review|qa|testing|verify|verification|delivered)\b/],
  ['doing', /\b(in-progress|in progress|doing|wip|active|started|ongoing)\b/],
  ['todo', /\b(todo|to-do|to do|backlog|ready|open|new|planned|inbox|icebox)\b/],
];

function stageOf(column: { id?: string; title?: string }): ColumnStage | undefined {
  const text = `${column.id ?? ''} ${column.title ?? ''}`.toLowerCase();
  return STAGE_WORDS.find(([, pattern]) => pattern.test(text))?.[0];
}

/** Statuses that plainly contradict a column stage. Failed fits anywhere. */
const CONTRADICTIONS: Record<ColumnStage, string[]> = {
  todo: ['in_progress', 'delivered', 'done'],
  doing: ['draft', 'done'],
  review: ['draft', 'ready', 'done'],
  done: ['draft', 'ready', 'in_progress', 'delivered', 'blocked'],
  blocked: ['draft', 'done', 'delivered'],
};

const EXPECTED_STAGE: Record<string, string> = {
  draft: 'a to-do column',
  ready: 'a to-do column',
  in_progress: 'an in-progress column',
  delivered: 'a review column',
  done: 'a done column',
  blocked: 'a blocked column',
};

function statusColumnMismatch(task: TaskInfo, column: ColumnInfo | undefined): EngineDiagnostic | undefined {
  const status = task.contract?.status;
  const statusNode = task.contract?.statusNode;
  if (!status || !statusNode || task.location === 'fence' || task.location === 'archive') return undefined;
  const stage = column ? stageOf(column) : task.columnId ? stageOf({ id: task.columnId }) : undefined;
  if (!stage || !CONTRADICTIONS[stage].includes(status)) return undefined;
  const name = column?.title ? `"${column.title}" (${column.id})` : `"${task.columnId}"`;
  return diagnostic('status-column-mismatch', 'hint', statusNode.range, `Contract status ${status} does not fit column ${name}. Expected ${EXPECTED_STAGE[status] ?? 'another column'} for this status.`);
}

function isLogFile(path: string): boolean {
  return /(^|[\\/])logs[\\/][^\\/]+$/.test(path);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Semantic checks of a deployment contract beyond its schema. */
export function checkDeployment(root: DataNode | undefined): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const quality = getValue(root, 'quality');
  const coverage = getValue(quality, 'coverage');
  const tests = getValue(quality, 'tests');
  const num = (node: DataNode | undefined) => (node?.type === 'number' && Number.isFinite(node.value) ? (node.value as number) : undefined);

  const actual = num(getValue(coverage, 'actual'));
  const required = num(getValue(coverage, 'required'));
  const metNode = getValue(coverage, 'met');
  let coverageMet: boolean | undefined;
  if (actual !== undefined && required !== undefined) {
    coverageMet = actual >= required;
    if (metNode?.type === 'boolean' && metNode.value !== coverageMet) {
      out.push(
        diagnostic('coverage-met-mismatch', 'error', metNode.range, `"met" is ${metNode.value}, but actual coverage ${actual} is ${coverageMet ? 'at least' : 'below'} the required ${required}. Expected ${coverageMet}.`, {
          replacement: String(coverageMet),
        }),
      );
    }
  }

  const totalNode = getValue(tests, 'total');
  const total = num(totalNode);
  const passed = num(getValue(tests, 'passed'));
  const failed = num(getValue(tests, 'failed'));
  if (totalNode && total !== undefined && passed !== undefined && failed !== undefined && passed + failed !== total) {
    out.push(
      diagnostic('test-count-mismatch', 'error', totalNode.range, `"total" is ${total}, but passed (${passed}) + failed (${failed}) = ${passed + failed}. Expected ${passed + failed}.`, {
        replacement: String(passed + failed),
      }),
    );
  }

  const statusNode = getValue(root, 'status');
  if (statusNode?.type === 'string' && statusNode.value === 'Succeeded') {
    const reasons: string[] = [];
    if (failed !== undefined && failed > 0) reasons.push(`${failed} failed test${failed === 1 ? '' : 's'}`);
    if (coverageMet === false) reasons.push(`coverage ${actual} below the required ${required}`);
    else if (coverageMet === undefined && metNode?.type === 'boolean' && metNode.value === false) reasons.push('coverage not met');
    if (reasons.length) {
      // glassops' own canonical valid contract is Succeeded with 5 failed tests: a team may accept known failures, so this is only a note.
      out.push(
        diagnostic('status-quality-conflict', 'information', statusNode.range, `Status is Succeeded, but the quality gate shows ${reasons.join(' and ')}. That is valid (a team may accept known failures or a coverage shortfall), but expected Failed unless Succeeded is intended.`),
      );
    }
  }
  return out;
}
