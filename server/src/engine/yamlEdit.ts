import type { ArrayNode, DataNode, ObjectNode, PropertyNode } from './dataNode';
import type { LineIndex, OffsetRange } from './text';

/**
 * Minimal text edits on YAML that is already parsed into a DataNode tree:
 * set a key in a mapping, add keys, cut and re-indent a list item. Only the
 * tokens that must change are touched, so comments, quoting, blank lines and
 * key order elsewhere stay byte-identical.
 */

export interface OffsetEdit {
  range: OffsetRange;
  newText: string;
}

/** A value to write. */
export type YamlValue =
  /** Written plain when that reads back as the same string, else double-quoted. */
  | { kind: 'plain'; value: string | number }
  /** Always quoted: JSON-style double quotes, or a `|` block scalar when multi-line in block context. */
  | { kind: 'quoted'; text: string }
  /** Literal flow text such as `[]`. */
  | { kind: 'raw'; text: string }
  | { kind: 'mapping'; entries: Array<[string, YamlValue]> };

export const plain = (value: string | number): YamlValue => ({ kind: 'plain', value });
export const quoted = (text: string): YamlValue => ({ kind: 'quoted', text });
export const raw = (text: string): YamlValue => ({ kind: 'raw', text });
export const mapping = (entries: Array<[string, YamlValue]>): YamlValue => ({ kind: 'mapping', entries });

/** Applies non-overlapping edits (all against `text`) and returns the new text. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  let result = '';
  let cursor = 0;
  for (const edit of sortEdits(edits)) {
    result += text.slice(cursor, edit.range.start) + edit.newText;
    cursor = edit.range.end;
  }
  return result + text.slice(cursor);
}

/** Document order; at one offset, insertions keep the order they were made in. */
export function sortEdits(edits: readonly OffsetEdit[]): OffsetEdit[] {
  return edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.range.start - b.edit.range.start || a.edit.range.end - b.edit.range.end || a.index - b.index)
    .map((entry) => entry.edit);
}

/** A line that closes a Markdown fence (up to 3 spaces, then ``` or ~~~) or a front matter. */
const ENDS_REGION = /^( {0,3}(`{3,}|~{3,})[ \t]*|---[ \t]*|\.\.\.[ \t]*)$/;

const RESERVED_PLAIN = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** True when a string can be written without quotes and reads back as the same string. */
export function isPlainSafe(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_ .\/@+-]*$/.test(value) && !/\s$/.test(value) && !RESERVED_PLAIN.test(value);
}

function isMultiLine(text: string): boolean {
  return /[\r\n]/.test(text);
}

function doubleQuoted(text: string): string {
  return JSON.stringify(text);
}

function inlineScalar(value: YamlValue): string {
  switch (value.kind) {
    case 'plain':
      return typeof value.value === 'number' ? String(value.value) : isPlainSafe(value.value) ? value.value : doubleQuoted(value.value);
    case 'quoted':
      return doubleQuoted(value.text);
    case 'raw':
      return value.text;
    case 'mapping':
      return `{${value.entries.map(([key, v]) => `${key}: ${inlineScalar(v)}`).join(', ')}}`;
  }
}

/** The string a scalar value stands for, or undefined for numbers and mappings. */
function textOf(value: YamlValue): string | undefined {
  if (value.kind === 'quoted') return value.text;
  if (value.kind === 'plain' && typeof value.value === 'string') return value.value;
  return undefined;
}

export class YamlEditor {
  readonly edits: OffsetEdit[] = [];
  /** The document's own line break, used in every inserted line. */
  readonly eol: string;

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
  ) {
    this.eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  }

  column(offset: number): number {
    return offset - this.lines.lineStart(this.lines.positionAt(offset).line);
  }

  /** The start of the line after the one holding `offset` (the text's end on the last line). */
  nextLineStart(offset: number): number {
    const line = this.lines.positionAt(offset).line;
    return line + 1 < this.lines.lineCount ? this.lines.lineStart(line + 1) : this.text.length;
  }

  replace(range: OffsetRange, newText: string): void {
    if (this.text.slice(range.start, range.end) !== newText) this.edits.push({ range, newText });
  }

  /** An edit inserting whole lines (each ending with the document's line break) at a line start. */
  lineInsertion(at: number, linesText: string): OffsetEdit {
    const atEnd = at === this.text.length && at > 0 && !/[\r\n]$/.test(this.text);
    // The last line has no line break: start a new one instead of ending ours.
    const newText = atEnd ? this.eol + linesText.slice(0, linesText.length - this.eol.length) : linesText;
    return { range: { start: at, end: at }, newText };
  }

  /** The offset just after the `:` that follows a key, or undefined when something else follows. */
  colonAfter(keyRange: OffsetRange): number | undefined {
    let at = keyRange.end;
    while (at < this.text.length && (this.text[at] === ' ' || this.text[at] === '\t')) at++;
    return this.text[at] === ':' ? at + 1 : undefined;
  }

  /**
   * Sets keys of a mapping: an existing value is replaced in place (keeping
   * its quoting style), an existing mapping is merged into, and new keys are
   * added together after the first of `insertAfter` that exists (else at the end).
   * Returns why it cannot, for values of an unexpected shape.
   */
  setProperties(object: ObjectNode, entries: Array<[string, YamlValue]>, insertAfter: string[] = []): string | undefined {
    const added: Array<[string, YamlValue]> = [];
    for (const [key, value] of entries) {
      const property = object.properties.find((p) => p.key === key && !p.merged);
      if (!property) {
        added.push([key, value]);
        continue;
      }
      const problem = this.setValue(object, property, value);
      if (problem) return problem;
    }
    if (added.length) this.insertProperties(object, added, insertAfter);
    return undefined;
  }

  private setValue(owner: ObjectNode, property: PropertyNode, value: YamlValue): string | undefined {
    const node = property.value;
    const isEmpty = node.type === 'null' && node.source === '';
    if (value.kind === 'mapping') {
      if (node.type === 'object') return this.setProperties(node, value.entries);
      if (isEmpty && !owner.flow) {
        // `metrics:` with nothing after it: its keys go on the following lines.
        const keyColumn = this.column(property.keyRange.start);
        const lineEnd = this.lines.lineEndOffset(this.lines.positionAt(property.keyRange.start).line);
        this.edits.push({ range: { start: lineEnd, end: lineEnd }, newText: this.afterKey(value, keyColumn, this.indentUnit(owner)) });
        return undefined;
      }
      if (isEmpty) return this.fillEmpty(owner, property, inlineScalar(value));
      if (node.type === 'null') {
        this.replace(node.range, inlineScalar(value));
        return undefined;
      }
      return `"${property.key}" is not a mapping`;
    }
    if (node.type === 'object' || node.type === 'array') return `"${property.key}" holds ${node.type === 'object' ? 'a mapping' : 'a list'}, not a single value`;
    // A comment after the value must stay after it, on its line: a block scalar would swallow it.
    const inline = owner.flow || this.commentFollows(isEmpty ? property.keyRange.end : node.range.end);
    if (isEmpty) {
      return this.fillEmpty(owner, property, inline ? inlineScalar(value) : this.afterKey(value, this.column(property.keyRange.start), this.indentUnit(owner)).slice(1));
    }
    this.replace(node.range, this.styledLike(node.source, value, inline, this.column(property.keyRange.start), this.indentUnit(owner)));
    return undefined;
  }

  /** Writes a value after `key:` where none is written yet. */
  private fillEmpty(owner: ObjectNode, property: PropertyNode, rendered: string): string | undefined {
    const colonEnd = this.colonAfter(property.keyRange);
    if (colonEnd === undefined) return `cannot find the ":" after "${property.key}"`;
    if (owner.flow && this.text[colonEnd] === ' ') this.edits.push({ range: { start: colonEnd + 1, end: colonEnd + 1 }, newText: rendered });
    else this.edits.push({ range: { start: colonEnd, end: colonEnd }, newText: ' ' + rendered });
    return undefined;
  }

  /** True when a comment follows `offset` on its line (a `:` of an empty value, or a value's end). */
  private commentFollows(offset: number): boolean {
    const lineEnd = this.lines.lineEndOffset(this.lines.positionAt(offset).line);
    const colonEnd = this.text[offset] === ':' ? offset + 1 : offset;
    return /^[ \t:]*#/.test(this.text.slice(colonEnd, lineEnd));
  }

  /**
   * A new scalar written the way the old one was: double, single, block or
   * plain. `inline` when it must stay on one line (flow context, a comment after it).
   */
  private styledLike(source: string, value: YamlValue, inline: boolean, keyColumn: number, unit: number): string {
    const text = textOf(value);
    if (text === undefined) return inlineScalar(value);
    const first = source[0];
    // A block scalar's header may carry a comment; it is part of the replaced range, so write it again.
    const headerComment = first === '|' || first === '>' ? (/^[|>][0-9+-]*([ \t]+#[^\r\n]*)/.exec(source)?.[1] ?? '') : '';
    if (first === '"') return doubleQuoted(text);
    if (first === "'") return isMultiLine(text) || CONTROL.test(text) ? doubleQuoted(text) : `'${text.replace(/'/g, "''")}'`;
    const wantsBlock = (first === '|' || first === '>' || value.kind === 'quoted') && isMultiLine(text);
    if (wantsBlock && !inline) {
      const block = this.blockScalar(text, keyColumn, unit);
      if (block) return block.header + headerComment + block.body;
    }
    if (first === '|' || first === '>') return doubleQuoted(text) + headerComment;
    return inlineScalar(value);
  }

  /** What follows `key:` in block context: ` value`, a block scalar, or nested lines. */
  private afterKey(value: YamlValue, keyColumn: number, unit: number): string {
    if (value.kind === 'mapping') {
      const indent = ' '.repeat(keyColumn + unit);
      return value.entries.map(([key, v]) => `${this.eol}${indent}${key}:${this.afterKey(v, keyColumn + unit, unit)}`).join('');
    }
    if (value.kind === 'quoted' && isMultiLine(value.text)) {
      const block = this.blockScalar(value.text, keyColumn, unit);
      if (block) return ' ' + block.header + block.body;
    }
    return ' ' + inlineScalar(value);
  }

  /**
   * A `|` block scalar for the value of a key at `keyColumn`: its header
   * (`|2-`) and its lines. Undefined when only a double-quoted scalar
   * reads back as exactly `text`: escapes, carriage returns (a block would
   * read them as line breaks), or a line that would end the region holding
   * the YAML (a Markdown fence or a front matter delimiter).
   */
  private blockScalar(text: string, keyColumn: number, unit: number): { header: string; body: string } | undefined {
    if (text.includes('\r') || CONTROL.test(text) || /[\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
    const trailing = /\n*$/.exec(text)![0].length;
    const body = text.slice(0, text.length - trailing).split('\n');
    if (trailing > 1) body.push(...new Array<string>(trailing - 1).fill(''));
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    // Leading spaces or tabs before the first content would set the indentation: state it
    // explicitly, with at most the 9 spaces a header can say.
    const firstContent = body.findIndex((line) => line.trim() !== '');
    const leading = firstContent < 0 ? body : body.slice(0, firstContent + 1);
    const explicit = leading.some((line) => /^[ \t]/.test(line));
    const step = explicit ? Math.min(9, unit) : unit;
    const pad = ' '.repeat(keyColumn + step);
    const lines = body.map((line) => (line === '' ? '' : pad + line));
    if (lines.some((line) => ENDS_REGION.test(line))) return undefined;
    return { header: `|${explicit ? step : ''}${chomp}`, body: lines.map((line) => this.eol + line).join('') };
  }

  private insertProperties(object: ObjectNode, entries: Array<[string, YamlValue]>, insertAfter: string[]): void {
    const own = object.properties.filter((p) => !p.merged);
    const anchor = insertAfter.map((key) => own.find((p) => p.key === key)).find((p) => p) ?? own[own.length - 1];
    if (object.flow) {
      const rendered = entries.map(([key, value]) => `${key}: ${inlineScalar(value)}`).join(', ');
      if (anchor) this.edits.push({ range: { start: propertyEnd(anchor), end: propertyEnd(anchor) }, newText: ', ' + rendered });
      else this.edits.push({ range: { start: object.range.start + 1, end: object.range.start + 1 }, newText: rendered });
      return;
    }
    const keyColumn = this.column(own[0].keyRange.start);
    const unit = this.indentUnit(object);
    const indent = ' '.repeat(keyColumn);
    const linesText = entries.map(([key, value]) => `${indent}${key}:${this.afterKey(value, keyColumn, unit)}${this.eol}`).join('');
    this.edits.push(this.lineInsertion(this.nextLineStart(propertyEnd(anchor)), linesText));
  }

  /** How far this document indents a nested mapping, judged near `object` (2 when unknown). */
  indentUnit(object: ObjectNode): number {
    const step = (child: ObjectNode, property: PropertyNode | undefined): number | undefined => {
      const first = child.properties.find((p) => !p.merged);
      if (!property || child.flow || !first) return undefined;
      const step = this.column(first.keyRange.start) - this.column(property.keyRange.start);
      return step > 0 ? step : undefined;
    };
    const parent = object.parent;
    const own = parent?.type === 'object' && !parent.flow ? step(object, parent.properties.find((p) => p.value === object)) : undefined;
    if (own) return own;
    for (const property of object.properties) {
      if (property.value.type !== 'object') continue;
      const found = step(property.value, property);
      if (found) return found;
    }
    return 2;
  }

  // ---- block list items ------------------------------------------------------

  /** The column of the `-` that opens a block list item, or undefined when it is not found. */
  dashColumn(item: DataNode): number | undefined {
    const dash = this.dashOffset(item);
    return dash === undefined ? undefined : this.column(dash);
  }

  private dashOffset(item: DataNode): number | undefined {
    let at = item.range.start - 1;
    while (at >= 0 && /[ \t\r\n]/.test(this.text[at])) at--;
    return at >= 0 && this.text[at] === '-' ? at : undefined;
  }

  /**
   * The whole lines of a block list item: comment lines right above its dash
   * at the dash's indentation, its own lines, and comment lines right after it
   * that are indented deeper (inside the item).
   */
  itemLines(item: DataNode): (OffsetRange & { dashColumn: number }) | undefined {
    const dash = this.dashOffset(item);
    if (dash === undefined) return undefined;
    const dashColumn = this.column(dash);
    let firstLine = this.lines.positionAt(dash).line;
    while (firstLine > 0 && this.isCommentLine(firstLine - 1, (indent) => indent === dashColumn)) firstLine--;
    let lastLine = this.lines.positionAt(item.range.end).line;
    while (lastLine + 1 < this.lines.lineCount && this.isCommentLine(lastLine + 1, (indent) => indent > dashColumn)) lastLine++;
    const end = lastLine + 1 < this.lines.lineCount ? this.lines.lineStart(lastLine + 1) : this.text.length;
    return { start: this.lines.lineStart(firstLine), end, dashColumn };
  }

  private isCommentLine(line: number, indentFits: (indent: number) => boolean): boolean {
    const content = this.lines.lineText(line);
    const trimmed = content.trimStart();
    return trimmed.startsWith('#') && indentFits(content.length - trimmed.length);
  }

  /** The end of the last item's lines, where a new item is appended. */
  listEnd(list: ArrayNode): number | undefined {
    const last = list.items[list.items.length - 1];
    return last ? this.itemLines(last)?.end : undefined;
  }
}

/** Where a property's text ends (its key, for `key:` with no value). */
export function propertyEnd(property: PropertyNode): number {
  return Math.max(property.keyRange.end, property.value.range.end);
}

/** Shifts every non-blank line of `block` right (positive) or left (negative) by `shift` spaces. */
export function reindent(block: string, shift: number): string {
  if (shift === 0) return block;
  return block.replace(/^[^\r\n]*(?:\r\n|\n|\r|$)/gm, (line) => {
    if (line.trim() === '') return line;
    if (shift > 0) return ' '.repeat(shift) + line;
    const spaces = /^ */.exec(line)![0].length;
    return line.slice(Math.min(spaces, -shift));
  });
}
