import { isScalar, Schema, type ScalarTag } from 'yaml';
import type { ArrayNode, DataNode, ObjectNode, PropertyNode, ScalarNode } from './dataNode';
import { arrayNode, objectNode, propertyNode, scalarNode, shortenForMessage } from './dataNode';
import { diagnostic, duplicateKeyMessage, type EngineDiagnostic } from './diagnostics';
import { internKey } from './internKey';
import { detachedSlice, ownString } from './text';

/**
 * The fast path of the YAML parse: builds the DataNode tree of the YAML that
 * boards and task files are made of (block mappings and lists; one-line
 * plain, quoted and flow-list values; literal and folded block scalars;
 * comments) straight from the text, in one pass, without `yaml`'s lexer,
 * parser and composer. Those allocate about 150 KB to parse a 300-byte task
 * file (a generator object per token and level), which made parsing most of
 * the engine's time and garbage.
 *
 * It returns undefined, and the caller runs `parseDocument`, on anything else
 * (anchors, aliases, tags, keep-chomping or indented block scalars,
 * multi-line plain or quoted values, flow mappings, empty list items,
 * explicit or quoted keys, tabs, control characters, document markers) and
 * on anything `yaml` would report, so results are the same as
 * `parseDocument`'s; `test/unit/fastYamlParse.test.ts` proves it.
 * Scalars resolve with `yaml`'s own YAML 1.2 core schema tags.
 *
 * Ranges follow `yaml`'s: a collection ends where its last value's node ends,
 * and `yaml`'s parser puts comment lines after a value into that value's end
 * when they are indented deeper than the value's collection, or leaves them
 * to the innermost collection, which keeps them when one of them is at or
 * right of its indentation and passes them to its parent otherwise.
 */

export interface FastParse {
  root: DataNode;
  /** Duplicate keys: the only finding a document on the fast path can have. */
  diagnostics: EngineDiagnostic[];
}

/** The schema `parseDocument` resolves plain scalars with (YAML 1.2 core, `merge: true`). */
const CORE_TAGS = new Schema({ merge: true }).tags.filter((tag): tag is ScalarTag => !tag.collection);
const RESOLVE_OPTIONS = { intAsBigInt: false };
/** Deeper trees go to `parseDocument`, whose tree builder reports nesting past the limit. */
const MAX_FAST_DEPTH = 100;
/** `yaml` (strict) rejects implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1000;
/** Characters this path leaves to `parseDocument`: tabs, control characters, BOM, line and paragraph separators, non-characters. */
const UNUSUAL_CHARACTER = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029\ufffe\uffff]/;

const SPACE = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;
const PIPE = 124;
const GREATER = 62;

/** Thrown to leave the fast path; caught in `parseCommonYaml`. */
const NOT_COMMON = new Error('not on the fast path');

export function parseCommonYaml(source: string, raw: string, base: number): FastParse | undefined {
  if (UNUSUAL_CHARACTER.test(source)) return undefined;
  try {
    return new CommonYamlReader(source, raw, base).document();
  } catch (error) {
    if (error === NOT_COMMON) return undefined;
    throw error;
  }
}

class CommonYamlReader {
  private readonly diagnostics: EngineDiagnostic[] = [];
  /** The current content line: its start, indentation and first character; `lineStart === -1` at the end. */
  private lineStart = 0;
  private indent = 0;
  private content = 0;
  /** Comment lines left to the innermost collection (see the module comment): their deepest indentation (-1: none) and where the last one ends. */
  private trailingIndent = -1;
  private trailingEnd = 0;
  /** Where the node just read ends in `yaml`'s terms (its range's third offset, trailing spaces dropped). */
  private nodeEnd = 0;

  constructor(
    private readonly src: string,
    /** The text as written (lone CRs kept): node sources are its slices. */
    private readonly raw: string,
    private readonly base: number,
  ) {}

  document(): FastParse {
    this.nextContentLine(0, false, -1);
    if (this.lineStart < 0) throw NOT_COMMON;
    const root = this.blockNode(this.content, 0);
    if (this.lineStart >= 0) throw NOT_COMMON;
    return { root, diagnostics: this.diagnostics };
  }

  private blockNode(at: number, depth: number): DataNode {
    if (depth > MAX_FAST_DEPTH) throw NOT_COMMON;
    if (this.isDash(at)) return this.blockList(at, depth);
    if (this.keyEnd(at) >= 0) return this.blockMap(at, depth);
    throw NOT_COMMON;
  }

  private blockMap(at: number, depth: number): ObjectNode {
    const column = at - this.lineStart;
    const result: ObjectNode = objectNode(this.base + at, 0, false);
    // The keys so far are the properties' own while they are few: no Set for each of a board's 100,000s of mappings.
    let seen: Set<string> | undefined;
    let lastEnd: number;
    for (;;) {
      const colon = this.keyEnd(at);
      if (colon < 0) throw NOT_COMMON;
      const key = internKey(String(resolvePlain(this.src.slice(at, colon), true)));
      const keyStart = this.base + at;
      const keyEnd = this.base + colon;
      const valueStart = this.skipSpaces(colon + 1);
      let value: DataNode;
      if (this.atLineEnd(valueStart)) {
        value = this.valueOnNextLines(valueStart, column, depth + 1);
      } else {
        value = this.valueAt(valueStart, column, depth + 1);
      }
      lastEnd = this.nodeEnd;
      if (seen ? seen.has(key) : hasKey(result.properties, key)) {
        this.diagnostics.push(diagnostic('duplicate-key', 'error', { start: keyStart, end: keyEnd }, duplicateKeyMessage(shortenForMessage(key))));
      } else {
        if (seen) seen.add(key);
        else if (result.properties.length >= FEW_KEYS) seen = new Set([...result.properties.map((p) => p.key), key]);
        value.parent = result;
        value.key = key;
        result.properties.push(propertyNode(key, keyStart, keyEnd, value));
      }
      if (this.lineStart < 0 || this.indent < column) break;
      if (this.indent > column || this.isDash(this.content)) throw NOT_COMMON;
      at = this.content;
      this.trailingIndent = -1;
    }
    // A list grown by push keeps spare room: cut it to its length, as the tree builder does.
    result.properties = result.properties.slice();
    result.end = this.base + lastEnd;
    this.endCollection(column, lastEnd);
    return result;
  }

  private blockList(at: number, depth: number): ArrayNode {
    const column = at - this.lineStart;
    const result: ArrayNode = arrayNode(this.base + at, 0, false);
    const items: DataNode[] = [];
    let lastEnd: number;
    for (;;) {
      const itemStart = this.skipSpaces(at + 1);
      // An empty item, or one whose value starts on the next line.
      if (this.atLineEnd(itemStart) || this.src.charCodeAt(itemStart) === HASH) throw NOT_COMMON;
      let item: DataNode;
      if (this.isDash(itemStart) || this.keyEnd(itemStart) >= 0) {
        item = this.blockNode(itemStart, depth + 1);
      } else {
        item = this.valueAt(itemStart, column, depth + 1);
      }
      lastEnd = this.nodeEnd;
      item.parent = result;
      item.key = items.length;
      items.push(item);
      if (this.lineStart < 0 || this.indent < column) break;
      if (this.indent > column) throw NOT_COMMON;
      if (!this.isDash(this.content)) break;
      at = this.content;
      this.trailingIndent = -1;
    }
    result.items = items.slice();
    result.end = this.base + lastEnd;
    this.endCollection(column, lastEnd);
    return result;
  }

  /**
   * A collection ends: it keeps the comment lines left to it when one is at or
   * right of its column (its node then ends after them), else its parent gets them.
   */
  private endCollection(column: number, lastEnd: number): void {
    if (column > 0 && this.trailingIndent >= column) {
      this.nodeEnd = this.trailingEnd;
      this.trailingIndent = -1;
    } else {
      this.nodeEnd = lastEnd;
    }
  }

  /** `key:` at the end of its line: a nested block, an indentless list, or an empty value (null). */
  private valueOnNextLines(emptyAt: number, column: number, depth: number): DataNode {
    const sawComment = this.nextContentLine(this.nextLine(emptyAt), false, -1);
    if (this.lineStart >= 0 && (this.indent > column || (this.indent === column && this.isDash(this.content)))) {
      return this.blockNode(this.content, depth);
    }
    // `yaml` keeps comments after an empty value with its key, where they change the ranges: rare, leave them to it.
    if (sawComment) throw NOT_COMMON;
    // The null sits after the spaces that follow the colon; the collection's end, like every end, leaves those spaces out.
    let end = emptyAt;
    while (this.src.charCodeAt(end - 1) === SPACE) end--;
    this.nodeEnd = end;
    this.trailingIndent = -1;
    return scalarNode('null', null, '', this.base + emptyAt, this.base + emptyAt);
  }

  /** A scalar or flow list value at `at`, in a collection at `column`; moves to the next content line. */
  private valueAt(at: number, column: number, depth: number): DataNode {
    const code = this.src.charCodeAt(at);
    if (code === PIPE || code === GREATER) return this.blockScalar(at, column);
    const value = this.inlineValue(at, depth);
    this.afterValueLine(column);
    return value;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar, clipped or stripped (`-`),
   * whose lines are indented deeper than its collection's `column`; its
   * value as `yaml` computes it. Keep chomping (`+`), indentation indicators,
   * a comment on the header line and lines of spaces deeper than the text
   * (which `yaml` keeps as content or rejects) leave the fast path.
   */
  private blockScalar(at: number, column: number): ScalarNode {
    const src = this.src;
    const folded = src.charCodeAt(at) === GREATER;
    let headerEnd = at + 1;
    if (src.charCodeAt(headerEnd) === DASH) headerEnd++;
    const strip = headerEnd > at + 1;
    const afterHeader = this.skipSpaces(headerEnd);
    if (!this.atLineEnd(afterHeader)) throw NOT_COMMON;
    /** Each line of text, its indentation beyond the block's removed; empty lines as ''. */
    const lines: string[] = [];
    const moreIndented: boolean[] = [];
    let indent = -1;
    let leadingSpaces = 0;
    let contentLines = 0;
    let end = headerEnd;
    let start = this.nextLine(afterHeader);
    while (start < src.length) {
      const first = this.skipSpaces(start);
      const spaces = first - start;
      if (this.atLineEnd(first)) {
        if (indent < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
        else if (spaces > indent) throw NOT_COMMON;
        lines.push('');
        moreIndented.push(false);
        start = this.nextLine(first);
        continue;
      }
      if (indent < 0) {
        // Text no deeper than the collection: an empty block scalar.
        if (spaces <= column || leadingSpaces > spaces) throw NOT_COMMON;
        indent = spaces;
      } else if (spaces < indent) break;
      let lineEnd = this.nextLine(first);
      if (src.charCodeAt(lineEnd - 1) === LF) lineEnd--;
      if (src.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      lines.push(src.slice(start + indent, lineEnd));
      moreIndented.push(spaces > indent);
      contentLines = lines.length;
      end = this.lineContentEnd(start);
      start = this.nextLine(first);
    }
    if (indent < 0) throw NOT_COMMON;
    // Empty lines after the text are chomped.
    lines.length = contentLines;
    const text = folded ? foldLines(lines, moreIndented) : lines.join('\n');
    const value = strip ? text : `${text}\n`;
    this.nodeEnd = end;
    this.nextContentLine(start, false, column);
    // Strings of their own (see `detachedSlice`): the lines are views of the region's text.
    return scalarNode('string', ownString(value), detachedSlice(this.raw, at, end), this.base + at, this.base + end);
  }

  /** After a value on its line: the comment lines that follow, up to the next content line. */
  private afterValueLine(column: number): void {
    this.nodeEnd = this.lineContentEnd(this.lineStart);
    this.nextContentLine(this.nextLine(this.lineStart), true, column);
  }

  /**
   * Moves to the next content line from `from`, skipping blank and comment
   * lines. After a value (`afterValue`), comment lines indented deeper than
   * its collection's `column` extend the value's end until the first one that
   * is not; that one and the rest are left to the innermost collection.
   * Returns whether there was a comment line.
   */
  private nextContentLine(from: number, afterValue: boolean, column: number): boolean {
    const src = this.src;
    let absorbing = afterValue;
    let sawComment = false;
    this.trailingIndent = -1;
    let start = from;
    while (start < src.length) {
      const first = this.skipSpaces(start);
      const code = src.charCodeAt(first);
      if (first >= src.length || code === LF || code === CR) {
        start = this.nextLine(first);
        continue;
      }
      const indent = first - start;
      if (code === HASH) {
        sawComment = true;
        const end = this.lineContentEnd(start);
        if (absorbing && indent > column) this.nodeEnd = end;
        else {
          absorbing = false;
          if (indent > this.trailingIndent) this.trailingIndent = indent;
          this.trailingEnd = end;
        }
        start = this.nextLine(first);
        continue;
      }
      // Document markers and directives start at column 0 and are neither keys nor items: the readers reject them.
      this.lineStart = start;
      this.indent = indent;
      this.content = first;
      return sawComment;
    }
    this.lineStart = -1;
    return sawComment;
  }

  /** A value that starts at `at` and ends on its line: a plain or quoted scalar or a flow list, then maybe a comment. */
  private inlineValue(at: number, depth: number): DataNode {
    if (depth > MAX_FAST_DEPTH) throw NOT_COMMON;
    const code = this.src.charCodeAt(at);
    let node: DataNode;
    let end: number;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      end = this.quotedEnd(at);
      node = this.quotedScalar(at, end);
    } else if (code === OPEN_BRACKET) {
      const list = this.flowList(at, depth);
      node = list;
      end = list.end - this.base;
    } else {
      end = this.plainEnd(at);
      node = this.plainScalar(at, end);
    }
    this.expectLineEnd(end);
    return node;
  }

  /** After a value: spaces, then the line's end or a comment. */
  private expectLineEnd(end: number): void {
    const next = this.skipSpaces(end);
    if (this.atLineEnd(next)) return;
    if (this.src.charCodeAt(next) === HASH && next > end) return;
    throw NOT_COMMON;
  }

  /** The end of a plain scalar in block context that must end on its line (before ` #`, trailing spaces dropped). */
  private plainEnd(at: number): number {
    const src = this.src;
    if (!startsPlain(src, at)) throw NOT_COMMON;
    let end = at;
    let i = at;
    for (; i < src.length; i++) {
      const code = src.charCodeAt(i);
      if (code === LF || code === CR) break;
      if (code === SPACE) {
        if (src.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      // `a: b: c` and a value ending in `:` are errors or keys: not for this path.
      if (code === COLON) {
        const next = src.charCodeAt(i + 1);
        if (i + 1 >= src.length || next === SPACE || next === LF || next === CR) throw NOT_COMMON;
      }
      end = i + 1;
    }
    return end;
  }

  private plainScalar(start: number, end: number): ScalarNode {
    // Strings of their own: the tree must not keep the region's text alive (see `detachedSlice`).
    const source = detachedSlice(this.raw, start, end);
    const value = resolvePlain(source, false);
    return scalarOf(value, source, this.base + start, this.base + end);
  }

  /** The offset after the closing quote of the quoted scalar at `at`, on the same line. */
  private quotedEnd(at: number): number {
    const src = this.src;
    const quote = src.charCodeAt(at);
    for (let i = at + 1; i < src.length; i++) {
      const code = src.charCodeAt(i);
      if (code === LF || code === CR) break;
      if (quote === DOUBLE_QUOTE && code === BACKSLASH) {
        // An escaped line break continues the scalar on the next line: not for this path.
        if (this.atLineEnd(i + 1)) break;
        i++;
        continue;
      }
      if (code !== quote) continue;
      if (quote === SINGLE_QUOTE && src.charCodeAt(i + 1) === SINGLE_QUOTE) {
        i++;
        continue;
      }
      return i + 1;
    }
    throw NOT_COMMON;
  }

  private quotedScalar(start: number, end: number): ScalarNode {
    const source = detachedSlice(this.raw, start, end);
    const value = source.charCodeAt(0) === SINGLE_QUOTE ? source.slice(1, -1).replace(/''/g, "'") : doubleQuoted(source);
    return scalarOf(value, source, this.base + start, this.base + end);
  }

  /** A flow list on one line of plain or quoted scalars: `[a, "b"]`, `[]`. */
  private flowList(at: number, depth: number): ArrayNode {
    const src = this.src;
    const result: ArrayNode = arrayNode(this.base + at, 0, true);
    const items: DataNode[] = [];
    let i = this.skipSpaces(at + 1);
    if (src.charCodeAt(i) !== CLOSE_BRACKET) {
      for (;;) {
        if (depth + 1 > MAX_FAST_DEPTH) throw NOT_COMMON;
        const code = src.charCodeAt(i);
        let item: ScalarNode;
        let end: number;
        if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
          end = this.quotedEnd(i);
          item = this.quotedScalar(i, end);
        } else {
          end = flowPlainEnd(src, i);
          item = this.plainScalar(i, end);
        }
        item.parent = result;
        item.key = items.length;
        items.push(item);
        i = this.skipSpaces(end);
        const next = src.charCodeAt(i);
        if (next === CLOSE_BRACKET) break;
        if (next !== COMMA) throw NOT_COMMON;
        i = this.skipSpaces(i + 1);
        // A trailing comma, or a comment or line break inside the list: not for this path.
        if (src.charCodeAt(i) === CLOSE_BRACKET || this.atLineEnd(i)) throw NOT_COMMON;
      }
    }
    result.items = items.slice();
    result.end = this.base + i + 1;
    return result;
  }

  /** The offset of the `:` of a `key: ` (or `key:` at the line's end) starting at `at`, or -1. */
  private keyEnd(at: number): number {
    const src = this.src;
    if (!isKeyStart(src.charCodeAt(at))) return -1;
    let i = at + 1;
    while (i < src.length && isKeyPart(src.charCodeAt(i))) i++;
    if (src.charCodeAt(i) !== COLON || i - at > MAX_KEY_LENGTH) return -1;
    const next = src.charCodeAt(i + 1);
    return i + 1 >= src.length || next === SPACE || next === LF || next === CR ? i : -1;
  }

  /** A block list's `-` (followed by a space or the line's end). */
  private isDash(at: number): boolean {
    const src = this.src;
    if (src.charCodeAt(at) !== DASH) return false;
    const next = src.charCodeAt(at + 1);
    return at + 1 >= src.length || next === SPACE || next === LF || next === CR;
  }

  private skipSpaces(at: number): number {
    let i = at;
    while (this.src.charCodeAt(i) === SPACE) i++;
    return i;
  }

  private atLineEnd(at: number): boolean {
    const code = this.src.charCodeAt(at);
    return at >= this.src.length || code === LF || code === CR;
  }

  /** The start of the line after the one holding `at`. */
  private nextLine(at: number): number {
    const lf = this.src.indexOf('\n', at);
    return lf < 0 ? this.src.length : lf + 1;
  }

  /** Where the content (a comment included) of the line starting at `start` ends, trailing spaces dropped. */
  private lineContentEnd(start: number): number {
    let end = this.nextLine(start);
    while (end > start && isSpace(this.src.charCodeAt(end - 1))) end--;
    return end;
  }
}

/** Up to this many keys, a mapping's duplicates are found by reading its properties. */
const FEW_KEYS = 16;

function hasKey(properties: readonly PropertyNode[], key: string): boolean {
  for (const property of properties) if (property.key === key) return true;
  return false;
}

function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === CR;
}

/** Key characters on this path: letters, digits, `_` and `$`, then also `-`, `.` and `/`. */
function isKeyStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

function isKeyPart(code: number): boolean {
  return isKeyStart(code) || code === DASH || code === 46 || code === 47;
}

/** Characters that cannot start a plain scalar (or that this path leaves to `parseDocument`). */
const NOT_PLAIN_START = new Set('-?:,[]{}#&*!|>\'"%@`'.split('').map((c) => c.charCodeAt(0)));

/** A plain scalar may start here: not an indicator, except `-` before a character that is not a space. */
function startsPlain(src: string, at: number): boolean {
  const code = src.charCodeAt(at);
  if (code === DASH) {
    const next = src.charCodeAt(at + 1);
    return at + 1 < src.length && next !== SPACE && next !== LF && next !== CR;
  }
  return !NOT_PLAIN_START.has(code);
}

/** The end of a plain scalar inside a flow list: letters, digits and `_ . / + -` only. */
function flowPlainEnd(src: string, at: number): number {
  if (!startsPlain(src, at)) throw NOT_COMMON;
  let i = at;
  for (;;) {
    const code = src.charCodeAt(i);
    if (!(isKeyStart(code) || code === DASH || code === 46 || code === 47 || code === 43)) break;
    i++;
  }
  if (i === at) throw NOT_COMMON;
  return i;
}

/** First characters of the plain scalars the core schema reads as something other than a string. */
const MAYBE_NOT_STRING = new Set('~nNtTfF0123456789+-.'.split('').map((c) => c.charCodeAt(0)));

/** A plain scalar's value as `yaml` resolves it with the core schema. */
function resolvePlain(source: string, atKey: boolean): string | number | boolean | null {
  if (source.length > 0 && !MAYBE_NOT_STRING.has(source.charCodeAt(0))) return source;
  const tag = CORE_TAGS.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source));
  if (!tag) return source;
  const resolved: unknown = tag.resolve(
    source,
    () => {
      throw NOT_COMMON;
    },
    RESOLVE_OPTIONS,
  );
  const value = isScalar(resolved) ? resolved.value : resolved;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw NOT_COMMON;
}

/** One-character escapes of double-quoted scalars (`yaml`'s table); others (`\x`, `\u`…) leave the fast path. */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The value of a one-line double-quoted scalar, quotes included in `source`. */
function doubleQuoted(source: string): string {
  const backslash = source.indexOf('\\');
  if (backslash < 0) return source.slice(1, -1);
  let value = source.slice(1, backslash);
  for (let i = backslash; i < source.length - 1; i++) {
    const ch = source[i];
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const escaped = ESCAPES[source[++i]];
    if (escaped === undefined) throw NOT_COMMON;
    value += escaped;
  }
  return value;
}

/**
 * The lines of a folded block scalar joined as `yaml` joins them: a line
 * break between text lines becomes a space, an empty line a line break, and
 * more-indented lines keep theirs. Leading empty lines are line breaks.
 */
function foldLines(lines: string[], moreIndented: boolean[]): string {
  let value = '';
  let i = 0;
  for (; i < lines.length && lines[i] === '' && !moreIndented[i]; i++) value += '\n';
  let sep = '';
  let previousMoreIndented = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (moreIndented[i]) {
      if (sep === ' ') sep = '\n';
      else if (!previousMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + line;
      sep = '\n';
      previousMoreIndented = true;
    } else if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
      previousMoreIndented = false;
    }
  }
  return value;
}

function scalarOf(value: string | number | boolean | null, source: string, start: number, end: number): ScalarNode {
  const type: ScalarNode['type'] = value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
  // Most values read as written: one string for both; others (quoted) may be views of the source.
  return scalarNode(type, value === source ? source : typeof value === 'string' ? ownString(value) : value, source, start, end);
}
