import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateBoard, generateColumnBoard, generateV2Board } from '../../bench/boards';
import { findItems } from '../../server/src/engine/chunkedParse';
import type { DataNode } from '../../server/src/engine/dataNode';
import { parseCommonYaml } from '../../server/src/engine/fastYamlParse';
import { findExcessiveFlowNesting, parseYamlSource, type ParsedValue } from '../../server/src/engine/parseYaml';
import { scanFrontMatter } from '../../server/src/engine/regions';
import { repoRoot } from './helpers';
import { BOARDS, mutate, random, STYLES } from './yamlMutations';

/**
 * The fast YAML parse (`fastYamlParse.ts`) must give exactly what the full
 * parse (`parseDocument`) gives, or step aside: every tree (types, values,
 * sources, ranges, keys, key ranges, flow flags, parent links) and every
 * finding (codes, ranges, messages), on every YAML text in the repository,
 * on generated boards and task files, on random YAML built from common
 * lines, and on thousands of random mutations of them all.
 */

type Range = { start: number; end: number } | undefined;
const span = (range: Range) => (range ? [range.start, range.end] : null);

/** A parse result as plain data, with whether each node links to the parent and key it sits under. */
function contentsOf(parsed: ParsedValue): unknown {
  const tree = (node: DataNode | undefined, parent?: DataNode, key?: string | number): unknown => {
    if (!node) return null;
    // A node reached through an alias keeps its first parent: compared as a flag, so both parses must agree on it.
    const base = { type: node.type, range: span(node.range), linked: node.parent === parent && node.key === key };
    if (node.type === 'object') {
      return { ...base, flow: node.flow, properties: node.properties.map((p) => ({ key: p.key, keyRange: span(p.keyRange), merged: p.merged, value: tree(p.value, p.merged ? p.value.parent : node, p.merged ? p.value.key : p.key) })) };
    }
    if (node.type === 'array') return { ...base, flow: node.flow, items: node.items.map((item, index) => tree(item, node, index)) };
    return { ...base, value: node.value, source: node.source };
  };
  return { root: tree(parsed.root), diagnostics: parsed.diagnostics, complete: parsed.complete, syntaxErrors: parsed.syntaxErrors ?? false };
}

interface Tally {
  regions: number;
  fast: number;
  /** Regions the full parse takes without any finding, and how many of them took the fast path. */
  clean: number;
  cleanFast: number;
}
const newTally = (): Tally => ({ regions: 0, fast: 0, clean: 0, cleanFast: 0 });
const report = (what: string, tally: Tally) => console.log(`      ${what}: ${tally.regions} regions, ${tally.fast} on the fast path; ${tally.clean} without findings, ${tally.cleanFast} of them on the fast path`);

/** The region of `text` from `start` to `end`, at document offset `start`, parsed both ways: equal, and counted. */
function assertSameParse(text: string, start: number, end: number, tally: Tally, label: string): void {
  const raw = text.slice(start, end);
  const full = parseYamlSource(raw, start, false);
  const fast = parseYamlSource(raw, start);
  assert.deepStrictEqual(contentsOf(fast), contentsOf(full), label);
  const took = parseCommonYaml(raw.replace(/\r(?!\n)/g, '\n'), raw, start) !== undefined;
  tally.regions++;
  if (took) tally.fast++;
  if (full.diagnostics.length === 0 && full.complete) {
    tally.clean++;
    if (took) tally.cleanFast++;
  }
}

/** The YAML regions of a file: the whole text, its front matter, each task item in it, its fenced YAML blocks. */
function regionsOf(text: string): Array<[number, number]> {
  const regions: Array<[number, number]> = [[0, text.length]];
  const frontMatter = scanFrontMatter(text).region;
  if (frontMatter) {
    const { content } = frontMatter;
    regions.push([content.start, content.end]);
    for (const item of findItems(text, content)) regions.push([item.start, item.end]);
  }
  for (const fence of text.matchAll(/^```ya?ml\r?\n([\s\S]*?)^```/gm)) {
    const start = fence.index! + fence[0].indexOf('\n') + 1;
    regions.push([start, start + fence[1].length]);
  }
  return regions;
}

/** Every Markdown and YAML file in the repository: fixtures, collected real boards, the demo workspace. */
function repositoryTexts(): Array<{ name: string; text: string }> {
  const files = execFileSync('git', ['ls-files', '*.md', '*.yaml', '*.yml'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !/^(docs\/|CHANGELOG|README|node_modules)/.test(file));
  return files.map((file) => ({ name: file, text: readFileSync(path.join(repoRoot, file), 'utf8') }));
}

/** Lines that real boards are made of, and near misses, at random indentation: random YAML that exercises the comment and range rules. */
const FRAGMENTS = [
  'id: task-1',
  'title: A title',
  'key:',
  'key:  ',
  'tasks:',
  'count: 12',
  'ratio: -0.5e3',
  'flag: True',
  'nothing: ~',
  'hex: 0x1F',
  'oct: 0o17',
  'inf: -.inf',
  'nan: .NaN',
  'zero: -0',
  'big: 123456789012345678901234567890',
  'title: "quoted \\"text\\" \\u00e9"',
  "title: 'it''s'",
  'title: "tab\\tand \\\\ slash"',
  'tags: [a, b, "c d"]',
  'tags: []',
  'tags: [ 1, -2, true, null ]',
  'tags: [a,]',
  'url: http://example.com/a#b',
  'time: 10:30',
  'text: a: b',
  'text: ends with:',
  'note: value # comment',
  'note: value #not a comment',
  '- item',
  '- id: task-2',
  '- - nested',
  '-',
  '- # comment',
  '- [x, y]',
  '# comment',
  '',
  '   ',
  '1: numeric key',
  'true: boolean key',
  '0x10: hex key',
  'null: null key',
  'a.b/c-d: odd key',
  '"quoted": key',
  '? explicit',
  '<<: {a: 1}',
  'anchor: &a 1',
  'alias: *a',
  'tagged: !!str 1',
  'block: |',
  '  text',
  '---',
  '...',
  'id: task-1 ',
  'key: -x',
  'key: - x',
  'key: [unclosed',
  'key: "unclosed',
];

/** Random YAML: either lines drawn from the fragments, or a random nested structure with comment and blank lines at random columns between its lines. */
function randomYaml(next: () => number, crlf: boolean): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const lines: string[] = [];
  if (next() < 0.3) {
    const count = 1 + Math.floor(next() * 12);
    for (let i = 0; i < count; i++) lines.push(' '.repeat(pick([0, 0, 2, 2, 4, 6, 1, 3])) + pick(FRAGMENTS));
  } else {
    const scalars = ['x', 'task-1', '12', '-0', '0x1F', '1e3', 'true', '~', '"q"', "'s'", '[a, b]', '[]', 'a # c', '-x'];
    const comment = () => {
      while (next() < 0.25) lines.push(next() < 0.3 ? ' '.repeat(Math.floor(next() * 3)) : `${' '.repeat(Math.floor(next() * 10))}# c`);
    };
    // A block scalar's header, then lines of text (some deeper, some blank or of spaces, some like comments) at or below its indentation.
    const blockScalar = (head: string, column: number): void => {
      lines.push(head + pick(['|', '|-', '>', '>-', '|+', '|2', '| # c', '>-  ']));
      const indent = column + pick([0, 1, 2, 2, 2, 4]);
      const count = 1 + Math.floor(next() * 4);
      for (let k = 0; k < count; k++) {
        const deeper = next() < 0.2 ? pick([1, 2, 4]) : 0;
        lines.push(next() < 0.2 ? ' '.repeat(pick([0, indent, indent + 1])) : ' '.repeat(indent + deeper) + pick(['text', 'more text ', '# not a comment', 'a: b', '- x']));
      }
    };
    const block = (column: number, depth: number, prefix: string): void => {
      const list = next() < 0.4;
      const step = pick([1, 2, 2, 4]);
      const entries = 1 + Math.floor(next() * 3);
      for (let i = 0; i < entries; i++) {
        const lead = i === 0 ? prefix : ' '.repeat(column);
        const head = list ? `${lead}- ` : `${lead}${pick(['a', 'b', 'id', 'c', '1'])}:`;
        const nested = depth < 4 && next() < 0.45;
        if (list) {
          if (nested) block(column + 2, depth + 1, head);
          else if (next() < 0.15) blockScalar(head, column);
          else lines.push(head + pick(scalars));
        } else if (nested) {
          lines.push(head);
          comment();
          // A list may sit at its key's column.
          const inner = next() < 0.3 ? column : column + step;
          if (inner === column) {
            const items = 1 + Math.floor(next() * 2);
            for (let j = 0; j < items; j++) lines.push(`${' '.repeat(column)}- ${pick(scalars)}`);
          } else block(inner, depth + 1, ' '.repeat(inner));
        } else if (next() < 0.15) blockScalar(`${head} `, column);
        else lines.push(next() < 0.1 ? head : `${head} ${pick(scalars)}`);
        comment();
      }
    };
    comment();
    const column = pick([0, 0, 2, 6]);
    block(column, 0, ' '.repeat(column));
  }
  return lines.join(crlf ? '\r\n' : '\n') + (next() < 0.5 ? '\n' : '');
}

/** Small texts for the rules that decide where collections end. */
const CASES = [
  'a: 1\n',
  'a: 1\n   # deeper comment\n',
  'a:\n  b: 1\n  # at b\n',
  'a:\n  b: 1\n # left of b\nc: 2\n',
  'a:\n  b: 1\n # left of b\n      # right of b\nc: 2\n',
  'a:\n  b: 1\n\n    # deeper after a blank line\n\n  # at b\nc: 2',
  'a:\n  - x\n  # at the dash\nb: 1\n',
  'a:\n- x\n# at the dash\nb: 1\n',
  '  a:\n  - x\n  # at the dash\n  b: 1\n',
  'a:\n  b:\n    c: 1\n      # deep\n   # between\n  d: 2\n',
  'x:\n  - a: 1\n    b: [1, 2]   # trailing\n        # deeper\n  - c\n# end\n',
  'a:\n\n\nb: 1\n',
  'a:\nb:\n',
  'a:   \r\nb: 1\r\n',
  'a: 1\r\n  # c\r\nb:\r\n  - x\r\n',
  '- a: 1\n  b:\n  - c\n',
  'a: |\n  one\n\n  two\n    deeper\nb: >-\n  folded\n  text\n\n  para\n     kept\n  end\n# after\nc: 1\n',
  '- |-\n  text # not a comment\n  - x\n- >\n\n  leading blank\n',
  'a: 1\na: 2\nb:\n  c: 1\n  c: 2\n',
  '      - id: task-1\n        title: x\n',
  // Duplicates among few keys and among many (past the point where the fast path keeps a set).
  Array.from({ length: 40 }, (_, i) => `k${i % 30}: ${i}\n`).join('') + 'k3: again\n',
];

describe('fast YAML parse', function () {
  // Thousands of seeded mutations, each parsed twice: a minute or more on a loaded 2-core machine (a harness limit, not a speed check).
  this.timeout(900_000);

  it('equals the full parse on small texts for the rules that decide where collections end', () => {
    const tally = newTally();
    CASES.forEach((text, index) => assertSameParse(text, 0, text.length, tally, `case ${index}: ${JSON.stringify(text)}`));
    report('cases', tally);
    assert.ok(tally.fast >= CASES.length - 1, `only ${tally.fast} of ${CASES.length} cases took the fast path`);
  });

  it('equals the full parse on every YAML region of every file in the repository', () => {
    const tally = newTally();
    for (const { name, text } of repositoryTexts()) {
      for (const [start, end] of regionsOf(text)) assertSameParse(text, start, end, tally, `${name} ${start}-${end}`);
    }
    report('repository files', tally);
    assert.ok(tally.regions > 200, `only ${tally.regions} regions`);
    // Real boards use block scalars, multi-line values and anchors now and then: most regions still take the fast path.
    assert.ok(tally.cleanFast > tally.clean * 0.5, `only ${tally.cleanFast} of ${tally.clean} clean regions took the fast path`);
  });

  it('equals the full parse on generated boards and task files, and takes the fast path on the common ones', () => {
    const tally = newTally();
    for (const board of BOARDS) {
      for (const style of STYLES) {
        const text = style.apply(generateBoard(board.options));
        for (const [start, end] of regionsOf(text)) assertSameParse(text, start, end, tally, `${board.name} board, ${style.name}, ${start}-${end}`);
      }
    }
    report('generated boards', tally);
    const plain = generateBoard({ tasks: 40, variety: true });
    const frontMatter = scanFrontMatter(plain).region!.content;
    assert.ok(parseCommonYaml(plain.slice(frontMatter.start, frontMatter.end), plain.slice(frontMatter.start, frontMatter.end), frontMatter.start), 'a generated board takes the fast path');
    for (const text of [generateColumnBoard(20, { invalid: false }), generateColumnBoard(20, { invalid: true }), ...Object.values(generateV2Board(20))]) {
      const before = tally.fast;
      for (const [start, end] of regionsOf(text)) assertSameParse(text, start, end, tally, `generated ${start}-${end}`);
      assert.ok(tally.fast > before, 'a generated file takes the fast path');
    }
  });

  it('equals the full parse on random YAML built from common lines and near misses', () => {
    const tally = newTally();
    const next = random(14);
    for (let sample = 0; sample < 4000; sample++) {
      const text = randomYaml(next, sample % 5 === 0);
      assertSameParse(text, 0, text.length, tally, `random sample ${sample}: ${JSON.stringify(text)}`);
    }
    report('random YAML', tally);
    assert.ok(tally.fast > 1500, `only ${tally.fast} random texts took the fast path`);
  });

  it('equals the full parse after thousands of seeded random mutations of boards and real files', () => {
    const tally = newTally();
    const originals = [...BOARDS.flatMap((board) => STYLES.map((style) => style.apply(generateBoard(board.options)))), ...repositoryTexts().map((file) => file.text).filter((text) => text.length < 50_000)];
    const next = random(1414);
    for (let sample = 0; sample < 2100; sample++) {
      let text = originals[sample % originals.length];
      const count = 1 + Math.floor(next() * 3);
      for (let i = 0; i < count; i++) text = mutate(text, next);
      const regions = regionsOf(text);
      // The whole front matter, and a few of its task items or fences.
      const picked = [regions[Math.min(1, regions.length - 1)], ...Array.from({ length: 2 }, () => regions[Math.floor(next() * regions.length)])];
      for (const [start, end] of picked) assertSameParse(text, start, end, tally, `mutation sample ${sample}, ${start}-${end}`);
    }
    report('mutations', tally);
    assert.ok(tally.clean > 1000, `only ${tally.clean} clean mutated regions`);
    assert.ok(tally.cleanFast > tally.clean * 0.5, `only ${tally.cleanFast} of ${tally.clean} clean mutated regions took the fast path`);
  });
});

/** The flow nesting pre-check as first written, one character at a time: the oracle for the one that jumps between brackets, quotes and comments. */
function flowNestingByCharacter(source: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    const previous = i > 0 ? source.charCodeAt(i - 1) : 10;
    const atTokenStart = previous === 32 || previous === 9 || previous === 10 || previous === 13 || previous === 91 || previous === 123 || previous === 44 || previous === 58;
    if (ch === 35 && (previous === 32 || previous === 9 || previous === 10 || previous === 13)) {
      while (i < source.length && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
    } else if (ch === 34 && atTokenStart) {
      for (i++; i < source.length && source.charCodeAt(i) !== 34; i++) if (source.charCodeAt(i) === 92) i++;
    } else if (ch === 39 && atTokenStart) {
      for (i++; i < source.length; i++) {
        if (source.charCodeAt(i) !== 39) continue;
        if (source.charCodeAt(i + 1) !== 39) break;
        i++;
      }
    } else if (ch === 91 || ch === 123) {
      if (++depth > limit) return i;
    } else if ((ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return undefined;
}

describe('flow nesting pre-check', () => {
  it('finds the same bracket as a character-by-character scan, on every file and on random bracket, quote and comment soup', () => {
    const next = random(128);
    const texts = repositoryTexts().map((file) => file.text);
    const soup = ['[', ']', '{', '}', '"', "'", '#', ' ', '\n', '\r', '\\', ',', ':', 'a', "''"];
    for (let sample = 0; sample < 3000; sample++) {
      const length = Math.floor(next() * 80);
      texts.push(Array.from({ length }, () => soup[Math.floor(next() * soup.length)]).join(''));
    }
    let found = 0;
    for (const text of texts) {
      for (const limit of [0, 1, 3, 128]) {
        const expected = flowNestingByCharacter(text, limit);
        assert.equal(findExcessiveFlowNesting(text, limit), expected, `limit ${limit}: ${JSON.stringify(text.slice(0, 200))}`);
        if (expected !== undefined) found++;
      }
    }
    assert.ok(found > 1000, `only ${found} texts nest too deep`);
  });
});
