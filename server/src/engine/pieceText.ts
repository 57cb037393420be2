import { lastAtOrBefore, type TextReader } from './text';

/**
 * A text as pieces of other strings, so an edit of a big document does not
 * make a new flat copy of it. A JavaScript string cannot be changed: each
 * keystroke in a 15 MB board made a new 15 MB string (V8 flattens the joined
 * text when it is first read) and left the previous one in large-object space
 * until the next full collection. Here a keystroke makes a few slices of the
 * same base string; the text as one string (`toString`, a cons of the pieces)
 * is only copied by V8 when something reads it whole (a full analysis, a
 * feature). After `MAX_PIECES` pieces the next edit starts again from one flat
 * string, so reads stay cheap and an old base is not kept for long.
 *
 * Immutable: an analysis keeps reading the version it was made from.
 */
export class PieceText implements TextReader {
  private joined?: string;
  /** The piece the last read was in (see `pieceAt`). */
  private lastPiece = 0;

  private constructor(
    private readonly pieces: readonly string[],
    /** Offset of each piece's first character. */
    private readonly starts: readonly number[],
    readonly length: number,
  ) {}

  static of(text: string): PieceText {
    return new PieceText([text], [0], text.length);
  }

  /** How many pieces this version is made of. */
  get pieceCount(): number {
    return this.pieces.length;
  }

  /** The text as one string: a cons of the pieces, copied into one flat string by V8 when first read. The same object on each call. */
  toString(): string {
    if (this.joined === undefined) {
      let joined = '';
      for (const piece of this.pieces) joined += piece;
      this.joined = joined;
    }
    return this.joined;
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return NaN;
    const k = this.pieceAt(offset);
    return this.pieces[k].charCodeAt(offset - this.starts[k]);
  }

  slice(start: number, end: number): string {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    if (from === to) return '';
    let k = this.pieceAt(from);
    let result = '';
    for (let at = from; at < to; k++) {
      const pieceStart = this.starts[k];
      const piece = this.pieces[k];
      const part = piece.slice(at - pieceStart, Math.min(piece.length, to - pieceStart));
      result += part;
      at += part.length;
    }
    return result;
  }

  includes(search: string): boolean {
    if (this.pieces.some((piece) => piece.includes(search))) return true;
    // Or across a boundary between pieces.
    const reach = search.length - 1;
    return reach > 0 && this.starts.some((start) => start > 0 && this.slice(start - reach, start + reach).includes(search));
  }

  /** This text with `[start, end)` replaced by `inserted`. */
  replace(start: number, end: number, inserted: string): PieceText {
    if (this.pieces.length >= MAX_PIECES) return PieceText.of(flat(this.toString())).replace(start, end, inserted);
    const pieces: string[] = [];
    const at = (offset: number) => this.pieceAt(Math.min(offset, this.length - 1));
    const first = this.length ? at(start) : 0;
    const last = this.length ? at(end) : -1;
    for (let k = 0; k < first; k++) pieces.push(this.pieces[k]);
    if (this.length) pieces.push(this.pieces[first].slice(0, start - this.starts[first]));
    pieces.push(inserted);
    if (this.length) pieces.push(this.pieces[last].slice(end - this.starts[last]));
    for (let k = last + 1; k < this.pieces.length; k++) pieces.push(this.pieces[k]);
    // Typing makes runs of short pieces: they join, so a word is one piece.
    const kept: string[] = [];
    const starts: number[] = [];
    let offset = 0;
    for (const piece of pieces) {
      if (!piece.length) continue;
      const previous = kept.length - 1;
      if (previous >= 0 && piece.length < SHORT_PIECE && kept[previous].length < SHORT_PIECE) kept[previous] += piece;
      else {
        kept.push(piece);
        starts.push(offset);
      }
      offset += piece.length;
    }
    return new PieceText(kept, starts, offset);
  }

  /** The index of the piece holding `offset` (0 ≤ offset < length). Reads come in runs (a line, the lines above a cursor): the last piece found is tried first. */
  private pieceAt(offset: number): number {
    const last = this.lastPiece;
    if (offset >= this.starts[last] && (last + 1 === this.starts.length || offset < this.starts[last + 1])) return last;
    return (this.lastPiece = lastAtOrBefore(this.starts, offset));
  }
}

/** Pieces a version may have before the next edit starts again from one flat string. */
export const MAX_PIECES = 64;

/** Pieces shorter than this are joined with a short neighbour. */
const SHORT_PIECE = 256;

/** `text` read once, so V8 copies a cons into one flat string (in place: every holder of `text` shares it). */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
