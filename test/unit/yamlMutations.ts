import type { BoardOptions } from '../../bench/boards';
import { Random } from '../fuzz/random';

/**
 * Generated board shapes and seeded random mutations of them, shared by the
 * identity tests of the chunked parse and of the fast YAML parse.
 */

/** The fuzz harness's seeded generator, as a function, so a failure can be replayed. */
export function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** Board shapes a line scan must get right: the generated boards rewritten in other legal styles. */
export const STYLES: Array<{ name: string; apply: (text: string) => string }> = [
  { name: 'plain', apply: (text) => text },
  // The list at the same column as its key (an "indentless" sequence).
  { name: 'indentless tasks', apply: (text) => text.replace(/^( {4})tasks:(\r?\n)((?: {6}.*\r?\n|\r?\n)*)/gm, (_, indent, eol, items: string) => `${indent}tasks:${eol}${items.replace(/^ {2}/gm, '')}`) },
  // `tasks` as a column's first key, after its dash.
  { name: 'tasks first', apply: (text) => text.replace(/^ {2}- id: (todo|review)(\r?\n) {4}title: (.*)(\r?\n) {4}tasks:/gm, '  - tasks:') },
  // Block scalars, with indentation indicators, and text that looks like a task list inside them.
  {
    name: 'block scalars',
    apply: (text) =>
      text
        .replace(/^( {8})priority: (\w+)/gm, '$1priority: $2\n$1notes: |\n$1  tasks:\n$1    - id: not-a-task\n\n$1  done\n$1summary: >2\n$1   folded\n$1   text')
        .replace(/^ {4}title: Review/m, '    title: Review\n    about: |\n      tasks:\n        - id: inside\n'),
  },
  // Comments at any column between and after items, a trailing comment on a task's last line, blank lines with spaces.
  { name: 'comments', apply: (text) => text.replace(/^( {6}- id: task-\d*[05])$/gm, '# column 0 comment\n   \n  # indented comment\n$1').replace(/(- npm run lint)$/gm, '$1  # lint') },
  // Multi-line flow collections and quoted keys inside tasks; a flow task; empty and flow task lists.
  {
    name: 'flow',
    apply: (text) =>
      text
        .replace(/^( {8})tags: \[(\w+), api\]/gm, '$1tags: [$2,\n$1  api, "x: y"]\n$1"quoted key": {a: 1,\n$1  b: [2, 3]}')
        .replace(/^( {4}tasks:\r?\n)/m, '$1      - {id: flow-task, title: "A flow task", contract: {status: ready}}\n')
        .replace(/^ {2}- id: done\r?\n {4}title: Done\r?\n {4}tasks:/m, '  - id: done\n    title: Done\n    empty:\n    tasks: []\n    other:'),
  },
  // Nested `tasks:` keys inside a task, and a column whose `tasks` key has a trailing comment.
  { name: 'nested', apply: (text) => text.replace(/^( {8})contract:/gm, '$1subtasks:\n$1  tasks:\n$1    - id: sub\n$1contract:').replace(/^( {4})tasks:$/gm, '$1tasks:   # the work') },
];

export const BOARDS: Array<{ name: string; options: BoardOptions }> = [
  { name: 'faults', options: { tasks: 12, errorEvery: 4 } },
  { name: 'variety', options: { tasks: 14, errorEvery: 3, variety: true } },
  { name: 'CRLF', options: { tasks: 10, errorEvery: 5, eol: '\r\n', variety: true } },
  { name: 'no body, no faults', options: { tasks: 9, errorEvery: 0, body: false } },
  { name: 'archive', options: { tasks: 8, errorEvery: 3, archive: 5, variety: true } },
];

export const CHARS = ['a', 'Z', '7', ' ', ' ', ':', '-', '#', '"', "'", '\n', '\r', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\t', '%', '?', 'é'];
export const LINES = ['      - id: task-999', '        title: extra', '    tasks:', 'archive:', '  - id: new-column', 'tasks:', '- id: top', '---', '...', '# comment', '        notes: |', '          body', 'key: [unclosed', '  <<: *anchor', 'columns:', '      -', '       - id: off by one', '        tasks:', "        title: 'it''s'"];

/** One random change to a board: characters typed or deleted, lines added, removed, duplicated, swapped or re-indented. */
export function mutate(text: string, next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  const kind = next();
  if (kind < 0.3) {
    const at = Math.floor(next() * (lines[line].length + 1));
    lines[line] = lines[line].slice(0, at) + pick(CHARS) + lines[line].slice(at);
  } else if (kind < 0.5) {
    const at = Math.floor(next() * lines[line].length);
    lines[line] = lines[line].slice(0, at) + lines[line].slice(at + 1);
  } else if (kind < 0.6) lines.splice(line, 1);
  else if (kind < 0.7) lines.splice(line, 0, lines[line]);
  else if (kind < 0.8) lines.splice(line, 0, pick(LINES) + (text.includes('\r\n') ? '\r' : ''));
  else if (kind < 0.87) {
    const other = Math.floor(next() * lines.length);
    [lines[line], lines[other]] = [lines[other], lines[line]];
  } else if (kind < 0.94) lines[line] = ' '.repeat(1 + Math.floor(next() * 2)) + lines[line];
  else lines[line] = lines[line].replace(/^ {1,2}/, '');
  return lines.join('\n');
}

