import { initialStatus } from '../../../shared/lifecycle';
import type { DocumentAnalysis } from './analyze';
import type { BoardViewSource } from './boardView';
import { boardListOffset, insertItem } from './taskItems';
import { isPlainSafe, YamlEditor, type OffsetEdit } from './yamlEdit';

/**
 * A new task: the next free id of the board's prefix, a title and,
 * optionally, a skeleton contract. v1 appends a list item to the column's
 * `tasks:` (a minimal edit: nothing else moves); v2 gets a new task file.
 */

export interface AddTaskInput {
  column: string;
  title: string;
  withContract: boolean;
}

export type AddTaskOutcome = { id: string; edits: OffsetEdit[] } | { id: string; newFile: { name: string; text: string } } | { refused: string };

/** `task-8` after `task-7`; the prefix most ids on the board use (`task` when none). */
export function nextTaskId(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  const highest = new Map<string, number>();
  for (const id of ids) {
    const match = /^([a-z][a-z0-9]*)-([0-9]+)$/.exec(id);
    if (!match) continue;
    const [, prefix, number] = match;
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    highest.set(prefix, Math.max(highest.get(prefix) ?? 0, Number(number)));
  }
  const prefix = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'task';
  return `${prefix}-${(highest.get(prefix) ?? 0) + 1}`;
}

/** The fields of a new task, as lines with their indentation under the dash (v1) or at the root (v2). */
function taskLines(id: string, input: AddTaskInput, version: 1 | 2): string[] {
  const title = input.title.trim();
  const lines = [`id: ${id}`];
  if (version === 2) lines.push('type: task');
  lines.push(`title: ${isPlainSafe(title) ? title : JSON.stringify(title)}`);
  if (version === 2) lines.push(`column: ${input.column}`);
  // The first status of each version, as "Add Contract" writes it.
  if (input.withContract) lines.push('contract:', `  status: ${initialStatus(version)}`, '  deliverables: []');
  return lines;
}

/**
 * `ids` are every task id of the board (archive and logs included), so the
 * new id is free; `board` is the board's view, to check the column.
 */
export function computeAddTask(board: BoardViewSource, config: DocumentAnalysis, ids: readonly string[], input: AddTaskInput): AddTaskOutcome {
  const title = input.title.trim();
  if (!title) return { refused: 'A new task needs a title.' };
  if (/[\r\n]/.test(title)) return { refused: 'A task title is one line.' };
  if (!board.lanes.some((l) => l.id === input.column)) return { refused: `The board has no column "${input.column}".` };
  if (board.syntaxError) {
    const line = config.lines.positionAt(board.syntaxError.range.start).line + 1;
    return { refused: `The board's YAML has errors (line ${line}: ${board.syntaxError.message}) Fix them first; nothing was changed.` };
  }
  const id = nextTaskId(ids);
  if (board.version === 2) {
    const text = ['---', ...taskLines(id, input, 2), '---', '', '## Description', ''].join('\n');
    return { id, newFile: { name: `${id}.md`, text } };
  }
  const editor = new YamlEditor(config.text, config.lines);
  const [first, ...rest] = taskLines(id, input, 1);
  const block = { text: [`- ${first}`, ...rest.map((line) => `  ${line}`)].map((line) => line + editor.eol).join(''), dashColumn: 0 };
  const placed = insertItem(config, editor, input.column, block, boardListOffset(config, editor));
  if ('problem' in placed) return { refused: `Cannot add a task: ${placed.problem}.` };
  return { id, edits: placed.edits };
}
