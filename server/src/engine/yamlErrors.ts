import { isScalar, visit, type Document, type YAMLError } from 'yaml';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { lastAtOrBefore, type OffsetRange } from './text';

/** Past this many syntax errors in one region the rest is noise from the first ones. */
const MAX_SYNTAX_ERRORS = 50;
/** Parser errors worded at most, however many repeat on reported lines (each wording scans its line). */
const MAX_DESCRIBED_ERRORS = 500;
/** Errors whose diagnostic may land on another line than the parser's position. */
const RELOCATING_ERRORS = new Set<string>(['BLOCK_AS_IMPLICIT_KEY', 'MISSING_CHAR']);

/**
 * Turns the `yaml` parser's errors into diagnostics that say what was expected
 * and what was found, on the token at fault. The parser often reports one
 * fault several times (a cascade on the same line); we keep the first per line.
 * Duplicate keys are not reported here: the tree builder reports them on the key.
 */
export function yamlSyntaxDiagnostics(document: Document.Parsed, source: string, base: number): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const linesWithError = new Set<number>();
  const lineOf = lineFinder(source);
  const errors = document.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  let described = 0;
  for (let i = 0; i < errors.length && out.length < MAX_SYNTAX_ERRORS && described < MAX_DESCRIBED_ERRORS; i++) {
    const error = errors[i];
    // A line of 10,000 stray quotes gives 5,000 errors on one line: skip repeats before the costly wording.
    if (!RELOCATING_ERRORS.has(error.code) && linesWithError.has(lineOf(error.pos[0]))) continue;
    described++;
    const next = errors[i + 1];
    const found = describeError(error, next, document, source);
    if (found.skipNext) i++;
    const range = ontoVisibleText(source, found.range);
    const line = lineOf(range.start);
    if (linesWithError.has(line)) continue;
    linesWithError.add(line);
    out.push(diagnostic(found.code, 'error', { start: base + range.start, end: base + range.end }, found.message));
  }
  return out;
}

interface DescribedError {
  code: 'yaml-syntax' | 'nesting-too-deep';
  range: OffsetRange;
  message: string;
  /** The next error is the same fault seen again. */
  skipNext?: boolean;
}

function describeError(error: YAMLError, next: YAMLError | undefined, document: Document.Parsed, source: string): DescribedError {
  const [start, end] = error.pos;
  const text = cleanMessage(error.message);
  switch (error.code) {
    case 'RESOURCE_EXHAUSTION':
      return {
        code: 'nesting-too-deep',
        range: tokenRange(source, start, end),
        message: `The YAML nests too deeply to parse here (the parser ran out of stack). Expected at most ${LIMITS.maxDepth} levels; flatten the structure.`,
      };
    case 'TAB_AS_INDENT':
      return { code: 'yaml-syntax', range: tabRun(source, start), message: 'Found a tab in the indentation. Expected spaces: YAML does not allow tabs for indentation.' };
    case 'MULTIPLE_DOCS':
      return {
        code: 'yaml-syntax',
        range: lineRange(source, start),
        message: 'Found a second YAML document here (a line with only ---). Expected one document in this block: remove the --- line, or quote it.',
      };
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (next?.code === 'MULTILINE_IMPLICIT_KEY' && next.pos[0] === start) {
        // `a: 1` then a deeper `  b: 2`: the deeper line reads as part of the value above.
        const key = firstTokenOfNextLine(source, start);
        return {
          code: 'yaml-syntax',
          range: key,
          message: `Bad indentation: this line is indented deeper (column ${columnOf(source, key.start) + 1}) than the key above it, which already has a value. Expected it to line up with its sibling keys.`,
          skipNext: true,
        };
      }
      return {
        code: 'yaml-syntax',
        range: lineTail(source, start),
        message: 'Found a second "key: value" on the same line as a key. Expected one key per line; quote the value if it holds ": " (a: "b: c").',
      };
    case 'MULTILINE_IMPLICIT_KEY':
      return {
        code: 'yaml-syntax',
        range: lineTail(source, start),
        message: 'Found a key without a colon, or one that runs over two lines. Expected "key: value" on one line.',
      };
    case 'BAD_INDENT':
      if (/must start at the same column/.test(text)) {
        const key = tokenRange(source, skipSpaces(source, start), end);
        return {
          code: 'yaml-syntax',
          range: key,
          message: `Bad indentation: this key starts at column ${columnOf(source, key.start) + 1}, which lines up with neither its sibling keys nor its parent. Expected the keys of one mapping to start at the same column.`,
        };
      }
      if (/Flow (sequence|map)/.test(text)) {
        const closer = /sequence/.test(text) ? ']' : '}';
        return {
          code: 'yaml-syntax',
          range: tokenRange(source, start, end),
          message: `A flow ${closer === ']' ? 'list [' : 'mapping {'} above is not closed. Expected a ${closer} before this line (or the continuation to be indented).`,
        };
      }
      return { code: 'yaml-syntax', range: tokenRange(source, start, end), message: `Bad indentation: ${lowerFirst(text)}.` };
    case 'MISSING_CHAR': {
      const quote = /Missing closing (["'])quote/.exec(text);
      if (quote) {
        const opening = unclosedQuoteStart(document, start);
        return {
          code: 'yaml-syntax',
          range: opening !== undefined ? lineTail(source, opening) : tokenRange(source, start, end),
          message: `This ${quote[1] === '"' ? 'double' : 'single'}-quoted string is never closed. Expected a closing ${quote[1]} before the end of the line.`,
        };
      }
      if (/Sequence item without - indicator/.test(text)) {
        const key = tokenRange(source, start, end);
        return {
          code: 'yaml-syntax',
          range: key,
          message: `Bad indentation: this line (column ${columnOf(source, key.start) + 1}) sits inside the list above but does not start with "- ". Expected it to line up with the keys of the list item, or to start a new item with "- ".`,
        };
      }
      return { code: 'yaml-syntax', range: tokenRange(source, start, end), message: `YAML syntax error: ${text}.` };
    }
    default:
      return { code: 'yaml-syntax', range: tokenRange(source, start, end), message: `YAML syntax error: ${text}.` };
  }
}

/** The parser's message without its position suffix and source excerpt. */
function cleanMessage(message: string): string {
  return message.replace(/\s+at line \d+, column \d+[\s\S]*$/, '').trim().replace(/\.$/, '');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Line numbers by binary search over line starts, so many errors on a long text stay cheap. */
export function lineFinder(source: string): (offset: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => lastAtOrBefore(starts, offset);
}

function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

function isBreak(code: number): boolean {
  return code === 10 || code === 13;
}

function lineEnd(source: string, offset: number): number {
  let end = offset;
  while (end < source.length && !isBreak(source.charCodeAt(end))) end++;
  return end;
}

function skipSpaces(source: string, offset: number): number {
  let pos = offset;
  while (pos < source.length && (source[pos] === ' ' || source[pos] === '\t')) pos++;
  return pos;
}

/**
 * A range of at least one character on one line: the parser's range when it has
 * text, else the token there. Errors at the end of the region move back onto
 * the last character, so the editor can show them.
 */
function tokenRange(source: string, start: number, end: number): OffsetRange {
  // The parser often points at the indentation before the token at fault.
  let s = skipSpaces(source, Math.max(0, Math.min(start, source.length)));
  if (s >= lineEnd(source, start)) s = Math.max(0, Math.min(start, source.length));
  let e = Math.min(Math.max(end, s), lineEnd(source, s));
  if (e <= s + 1) {
    while (e < source.length && !/[\s:,\]}]/.test(source[e])) e++;
  }
  if (e === s) {
    // At a line break or the end: step back onto the last visible character.
    while (s > 0 && /\s/.test(source[s - 1])) s--;
    if (s > 0) s--;
    e = s + 1;
  }
  return { start: s, end: Math.max(e, s) };
}

/**
 * The parser may point at a line break (the CR of a CRLF): a range there has
 * nothing to underline and ends past the line's last column. Move it back
 * onto the last visible character before it.
 */
function ontoVisibleText(source: string, range: OffsetRange): OffsetRange {
  if (range.start < source.length && !isBreak(source.charCodeAt(range.start))) return range;
  let start = Math.min(range.start, source.length);
  while (start > 0 && /\s/.test(source[start - 1])) start--;
  if (start === 0) return { start: 0, end: Math.min(1, source.length) };
  return { start: start - 1, end: start };
}

function tabRun(source: string, offset: number): OffsetRange {
  let end = offset;
  while (end < source.length && source[end] === '\t') end++;
  return { start: offset, end: Math.max(end, offset + 1) };
}

/** From `offset` to the end of its line, trailing spaces dropped. */
function lineTail(source: string, offset: number): OffsetRange {
  let end = lineEnd(source, offset);
  while (end > offset + 1 && /\s/.test(source[end - 1])) end--;
  return { start: offset, end: Math.max(end, Math.min(offset + 1, source.length)) };
}

function lineRange(source: string, offset: number): OffsetRange {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  return lineTail(source, start);
}

function firstTokenOfNextLine(source: string, offset: number): OffsetRange {
  const end = lineEnd(source, offset);
  let next = end;
  if (source[next] === '\r') next++;
  if (source[next] === '\n') next++;
  const start = skipSpaces(source, next);
  return start < source.length ? tokenRange(source, start, start + 1) : tokenRange(source, offset, offset + 1);
}

/** Where the quoted scalar that runs to `end` (an unclosed quote) opens. */
function unclosedQuoteStart(document: Document.Parsed, end: number): number | undefined {
  let found: number | undefined;
  try {
    visit(document, {
      Scalar(_, node) {
        if (!isScalar(node) || !node.range) return;
        if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range[1] === end) {
          found = node.range[0];
          return visit.BREAK;
        }
      },
    });
  } catch {
    // A document deep enough to exhaust the stack: fall back to the parser's position.
  }
  return found;
}
