import { runToEnd, type Steps } from './steps';
import { getValue, type DataNode, type ScalarNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import type { ColumnInfo, TaskInfo } from './model';
import { baseName } from '../../../shared/text';
import { stronglyConnected } from './graph';

/**
 * Board-wide rules over a set of tasks: ids are unique, references name a task
 * that exists, dependencies lead back to no task, a contract's status fits its
 * column, a v2 task's column exists. Reported per document path, since v2
 * tasks live in many files: a v1 board runs them over its one file
 * (`checkTaskSet`), a v2 board through the board model's `BOARD_RULES`.
 */
export interface TaskSetInput {
  path: string;
  task: TaskInfo;
}

/** The tasks of one board and what its rules need to know about the board. */
export interface TaskSet {
  tasks: TaskSetInput[];
  /** The board's columns; undefined when a v2 board has no config. */
  columns?: ColumnInfo[];
  version: 1 | 2;
  /** The board's `strict: true`: a v2 task's unknown column is then an error, not a hint. */
  strict?: boolean;
  /** Ids of finished tasks kept elsewhere (the v2 ledger): references to them are fine. */
  completedIds?: ReadonlySet<string>;
}

/** One finding of a task-set rule, with the path of the document it is in. */
export type TaskSetFinding = [path: string, diagnostic: EngineDiagnostic];
export type TaskSetRule = (set: TaskSet) => TaskSetFinding[];

/** Fenced blocks are examples in the notes: they may reference board tasks but do not define ids. */
function definingTasks(set: TaskSet): TaskSetInput[] {
  return set.tasks.filter((t) => t.task.location !== 'fence');
}

/** The first task of each id, in the order given. */
function firstById(tasks: TaskSetInput[]): Map<string, TaskSetInput> {
  const first = new Map<string, TaskSetInput>();
  for (const entry of tasks) if (entry.task.id !== undefined && !first.has(entry.task.id)) first.set(entry.task.id, entry);
  return first;
}

/** Each id once: a later task with a taken id is an error on its id. */
export const duplicateIds: TaskSetRule = (set) => {
  const out: TaskSetFinding[] = [];
  const first = new Map<string, TaskSetInput>();
  for (const entry of definingTasks(set)) {
    const { id, idNode } = entry.task;
    if (id === undefined || !idNode) continue;
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, entry);
      continue;
    }
    const where = earlier.path === entry.path ? '' : ` in ${baseName(earlier.path)}`;
    out.push([entry.path, diagnostic('duplicate-id', 'error', idNode.range, `Duplicate task id "${id}": it is already used by "${earlier.task.title ?? id}"${where}. Expected a unique id.`)]);
  }
  return out;
};

/** `blockedBy`, `dependsOn` and `parentId` name a task of the board (or one the ledger completed). */
export const taskReferences: TaskSetRule = (set) => {
  const ids = firstById(definingTasks(set));
  const known = (id: string) => ids.has(id) || !!set.completedIds?.has(id);
  const out: TaskSetFinding[] = [];
  for (const entry of set.tasks) {
    for (const [field, refs] of [['blockedBy', entry.task.blockedBy], ['dependsOn', entry.task.dependsOn]] as const) {
      for (const ref of refs) {
        const id = String(ref.value);
        if (!known(id)) out.push([entry.path, diagnostic('unknown-task-ref', 'error', ref.range, `${field} names "${id}", but no task with that id exists in this board. Expected the id of a task on this board.`)]);
      }
    }
    const parent = entry.task.parentId;
    if (parent && !known(String(parent.value))) {
      out.push([
        entry.path,
        diagnostic('unknown-task-ref', 'error', parent.range, `parentId names "${parent.value}", but no task or epic with that id exists in this board. Expected the id of a task or epic on this board.`),
      ]);
    }
  }
  return out;
};

/** A v2 task's column is one the board declares; every contract's status fits its column. */
export const taskColumns: TaskSetRule = (set) => {
  const out: TaskSetFinding[] = [];
  // A board of 40,000 columns and no task needs no map of them.
  if (!set.tasks.length) return out;
  const columnById = new Map((set.columns ?? []).filter((c) => c.id).map((c) => [c.id!, c]));
  for (const entry of set.tasks) {
    const { task } = entry;
    // Tasks in a v2 `logs/` folder have left the board: the column they finished in may be gone.
    if (set.version === 2 && isLogFile(entry.path)) continue;
    if (set.version === 2 && task.location === 'file' && set.columns && task.columnId && task.columnNode && !columnById.has(task.columnId)) {
      const ids = [...columnById.keys()];
      // The protocol rejects an unknown column only in strict mode; boards often keep tasks in a column they dropped.
      const severity = set.strict ? 'error' : 'hint';
      const why = set.strict ? 'The board sets strict: true, so every column must be declared.' : 'Brainfile tools accept it because the board is not strict, but no column of the board shows it.';
      out.push([entry.path, diagnostic('unknown-column', severity, task.columnNode.range, `Column "${task.columnId}" is not declared by the board. ${why} Expected one of ${ids.join(', ')}.`, { allowed: ids })]);
    }
    const mismatch = statusColumnMismatch(task, task.columnId ? columnById.get(task.columnId) : undefined);
    if (mismatch) out.push([entry.path, mismatch]);
  }
  return out;
};

/** Runs task-set rules and groups their findings by document path. */
export function checkTaskSet(set: TaskSet, rules: readonly TaskSetRule[] = TASK_SET_RULES): Map<string, EngineDiagnostic[]> {
  return runToEnd(checkTaskSetSteps(set, rules));
}

/** `checkTaskSet` pausing after each rule (`steps.ts`): over 5,000 tasks each rule is a step of its own. */
export function* checkTaskSetSteps(set: TaskSet, rules: readonly TaskSetRule[] = TASK_SET_RULES): Steps<Map<string, EngineDiagnostic[]>> {
  const out = new Map<string, EngineDiagnostic[]>();
  for (const rule of rules) {
    for (const [path, d] of rule(set)) {
      const list = out.get(path);
      if (list) list.push(d);
      else out.set(path, [d]);
    }
    yield;
  }
  return out;
}

/**
 * Cycles through `blockedBy` and `dependsOn`: no task of a cycle can ever
 * start. Each edge of a cycle gets an error that names the whole cycle.
 */
export const dependencyCycles: TaskSetRule = (set) => {
  const byId = firstById(definingTasks(set));
  const edges = new Map<string, Array<{ to: string; ref: ScalarNode; field: string }>>();
  for (const [id, entry] of byId) {
    const out = [
      ...entry.task.blockedBy.map((ref) => ({ to: String(ref.value), ref, field: 'blockedBy' })),
      ...entry.task.dependsOn.map((ref) => ({ to: String(ref.value), ref, field: 'dependsOn' })),
    ].filter((e) => byId.has(e.to));
    edges.set(id, out);
  }
  const component = stronglyConnected([...byId.keys()], (id) => edges.get(id)!.map((e) => e.to));
  const out: TaskSetFinding[] = [];
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
};

/** Every task-set rule, in the order their findings are listed. */
export const TASK_SET_RULES: readonly TaskSetRule[] = [duplicateIds, taskReferences, dependencyCycles, taskColumns];

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

/** Columns checked per step by `checkDuplicateColumnsSteps`. */
const COLUMN_STEP = 2000;

/**
 * Column ids must be unique: core warns and merges the columns' tasks. Reported on each later duplicate.
 * Pauses every few thousand columns (`steps.ts`): a board may have 40,000.
 */
export function* checkDuplicateColumnsSteps(columns: ColumnInfo[]): Steps<EngineDiagnostic[]> {
  const seen = new Map<string, ColumnInfo>();
  const out: EngineDiagnostic[] = [];
  for (let index = 0; index < columns.length; index++) {
    if (index % COLUMN_STEP === COLUMN_STEP - 1) yield;
    const column = columns[index];
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
