import path from 'node:path';
import { pickupBrief } from '../engine/brief';
import { toPosix } from '../engine/classify';
import { STATUS_TRANSITIONS } from '../../../shared/lifecycle';
import type { CliIo } from './command';
import { formatOption, parseArgs, taskIdArgument } from './args';
import { findTask, loadTasks, type BoardTask } from './boardTasks';
import { moveTask, type MoveOutcome } from './moveTask';

/** `contracts list`, `contracts show` and one command per lifecycle move. */

export const MOVE_COMMANDS = STATUS_TRANSITIONS.map((t) => t.name).filter((name, i, all) => all.indexOf(name) === i);

export interface TaskRow {
  id: string;
  title: string;
  status: string | null;
  assignee: string | null;
  column: string | null;
  board: string | null;
  file: string;
  version: 1 | 2;
}

export function taskRow(task: BoardTask, cwd: string): TaskRow {
  const shown = (file: string) => toPosix(path.relative(cwd, file) || file);
  return {
    id: task.task.id,
    title: task.task.title ?? '',
    status: task.task.contract?.status ?? null,
    assignee: task.task.assignee ?? null,
    column: task.task.columnId ?? null,
    board: task.boardTitle ?? (task.boardFile ? shown(task.boardFile) : null),
    file: shown(task.file),
    version: task.analysis.version ?? 1,
  };
}

export function listRows(paths: string[], cwd: string, filter: { status?: string; assignee?: string }): TaskRow[] {
  return loadTasks(paths.length ? paths : ['.'], cwd)
    .map((t) => taskRow(t, cwd))
    .filter((row) => (filter.status === undefined || (row.status ?? 'none') === filter.status) && (filter.assignee === undefined || row.assignee === filter.assignee));
}

export function listCommand(args: string[], io: CliIo): number {
  const parsed = parseArgs(args, { values: ['status', 'assignee', 'format'] });
  const format = formatOption(parsed);
  const rows = listRows(parsed.positional, io.cwd, { status: parsed.values.get('status'), assignee: parsed.values.get('assignee') });
  if (format === 'json') {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = (key: keyof TaskRow) => Math.max(0, ...rows.map((r) => String(r[key] ?? '-').length));
  const [idW, statusW, assigneeW] = [width('id'), width('status'), width('assignee')];
  for (const row of rows) {
    io.out(`${row.id.padEnd(idW)}  ${(row.status ?? '-').padEnd(statusW)}  ${(row.assignee ?? '-').padEnd(assigneeW)}  ${row.title}  (${row.file})`);
  }
  io.out(`${rows.length} task${rows.length === 1 ? '' : 's'}`);
  return 0;
}

export function briefOf(found: BoardTask, board: string | undefined, cwd: string): string {
  return pickupBrief(found.analysis, found.task, { file: toPosix(path.relative(cwd, found.file) || found.file), boardTitle: found.boardTitle, boardArgument: board });
}

export function showCommand(args: string[], io: CliIo): number {
  const parsed = parseArgs(args, { values: ['board'] });
  const id = taskIdArgument(parsed, 'show');
  const board = parsed.values.get('board');
  const lookup = findTask(id, board, io.cwd);
  if ('refused' in lookup) {
    io.err(`contracts show: ${lookup.refused}`);
    return 1;
  }
  io.out(briefOf(lookup.found, board, io.cwd).trimEnd());
  return 0;
}

/** `contracts <move> <task-id> ...`: exit 0 moved, 1 refused, 3 changed since read. */
export function moveCommand(move: string, args: string[], io: CliIo): number {
  const parsed = parseArgs(args, { values: ['board', 'expect-status', 'assignee', 'feedback', 'format'], flags: ['no-complete'] });
  const format = formatOption(parsed);
  const outcome = moveTask(
    {
      taskId: taskIdArgument(parsed, move),
      transition: move,
      board: parsed.values.get('board'),
      expectStatus: parsed.values.get('expect-status'),
      assignee: parsed.values.get('assignee') ?? (move === 'claim' ? process.env.CONTRACTS_ASSIGNEE || undefined : undefined),
      feedback: parsed.values.get('feedback'),
      complete: !parsed.flags.has('no-complete'),
    },
    io.cwd,
  );
  return reportMove(move, outcome, format, io);
}

export function reportMove(move: string, outcome: MoveOutcome, format: 'text' | 'json', io: CliIo): number {
  const shown = (file: string) => toPosix(path.relative(io.cwd, file) || file);
  if (format === 'json') {
    const json = outcome.ok ? { ...outcome, file: shown(outcome.file), completed: outcome.completed && { ...outcome.completed, file: shown(outcome.completed.file), ledger: shown(outcome.completed.ledger) } } : outcome;
    (outcome.ok ? io.out : io.err)(JSON.stringify(json, null, 2));
    return outcome.ok ? 0 : outcome.exitCode;
  }
  if (!outcome.ok) {
    io.err(`contracts ${move}: ${outcome.message}`);
    return outcome.exitCode;
  }
  io.out(`${outcome.taskId}: ${outcome.from ?? 'no status'} → ${outcome.to} (${shown(outcome.file)})`);
  if (outcome.completed) io.out(`Completed: moved to ${shown(outcome.completed.file)} and recorded in ${shown(outcome.completed.ledger)}.`);
  for (const note of outcome.notes) io.out(`note: ${note}`);
  return 0;
}
