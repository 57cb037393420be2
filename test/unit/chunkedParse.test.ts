import { strict as assert } from 'node:assert';
import { generateBoard, generateColumnBoard } from '../../bench/boards';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { findItems, findTaskItems, parseFrontMatterInChunks } from '../../server/src/engine/chunkedParse';
import type { DataNode } from '../../server/src/engine/dataNode';
import { updateAnalysis } from '../../server/src/engine/incremental';
import { scanFrontMatter } from '../../server/src/engine/regions';
import { BOARDS, mutate, random, STYLES } from './yamlMutations';

const PATH = '/ws/brainfile.md';
const CHUNKED = { chunkedParseMinChars: 0 };
const FULL = { chunkedParseMinChars: Infinity };

type Range = { start: number; end: number } | undefined;
const span = (range: Range) => (range ? [range.start, range.end] : null);

/** Every field of an analysis, nodes as their ranges and contents, with parent links checked on the way. */
function contentsOf(analysis: DocumentAnalysis): unknown {
  const tree = (node: DataNode | undefined, parent?: DataNode, key?: string | number): unknown => {
    if (!node) return null;
    // Merged properties keep their first parent.
    assert.equal(node.parent, parent, 'parent link');
    assert.equal(node.key, key, 'key in parent');
    const base = { type: node.type, range: span(node.range) };
    if (node.type === 'object') {
      return { ...base, flow: node.flow, properties: node.properties.map((p) => ({ key: p.key, keyRange: span(p.keyRange), merged: p.merged, value: tree(p.value, p.merged ? p.value.parent : node, p.merged ? p.value.key : p.key) })) };
    }
    if (node.type === 'array') return { ...base, flow: node.flow, items: node.items.map((item, index) => tree(item, node, index)) };
    return { ...base, value: node.value, source: node.source };
  };
  const board = analysis.board;
  return {
    path: analysis.path,
    kind: analysis.kind,
    version: analysis.version,
    skipped: analysis.skipped,
    text: analysis.text === analysis.lines.text,
    lineStarts: Array.from({ length: analysis.lines.lineCount }, (_, line) => analysis.lines.lineStart(line)),
    regions: analysis.regions.map((r) => ({ region: r.region, schemaId: r.schemaId, root: tree(r.root) })),
    board: board && {
      version: board.version,
      title: board.title,
      root: span(board.root?.range),
      columns: board.columns.map((c) => ({ id: c.id, idNode: span(c.idNode?.range), title: c.title, node: span(c.node.range) })),
      tasks: board.tasks.map((t) => ({
        ...t,
        node: span(t.node.range),
        idNode: span(t.idNode?.range),
        columnNode: span(t.columnNode?.range),
        blockedBy: t.blockedBy.map((b) => [b.value, ...span(b.range)!]),
        contractNode: span(t.contractNode?.range),
        contract: t.contract && {
          ...t.contract,
          node: span(t.contract.node.range),
          statusNode: span(t.contract.statusNode?.range),
          deliverables: t.contract.deliverables.map((d) => ({ ...d, node: span(d.node.range), pathNode: span(d.pathNode?.range) })),
        },
      })),
    },
    diagnostics: analysis.diagnostics,
  };
}

/** Whether the chunked parse took the text (rather than falling back to a full parse). */
function takesChunkedPath(text: string): boolean {
  const region = scanFrontMatter(text).region;
  return !!region && parseFrontMatterInChunks(text, region.content) !== undefined;
}

interface Tally {
  boards: number;
  chunked: number;
  /** Boards whose front matter parses without syntax errors, and how many of them were chunked. */
  clean: number;
  cleanChunked: number;
}

const newTally = (): Tally => ({ boards: 0, chunked: 0, clean: 0, cleanChunked: 0 });
const STRUCTURAL = new Set(['yaml-syntax', 'nesting-too-deep', 'frontmatter-unclosed']);

/** The chunked analysis of a text equals the full one; counts how often the chunked path was taken. */
function assertSameAnalysis(text: string, tally: Tally, label: string): void {
  const chunked = analyzeDocument(PATH, text, CHUNKED);
  const full = analyzeDocument(PATH, text, FULL);
  assert.deepEqual(contentsOf(chunked), contentsOf(full), label);
  const took = takesChunkedPath(text);
  tally.boards++;
  if (took) tally.chunked++;
  if (full.regions[0]?.region.kind === 'frontmatter' && !full.diagnostics.some((d) => STRUCTURAL.has(d.code))) {
    tally.clean++;
    if (took) tally.cleanChunked++;
  }
}

describe('chunked parse of board front matter', function () {
  // Thousands of seeded mutations: minutes on a loaded 2-core machine (a harness limit, not a speed check).
  this.timeout(900_000);

  it('equals the full analysis on generated boards in many styles, and takes the chunked path on all of them', () => {
    const tally = newTally();
    for (const board of BOARDS) {
      for (const style of STYLES) {
        const text = style.apply(generateBoard(board.options));
        assertSameAnalysis(text, tally, `${board.name} board, ${style.name}`);
        assert.ok(takesChunkedPath(text), `${board.name} board, ${style.name}: the chunked path should take a well-formed board`);
      }
    }
    assert.equal(tally.chunked, BOARDS.length * STYLES.length);
  });

  it('finds every task item of a well-formed board, the archive included', () => {
    const text = generateBoard({ tasks: 12, archive: 4, variety: true });
    const region = scanFrontMatter(text).region!.content;
    assert.equal(findTaskItems(text, region).length, 16);
    assert.equal(analyzeDocument(PATH, text, CHUNKED).board!.tasks.filter((t) => t.location === 'archive').length, 4);
  });

  it('equals the full analysis after thousands of seeded random mutations, or falls back', () => {
    const tally = newTally();
    let seed = 1;
    for (const board of BOARDS) {
      for (const style of STYLES) {
        const original = style.apply(generateBoard(board.options));
        const next = random(seed++);
        for (let sample = 0; sample < 60; sample++) {
          let text = original;
          const count = 1 + Math.floor(next() * 3);
          for (let i = 0; i < count; i++) text = mutate(text, next);
          assertSameAnalysis(text, tally, `seed ${seed - 1}, sample ${sample} (${board.name} board, ${style.name})`);
        }
      }
    }
    if (process.env.FUZZ_STATS) console.log(tally);
    assert.equal(tally.boards, BOARDS.length * STYLES.length * 60);
    // Most mutations break the YAML (a full parse reports it); nearly all the others must still be chunked.
    assert.ok(tally.clean > tally.boards * 0.3, `only ${tally.clean} of ${tally.boards} mutated boards parse cleanly`);
    assert.ok(tally.cleanChunked > tally.clean * 0.95, `only ${tally.cleanChunked} of ${tally.clean} clean mutated boards took the chunked path`);
  });

  it('parses columns without tasks one by one too, equal to the full analysis, also after 300 mutations', () => {
    // Empty columns around a generated board's columns (which hold tasks), valid and invalid ids.
    const board = generateBoard({ tasks: 8, errorEvery: 3, variety: true });
    const columns = (invalid: boolean) => generateColumnBoard(6, { invalid }).split('columns:\n')[1].split('---')[0];
    const text = board.replace('columns:\n', `columns:\n${columns(false)}`).replace(/\n---\n\n# Notes/, `\n${columns(true).trimEnd()}\n---\n\n# Notes`);
    const region = scanFrontMatter(text).region!.content;
    assert.equal(findItems(text, region).length, 8 + 12);
    const tally = newTally();
    assertSameAnalysis(text, tally, 'columns board');
    assert.ok(takesChunkedPath(text));
    assert.deepEqual(analyzeDocument(PATH, text).diagnostics.filter((d) => d.code === 'invalid-format').length, 6);
    const next = random(1414);
    for (let sample = 0; sample < 300; sample++) assertSameAnalysis(mutate(mutate(text, next), next), tally, `columns board, sample ${sample}`);
    assert.ok(tally.cleanChunked > tally.clean * 0.9, `only ${tally.cleanChunked} of ${tally.clean} clean mutated boards took the chunked path`);
  });

  it('falls back on anchors, aliases, tags, tabs, syntax errors and duplicate board keys', () => {
    const text = generateBoard({ tasks: 6 });
    const variants = [
      text.replace('priority: high', 'priority: &p high'),
      text.replace('title: Implement billing feature 1', 'title: *p'),
      text.replace('priority: high', 'priority: !!str high'),
      text.replace('        title: Implement billing', '\ttitle: Implement billing'),
      text.replace('blockedBy: []', 'blockedBy: [unclosed'),
      text.replace('protocolVersion: 1.0.0', 'protocolVersion: 1.0.0\ntitle: again'),
      text.replace('      - id: task-2', '    # tasks\n      - id: task-2\n      - &x'),
    ];
    for (const variant of variants) {
      assert.notEqual(variant, text);
      assert.equal(takesChunkedPath(variant), false, variant.slice(0, 400));
      assert.deepEqual(contentsOf(analyzeDocument(PATH, variant, CHUNKED)), contentsOf(analyzeDocument(PATH, variant, FULL)));
    }
  });

  it('reports duplicate keys inside a task as the full parse does', () => {
    const text = generateBoard({ tasks: 6 }).replace(/(- id: task-3\n)/, '$1        id: again\n');
    assert.ok(takesChunkedPath(text));
    const analysis = analyzeDocument(PATH, text, CHUNKED);
    assert.ok(analysis.diagnostics.some((d) => d.code === 'duplicate-key'));
    assert.deepEqual(contentsOf(analysis), contentsOf(analyzeDocument(PATH, text, FULL)));
  });

  it('equals the full analysis on a board with 1,000 tasks, and is the default above the size threshold', () => {
    const text = generateBoard({ tasks: 1000, variety: true, archive: 20 });
    assert.ok(text.length > 256 * 1024);
    assert.ok(takesChunkedPath(text));
    const byDefault = analyzeDocument(PATH, text);
    assert.deepEqual(contentsOf(byDefault), contentsOf(analyzeDocument(PATH, text, FULL)));
  });

  it('gives a tree the incremental path can update', () => {
    const text = generateBoard({ tasks: 20, errorEvery: 4, variety: true, archive: 3 });
    let analysis = analyzeDocument(PATH, text, CHUNKED);
    let current = text;
    const next = random(99);
    let incremental = 0;
    for (let i = 0; i < 100; i++) {
      const anchors = [...current.matchAll(/(title|path|status|id): /g)];
      const anchor = anchors[Math.floor(next() * anchors.length)];
      const at = anchor.index! + anchor[0].length + 1;
      const edit = { start: at, end: at, text: 'xyz'[Math.floor(next() * 3)] };
      const newText = current.slice(0, at) + edit.text + current.slice(at);
      const updated = updateAnalysis(analysis, edit, newText, CHUNKED);
      const expected = analyzeDocument(PATH, newText, FULL);
      if (updated) {
        incremental++;
        assert.deepEqual(contentsOf(updated), contentsOf(expected), `edit ${i}`);
      }
      analysis = updated ?? analyzeDocument(PATH, newText, CHUNKED);
      current = newText;
    }
    assert.ok(incremental > 80, `only ${incremental} of 100 edits were incremental`);
  });
});
