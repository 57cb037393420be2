import { runToEnd, type Steps } from './steps';

/** A half-open range of UTF-16 offsets into a document's text: [start, end). */
export interface OffsetRange {
  start: number;
  end: number;
}

export interface LinePosition {
  /** Zero-based line. */
  line: number;
  /** Zero-based UTF-16 column, as LSP counts it. */
  character: number;
}

/**
 * Read access to a text, whether one string or pieces (`PieceText`): what the
 * incremental update and the line index read of a big document, so they never
 * make V8 flatten an edited text (a string is one).
 */
export interface TextReader {
  readonly length: number;
  charCodeAt(offset: number): number;
  slice(start: number, end: number): string;
  includes(search: string): boolean;
}

/**
 * Maps offsets to line/column positions and back. Built once per text, so every
 * diagnostic conversion is a binary search instead of a scan.
 */
export class LineIndex {
  /** A typed array: half the memory of a number array, and no spare room (a big board has 100,000 lines and a new index per edit). */
  private readonly lineStarts: Uint32Array;

  /**
   * `lineStarts` only from `withEdit` and `withText`, which computed them
   * already. `source` reads the same characters as `text` (its pieces), so an
   * edited text is never read as one string here.
   */
  constructor(
    readonly text: string,
    lineStarts?: Uint32Array,
    readonly source: TextReader = text,
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    this.lineStarts = runToEnd(lineStartsSteps(source));
  }

  /** `new LineIndex(text)` in steps (`steps.ts`): a 4 MB text is scanned `LINE_SCAN_STEP_CHARS` a step. */
  static *inSteps(text: string): Steps<LineIndex> {
    return new LineIndex(text, yield* lineStartsSteps(text));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = lastAtOrBefore(this.lineStarts, clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    const lineEnd = this.lineEndOffset(position.line);
    return Math.min(lineStart + Math.max(0, position.character), lineEnd);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEndOffset(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.source.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.source.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.source.slice(this.lineStart(line), this.lineEndOffset(line));
  }

  /** The same index over another string with the same characters (a second copy of the text). */
  withText(sameText: string): LineIndex {
    return new LineIndex(sameText, this.lineStarts);
  }

  /**
   * The index of `newText`, which is this text with `[start, end)` replaced by
   * `insertedLength` characters: lines before the edit are kept, lines after it
   * move, and only the edited stretch is scanned again. With `inPlace`, an
   * edit that keeps the number of lines (a keystroke) updates this index's
   * starts instead of copying them, so this index must not be used afterwards.
   * `newSource` reads `newText` (its pieces).
   */
  withEdit(newText: string, start: number, end: number, insertedLength: number, inPlace = false, newSource: TextReader = newText): LineIndex {
    const delta = insertedLength - (end - start);
    const firstLine = this.positionAt(start).line;
    // The starts of the edited stretch's lines; past `unchangedFrom` the text and its line breaks (CR LF included) are the old ones, moved.
    const edited: number[] = [];
    const unchangedFrom = end + delta + 2;
    let old = this.lineStarts.length;
    for (let i = this.lineStarts[firstLine]; i < newSource.length; i++) {
      const ch = newSource.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      if (ch === 13 && newSource.charCodeAt(i + 1) === 10) i++;
      edited.push(i + 1);
      if (i + 1 >= unchangedFrom) {
        old = this.lineStarts.indexOf(i + 1 - delta, firstLine);
        if (old < 0) return new LineIndex(newText, undefined, newSource);
        old++;
        break;
      }
    }
    const length = firstLine + 1 + edited.length + this.lineStarts.length - old;
    // In place, the copy below reads each old start before it is overwritten (same length: `to` equals `j`).
    const starts = inPlace && length === this.lineStarts.length ? this.lineStarts : new Uint32Array(length);
    starts.set(this.lineStarts.subarray(0, firstLine + 1));
    starts.set(edited, firstLine + 1);
    for (let j = old, to = firstLine + 1 + edited.length; j < this.lineStarts.length; j++, to++) starts[to] = this.lineStarts[j] + delta;
    return new LineIndex(newText, starts, newSource);
  }
}

/** Calls `found` with the start of each line after a break (CR, LF or CR LF) from `from` on; returns how many. */
/** Characters scanned for line breaks per step. */
const LINE_SCAN_STEP_CHARS = 256 * 1024;

/** The offset of every line's start; counted first, then filled (no growing array to throw away), each pass in steps. */
function* lineStartsSteps(text: TextReader): Steps<Uint32Array> {
  let count = 0;
  for (let from = 0; from < text.length; yield) from = lineBreaksIn(text, from, Math.min(text.length, from + LINE_SCAN_STEP_CHARS), () => count++);
  const starts = new Uint32Array(count + 1);
  let line = 1;
  for (let from = 0; from < text.length; yield) from = lineBreaksIn(text, from, Math.min(text.length, from + LINE_SCAN_STEP_CHARS), (next) => (starts[line++] = next));
  return starts;
}

/** Calls `found` with the start of each line that a break in [from, to) opens; returns where the scan stopped (past a CRLF that crosses `to`). */
function lineBreaksIn(text: TextReader, from: number, to: number, found: (nextLineStart: number) => void): number {
  let i = from;
  for (; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 10 /* \n */ && ch !== 13 /* \r */) continue;
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    found(i + 1);
  }
  return i;
}

/** The index of the last of the ascending `starts` at or before `offset` (0 when none is). */
export function lastAtOrBefore(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function rangeContains(range: OffsetRange, offset: number): boolean {
  return offset >= range.start && offset <= range.end;
}

/** V8 keeps a slice of 13 or more characters as a view that holds its whole parent string alive. */
const SLICE_VIEW_MIN_LENGTH = 13;

/**
 * `text.slice(start, end)` in a string of its own: values parsed from it do not
 * keep the (possibly megabytes long) `text` alive. A shorter slice is a copy
 * already; a longer one is joined from two slices (a cons string) and read once,
 * which makes V8 copy the characters into one flat string that the cons then
 * points to (the collector drops the cons itself): 16 bytes and the characters,
 * where a view costs 32 bytes and keeps its parent.
 */
export function detachedSlice(text: TextReader, start: number, end: number): string {
  if (end - start < SLICE_VIEW_MIN_LENGTH) return text.slice(start, end);
  const joined = text.slice(start, start + 1) + text.slice(start + 1, end);
  joined.charCodeAt(0);
  return joined;
}

/** `value` as a string of its own (see `detachedSlice`): a long value may be a view of the text it was parsed from. */
export function ownString(value: string): string {
  return detachedSlice(value, 0, value.length);
}

/** The start of the line holding `offset` (CR, LF and CR LF end lines). */
export function lineStartOf(text: TextReader, offset: number): number {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  return start;
}

/** The start of the line after the one holding `offset` (or the text's end). */
export function nextLineStart(text: TextReader, offset: number): number {
  let pos = offset;
  while (pos < text.length && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
  if (text.charCodeAt(pos) === 13) pos++;
  if (text.charCodeAt(pos) === 10) pos++;
  return pos;
}

/** The first offset from `offset` on that is not a space. */
export function skipSpaces(text: TextReader, offset: number): number {
  let pos = offset;
  while (text.charCodeAt(pos) === 32) pos++;
  return pos;
}
