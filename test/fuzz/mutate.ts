import type { Random } from './random';

/** One text transformation; `name` goes into the case's note. */
interface Mutator {
  name: string;
  apply(text: string, random: Random): string;
}

const INTERESTING_CHARS = [':', '-', ' ', '\n', '\t', '"', "'", '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '?', '%', '@', '`', '\\', '\r', 'x', '0'];

/** Characters that trip up offset arithmetic: astral, RTL, combining, zero-width, separators, lone surrogates. */
const UNICODE = ['😀', '𝔘𝔫𝔦', '\u202E', 'עברית', 'مرحبا', 'e\u0301', '\u0301', '\u200B', '\u2028', '\u2029', '\u0085', '\uD800', '\uDC00', '\uFFFD', '\uFEFF', '\u00A0', '\u3000'];

/** Tokens with meaning in YAML or JSON. */
const TOKENS = [
  '&a ', '*a', '<<: *a\n', '<<: ', '!!binary ', '!!str ', '!custom ', '? ', '|\n', '>-\n', '%YAML 1.2\n', '- ', ': ', '---\n', '...\n', 'null', '~', 'NaN', '.inf',
  '1e999', '9'.repeat(400), '-0', '0x1F', '007', 'true', '"\\u0000"', '"\\uD800"', '// c\n', '/* c */', ',', '"status": 1', 'contract:\n', 'contract: null', 'contract: []',
  'status: ', 'id: ', '```yaml\ncontract:\n  status: x\n', '```\n',
];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

function randomLine(text: string, random: Random): { lines: string[]; index: number } {
  const lines = splitLines(text);
  return { lines, index: random.int(lines.length) };
}

/** A nested value `depth` levels deep, in one of the shapes parsers recurse on. */
function deepValue(random: Random, depth: number): string {
  switch (random.int(5)) {
    case 0:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 1:
      return '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    case 2:
      return '{"a": '.repeat(depth) + '1' + '}'.repeat(depth);
    case 3:
      // Block nesting grows quadratically in size: 1,500 levels is already 1 MB.
      return '\n' + Array.from({ length: Math.min(depth, 1500) }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n');
    default:
      return '- '.repeat(depth) + 'leaf';
  }
}

const MUTATORS: Mutator[] = [
  { name: 'flip-char', apply: (t, r) => (t.length ? splice(t, r.int(t.length), 1, r.pick(INTERESTING_CHARS)) : t) },
  { name: 'flip-byte', apply: (t, r) => (t.length ? splice(t, r.int(t.length), 1, String.fromCharCode(r.int(256))) : t) },
  { name: 'delete-chars', apply: (t, r) => splice(t, r.int(t.length + 1), r.between(1, 20), '') },
  {
    name: 'duplicate-chars',
    apply: (t, r) => {
      const at = r.int(t.length + 1);
      return splice(t, at, 0, t.slice(at, at + r.between(1, 40)));
    },
  },
  {
    name: 'delete-line',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      lines.splice(index, 1);
      return lines.join('\n');
    },
  },
  {
    name: 'duplicate-line',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      lines.splice(index, 0, ...lines.slice(index, index + r.between(1, 3)));
      return lines.join('\n');
    },
  },
  {
    name: 'move-line',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      const [line] = lines.splice(index, 1);
      lines.splice(r.int(lines.length + 1), 0, line ?? '');
      return lines.join('\n');
    },
  },
  {
    name: 'reindent',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      const line = lines[index];
      const body = line.trimStart();
      const indent = line.length - body.length;
      lines[index] = ' '.repeat(Math.max(0, indent + r.pick([-4, -2, -1, 1, 2, 4]))) + body;
      return lines.join('\n');
    },
  },
  {
    name: 'swap-indentation',
    apply: (t, r) => {
      const lines = splitLines(t);
      const a = r.int(lines.length);
      const b = r.int(lines.length);
      const indentOf = (line: string) => line.length - line.trimStart().length;
      const [ia, ib] = [indentOf(lines[a]), indentOf(lines[b])];
      lines[a] = ' '.repeat(ib) + lines[a].trimStart();
      lines[b] = ' '.repeat(ia) + lines[b].trimStart();
      return lines.join('\n');
    },
  },
  {
    name: 'insert-tab',
    apply: (t, r) => {
      const starts = lineStarts(t);
      const at = r.chance(0.7) ? r.pick(starts) : r.int(t.length + 1);
      return splice(t, at, 0, r.chance(0.5) ? '\t' : '\t\t');
    },
  },
  { name: 'insert-unicode', apply: (t, r) => splice(t, r.int(t.length + 1), 0, r.pick(UNICODE)) },
  { name: 'insert-bom', apply: (t, r) => (r.chance(0.6) ? '\uFEFF' + t : splice(t, r.int(t.length + 1), 0, '\uFEFF')) },
  { name: 'insert-nul', apply: (t, r) => splice(t, r.int(t.length + 1), 0, '\u0000') },
  { name: 'crlf', apply: (t, r) => (r.chance(0.7) ? t.replace(/\r?\n/g, '\r\n') : splice(t, r.int(t.length + 1), 0, '\r')) },
  {
    name: 'insert-document-marker',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      lines.splice(index, 0, r.pick(['---', '...', '--- # c', '---x']));
      return lines.join('\n');
    },
  },
  { name: 'truncate', apply: (t, r) => t.slice(0, r.int(t.length + 1)) },
  { name: 'insert-token', apply: (t, r) => splice(t, r.int(t.length + 1), 0, r.pick(TOKENS)) },
  {
    name: 'nest-deeply',
    apply: (t, r) => {
      const { lines, index } = randomLine(t, r);
      const line = lines[index];
      const indent = ' '.repeat(line.length - line.trimStart().length);
      lines.splice(index, 0, `${indent}deep: ${deepValue(r, r.pick([20, 150, 1000, 5000]))}`);
      return lines.join('\n');
    },
  },
  {
    name: 'long-line',
    apply: (t, r) => splice(t, r.int(t.length + 1), 0, r.pick(['x', 'ab ', '"', '[a, ']).repeat(r.pick([1000, 20000]))),
  },
];

export interface Mutation {
  text: string;
  /** The mutators applied, in order. */
  steps: string[];
}

/** Applies one to four random mutators. */
export function mutate(text: string, random: Random): Mutation {
  let result = text;
  const steps: string[] = [];
  const count = random.pick([1, 1, 1, 2, 2, 3, 4]);
  for (let i = 0; i < count; i++) {
    const mutator = random.pick(MUTATORS);
    result = mutator.apply(result, random);
    steps.push(mutator.name);
  }
  return { text: result, steps };
}
