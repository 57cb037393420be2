import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { PieceText, MAX_PIECES } from './engine/pieceText';
import { LineIndex, type TextReader } from './engine/text';
import { textReplaced } from './memory';

/**
 * An open document, as `vscode-languageserver-textdocument`'s `TextDocument`
 * answers for it, but with its text as pieces (`PieceText`) and the engine's
 * line index. That `TextDocument` joins the edited text into a new string on
 * each change and then reads it, which makes V8 copy the whole text (15 MB
 * for a 20,000-task board) per keystroke, and keeps a second line index (a
 * number array, twice the size of ours). Here a keystroke costs a few slices
 * and the line starts are moved in place; the text becomes one flat string
 * only when something reads it whole.
 */
export class OpenDocument implements TextDocument {
  private pieces: PieceText;
  private lines: LineIndex;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    content: string,
  ) {
    this.pieces = PieceText.of(content);
    this.lines = new LineIndex(content);
  }

  static create(uri: string, languageId: string, version: number, content: string): OpenDocument {
    return new OpenDocument(uri, languageId, version, content);
  }

  /** Applies the changes in order (each relative to the text the previous one left), as `TextDocument.update` does; the same document, updated. */
  static update(document: OpenDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): OpenDocument {
    for (const change of changes) {
      const range = (change as { range?: Range }).range;
      if (range) document.replace(range, change.text);
      else document.reset(change.text);
    }
    document.version = version;
    return document;
  }

  /** Reads the current text without joining it (what the incremental analysis reads). */
  get source(): TextReader {
    return this.pieces;
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  /** The text, or a range of it. The whole text is the same string until the next change (joined when first read). */
  getText(range?: Range): string {
    if (!range) return this.pieces.toString();
    return this.pieces.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /**
   * The text as one flat string, for what reads all of it (a full analysis):
   * V8 copies the pieces into it once, and the pieces start from it, so the
   * base they were slices of is not kept beside it.
   */
  flatText(): string {
    const text = this.pieces.toString();
    text.charCodeAt(0);
    if (this.pieces.pieceCount > 1) {
      textReplaced(this.pieces.length);
      this.pieces = PieceText.of(text);
    }
    return text;
  }

  /** As `TextDocument`: an offset inside a line break is placed at the end of its line. */
  positionAt(offset: number): Position {
    const position = this.lines.positionAt(offset);
    const lineEnd = this.lines.lineEndOffset(position.line) - this.lines.lineStart(position.line);
    return { line: position.line, character: Math.min(position.character, lineEnd) };
  }

  offsetAt(position: Position): number {
    return this.lines.offsetAt(position);
  }

  /** A line's range without its line break (the last line's for a line past the end). */
  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const last = Math.min(line, this.lines.lineCount - 1);
    return { start: { line: last, character: 0 }, end: { line: last, character: this.lines.lineEndOffset(last) - this.lines.lineStart(last) } };
  }

  /** The characters that end a line (empty for the last line and past the end). */
  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lines.lineCount) return '';
    const next = line + 1 < this.lines.lineCount ? this.lines.lineStart(line + 1) : this.pieces.length;
    return this.pieces.slice(this.lines.lineEndOffset(line), next);
  }

  private replace(range: Range, text: string): void {
    // A reversed range counts from its earlier end, as `TextDocument` has it.
    const [from, to] = comparePositions(range.start, range.end) <= 0 ? [range.start, range.end] : [range.end, range.start];
    const start = this.offsetAt(from);
    const end = this.offsetAt(to);
    if (this.pieces.pieceCount >= MAX_PIECES) textReplaced(this.pieces.length);
    this.pieces = this.pieces.replace(start, end, text);
    const joined = this.pieces.toString();
    const insertedEnd = start + text.length;
    // A CR and an LF that meet at an edge become one line break: the line starts are counted again (as `TextDocument` does).
    if (isCrLfAt(this.pieces, start) || isCrLfAt(this.pieces, insertedEnd)) {
      this.reset(joined);
      return;
    }
    this.lines = this.lines.withEdit(joined, start, end, text.length, true, this.pieces);
  }

  private reset(text: string): void {
    textReplaced(this.pieces.length);
    // Counted in one flat string (read once here anyway), which the pieces then start from.
    text.charCodeAt(0);
    this.pieces = PieceText.of(text);
    this.lines = new LineIndex(text);
  }
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** A CR just before `offset` and an LF at it. */
function isCrLfAt(text: TextReader, offset: number): boolean {
  return text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10;
}
