import type { DocumentAnalysis } from './analyze';
import { innermostNodeAt, pathOf, type DataNode, type PathSegment } from './dataNode';
import { mayHoldContract, scanFrontMatter, scanYamlFences, type Region } from './regions';
import { SchemaIds, type SchemaId } from './schemaStore';
import type { OffsetRange } from './text';

/**
 * Where the cursor is, worked out from the text around it and the cached
 * analysis, for completion. YAML is read line by line from indentation, so a
 * half-typed line (which the parser cannot make sense of) still has a place.
 */
export type CursorContext = KeyCursor | ValueCursor | ItemCursor;

interface CursorBase {
  syntax: 'yaml' | 'json';
  schemaId: SchemaId;
  region: Region;
  /** The path of the object (key, value) or list (item) the cursor is in; list indexes are numbers. */
  containerPath: PathSegment[];
  /** What has been typed of the word being completed, and the text a completion replaces. */
  typed: string;
  replace: OffsetRange;
  /**
   * Keys already present in the objects along the path, by path length:
   * `objectKeys.get(containerPath.length)` are the cursor's siblings. Values are the
   * scalar text as written (used, for one, to find a task's own id).
   */
  objectKeys: Map<number, Map<string, string>>;
  /** YAML: the column keys of the cursor's object start at. JSON: the line's indentation. */
  indent: number;
  /** The document's indentation step. */
  indentUnit: number;
  /** JSON: a comma must follow the inserted text (another property or item comes next). */
  commaAfter?: boolean;
  /** JSON: a comma is missing before the cursor; insert one at this offset. */
  commaBefore?: number;
}

/** Typing a key (or an empty line in an object). */
export interface KeyCursor extends CursorBase {
  position: 'key';
  /** A `:` already follows the key being edited: insert the name only. */
  hasColon: boolean;
  /** JSON: the cursor is inside a quoted key; `replace` spans the quotes. */
  inString?: boolean;
}

/** Typing the value of `key`. */
export interface ValueCursor extends CursorBase {
  position: 'value';
  /** The key whose value is typed; empty for a whole (empty) JSON document. */
  key: string;
  /** The path of the value being typed. */
  valuePath: PathSegment[];
  /** YAML: the value is being typed inside quotes; `replace` is the text inside them. */
  quote?: '"' | "'";
  /** YAML: the cursor is right after `key:` with no space yet. */
  needsSpace?: boolean;
  /** JSON: `replace` spans a whole string token, quotes included. */
  inString?: boolean;
}

/** Typing an item of the list at `containerPath` (a `- ` line or a flow `[...]` entry). */
export interface ItemCursor extends CursorBase {
  position: 'item';
  /** The other items of the list, as scalar text. */
  presentItems: string[];
  flow: boolean;
  quote?: '"' | "'";
  /** The index the new item gets, for paths into an item's object. */
  index: number;
  /** YAML block item: keys already written below the `- ` line for this item, when the items are objects. */
  itemKeys: Set<string>;
  /** YAML block item: the column the item's keys start at (after `- `). */
  itemKeyIndent: number;
  /** YAML block item with a word typed after `- `: it may also be the first key of an object. */
  wordTyped: boolean;
}

export function cursorContextAt(analysis: DocumentAnalysis, offset: number): CursorContext | undefined {
  if (analysis.skipped || analysis.kind === 'none') return undefined;
  const found = regionAt(analysis, offset);
  if (!found) return undefined;
  if (found.region.kind === 'json') return jsonCursor(analysis, found, offset);
  return yamlCursor(analysis, found, offset);
}

interface RegionAt {
  region: Region;
  schemaId: SchemaId;
  root?: DataNode;
}

function inside(region: Region, offset: number, textLength: number): boolean {
  const { start, end } = region.content;
  // The closing delimiter line starts at `end`; an unclosed region runs to the end of the text.
  return offset >= start && (offset < end || (end === textLength && offset === end));
}

/** The analysed region under the cursor, or a front matter or fence the analysis left out while it is being typed. */
function regionAt(analysis: DocumentAnalysis, offset: number): RegionAt | undefined {
  const text = analysis.text;
  for (const analyzed of analysis.regions) {
    // A deployment contract is one JSON region; a ledger has one per line.
    if (analyzed.region.kind === 'json' && (analysis.kind !== 'ledger' || (offset >= analyzed.region.content.start && offset <= analyzed.region.content.end))) return analyzed;
    if (inside(analyzed.region, offset, text.length)) return analyzed;
  }
  if (analysis.kind === 'deployment' || analysis.kind === 'ledger') return undefined;
  const taskSchema = analysis.version === 2 ? SchemaIds.taskV2 : SchemaIds.taskV1;
  const scan = scanFrontMatter(text);
  if (scan.unclosed) {
    // A front matter still being written (no closing ---): complete in it as far as the text goes.
    const region: Region = { kind: 'frontmatter', content: { start: lineAfter(text, scan.unclosed.end), end: text.length }, open: scan.unclosed };
    if (!inside(region, offset, text.length)) return undefined;
    const schemaId = analysis.kind === 'task' ? SchemaIds.taskV2 : analysis.version === 2 ? SchemaIds.boardV2 : SchemaIds.boardV1;
    return { region, schemaId };
  }
  if (analysis.kind !== 'board') return undefined;
  // A fence the analysis skipped because it holds no contract yet: a task if it has an id or a contract.
  for (const fence of scanYamlFences(text, scan.bodyStart)) {
    if (!inside(fence, offset, text.length)) continue;
    const content = text.slice(fence.content.start, fence.content.end);
    if (mayHoldContract(text, fence) || /^id[ \t]*:/m.test(content)) return { region: fence, schemaId: taskSchema };
  }
  return undefined;
}

function lineAfter(text: string, offset: number): number {
  let i = offset;
  if (text.charCodeAt(i) === 13) i++;
  if (text.charCodeAt(i) === 10) i++;
  return i;
}

// ---------------------------------------------------------------- YAML lines

type Anchor = { kind: 'dash'; col: number } | { kind: 'key'; col: number; name: string; value: string; colonCol: number };

interface YamlLine {
  blank: boolean;
  /** `- ` markers and at most one key, left to right. */
  anchors: Anchor[];
  /** Column of the content after the indentation and `- ` markers. */
  contentCol: number;
  /** The content after the markers, comment removed, when it is not a key. */
  scalar: string;
  tabIndented?: boolean;
}

const KEY_AT_START = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"[\]{},][^#]*?))[ \t]*:(?=[ \t]|$)/;

function parseYamlLine(text: string): YamlLine {
  const anchors: Anchor[] = [];
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i === text.length || text[i] === '#') return { blank: true, anchors, contentCol: i, scalar: '' };
  const tabIndented = text.slice(0, i).includes('\t');
  while (text[i] === '-' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) {
    anchors.push({ kind: 'dash', col: i });
    i++;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  }
  const rest = text.slice(i);
  const match = KEY_AT_START.exec(rest);
  if (match) {
    const name = match[1] ?? (match[2] !== undefined ? match[2].replace(/''/g, "'") : match[3].trim());
    const colonCol = i + match[0].length - 1;
    anchors.push({ kind: 'key', col: i, name, value: stripComment(text.slice(colonCol + 1)).trim(), colonCol });
    return { blank: false, anchors, contentCol: i, scalar: '', tabIndented };
  }
  return { blank: false, anchors, contentCol: i, scalar: unquote(stripComment(rest).trim()), tabIndented };
}

/** Removes a trailing `# comment` (a `#` at the start or after a space, outside quotes). */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s[,:{]/.test(text[i - 1])) quote = ch;
    } else if (ch === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      return text.slice(0, i);
    }
  }
  return text;
}

function unquote(text: string): string {
  if (text.length >= 2 && ((text[0] === '"' && text.endsWith('"')) || (text[0] === "'" && text.endsWith("'")))) return text.slice(1, -1);
  return text;
}

/**
 * Whether lines below a key can belong to its value. Only block scalars (`|`,
 * `>`) rule it out: other inline values below which lines are indented are
 * broken YAML, and the key is still the best guess of where the cursor is.
 */
function opensBlock(anchor: Anchor): boolean {
  return anchor.kind === 'dash' || !/^[|>]/.test(anchor.value);
}

/** The indentation step of a region: its smallest non-zero indentation, 2 by default. */
function indentUnitOf(analysis: DocumentAnalysis, firstLine: number, lastLine: number): number {
  let unit = Infinity;
  for (let line = firstLine; line <= lastLine && line < firstLine + 400; line++) {
    const text = analysis.lines.lineText(line);
    const indent = text.length - text.trimStart().length;
    if (indent > 0 && text.trim() && !text.trimStart().startsWith('#')) unit = Math.min(unit, indent);
  }
  return Number.isFinite(unit) ? Math.max(2, Math.min(unit, 8)) : 2;
}

interface Ascent {
  /** Segments from the region's root to the cursor's container. */
  path: PathSegment[];
  /** Sibling keys found on the way, by how many segments up from the container they are. */
  keysByLevel: Map<number, Map<string, string>>;
  /** Scalar items of the cursor's own list written above it. */
  itemsAbove: string[];
}

type Want = { mode: 'map'; col: number } | { mode: 'seq'; col: number; count: number };

/**
 * Walks up from the cursor line through less indented lines to find the keys
 * and list items that enclose it. `pending` are the `- ` markers on the cursor
 * line left of the content; `start` is what the cursor's container is.
 */
function ascend(analysis: DocumentAnalysis, firstLine: number, cursorLine: number, pending: Anchor[], start: Want): Ascent | undefined {
  // Segments are found innermost first: pushed, then reversed once (unshift in the loop was quadratic).
  const path: PathSegment[] = [];
  const keysByLevel = new Map<number, Map<string, string>>();
  const itemsAbove: string[] = [];
  let want: Want = start;
  const recordKey = (name: string, value: string) => {
    const level = path.length;
    let keys = keysByLevel.get(level);
    if (!keys) keysByLevel.set(level, (keys = new Map()));
    if (!keys.has(name)) keys.set(name, unquote(value));
  };

  // Returns false when the structure cannot hold the cursor (a scalar above it).
  const consume = (anchors: Anchor[], scalar: string | undefined): boolean => {
    let i = anchors.length - 1;
    while (i >= 0) {
      const anchor = anchors[i];
      if (anchor.col > want.col) {
        i--;
        continue;
      }
      if (want.mode === 'map') {
        if (anchor.col === want.col) {
          if (anchor.kind === 'dash') return true; // a list under a sibling key
          recordKey(anchor.name, anchor.value);
          i--;
          continue;
        }
        if (anchor.kind === 'key') {
          if (!opensBlock(anchor)) return false;
          path.push(anchor.name);
          want = { mode: 'map', col: anchor.col };
          continue; // the same key is a sibling one level up
        }
        want = { mode: 'seq', col: anchor.col, count: 0 };
        i--;
        continue;
      }
      if (anchor.kind === 'dash' && anchor.col === want.col) {
        want.count++;
        if (path.length === 0 && i === anchors.length - 1 && scalar !== undefined) itemsAbove.push(scalar);
        i--;
        continue;
      }
      path.push(want.count);
      if (anchor.kind === 'key') {
        if (!opensBlock(anchor)) return false;
        path.push(anchor.name);
        want = { mode: 'map', col: anchor.col };
        continue;
      }
      want = { mode: 'seq', col: anchor.col, count: 0 };
      i--;
    }
    return true;
  };

  if (!consume(pending, undefined)) return undefined;
  for (let line = cursorLine - 1; line >= firstLine; line--) {
    const text = analysis.lines.lineText(line);
    if (leadingSpaces(text) > want.col) continue; // deeper: cheap to skip on big boards
    const parsed = parseYamlLine(text);
    // Plain scalar lines continue a multi-line value or are half-typed keys: neither encloses the cursor.
    // Tab-indented lines are invalid YAML whose column means nothing.
    if (parsed.blank || parsed.anchors.length === 0 || parsed.tabIndented) continue;
    if (parsed.anchors[0].col > want.col) continue;
    if (!consume(parsed.anchors, parsed.scalar)) return undefined;
  }
  if (want.mode === 'seq') path.push(want.count);
  return { path: path.reverse(), keysByLevel, itemsAbove };
}

/** Keys (or `- ` items) that follow the cursor line at the given column, until the block ends. */
function scanBelow(analysis: DocumentAnalysis, fromLine: number, lastLine: number, col: number, mode: 'map' | 'seq'): Array<{ name?: string; value: string }> {
  const found: Array<{ name?: string; value: string }> = [];
  for (let line = fromLine; line <= lastLine; line++) {
    const text = analysis.lines.lineText(line);
    if (leadingSpaces(text) > col) continue;
    const parsed = parseYamlLine(text);
    if (parsed.blank) continue;
    const first = parsed.anchors[0];
    const firstCol = first ? first.col : parsed.contentCol;
    if (firstCol > col) continue;
    if (firstCol < col || !first) break;
    if (mode === 'map') {
      // A `- ` at the keys' column is a list under a sibling key.
      if (first.kind === 'key') found.push({ name: first.name, value: first.value });
    } else {
      if (first.kind !== 'dash') break;
      found.push({ value: parsed.anchors.length === 1 ? parsed.scalar : '' });
    }
  }
  return found;
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$-]/.test(ch);
}

function yamlCursor(analysis: DocumentAnalysis, found: RegionAt, offset: number): CursorContext | undefined {
  const { lines } = analysis;
  const { region, schemaId } = found;
  const firstLine = lines.positionAt(region.content.start).line;
  const lastLine = region.content.end > region.content.start ? lines.positionAt(Math.max(region.content.start, region.content.end - 1)).line : firstLine;
  const { line: cursorLine, character: col } = lines.positionAt(offset);
  const lineStart = lines.lineStart(cursorLine);
  const text = lines.lineText(cursorLine);
  const before = text.slice(0, col);
  if (stripComment(before) !== before) return undefined;

  const parsed = parseYamlLine(text);
  const indentUnit = indentUnitOf(analysis, firstLine, lastLine);
  const base = { syntax: 'yaml' as const, schemaId, region, indentUnit };
  const dashes = parsed.anchors.filter((a) => a.kind === 'dash');
  const key = parsed.anchors.find((a): a is Extract<Anchor, { kind: 'key' }> => a.kind === 'key');

  if (parsed.blank) {
    // An empty line: a key of the object whose keys start at the cursor's column.
    if (text.trimStart().startsWith('#')) return undefined;
    return keyCursor(analysis, firstLine, lastLine, cursorLine, [], col, { ...base, typed: '', replace: { start: offset, end: offset }, hasColon: false });
  }
  // In the indentation or on a `-` marker, or right after a `-` with no space yet: nothing to complete.
  if (col < parsed.contentCol || (dashes.length > 0 && col === parsed.contentCol && text[col - 1] === '-')) return undefined;

  if (key && col > key.colonCol) {
    return valueOrFlowItem(analysis, firstLine, lastLine, cursorLine, dashes, key, col, lineStart, text, base);
  }

  // The key (or scalar item) being typed.
  const wordStart = parsed.contentCol;
  let wordEnd = col;
  while (isWordChar(text[wordEnd])) wordEnd++;
  const typed = text.slice(wordStart, col);
  if (key) {
    if (!/^[A-Za-z0-9_$-]*$/.test(typed)) return undefined;
    const nameEnd = key.col + text.slice(key.col, key.colonCol).trimEnd().length;
    return keyCursor(analysis, firstLine, lastLine, cursorLine, dashes, key.col, {
      ...base,
      typed,
      replace: { start: lineStart + wordStart, end: lineStart + Math.max(col, nameEnd) },
      hasColon: true,
    });
  }
  if (dashes.length > 0) {
    const quote = text[wordStart] === '"' || text[wordStart] === "'" ? (text[wordStart] as '"' | "'") : undefined;
    const valueStart = wordStart + (quote ? 1 : 0);
    const valueEnd = quote ? closingQuote(text, valueStart, quote, col) : Math.max(col, wordStart + stripComment(text.slice(wordStart)).trimEnd().length);
    return blockItemCursor(analysis, firstLine, lastLine, cursorLine, dashes, {
      ...base,
      typed: text.slice(valueStart, col),
      replace: { start: lineStart + valueStart, end: lineStart + valueEnd },
      quote,
      wordTyped: /^[A-Za-z0-9_$-]+$/.test(typed),
      itemKeyIndent: parsed.contentCol,
    });
  }
  if (!/^[A-Za-z0-9_$-]*$/.test(typed)) return undefined;
  return keyCursor(analysis, firstLine, lastLine, cursorLine, [], wordStart, {
    ...base,
    typed,
    replace: { start: lineStart + wordStart, end: lineStart + wordEnd },
    hasColon: false,
  });
}

type Base = Pick<CursorBase, 'syntax' | 'schemaId' | 'region' | 'indentUnit'>;

function toKeysByDepth(ascent: Ascent): Map<number, Map<string, string>> {
  const byDepth = new Map<number, Map<string, string>>();
  for (const [level, keys] of ascent.keysByLevel) byDepth.set(ascent.path.length - level, keys);
  return byDepth;
}

function keyCursor(
  analysis: DocumentAnalysis,
  firstLine: number,
  lastLine: number,
  cursorLine: number,
  dashes: Anchor[],
  keyCol: number,
  rest: Base & { typed: string; replace: OffsetRange; hasColon: boolean },
): KeyCursor | undefined {
  const ascent = ascend(analysis, firstLine, cursorLine, dashes, { mode: 'map', col: keyCol });
  if (!ascent) return undefined;
  const objectKeys = toKeysByDepth(ascent);
  let own = objectKeys.get(ascent.path.length);
  if (!own) objectKeys.set(ascent.path.length, (own = new Map()));
  for (const below of scanBelow(analysis, cursorLine + 1, lastLine, keyCol, 'map')) if (below.name && !own.has(below.name)) own.set(below.name, unquote(below.value));
  return { ...rest, position: 'key', containerPath: ascent.path, objectKeys, indent: keyCol };
}

function blockItemCursor(
  analysis: DocumentAnalysis,
  firstLine: number,
  lastLine: number,
  cursorLine: number,
  dashes: Anchor[],
  rest: Base & { typed: string; replace: OffsetRange; quote?: '"' | "'"; wordTyped: boolean; itemKeyIndent: number },
): ItemCursor | undefined {
  const own = dashes[dashes.length - 1];
  const ascent = ascend(analysis, firstLine, cursorLine, dashes.slice(0, -1), { mode: 'seq', col: own.col, count: 0 });
  if (!ascent) return undefined;
  const nested = dashes.length > 1; // `- - x`: a list that starts on this line has no other items
  const below = nested ? [] : scanBelow(analysis, cursorLine + 1, lastLine, own.col, 'seq');
  const itemKeys = new Set(scanBelow(analysis, cursorLine + 1, lastLine, rest.itemKeyIndent, 'map').flatMap((k) => (k.name ? [k.name] : [])));
  // The ascent ends at the cursor's item; the container is its list.
  return {
    ...rest,
    position: 'item',
    containerPath: ascent.path.slice(0, -1),
    objectKeys: toKeysByDepth(ascent),
    indent: own.col,
    presentItems: [...(nested ? [] : ascent.itemsAbove), ...below.map((b) => b.value)].filter(Boolean),
    flow: false,
    index: ascent.path[ascent.path.length - 1] as number,
    itemKeys,
  };
}

function closingQuote(text: string, from: number, quote: string, atLeast: number): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return Math.max(i, atLeast);
  }
  return Math.max(atLeast, from + stripComment(text.slice(from)).trimEnd().length);
}

function valueOrFlowItem(
  analysis: DocumentAnalysis,
  firstLine: number,
  lastLine: number,
  cursorLine: number,
  dashes: Anchor[],
  key: Extract<Anchor, { kind: 'key' }>,
  col: number,
  lineStart: number,
  text: string,
  base: Base,
): CursorContext | undefined {
  const ascent = ascend(analysis, firstLine, cursorLine, dashes, { mode: 'map', col: key.col });
  if (!ascent) return undefined;
  const objectKeys = toKeysByDepth(ascent);
  let own = objectKeys.get(ascent.path.length);
  if (!own) objectKeys.set(ascent.path.length, (own = new Map()));
  for (const below of scanBelow(analysis, cursorLine + 1, lastLine, key.col, 'map')) if (below.name && !own.has(below.name)) own.set(below.name, unquote(below.value));

  let valueStart = key.colonCol + 1;
  while (valueStart < col && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
  const common = { ...base, objectKeys, indent: key.col };
  const first = text[valueStart];

  if (first === '[' && valueStart < col) {
    return flowItemCursor(text, valueStart, col, lineStart, { ...common, containerPath: [...ascent.path, key.name] });
  }
  if (valueStart < col && (first === '{' || first === '|' || first === '>' || first === '&' || first === '*' || first === '!')) return undefined;

  const quote = first === '"' || first === "'" ? (first as '"' | "'") : undefined;
  const start = valueStart + (quote ? 1 : 0);
  if (quote && start > col) return undefined;
  const end = quote ? closingQuote(text, start, quote, col) : Math.max(col, valueStart + stripComment(text.slice(valueStart)).trimEnd().length);
  return {
    ...common,
    position: 'value',
    containerPath: ascent.path,
    key: key.name,
    valuePath: [...ascent.path, key.name],
    typed: text.slice(start, col),
    replace: { start: lineStart + start, end: lineStart + end },
    quote,
    needsSpace: col === key.colonCol + 1 && text[col] !== ' ',
  };
}

/** An entry of a flow list `[a, b, |]` on one line. */
function flowItemCursor(
  text: string,
  open: number,
  col: number,
  lineStart: number,
  rest: Base & { objectKeys: Map<number, Map<string, string>>; indent: number; containerPath: PathSegment[] },
): ItemCursor | undefined {
  // Split the list into entries, remembering which one holds the cursor.
  const entries: Array<{ start: number; end: number }> = [];
  let entryStart = open + 1;
  let quote: string | undefined;
  let close = text.length;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') return undefined; // nested flow collections: not completed
    else if (ch === ',' || ch === ']' || (ch === '#' && /\s/.test(text[i - 1]))) {
      entries.push({ start: entryStart, end: i });
      entryStart = i + 1;
      if (ch !== ',') {
        close = i;
        break;
      }
    }
  }
  if (close === text.length) entries.push({ start: entryStart, end: text.length });
  if (col > close) return undefined;
  const currentIndex = entries.findIndex((e) => col >= e.start && col <= e.end);
  if (currentIndex < 0) return undefined;
  const current = entries[currentIndex];
  let start = current.start;
  while (start < col && (text[start] === ' ' || text[start] === '\t')) start++;
  const q = text[start] === '"' || text[start] === "'" ? (text[start] as '"' | "'") : undefined;
  if (q) start++;
  const end = q ? closingQuote(text, start, q, col) : Math.max(col, start + text.slice(start, current.end).trimEnd().length);
  const presentItems = entries.filter((_, i) => i !== currentIndex).map((e) => unquote(text.slice(e.start, e.end).trim())).filter(Boolean);
  return {
    ...rest,
    position: 'item',
    typed: text.slice(start, col),
    replace: { start: lineStart + start, end: lineStart + end },
    presentItems,
    flow: true,
    quote: q,
    index: currentIndex,
    itemKeys: new Set(),
    itemKeyIndent: rest.indent,
    wordTyped: false,
  };
}

// ---------------------------------------------------------------- JSON

function isSpaceCode(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function previousNonSpace(text: string, from: number): number {
  let i = from - 1;
  while (i >= 0 && isSpaceCode(text[i])) i--;
  return i;
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpaceCode(text[i])) i++;
  return i;
}

/** The opening quote of the string the cursor is in, when it is in one (JSON strings never span lines). */
function openStringAt(text: string, lineStart: number, offset: number): number | undefined {
  let open: number | undefined;
  for (let i = lineStart; i < offset; i++) {
    if (open !== undefined && text[i] === '\\') i++;
    else if (text[i] === '"') open = open === undefined ? i : undefined;
  }
  return open;
}

function jsonCursor(analysis: DocumentAnalysis, found: RegionAt, offset: number): CursorContext | undefined {
  const text = analysis.text;
  const root = found.root;
  const position = analysis.lines.positionAt(offset);
  const lineStart = analysis.lines.lineStart(position.line);
  const lineText = analysis.lines.lineText(position.line);
  const indent = lineText.length - lineText.trimStart().length;
  const indentUnit = jsonIndentUnit(analysis);
  const base = { syntax: 'json' as const, schemaId: found.schemaId, region: found.region, indentUnit, indent, objectKeys: new Map<number, Map<string, string>>() };

  if (!root) {
    // An empty file: offer the whole document.
    if (text.trim() !== '') return undefined;
    return { ...base, position: 'value', key: '', valuePath: [], containerPath: [], typed: '', replace: { start: offset, end: offset } };
  }
  const closed = text[root.range.end - 1] === '}' || text[root.range.end - 1] === ']';
  if (offset <= root.range.start || offset > root.range.end || (closed && offset === root.range.end)) return undefined;

  const open = openStringAt(text, lineStart, offset);
  let tokenStart: number;
  let tokenEnd: number;
  let typed: string;
  if (open !== undefined) {
    tokenStart = open;
    const lineEnd = lineStart + lineText.length;
    let close = offset;
    while (close < lineEnd && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
    tokenEnd = close < lineEnd ? close + 1 : offset;
    typed = text.slice(open + 1, offset);
  } else {
    tokenStart = offset;
    while (tokenStart > 0 && /[A-Za-z0-9_$.+-]/.test(text[tokenStart - 1])) tokenStart--;
    tokenEnd = offset;
    while (/[A-Za-z0-9_$.+-]/.test(text[tokenEnd] ?? '')) tokenEnd++;
    typed = text.slice(tokenStart, offset);
  }
  const replace = { start: tokenStart, end: tokenEnd };
  const inString = open !== undefined;
  const prev = previousNonSpace(text, tokenStart);
  const next = nextNonSpace(text, tokenEnd);
  const commaAfter = next < text.length && /["{[\w-]/.test(text[next]);

  let container = innermostNodeAt(root, tokenStart);
  while (container && (container.type !== 'object' && container.type !== 'array' ? true : container.range.start >= tokenStart)) container = container.parent;
  if (!container) container = root.type === 'object' || root.type === 'array' ? root : undefined;
  if (!container) return undefined;
  const containerPath = pathOf(container);
  const keys = new Map<string, string>();
  if (container.type === 'object') {
    for (const p of container.properties) {
      if (p.keyRange.start === tokenStart) continue;
      keys.set(p.key, p.value.type === 'string' ? String(p.value.value) : p.value.type === 'object' || p.value.type === 'array' ? '' : p.value.source);
    }
  }
  base.objectKeys.set(containerPath.length, keys);

  if (text[prev] === ':') {
    const key = jsonKeyBefore(text, prev);
    if (key === undefined || container.type !== 'object') return undefined;
    // With the cursor at the start of a written value, a completion replaces that value.
    const written = container.properties.find((p) => p.key === key)?.value;
    if (written && written.type !== 'object' && written.type !== 'array' && written.range.start === offset && written.range.end > offset) {
      const after = nextNonSpace(text, written.range.end);
      return {
        ...base,
        position: 'value',
        key,
        valuePath: [...containerPath, key],
        containerPath,
        typed: '',
        replace: written.range,
        inString: written.type === 'string',
        commaAfter: after < text.length && /["{[\w-]/.test(text[after]),
      };
    }
    return { ...base, position: 'value', key, valuePath: [...containerPath, key], containerPath, typed, replace, inString, commaAfter };
  }
  const missingComma = prev >= 0 && !/[{[,]/.test(text[prev]);
  if (container.type === 'array') {
    return {
      ...base,
      position: 'item',
      containerPath,
      typed,
      replace,
      presentItems: container.items.filter((i) => i.range.start !== tokenStart && (i.type === 'string' || i.type === 'number')).map((i) => String((i as { value: unknown }).value)),
      flow: true,
      index: container.items.filter((i) => i.range.end <= tokenStart).length,
      itemKeys: new Set(),
      itemKeyIndent: indent,
      wordTyped: false,
      commaAfter,
      commaBefore: missingComma ? prev + 1 : undefined,
    };
  }
  const hasColon = text[next] === ':';
  return {
    ...base,
    position: 'key',
    containerPath,
    typed,
    replace,
    hasColon,
    inString,
    commaAfter: !hasColon && commaAfter,
    commaBefore: missingComma ? prev + 1 : undefined,
  };
}

/** The key of `"key": |`, reading back from the colon. */
function jsonKeyBefore(text: string, colon: number): string | undefined {
  const close = previousNonSpace(text, colon);
  if (text[close] !== '"') return undefined;
  let open = close - 1;
  while (open >= 0 && !(text[open] === '"' && text[open - 1] !== '\\')) open--;
  if (open < 0) return undefined;
  try {
    return JSON.parse(text.slice(open, close + 1)) as string;
  } catch {
    return text.slice(open + 1, close);
  }
}

function jsonIndentUnit(analysis: DocumentAnalysis): number {
  for (let line = 1; line < Math.min(analysis.lines.lineCount, 50); line++) {
    const text = analysis.lines.lineText(line);
    const indent = text.length - text.trimStart().length;
    if (indent > 0 && text.trim()) return Math.min(indent, 8);
  }
  return 2;
}
