import type { DocumentAnalysis } from './analyze';
import type { ArrayNode, ObjectNode } from './dataNode';
import type { ColumnInfo, TaskInfo } from './model';
import { applyEdits, propertyEnd, reindent, sortEdits, type OffsetEdit, type YamlEditor } from './yamlEdit';

/**
 * Where task items go in a v1 board: cut a task's list item out of its
 * column and put it into another column (or elsewhere in its own), and insert
 * a new item. Used by lifecycle moves, the board's drag and drop and Add Task,
 * so a list item is cut and placed one way only.
 */

export type Placement = { edits: OffsetEdit[] } | { problem: string };

/** A block of whole lines holding one list item whose `-` sits at `dashColumn`. */
export interface ItemBlock {
  text: string;
  dashColumn: number;
}

/**
 * Inserts `block` into `targetId`'s `tasks:` list, before the item of task
 * `before` (which must be in that column), else at the end. `listOffset` is
 * how far a new `tasks:` list sits under its key. Returns the edits, or why not.
 */
export function insertItem(
  analysis: DocumentAnalysis,
  editor: YamlEditor,
  targetId: string,
  block: ItemBlock,
  listOffset: number,
  before?: TaskInfo,
): Placement {
  const target = analysis.board?.columns.find((c) => c.id === targetId);
  if (!target) return { problem: `The board has no column "${targetId}"` };
  if (target.node.type !== 'object' || target.node.flow) return { problem: `Column "${targetId}" is not a block mapping` };
  const text = /[\r\n]$/.test(block.text) ? block.text : block.text + editor.eol;
  const tasksProperty = target.node.properties.find((p) => p.key === 'tasks' && !p.merged);
  const list = tasksProperty?.value;
  const notBlockList = { problem: `The tasks of column "${targetId}" are not a block list` };
  if (list?.type === 'array' && list.items.length && !list.flow) {
    const dash = editor.dashColumn(list.items[0]);
    const at = before ? (list.items.includes(before.node) ? editor.itemLines(before.node)?.start : undefined) : editor.listEnd(list);
    if (at === undefined || dash === undefined) return notBlockList;
    return { edits: [editor.lineInsertion(at, reindent(text, dash - block.dashColumn))] };
  }
  if (tasksProperty && (list?.type === 'null' || (list?.type === 'array' && !list.items.length))) {
    // `tasks:` or `tasks: []`: drop the empty value and start a block list below the key.
    const colonEnd = editor.colonAfter(tasksProperty.keyRange);
    if (colonEnd === undefined) return { problem: `The tasks key of column "${targetId}" is unusual` };
    const edits: OffsetEdit[] = [];
    if (list.type === 'array' || list.source !== '') edits.push({ range: { start: colonEnd, end: list.range.end }, newText: '' });
    const at = editor.nextLineStart(tasksProperty.keyRange.end);
    edits.push(editor.lineInsertion(at, reindent(text, editor.column(tasksProperty.keyRange.start) + listOffset - block.dashColumn)));
    return { edits };
  }
  if (!tasksProperty) {
    const own = target.node.properties.filter((p) => !p.merged);
    const keyColumn = editor.column(own[0].keyRange.start);
    const at = editor.nextLineStart(propertyEnd(own[own.length - 1]));
    return { edits: [editor.lineInsertion(at, ' '.repeat(keyColumn) + 'tasks:' + editor.eol + reindent(text, keyColumn + listOffset - block.dashColumn))] };
  }
  return notBlockList;
}

/**
 * Cuts a v1 task's list item (with the edits `editor` already holds inside it,
 * such as a new status) and places it in column `targetId`, before task
 * `before` or at the end. All of `editor`'s edits must lie inside the item.
 */
export function relocateItem(analysis: DocumentAnalysis, task: TaskInfo, editor: YamlEditor, targetId: string, before?: TaskInfo): Placement {
  if (task.location !== 'column') return { problem: task.location === 'fence' ? 'A fenced task has no column' : 'An archived task has no column' };
  if (before === task) return { problem: `${task.id} cannot be placed before itself` };
  const source = task.node.parent as ArrayNode;
  const sourceTasks = source.parent?.type === 'object' ? source.parent.properties.find((p) => p.value === source) : undefined;
  const item = editor.itemLines(task.node);
  if (source.flow || !sourceTasks || !item) return { problem: `${task.id} is not a block list item` };

  // The item's own edits travel with it; any other edit would be lost in the cut.
  const inner = editor.edits.filter((e) => e.range.start >= item.start && e.range.end <= item.end);
  if (inner.length !== editor.edits.length) return { problem: `${task.id} could not be cut out cleanly` };
  const relative = inner.map((e) => ({ range: { start: e.range.start - item.start, end: e.range.end - item.start }, newText: e.newText }));
  const block = { text: applyEdits(analysis.text.slice(item.start, item.end), relative), dashColumn: item.dashColumn };
  // A new list sits as far under its key as the source list does.
  const listOffset = item.dashColumn - editor.column(sourceTasks.keyRange.start);

  const edits: OffsetEdit[] = [{ range: { start: item.start, end: item.end }, newText: '' }];
  const leavesColumn = targetId !== task.columnId;
  if (leavesColumn && source.items.length === 1) {
    // The source list keeps its key: an empty block value would read as null.
    const colonEnd = editor.colonAfter(sourceTasks.keyRange);
    if (colonEnd === undefined) return { problem: `The tasks key of column "${task.columnId}" is unusual` };
    edits.push({ range: { start: colonEnd, end: colonEnd }, newText: ' []' });
  }
  const inserted = insertItem(analysis, editor, targetId, block, listOffset, before);
  if ('problem' in inserted) return inserted;
  return { edits: sortEdits([...edits, ...inserted.edits]) };
}

/** How far a column's `tasks:` list sits under its key on this board (2 when no column has one). */
export function boardListOffset(analysis: DocumentAnalysis, editor: YamlEditor): number {
  for (const column of analysis.board?.columns ?? []) {
    const property = tasksPropertyOf(column);
    const first = property?.value.type === 'array' && !property.value.flow ? property.value.items[0] : undefined;
    const dash = first && editor.dashColumn(first);
    if (property && dash !== undefined) return dash - editor.column(property.keyRange.start);
  }
  return 2;
}

function tasksPropertyOf(column: ColumnInfo) {
  return column.node.type === 'object' ? (column.node as ObjectNode).properties.find((p) => p.key === 'tasks' && !p.merged) : undefined;
}
