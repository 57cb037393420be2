import type { OffsetRange } from './text';

/** A span of a document that holds one YAML or JSON value we check. */
export interface Region {
  kind: 'frontmatter' | 'fence' | 'json';
  /** The text between the delimiters. */
  content: OffsetRange;
  /** The opening delimiter (`---` or the fence line), where root-level diagnostics go. */
  open: OffsetRange;
}

export interface FrontMatterScan {
  region?: Region;
  /** Set when the document opens with `---` but no closing line follows. */
  unclosed?: OffsetRange;
  /**
   * Set when the document starts with YAML keys and has a lone `---` line later
   * but no opening `---`: the first line. `region` then holds the YAML above the `---`.
   */
  unopened?: OffsetRange;
  /** Where the Markdown body starts (after the closing delimiter). */
  bodyStart: number;
}

const BOM = 0xfeff;

interface Line {
  start: number;
  /** End of the content, before the line break. */
  end: number;
  /** Start of the next line. */
  next: number;
}

function readLine(text: string, start: number): Line {
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  let next = end;
  if (text.charCodeAt(next) === 13) next++;
  if (text.charCodeAt(next) === 10) next++;
  return { start, end, next };
}

function isDelimiter(text: string, line: Line, marks: string[]): boolean {
  const content = text.slice(line.start, line.end).trimEnd();
  return marks.includes(content);
}

/** Finds the YAML front matter: a first line `---` up to the next `---` (or `...`) line. */
export function scanFrontMatter(text: string): FrontMatterScan {
  const first = readLine(text, text.charCodeAt(0) === BOM ? 1 : 0);
  if (!isDelimiter(text, first, ['---'])) return scanUnopened(text, first);
  const open = { start: first.start, end: first.end };
  for (let pos = first.next; pos < text.length; ) {
    const line = readLine(text, pos);
    if (isDelimiter(text, line, ['---', '...'])) {
      return { region: { kind: 'frontmatter', content: { start: first.next, end: line.start }, open }, bodyStart: line.next };
    }
    if (line.next === pos) break;
    pos = line.next;
  }
  return { unclosed: open, bodyStart: text.length };
}

/** A YAML key at the start of a line, as a board or task file's first line has: `schema:`, `title:`, `id: task-1`. */
const TOP_LEVEL_KEY = /^[A-Za-z_][\w.-]*[ \t]*:([ \t]|$)/;

/**
 * Front matter whose opening `---` was lost (hand edits, a tool that trimmed
 * the file): the first line is a top-level key, and a later line is `---`,
 * with only YAML-looking lines (keys, indented lines, list items, comments,
 * blanks) in between. Markdown text before that line means it is not front matter.
 */
function scanUnopened(text: string, first: Line): FrontMatterScan {
  if (!TOP_LEVEL_KEY.test(text.slice(first.start, first.end))) return { bodyStart: 0 };
  for (let pos = first.next; pos < text.length; ) {
    const line = readLine(text, pos);
    if (isDelimiter(text, line, ['---'])) {
      const open = { start: first.start, end: first.end };
      return { region: { kind: 'frontmatter', content: { start: first.start, end: line.start }, open }, unopened: open, bodyStart: line.next };
    }
    const content = text.slice(line.start, line.end);
    if (!(content.trim() === '' || /^[ \t]/.test(content) || content.startsWith('- ') || content === '-' || content.startsWith('#') || TOP_LEVEL_KEY.test(content))) break;
    if (line.next === pos) break;
    pos = line.next;
  }
  return { bodyStart: 0 };
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)/;

/** A fenced code block of the Markdown body, whatever its language. */
export interface Fence {
  /** The opening fence line. */
  open: OffsetRange;
  /** The text between the fence lines (to the end of the text when unclosed). */
  content: OffsetRange;
  /** The closing fence line, when there is one. */
  close?: OffsetRange;
  /** The info string's first word, lowercased (`yaml`, `ts`, or empty). */
  info: string;
}

/** Finds the fenced code blocks (``` or ~~~) of Markdown, from `from` onwards. */
export function scanFences(text: string, from: number): Fence[] {
  const fences: Fence[] = [];
  let pos = from;
  while (pos < text.length) {
    const line = readLine(text, pos);
    const match = FENCE_OPEN.exec(text.slice(line.start, line.end));
    if (!match) {
      pos = line.next > pos ? line.next : text.length;
      continue;
    }
    const fence = match[2];
    let close: Line | undefined;
    let cursor = line.next;
    while (cursor < text.length) {
      const candidate = readLine(text, cursor);
      const trimmed = text.slice(candidate.start, candidate.end).trim();
      const indent = text.slice(candidate.start, candidate.end).length - text.slice(candidate.start, candidate.end).trimStart().length;
      if (indent <= 3 && trimmed.length >= fence.length && trimmed[0] === fence[0] && /^(`+|~+)$/.test(trimmed)) {
        close = candidate;
        break;
      }
      if (candidate.next === cursor) break;
      cursor = candidate.next;
    }
    fences.push({
      open: { start: line.start, end: line.end },
      content: { start: line.next, end: close ? close.start : text.length },
      close: close ? { start: close.start, end: close.end } : undefined,
      info: match[3].toLowerCase(),
    });
    pos = close ? close.next : text.length;
  }
  return fences;
}

/** Finds fenced ```yaml / ```yml blocks in Markdown, from `from` onwards. */
export function scanYamlFences(text: string, from: number): Region[] {
  return scanFences(text, from)
    .filter((f) => f.info === 'yaml' || f.info === 'yml')
    .map((f) => ({ kind: 'fence', content: f.content, open: f.open }));
}

/** A cheap test before parsing a fence: does any line start with `contract:`? */
export function mayHoldContract(text: string, region: Region): boolean {
  const content = text.slice(region.content.start, region.content.end);
  return /^contract[ \t]*:/m.test(content);
}
