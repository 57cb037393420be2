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
 * Maps offsets to line/column positions and back. Built once per text, so every
 * diagnostic conversion is a binary search instead of a scan.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  /** `lineStarts` only from `withEdit`, which computed them already. */
  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) {
        starts.push(i + 1);
      } else if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
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
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEndOffset(line));
  }

  /**
   * The index of `newText`, which is this text with `[start, end)` replaced by
   * `insertedLength` characters: lines before the edit are kept, lines after it
   * move, and only the edited stretch is scanned again.
   */
  withEdit(newText: string, start: number, end: number, insertedLength: number): LineIndex {
    const delta = insertedLength - (end - start);
    const firstLine = this.positionAt(start).line;
    const starts = this.lineStarts.slice(0, firstLine + 1);
    // Past this offset the text and its line breaks (CR LF included) are the old ones, moved.
    const unchangedFrom = end + delta + 2;
    for (let i = starts[firstLine]; i < newText.length; i++) {
      const ch = newText.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      if (ch === 13 && newText.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
      if (i + 1 >= unchangedFrom) {
        const old = this.lineStarts.indexOf(i + 1 - delta, firstLine);
        if (old < 0) return new LineIndex(newText);
        for (let j = old + 1; j < this.lineStarts.length; j++) starts.push(this.lineStarts[j] + delta);
        break;
      }
    }
    return new LineIndex(newText, starts);
  }
}

export function rangeContains(range: OffsetRange, offset: number): boolean {
  return offset >= range.start && offset <= range.end;
}

export function rangeLength(range: OffsetRange): number {
  return range.end - range.start;
}

/** V8 keeps a slice of 13 or more characters as a view that holds its whole parent string alive. */
const SLICE_VIEW_MIN_LENGTH = 13;

/**
 * `text.slice(start, end)` in a string of its own: values parsed from it do not
 * keep the (possibly megabytes long) `text` alive. Concatenating then slicing
 * makes V8 copy the characters into a fresh string and drop the reference.
 */
export function detachedSlice(text: string, start: number, end: number): string {
  const slice = text.slice(start, end);
  return slice.length < SLICE_VIEW_MIN_LENGTH ? slice : (' ' + slice).slice(1);
}

/** The start of the line holding `offset` (CR, LF and CR LF end lines). */
export function lineStartOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
  return start;
}

/** The start of the line after the one holding `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  let pos = offset;
  while (pos < text.length && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
  if (text.charCodeAt(pos) === 13) pos++;
  if (text.charCodeAt(pos) === 10) pos++;
  return pos;
}

/** The first offset from `offset` on that is not a space. */
export function skipSpaces(text: string, offset: number): number {
  let pos = offset;
  while (text.charCodeAt(pos) === 32) pos++;
  return pos;
}
