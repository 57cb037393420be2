import type { DataNode, ObjectNode } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { findExcessiveFlowNesting, parseYamlRegion, parseYamlSource, type ParsedValue } from './parseYaml';
import { runToEnd, type Steps } from './steps';
import { detachedSlice, lineStartOf, ownString, nextLineStart, skipSpaces, type OffsetRange } from './text';

/**
 * Chunked parse of a board's front matter: each task item (a `- ` entry of a
 * column's `tasks` or of `archive`) is parsed on its own, as a YAML list at its
 * own indentation (so offsets need no mapping), and the rest of the board, the
 * skeleton, is parsed with every task replaced by a placeholder of the same
 * extent. The task trees then take the placeholders' places. No parse ever
 * holds the whole document's YAML tree, which for a 5,000-task board is most of
 * the memory a full parse needs.
 *
 * The result equals `parseYamlRegion` over the whole front matter, or the
 * function returns undefined: on any syntax error, anything shared across items
 * (anchors, aliases, merge keys, tags), tabs in indentation, duplicate keys or
 * any other finding in the skeleton, or a placeholder that did not land where
 * a task item belongs.
 */

/** Anchors, aliases, merge keys and tags share values across items: not local. */
export const NON_LOCAL = /(?:^|[\s,[{:-])[&*!][^\s]|<</m;
/** A tab where indentation goes decides the structure in ways a line scan does not follow. */
const TAB_INDENT = /^ *\t/m;

/** The lines of one task item: its `- ` line up to the next line at or left of the dash. */
export interface ItemLines {
  /** Start of the line holding the item's `- `. */
  start: number;
  /** Offset of the `-`. */
  dash: number;
  /** Start of the next line with content at or left of the dash (or the region's end). */
  end: number;
}

interface ParsedItem {
  lines: ItemLines;
  node: DataNode;
  diagnostics: EngineDiagnostic[];
  /** Levels of the item's tree below its root (measured while its step runs, not when the items are put in place). */
  height: number;
}

/** Depth of an item below the front matter's root: columns[i].tasks[j], archive[j], or a column, columns[i]. */
const COLUMN_TASK_DEPTH = 4;
const ARCHIVE_TASK_DEPTH = 2;
const COLUMN_DEPTH = 2;

export function parseFrontMatterInChunks(text: string, region: OffsetRange): ParsedValue | undefined {
  return runToEnd(parseFrontMatterInChunksSteps(text, region));
}

/** The chunked parse in steps, one item each (see `steps.ts`). */
export function* parseFrontMatterInChunksSteps(text: string, region: OffsetRange): Steps<ParsedValue | undefined> {
  const source = text.slice(region.start, region.end);
  if (NON_LOCAL.test(source) || TAB_INDENT.test(source)) return undefined;
  yield;
  if (findExcessiveFlowNesting(source, LIMITS.maxDepth) !== undefined) return undefined;
  yield;

  const items: ParsedItem[] = [];
  for (const lines of yield* findItemsSteps(text, region)) {
    const item = parseItem(text, lines);
    if (!item) return undefined;
    items.push(item);
    yield;
  }

  yield;
  const runs = siblingRuns(items);
  const { source: skeletonSource, shifts } = skeletonOf(text, region, runs);
  const skeleton = parseYamlSource(skeletonSource, region.start);
  const root = skeleton.root;
  if (!skeleton.complete || skeleton.syntaxErrors || skeleton.diagnostics.length || root?.type !== 'object') return undefined;
  moveToDocumentOffsets(root, shifts);
  yield;
  if (!putItemsInPlace(root, runs)) return undefined;
  // The skeleton's strings are slices of its (document-sized) text: give them strings of their own.
  detachStrings(root, text, new Set(items.map((item) => item.node)));
  return { root, diagnostics: items.flatMap((item) => item.diagnostics), complete: true, syntaxErrors: false };
}

/** One item parsed alone: a clean single object item at the dash, or undefined. */
function parseItem(text: string, lines: ItemLines): ParsedItem | undefined {
  const parsed = parseYamlRegion(text, { start: lines.start, end: lines.end });
  if (!parsed.complete || parsed.syntaxErrors || parsed.diagnostics.some((d) => d.code !== 'duplicate-key')) return undefined;
  const list = parsed.root;
  if (list?.type !== 'array' || list.items.length !== 1 || list.range.start !== lines.dash) return undefined;
  const node = list.items[0];
  if (node.type !== 'object' || node.range.end <= node.range.start) return undefined;
  node.parent = undefined;
  node.key = undefined;
  return { lines, node, diagnostics: parsed.diagnostics, height: heightOf(node) };
}

/**
 * The items in runs of siblings: an item that starts where the previous one
 * ends, with its dash in the same column, is the next item of the same block
 * list (nothing at or left of the dash lies between them).
 */
function siblingRuns(items: ParsedItem[]): ParsedItem[][] {
  const runs: ParsedItem[][] = [];
  let previous: ItemLines | undefined;
  for (const item of items) {
    const { lines } = item;
    const sibling = previous !== undefined && lines.start === previous.end && lines.dash - lines.start === previous.dash - previous.start;
    if (sibling) runs[runs.length - 1].push(item);
    else runs.push([item]);
    previous = lines;
  }
  return runs;
}

/** From the first item's start to the last item's end. */
function spanOf(run: ParsedItem[]): OffsetRange {
  return { start: run[0].node.range.start, end: run[run.length - 1].node.range.end };
}

/** From this skeleton offset on, `delta` (the sum over the runs before) turns a skeleton offset into a document offset. */
interface Shift {
  from: number;
  delta: number;
}

/**
 * The front matter with each run of sibling items replaced by a one-character
 * plain scalar, `x`, and where the skeleton's offsets move: a skeleton of a
 * few lines however many items there are (40,000 columns make one list
 * item), cheap to parse. `moveToDocumentOffsets` then gives its nodes the
 * whole document's offsets, a placeholder spanning its run.
 */
function skeletonOf(text: string, region: OffsetRange, runs: ParsedItem[][]): { source: string; shifts: Shift[] } {
  const parts: string[] = [];
  const shifts: Shift[] = [];
  let pos = region.start;
  let delta = 0;
  for (const run of runs) {
    const { start, end } = spanOf(run);
    parts.push(text.slice(pos, start), 'x');
    delta += end - start - 1;
    // The offset just past the placeholder, in the skeleton.
    shifts.push({ from: start + 1 - (delta - (end - start - 1)), delta });
    pos = end;
  }
  parts.push(text.slice(pos, region.end));
  return { source: parts.join(''), shifts };
}

/** Turns the skeleton tree's offsets into document offsets. */
function moveToDocumentOffsets(node: DataNode, shifts: Shift[]): void {
  const move = (offset: number): number => {
    // The last shift at or before the offset (binary search: a board may hold thousands of runs).
    let low = 0;
    let high = shifts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (shifts[middle].from <= offset) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found < 0 ? offset : offset + shifts[found].delta;
  };
  const visit = (current: DataNode): void => {
    current.start = move(current.start);
    current.end = move(current.end);
    if (current.type === 'object') {
      for (const property of current.properties) {
        property.keyStart = move(property.keyStart);
        property.keyEnd = move(property.keyEnd);
        // A merged property shares its value with its source: moved there.
        if (!property.merged) visit(property.value);
      }
    } else if (current.type === 'array') {
      for (const item of current.items) visit(item);
    }
  };
  visit(node);
}

/**
 * Replaces each placeholder by its run's item trees. Every placeholder must be
 * an item of a block list under `columns[i].tasks` or `archive` (or of
 * `columns`), spanning exactly its run; the items must not nest deeper than a
 * full parse allows.
 */
function putItemsInPlace(root: ObjectNode, runs: ParsedItem[][]): boolean {
  const byStart = new Map(runs.map((run) => [spanOf(run).start, run]));
  const place = (list: DataNode | undefined, depth: number): boolean => {
    if (list?.type !== 'array' || list.flow) return true;
    if (!list.items.some((placeholder) => byStart.has(placeholder.range.start))) return true;
    const placed: DataNode[] = [];
    for (const placeholder of list.items) {
      const run = byStart.get(placeholder.range.start);
      if (!run) {
        placeholder.key = placed.length;
        placed.push(placeholder);
        continue;
      }
      if (placeholder.type !== 'string' || placeholder.range.end !== spanOf(run).end || placeholder.parent !== list) return false;
      byStart.delete(placeholder.range.start);
      for (const item of run) {
        if (depth + item.height > LIMITS.maxDepth) return false;
        item.node.parent = list;
        item.node.key = placed.length;
        placed.push(item.node);
      }
    }
    list.items = placed;
    return true;
  };
  for (const property of root.properties) {
    if (property.key === 'columns' && property.value.type === 'array' && !property.value.flow) {
      // Columns without tasks are items themselves: a board of 40,000 empty columns is chunked too.
      if (!place(property.value, COLUMN_DEPTH)) return false;
      for (const column of property.value.items) {
        if (!byStart.size) break;
        if (column.type !== 'object') continue;
        for (const columnProperty of column.properties) {
          if (columnProperty.key === 'tasks' && !place(columnProperty.value, COLUMN_TASK_DEPTH)) return false;
        }
      }
    } else if (property.key === 'archive' && !place(property.value, ARCHIVE_TASK_DEPTH)) {
      return false;
    }
  }
  // A placeholder left over sits somewhere a task item does not (inside a block scalar, say).
  return byStart.size === 0;
}

/** Levels below the node: 0 for a scalar or an empty collection. */
function heightOf(node: DataNode): number {
  let height = 0;
  if (node.type === 'object') for (const property of node.properties) height = Math.max(height, 1 + heightOf(property.value));
  else if (node.type === 'array') for (const item of node.items) height = Math.max(height, 1 + heightOf(item));
  return height;
}

/** Re-reads the skeleton's scalar sources from the document and copies its keys and values; the items have their own. */
function detachStrings(node: DataNode, text: string, items: Set<DataNode>): void {
  if (items.has(node)) return;
  if (node.type === 'object') {
    for (const property of node.properties) {
      property.key = ownString(property.key);
      // The value knows its key too.
      if (property.value.parent === node) property.value.key = property.key;
      detachStrings(property.value, text, items);
    }
  } else if (node.type === 'array') {
    for (const item of node.items) detachStrings(item, text, items);
  } else if (node.source !== '') {
    // An empty source stays empty: an empty item (`-` alone) spans its list, but has no text of its own.
    node.source = detachedSlice(text, node.start, node.end);
    if (typeof node.value === 'string') node.value = node.value === node.source ? node.source : ownString(node.value);
  }
}


/**
 * The items parsed one by one: the task items, and the columns that hold none
 * (the entries of the top-level `columns:` list). Sorted by position.
 */
export function findItems(text: string, region: OffsetRange): ItemLines[] {
  return runToEnd(findItemsSteps(text, region));
}

/** `findItems` in three steps: two line scans and their merge. */
function* findItemsSteps(text: string, region: OffsetRange): Steps<ItemLines[]> {
  const tasks = findTaskItems(text, region);
  yield;
  const columns = findColumnItems(text, region);
  if (!columns.length) return tasks;
  yield;
  const out: ItemLines[] = [];
  let t = 0;
  for (const column of columns) {
    const before = t;
    while (t < tasks.length && tasks[t].start < column.end) out.push(tasks[t++]);
    const holdsTasks = tasks.slice(before, t).some((task) => task.start >= column.start);
    if (!holdsTasks) out.push(column);
  }
  while (t < tasks.length) out.push(tasks[t++]);
  return out;
}

/** The entries of the block list under a top-level bare `columns:` key, by a line scan (the skeleton parse confirms it). */
function findColumnItems(text: string, region: OffsetRange): ItemLines[] {
  const items: ItemLines[] = [];
  let pos = region.start;
  while (pos < region.end) {
    const content = skipSpaces(text, pos);
    const indent = content - pos;
    const next = nextLineStart(text, content);
    if (indent === 0 && !isTrivia(text, content, region.end)) {
      if (isBareKey(text, content, 'columns')) return collectItems(text, next, region.end, 0, items), items;
      // A block scalar's lines are text, whatever they look like.
      if (BLOCK_SCALAR_HEADER.test(text.slice(content, next))) {
        pos = skipDeeperLines(text, next, region.end, indent);
        continue;
      }
    }
    pos = next;
  }
  return items;
}

/**
 * The task items of a board's front matter, by a line scan: the entries of a
 * block list under a bare `tasks:` key inside the top-level `columns:`, or under
 * a top-level `archive:`. A guess the skeleton parse then confirms.
 */
export function findTaskItems(text: string, region: OffsetRange): ItemLines[] {
  const items: ItemLines[] = [];
  let inColumns = false;
  let pos = region.start;
  while (pos < region.end) {
    const content = skipSpaces(text, pos);
    if (isTrivia(text, content, region.end)) {
      pos = nextLineStart(text, content);
      continue;
    }
    const indent = content - pos;
    if (indent === 0) inColumns = isBareKey(text, content, 'columns');
    // A column's first key may sit after its dash: `  - tasks:`.
    let key = content;
    while (text.charCodeAt(key) === 45 /* - */ && text.charCodeAt(key + 1) === 32) key = skipSpaces(text, key + 1);
    const isTaskList = indent === 0 ? isBareKey(text, content, 'archive') : inColumns && isBareKey(text, key, 'tasks');
    pos = nextLineStart(text, content);
    if (isTaskList) pos = collectItems(text, pos, region.end, key - lineStartOf(text, key), items);
    // A block scalar's lines are text, whatever they look like.
    else if (BLOCK_SCALAR_HEADER.test(text.slice(content, pos))) pos = skipDeeperLines(text, pos, region.end, indent);
  }
  return items;
}

/** A line ending in a block scalar's header: `key: |`, `- >-`, `key: |2 # comment`. */
const BLOCK_SCALAR_HEADER = /(?:^|[:-] +)[|>][-+0-9]*(?: +#.*)?[\r\n]*$/;

/** Past the lines indented deeper than `indent` (and blank ones) from `from` on. */
function skipDeeperLines(text: string, from: number, regionEnd: number, indent: number): number {
  let pos = from;
  while (pos < regionEnd) {
    const content = skipSpaces(text, pos);
    const code = text.charCodeAt(content);
    if (content < regionEnd && code !== 10 && code !== 13 && content - pos <= indent) return pos;
    pos = nextLineStart(text, content);
  }
  return pos;
}

/** Collects the items of the block list after a `key:` line at `keyColumn`; returns where the list ends. */
function collectItems(text: string, from: number, regionEnd: number, keyColumn: number, items: ItemLines[]): number {
  let pos = from;
  let column: number | undefined;
  while (pos < regionEnd) {
    const content = skipSpaces(text, pos);
    if (isTrivia(text, content, regionEnd)) {
      pos = nextLineStart(text, content);
      continue;
    }
    const indent = content - pos;
    column ??= indent;
    if (indent !== column || column < keyColumn || !isDash(text, content)) return pos;
    const end = taskItemEnd(text, content, column, regionEnd);
    if (end === undefined) return pos;
    items.push({ start: pos, dash: content, end });
    pos = end;
  }
  return pos;
}

/** A blank line, a comment line, or the region's end. */
function isTrivia(text: string, content: number, regionEnd: number): boolean {
  const code = text.charCodeAt(content);
  return content >= regionEnd || code === 10 || code === 13 || code === 35 /* # */;
}

/** `-` followed by a space or the line's end. */
function isDash(text: string, offset: number): boolean {
  const next = text.charCodeAt(offset + 1);
  return text.charCodeAt(offset) === 45 && (next === 32 || next === 10 || next === 13 || Number.isNaN(next));
}

/** `key:` with nothing after it on the line but spaces and a comment: its value is on the lines below. */
function isBareKey(text: string, offset: number, key: string): boolean {
  if (!text.startsWith(key, offset) || text.charCodeAt(offset + key.length) !== 58 /* : */) return false;
  const after = offset + key.length + 1;
  const rest = skipSpaces(text, after);
  const code = text.charCodeAt(rest);
  return Number.isNaN(code) || code === 10 || code === 13 || (code === 35 && rest > after);
}

/**
 * The end of a task item whose dash is at `column`, from a line of the item on:
 * past blank and comment lines and lines indented deeper than the dash, the
 * start of the next line at or left of it (or `regionEnd`). Undefined when
 * that line starts with a tab.
 */
export function taskItemEnd(text: string, from: number, column: number, regionEnd: number): number | undefined {
  let pos = nextLineStart(text, from);
  while (pos < regionEnd) {
    const content = skipSpaces(text, pos);
    if (!isTrivia(text, content, regionEnd) && content - pos <= column) return text.charCodeAt(content) !== 9 ? pos : undefined;
    pos = nextLineStart(text, content);
  }
  return regionEnd;
}
