import type { DataNode, ObjectNode } from './dataNode';
import type { EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { findExcessiveFlowNesting, parseYamlRegion, parseYamlSource, type ParsedValue } from './parseYaml';
import { detachedSlice, lineStartOf, nextLineStart, skipSpaces, type OffsetRange } from './text';

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
}

/** Depth of an item below the front matter's root: columns[i].tasks[j], archive[j], or a column, columns[i]. */
const COLUMN_TASK_DEPTH = 4;
const ARCHIVE_TASK_DEPTH = 2;
const COLUMN_DEPTH = 2;

export function parseFrontMatterInChunks(text: string, region: OffsetRange): ParsedValue | undefined {
  const source = text.slice(region.start, region.end);
  if (NON_LOCAL.test(source) || TAB_INDENT.test(source) || findExcessiveFlowNesting(source, LIMITS.maxDepth) !== undefined) return undefined;

  const items: ParsedItem[] = [];
  for (const lines of findItems(text, region)) {
    const item = parseItem(text, lines);
    if (!item) return undefined;
    items.push(item);
  }

  const skeleton = parseYamlSource(skeletonOf(text, region, items), region.start);
  const root = skeleton.root;
  if (!skeleton.complete || skeleton.syntaxErrors || skeleton.diagnostics.length || root?.type !== 'object') return undefined;
  if (!putItemsInPlace(root, items)) return undefined;
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
  return { lines, node, diagnostics: parsed.diagnostics };
}

/** A line's content, as one match (one match per character would cost a hundred MB on a big board). */
const LINE_CONTENT = /[^\r\n]+/g;
const blank = (content: string): string => ' '.repeat(content.length);

/**
 * The front matter with each item's value replaced by a plain scalar over the
 * same span (`x`, spaces, `x`, line breaks kept), so the skeleton's ranges and
 * offsets are those of the whole document.
 */
function skeletonOf(text: string, region: OffsetRange, items: ParsedItem[]): string {
  const parts: string[] = [];
  let pos = region.start;
  for (const { node } of items) {
    const { start, end } = node.range;
    parts.push(text.slice(pos, start), 'x');
    if (end - start > 1) parts.push(text.slice(start + 1, end - 1).replace(LINE_CONTENT, blank), 'x');
    pos = end;
  }
  parts.push(text.slice(pos, region.end));
  return parts.join('');
}

/**
 * Replaces each placeholder by its item's tree. Every placeholder must be an
 * item of a block list under `columns[i].tasks` or `archive`, spanning exactly
 * its item's range; the items must not nest deeper than a full parse allows.
 */
function putItemsInPlace(root: ObjectNode, items: ParsedItem[]): boolean {
  const byStart = new Map(items.map((item) => [item.node.range.start, item]));
  const place = (list: DataNode | undefined, depth: number): boolean => {
    if (list?.type !== 'array' || list.flow) return true;
    for (let index = 0; index < list.items.length; index++) {
      const placeholder: DataNode = list.items[index];
      const item = byStart.get(placeholder.range.start);
      if (!item) continue;
      if (placeholder.type !== 'string' || placeholder.range.end !== item.node.range.end || placeholder.parent !== list) return false;
      if (tooDeep(item.node, depth)) return false;
      byStart.delete(placeholder.range.start);
      item.node.parent = list;
      item.node.key = index;
      list.items[index] = item.node;
    }
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

/** True when a node of the tree, at `depth` itself, lies deeper than a full parse builds. */
function tooDeep(node: DataNode, depth: number): boolean {
  if (depth > LIMITS.maxDepth) return true;
  if (node.type === 'object') {
    for (const property of node.properties) if (tooDeep(property.value, depth + 1)) return true;
  } else if (node.type === 'array') {
    for (const item of node.items) if (tooDeep(item, depth + 1)) return true;
  }
  return false;
}

/** Re-reads the skeleton's scalar sources from the document and copies its keys and values; the items have their own. */
function detachStrings(node: DataNode, text: string, items: Set<DataNode>): void {
  if (items.has(node)) return;
  if (node.type === 'object') {
    for (const property of node.properties) {
      property.key = ownCopy(property.key);
      // The value knows its key too.
      if (property.value.parent === node) property.value.key = property.key;
      detachStrings(property.value, text, items);
    }
  } else if (node.type === 'array') {
    for (const item of node.items) if (item.range !== node.range) detachStrings(item, text, items);
  } else {
    node.source = detachedSlice(text, node.range.start, node.range.end);
    if (typeof node.value === 'string') node.value = node.value === node.source ? node.source : ownCopy(node.value);
  }
}

function ownCopy(value: string): string {
  return detachedSlice(value, 0, value.length);
}

/**
 * The items parsed one by one: the task items, and the columns that hold none
 * (the entries of the top-level `columns:` list). Sorted by position.
 */
export function findItems(text: string, region: OffsetRange): ItemLines[] {
  const tasks = findTaskItems(text, region);
  const columns = findColumnItems(text, region);
  if (!columns.length) return tasks;
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
