import { checkFrontMatterTask, checkV1TaskSet, type AnalyzeOptions, type DocumentAnalysis } from './analyze';
import { shiftTree, type ArrayNode, type DataNode, type ObjectNode, type ScalarNode } from './dataNode';
import { normalizeDiagnostics, type EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { readTask, type TaskInfo } from './model';
import { parseYamlRegion } from './parseYaml';
import type { Region } from './regions';
import { NON_LOCAL, taskItemEnd } from './chunkedParse';
import { PieceText } from './pieceText';
import { lineStartOf, nextLineStart, skipSpaces, type LinePosition, type TextReader } from './text';

/**
 * Incremental analysis of v1 boards. An edit that stays inside one task item
 * (a `- ` entry of a column's `tasks` or of `archive`) re-parses and re-checks
 * that item alone, then re-runs the board-wide rules over the task list. Any
 * other edit, or one that changes the structure, returns undefined and the
 * caller runs a full `analyzeDocument`. The result always equals a full analysis.
 *
 * The update reuses the previous analysis's node tree: nodes after the edit are
 * shifted in place, so the previous analysis must not be used afterwards.
 * With `deferShift` that shift (every node after the edit: most of the cost
 * of a keystroke in a big board) waits until `settleAnalysis`, so diagnostics,
 * whose offsets never depend on it, can be published first.
 */

/** A replacement of `[start, end)` of the previous text by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** An LSP-style content change: a range in line/character positions, or the whole text. */
export interface ContentChange {
  range?: { start: LinePosition; end: LinePosition };
  text: string;
}

/** One task item of the front matter and the span of text it owns. */
interface TaskItem {
  task: TaskInfo;
  /** Index in `board.tasks`. */
  taskIndex: number;
  list: ArrayNode;
  listIndex: number;
  /** Start of the line holding the item's `- `. */
  start: number;
  /** Offset of the `-`. */
  dash: number;
  /** Start of the next line with content at or left of the dash (or the front matter's end). */
  end: number;
}

interface BoardIndex {
  region: Region;
  root: ObjectNode;
  /** Task items in document order. */
  items: TaskItem[];
  /** How many tasks hold each id (built when first needed; the ids change only with a full run of the board-wide rules). */
  idCounts?: Map<string, number>;
}

/** Codes of the board-wide rules, recomputed after every edit. */
const TASK_SET_CODES = new Set(['duplicate-id', 'unknown-task-ref', 'dependency-cycle', 'status-column-mismatch']);
/** Findings that make the whole document's tree a guess: only a full parse reproduces them. */
const STRUCTURAL_CODES = new Set(['yaml-syntax', 'nesting-too-deep', 'alias-limit', 'frontmatter-unclosed', 'frontmatter-unopened', 'file-too-large', 'binary-content']);

const indexes = new WeakMap<DocumentAnalysis, BoardIndex | null>();
/** Analyses whose tree still waits for the shift after their edit. */
const unsettled = new WeakMap<DocumentAnalysis, () => void>();

/** Applies a deferred shift (see `updateAnalysis`): the analysis's tree is then exact. Cheap when there is none. */
export function settleAnalysis(analysis: DocumentAnalysis): DocumentAnalysis {
  const shift = unsettled.get(analysis);
  if (shift) {
    unsettled.delete(analysis);
    shift();
  }
  return analysis;
}

/**
 * Applies LSP content changes (each relative to the text left by the previous
 * one) to an analysis. `finalText` is the document's text after all of them,
 * `finalSource` reads it (its pieces: see `PieceText`). Returns undefined when
 * a full analysis is needed.
 */
export function applyContentChanges(previous: DocumentAnalysis, changes: readonly ContentChange[], finalText: string, options: AnalyzeOptions = {}, deferShift = false, finalSource: TextReader = finalText): DocumentAnalysis | undefined {
  let analysis = previous;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (!change.range) return undefined;
    const start = analysis.lines.offsetAt(change.range.start);
    const end = Math.max(start, analysis.lines.offsetAt(change.range.end));
    const last = i === changes.length - 1;
    const expectedLength = analysis.text.length - (end - start) + change.text.length;
    // A text between two changes, as pieces of the one before.
    const pieces = last ? undefined : piecesOf(analysis.lines.source).replace(start, end, change.text);
    const text = pieces ? pieces.toString() : finalText;
    if (text.length !== expectedLength) return undefined;
    const next = updateAnalysis(analysis, { start, end, text: change.text }, text, options, deferShift, pieces ?? finalSource);
    if (!next) return undefined;
    analysis = next;
  }
  return analysis;
}

function piecesOf(source: TextReader): PieceText {
  return source instanceof PieceText ? source : PieceText.of(source as string);
}

/**
 * The analysis of `newText`, which is `previous.text` with `edit` applied, or
 * undefined when the edit is not local to one task item. With `deferShift`,
 * call `settleAnalysis` on the result before reading its tree.
 *
 * Both texts are read only through their sources (the line index's for the
 * previous one, `newSource` for the new one), around the edited item: an
 * edited big document's text is then never read whole, and V8 never copies
 * it into one flat string for a keystroke (`PieceText`).
 */
export function updateAnalysis(previous: DocumentAnalysis, edit: TextEdit, newText: string, options: AnalyzeOptions = {}, deferShift = false, newSource: TextReader = newText): DocumentAnalysis | undefined {
  settleAnalysis(previous);
  const index = indexFor(previous);
  if (!index) return undefined;
  const { region, root } = index;
  const oldText = previous.lines.source;
  const delta = edit.text.length - (edit.end - edit.start);
  if (newText.length > (options.maxFileBytes ?? LIMITS.defaultMaxFileBytes) || edit.text.includes('\u0000')) return undefined;
  // Line ends decide the quick fixes' insert text: a change of style is not local.
  if (edit.text.includes('\r') || oldText.slice(edit.start, edit.end).includes('\r') || oldText.charCodeAt(edit.start - 1) === 13) return undefined;

  const item = itemAt(index.items, edit.start);
  if (!item || edit.start < item.task.node.range.start || edit.end >= item.end) return undefined;
  const oldNode = item.task.node;

  // The item's new text: the same lines, now ending `delta` later.
  const newEnd = item.end + delta;
  if (newEnd < region.content.end + delta && !isLineStart(newSource, newEnd)) return undefined;
  if (!sliceIsOneItem(newSource, item.start, newEnd, item.dash - item.start)) return undefined;
  if (NON_LOCAL.test(oldText.slice(item.start, item.end)) || NON_LOCAL.test(newSource.slice(item.start, newEnd))) return undefined;

  const parsed = parseYamlRegion(newSource, { start: item.start, end: newEnd });
  if (!parsed.complete || parsed.syntaxErrors || parsed.diagnostics.some((d) => d.code !== 'duplicate-key')) return undefined;
  const list = parsed.root;
  if (list?.type !== 'array' || list.items.length !== 1 || list.range.start !== item.dash) return undefined;
  const newNode = list.items[0];
  if (newNode.type !== 'object' || !isBlank(newSource, newNode.range.end, newEnd) || !isBlank(oldText, oldNode.range.end, item.end)) return undefined;

  // Ancestors end after the item, or exactly where it ends (the last item of a list).
  const ancestors = ancestorsOf(oldNode);
  if (!ancestors || ancestors[0] !== root) return undefined;
  if (ancestors.some((node) => node.range.end < item.end && node.range.end !== oldNode.range.end)) return undefined;

  // Keep every finding outside the item, moved by the edit; the item's own and the board-wide ones are redone.
  const kept: EngineDiagnostic[] = [];
  // The board-wide findings moved with the text, for when the edit leaves what the rules read unchanged (undefined: run them again).
  let taskSetMoved: EngineDiagnostic[] | undefined = [];
  for (const d of previous.diagnostics) {
    if (TASK_SET_CODES.has(d.code)) {
      if (taskSetMoved) taskSetMoved = moveTaskSetFinding(d, item, edit, delta, taskSetMoved);
      continue;
    }
    if (d.range.start >= item.start && d.range.start < item.end) continue;
    if (d.range.start < item.start && d.range.end > item.start) return undefined;
    kept.push(d.range.start >= item.end ? shiftDiagnostic(d, delta) : d);
  }

  // Past this point nothing fails: the previous tree is updated in place.
  for (const node of ancestors) {
    const oldEnd = node.end;
    if (node.end >= item.end) node.end += delta;
    else node.end = newNode.end;
    // An empty item (`-` alone) spans its list, so it ends where its list now ends.
    if (node.type === 'array') for (const entry of node.items) if (isEmptyItemOf(entry, node.start, oldEnd)) entry.end = node.end;
  }
  // The nodes after the item, compared by their offsets before the edit: they still have them until shifted.
  const oldItemEnd = item.end;
  const shift = () => ancestors.forEach((node) => shiftChildrenAfter(node, oldItemEnd, delta));
  newNode.parent = item.list;
  newNode.key = item.listIndex;
  item.list.items[item.listIndex] = newNode;
  region.content.end += delta;
  // Fenced blocks follow the front matter: they only move.
  for (const fenced of previous.regions.slice(1)) {
    shiftRange(fenced.region.content, delta);
    shiftRange(fenced.region.open, delta);
    // Fenced blocks with aliases or merges never get here (`buildIndex`).
    if (fenced.root) shiftTree(fenced.root, delta);
  }

  const board = previous.board!;
  const task = readTask(newNode, region, item.task.location, item.task.columnId);
  const tasks = board.tasks.slice();
  tasks[item.taskIndex] = task;
  const newBoard = { ...board, tasks };
  // The previous analysis is retired (its tree is moved in place too): its line starts are updated, not copied.
  const lines = previous.lines.withEdit(newText, edit.start, edit.end, edit.text.length, true, newSource);
  const analysis: DocumentAnalysis = { ...previous, text: newText, lines, regions: previous.regions.slice(), board: newBoard, diagnostics: [] };
  let shifted = false;
  if (!taskSetMoved || !sameTaskSetFacts(index, board.tasks, item.task, task)) {
    // The rules read the nodes' offsets: those must be in place first.
    shift();
    shifted = true;
    taskSetMoved = checkV1TaskSet(analysis.path, newBoard);
    index.idCounts = undefined;
  }
  analysis.diagnostics = normalizeDiagnostics([...kept, ...parsed.diagnostics, ...checkFrontMatterTask(newSource, task, region), ...taskSetMoved]);

  // The index moves on to the new analysis, updated in place like the tree.
  for (const entry of index.items) {
    if (entry.start <= item.start) continue;
    entry.start += delta;
    entry.dash += delta;
    entry.end += delta;
  }
  item.task = task;
  item.end = newEnd;
  indexes.set(analysis, index);
  indexes.delete(previous);
  if (!shifted) {
    if (deferShift) unsettled.set(analysis, shift);
    else shift();
  }
  return analysis;
}

/**
 * Adds a board-wide finding of the previous analysis, moved by the edit, to
 * `moved`; undefined when it cannot be moved: it sits on text the edit touched
 * (its node may have changed), so the rules must run again.
 */
function moveTaskSetFinding(d: EngineDiagnostic, item: TaskItem, edit: TextEdit, delta: number, moved: EngineDiagnostic[]): EngineDiagnostic[] | undefined {
  const { start, end } = d.range;
  if (start >= item.start && start < item.end && end >= edit.start && start <= edit.end) return undefined;
  // A range of its own: the previous analysis's objects may be moved in place later.
  moved.push(start >= edit.end ? shiftDiagnostic(d, delta) : { ...d, range: { start, end } });
  return moved;
}

/**
 * True when the board-wide rules (unique ids, references, cycles, status
 * against column) read the same of the task before and after the edit, so
 * their findings are the previous ones, moved: a keystroke in a title or a
 * description does not run them over all tasks again. A title matters only
 * when its task shares its id: a duplicate's message names the first task's title.
 */
function sameTaskSetFacts(index: BoardIndex, tasks: readonly TaskInfo[], before: TaskInfo, after: TaskInfo): boolean {
  if (taskSetFacts(before) !== taskSetFacts(after)) return false;
  if (before.title === after.title || before.id === undefined) return true;
  index.idCounts ??= countIds(tasks);
  return (index.idCounts.get(before.id) ?? 0) < 2;
}

/** What the board-wide rules read of a task, besides its nodes' positions. */
function taskSetFacts(task: TaskInfo): string {
  const values = (refs: readonly ScalarNode[]) => refs.map((ref) => String(ref.value));
  return JSON.stringify([
    task.location,
    task.columnId ?? null,
    task.id ?? null,
    task.idNode !== undefined,
    values(task.blockedBy),
    values(task.dependsOn),
    task.parentId ? String(task.parentId.value) : null,
    task.contract?.status ?? null,
    task.contract?.statusNode !== undefined,
  ]);
}

function countIds(tasks: readonly TaskInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const task of tasks) if (task.id !== undefined) counts.set(task.id, (counts.get(task.id) ?? 0) + 1);
  return counts;
}

/** The board index of an analysis, built on first use; null when it cannot be updated incrementally. */
function indexFor(analysis: DocumentAnalysis): BoardIndex | undefined {
  let index = indexes.get(analysis);
  if (index === undefined) {
    index = buildIndex(analysis);
    indexes.set(analysis, index);
  }
  return index ?? undefined;
}

function buildIndex(analysis: DocumentAnalysis): BoardIndex | null {
  const { board, text } = analysis;
  if (analysis.kind !== 'board' || analysis.version !== 1 || analysis.skipped || !board) return null;
  const first = analysis.regions[0];
  if (first?.region.kind !== 'frontmatter' || first.root?.type !== 'object') return null;
  if (analysis.diagnostics.some((d) => STRUCTURAL_CODES.has(d.code))) return null;
  const region = first.region;
  // Fenced task blocks are shifted as whole trees: they too must not share nodes.
  if (analysis.regions.some((r) => NON_LOCAL.test(text.slice(r.region.content.start, r.region.content.end)))) return null;
  const items: TaskItem[] = [];
  board.tasks.forEach((task, taskIndex) => {
    if (task.location !== 'column' && task.location !== 'archive') return;
    const list = task.node.parent;
    if (list?.type !== 'array' || typeof task.node.key !== 'number') return;
    const start = lineStartOf(text, task.node.range.start);
    const dash = skipSpaces(text, start);
    if (text[dash] !== '-') return;
    const end = taskItemEnd(text, task.node.range.end, dash - start, region.content.end);
    if (end !== undefined) items.push({ task, taskIndex, list, listIndex: task.node.key, start, dash, end });
  });
  return { region, root: first.root, items };
}

function itemAt(items: TaskItem[], offset: number): TaskItem | undefined {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = items[mid];
    if (offset < item.start) high = mid - 1;
    else if (offset >= item.end) low = mid + 1;
    else return item;
  }
  return undefined;
}

/** The nodes from the root down to the item's list, or undefined when the chain is broken. */
function ancestorsOf(node: DataNode): Array<ObjectNode | ArrayNode> | undefined {
  const chain: Array<ObjectNode | ArrayNode> = [];
  for (let current = node.parent; current; current = current.parent) {
    if (chain.length > LIMITS.maxDepth) return undefined;
    chain.unshift(current);
  }
  return chain;
}

function isEmptyItemOf(node: DataNode, listStart: number, listEnd: number): boolean {
  return node.type === 'null' && node.source === '' && node.start === listStart && node.end === listEnd;
}

function shiftChildrenAfter(node: ObjectNode | ArrayNode, offset: number, delta: number): void {
  if (node.type === 'object') {
    for (const property of node.properties) {
      if (property.keyStart >= offset) {
        property.keyStart += delta;
        property.keyEnd += delta;
        shiftTree(property.value, delta);
      }
    }
  } else {
    for (const item of node.items) if (item.start >= offset) shiftTree(item, delta);
  }
}

function shiftRange(range: { start: number; end: number }, delta: number): void {
  range.start += delta;
  range.end += delta;
}

function shiftDiagnostic(d: EngineDiagnostic, delta: number): EngineDiagnostic {
  const moved: EngineDiagnostic = { ...d, range: { start: d.range.start + delta, end: d.range.end + delta } };
  if (d.data?.insertOffset !== undefined) moved.data = { ...d.data, insertOffset: d.data.insertOffset + delta };
  return moved;
}

function isLineStart(text: TextReader, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  return before === 10 || (before === 13 && text.charCodeAt(offset) !== 10);
}

function isBlank(text: TextReader, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13) return false;
  }
  return true;
}

/**
 * True when `[start, end)` reads as one list item at `column`: every later
 * line is blank, a comment, or content indented past the dash, and none is a
 * front matter delimiter.
 */
function sliceIsOneItem(text: TextReader, start: number, end: number, column: number): boolean {
  if (end <= start) return false;
  if (text.charCodeAt(start + column) !== 45 /* - */) return false;
  for (let pos = nextLineStart(text, start); pos < end; pos = nextLineStart(text, pos)) {
    const content = skipSpaces(text, pos);
    const code = text.charCodeAt(content);
    if (pos === content && (text.slice(pos, pos + 3) === '---' || text.slice(pos, pos + 3) === '...')) return false;
    if (content >= end || code === 10 || code === 13) continue;
    if (code === 9 || (code !== 35 && content - pos <= column)) return false;
  }
  return true;
}
