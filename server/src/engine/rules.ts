import { getValue, type DataNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import type { ColumnInfo, TaskInfo } from './model';
import { baseName } from '../../../shared/text';

/**
 * Board-wide rules over a set of tasks: ids are unique, `blockedBy` names a
 * task that exists, a contract's status fits its column, a v2 task's column exists.
 * Reported per document path, since v2 tasks live in many files.
 */
export interface TaskSetInput {
  path: string;
  task: TaskInfo;
}

export function checkTaskSet(tasks: TaskSetInput[], columns: ColumnInfo[] | undefined, version: 1 | 2): Map<string, EngineDiagnostic[]> {
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

  for (const entry of tasks) {
    for (const ref of entry.task.blockedBy) {
      const id = String(ref.value);
      if (!firstById.has(id)) {
        report(entry.path, diagnostic('unknown-task-ref', 'error', ref.range, `blockedBy names "${id}", but no task with that id exists in this board. Expected the id of a task on this board.`));
      }
    }
  }

  const columnById = new Map((columns ?? []).filter((c) => c.id).map((c) => [c.id!, c]));
  for (const entry of tasks) {
    const { task } = entry;
    // Tasks in a v2 `logs/` folder have left the board: the column they finished in may be gone.
    if (version === 2 && isLogFile(entry.path)) continue;
    if (version === 2 && task.location === 'file' && columns && task.columnId && task.columnNode && !columnById.has(task.columnId)) {
      const ids = [...columnById.keys()];
      report(entry.path, diagnostic('unknown-column', 'error', task.columnNode.range, `Column "${task.columnId}" is not declared by the board. Expected one of ${ids.join(', ')}.`, { allowed: ids }));
    }
    const mismatch = statusColumnMismatch(task, task.columnId ? columnById.get(task.columnId) : undefined);
    if (mismatch) report(entry.path, mismatch);
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
      out.push(diagnostic('status-quality-conflict', 'warning', statusNode.range, `Status is Succeeded, but the quality gate shows ${reasons.join(' and ')}. Expected Failed, or quality that passes.`));
    }
  }
  return out;
}
