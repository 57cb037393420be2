import { strict as assert } from 'node:assert';
import { generateBoard } from '../../bench/boards';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import type { DataNode } from '../../server/src/engine/dataNode';
import { applyContentChanges, settleAnalysis, updateAnalysis, type TextEdit } from '../../server/src/engine/incremental';
import { PieceText } from '../../server/src/engine/pieceText';
import { Random } from '../fuzz/random';

const PATH = '/ws/brainfile.md';

/** The fuzz harness's seeded generator, as a function, so a failure can be replayed. */
function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** Everything features read from an analysis, with offsets, in comparable form. */
function snapshot(analysis: DocumentAnalysis): unknown {
  const tree = (node: DataNode | undefined, parent?: DataNode): unknown => {
    if (!node) return null;
    assert.equal(node.parent, parent, 'parent links are consistent');
    const base = { type: node.type, range: [node.range.start, node.range.end] };
    if (node.type === 'object') {
      return { ...base, flow: node.flow, properties: node.properties.map((p) => ({ key: p.key, keyRange: [p.keyRange.start, p.keyRange.end], value: tree(p.value, p.merged ? p.value.parent : node) })) };
    }
    if (node.type === 'array') return { ...base, flow: node.flow, items: node.items.map((item) => tree(item, node)) };
    return { ...base, value: node.value, source: node.source };
  };
  return {
    kind: analysis.kind,
    version: analysis.version,
    lineStarts: Array.from({ length: analysis.lines.lineCount }, (_, line) => analysis.lines.lineStart(line)),
    regions: analysis.regions.map((r) => ({ region: r.region, schemaId: r.schemaId, root: tree(r.root) })),
    columns: analysis.board?.columns.map((c) => ({ id: c.id, title: c.title, range: c.node.range })),
    tasks: analysis.board?.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      location: t.location,
      columnId: t.columnId,
      status: t.contract?.status,
      range: t.node.range,
      idRange: t.idNode?.range,
      statusRange: t.contract?.statusNode?.range,
      region: t.region,
      blockedBy: t.blockedBy.map((b) => [b.value, b.range.start, b.range.end]),
    })),
    diagnostics: analysis.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: [d.range.start, d.range.end], message: d.message, data: d.data, tags: d.tags })),
  };
}

/** What the server publishes of an analysis: its findings, placed by its line index. */
function published(analysis: DocumentAnalysis): unknown {
  const { diagnostics, lineStarts } = snapshot({ ...analysis, regions: [], board: undefined }) as { diagnostics: unknown; lineStarts: unknown };
  return { diagnostics, lineStarts };
}

function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

const CHARS = ['a', 'Z', '7', ' ', ' ', ':', '-', '#', '"', "'", '\n', '[', ']', '{', ',', '&', '*', '|', '>', '\t', '.', 'é'];
const LINES = ['        notes: more words', '      - id: task-999', '        title: An extra task', '  - id: extra', '    tasks:', '          status: done', 'key: [unclosed', '        contract: broken'];

/** One random edit: a character typed or deleted, or a line added, removed, moved or re-indented. */
function randomEdit(text: string, next: () => number): TextEdit {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const starts = lineStarts(text);
  const line = Math.floor(next() * (starts.length - 1));
  const lineStart = starts[line];
  const lineEnd = starts[line + 1] ?? text.length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const kind = next();
  if (kind < 0.35) {
    const at = lineStart + Math.floor(next() * (lineEnd - lineStart));
    return { start: at, end: at, text: pick(CHARS) };
  }
  if (kind < 0.6) {
    const at = lineStart + Math.floor(next() * Math.max(1, lineEnd - lineStart - 1));
    return { start: at, end: Math.min(text.length, at + 1), text: '' };
  }
  if (kind < 0.7) return { start: lineStart, end: lineEnd, text: '' };
  if (kind < 0.8) return { start: lineStart, end: lineStart, text: text.slice(lineStart, lineEnd) };
  if (kind < 0.87) return { start: lineStart, end: lineStart, text: pick(LINES) + eol };
  if (kind < 0.94) return { start: lineStart, end: lineStart, text: '  ' };
  return text.startsWith('  ', lineStart) ? { start: lineStart, end: lineStart + 2, text: '' } : { start: lineStart, end: lineStart, text: ' ' };
}

/** An edit aimed at a task's inside: a title or path typed into, the typical keystroke. */
function valueEdit(text: string, next: () => number): TextEdit {
  const anchors = [...text.matchAll(/(title|path|description|background|status|id): /g)];
  const anchor = anchors[Math.floor(next() * anchors.length)];
  const at = anchor.index! + anchor[0].length + Math.floor(next() * 4);
  return next() < 0.7 ? { start: at, end: at, text: 'abcxyz'[Math.floor(next() * 6)] } : { start: at, end: at + 1, text: '' };
}

interface RunStats {
  edits: number;
  incremental: number;
  /** Keystrokes in a value of a board without syntax errors, and how many of them were incremental. */
  typed: number;
  typedIncremental: number;
}

/**
 * Applies `count` random edits, each to the incremental analysis of the text
 * before it, and compares the result with a fresh full analysis every time.
 * Now and then an edit is undone (breaking then fixing YAML) or the board is reset.
 * `throughPieces`: the update gets the new text as pieces (`PieceText`, as the
 * server's documents give it) and, in place of the text as one string, a
 * string of the same length and other characters, so it must read nothing but
 * the pieces (and, of the previous text, its line index's source).
 */
function fuzz(original: string, seed: number, count: number, throughPieces = false): RunStats {
  const next = random(seed);
  let text = original;
  let pieces = PieceText.of(original);
  let analysis = analyzeDocument(PATH, text);
  const undo: TextEdit[] = [];
  const stats: RunStats = { edits: 0, incremental: 0, typed: 0, typedIncremental: 0 };
  for (let i = 0; i < count; i++) {
    let edit: TextEdit;
    let typed = false;
    const roll = next();
    if (roll < 0.04) {
      edit = { start: 0, end: text.length, text: original };
      undo.length = 0;
    } else if (roll < 0.4 && undo.length) edit = undo.pop()!;
    else {
      typed = roll < 0.8 && !analysis.diagnostics.some((d) => d.code === 'yaml-syntax');
      edit = roll < 0.8 ? valueEdit(text, next) : randomEdit(text, next);
      undo.push({ start: edit.start, end: edit.start + edit.text.length, text: text.slice(edit.start, edit.end) });
    }
    const newText = applyEdit(text, edit);
    pieces = pieces.replace(edit.start, edit.end, edit.text);
    // As the server updates: the shift of the nodes after the edit deferred, settled by the next edit or (here, sometimes) right away.
    const updated = throughPieces ? updateAnalysis(analysis, edit, '\u0001'.repeat(newText.length), {}, true, pieces) : updateAnalysis(analysis, edit, newText, {}, true);
    const expected = analyzeDocument(PATH, newText);
    stats.edits++;
    if (updated) stats.incremental++;
    if (typed) stats.typed++;
    if (typed && updated) stats.typedIncremental++;
    if (updated) {
      const where = `seed ${seed}, edit ${i}: ${JSON.stringify(edit)}`;
      // What is published before the tree is settled: the findings and the line index.
      assert.deepEqual(published(updated), published(expected), where);
      if (i % 2 === 0) assert.deepEqual(snapshot(settleAnalysis(updated)), snapshot(expected), where);
    }
    analysis = updated ?? expected;
    text = newText;
  }
  return stats;
}

/** Most keystrokes in values must take the incremental path, or the test proves little. */
function assertMostlyIncremental(stats: RunStats): void {
  if (process.env.FUZZ_STATS) console.log(stats);
  assert.ok(stats.incremental > stats.edits * 0.25, `only ${stats.incremental} of ${stats.edits} edits were incremental`);
  assert.ok(stats.typedIncremental > stats.typed * 0.7, `only ${stats.typedIncremental} of ${stats.typed} keystrokes in values were incremental`);
}

describe('incremental analysis', function () {
  this.timeout(120000);

  it('equals a full analysis after random edits to a generated board', () => {
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 12, errorEvery: 4 }), 1, 1000));
  });

  it('equals a full analysis on a board with comments, quotes, flow lists and blank lines', () => {
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 14, errorEvery: 3, variety: true }), 2, 1000));
  });

  it('equals a full analysis on a CRLF board', () => {
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 10, errorEvery: 5, eol: '\r\n', variety: true }), 3, 700));
  });

  it('reads an edited text only through its pieces, never as one string', () => {
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 14, errorEvery: 3, variety: true }), 6, 1000, true));
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 10, errorEvery: 2, eol: '\r\n', variety: true }), 7, 700, true));
  });

  it('equals a full analysis on a board without faults and without a body', () => {
    assertMostlyIncremental(fuzz(generateBoard({ tasks: 9, errorEvery: 0, body: false }), 4, 700));
  });

  it('re-parses one task for a keystroke in a title and keeps the other tasks', () => {
    const text = generateBoard({ tasks: 40 });
    const before = analyzeDocument(PATH, text);
    const untouched = before.board!.tasks[30];
    const at = text.indexOf('title: Implement', text.indexOf('id: task-3\n')) + 'title: '.length;
    const after = updateAnalysis(before, { start: at, end: at, text: 'X' }, text.slice(0, at) + 'X' + text.slice(at));
    assert.ok(after, 'the edit is local');
    assert.equal(after!.board!.tasks[2].title, 'XImplement auth feature 3');
    assert.equal(after!.board!.tasks[30], untouched, 'other tasks are reused');
    assert.deepEqual(snapshot(after!), snapshot(analyzeDocument(PATH, after!.text)));
  });

  it('equals a full analysis on a board full of duplicate ids, unknown references, misplaced statuses and a dependency cycle', () => {
    // Task 1 blocked by task 3 closes the cycle task-1 → task-3 → task-2 → task-1.
    const text = generateBoard({ tasks: 16, errorEvery: 2 }).replace(/(id: task-1\n(?:.*\n){3}\s*)blockedBy: \[\]/, '$1blockedBy: [task-3]');
    assert.ok(analyzeDocument(PATH, text).diagnostics.some((d) => d.code === 'dependency-cycle'), 'the board has a cycle');
    assertMostlyIncremental(fuzz(text, 5, 1000));
  });

  it('moves the board-wide findings when a keystroke leaves what they read alone, and runs them again otherwise', () => {
    const text = generateBoard({ tasks: 40, errorEvery: 4 });
    const before = analyzeDocument(PATH, text);
    const duplicate = before.diagnostics.find((d) => d.code === 'duplicate-id')!;
    const id = text.slice(duplicate.range.start, duplicate.range.end);
    // The first task with that id: its title is in the duplicate's message.
    const first = text.indexOf(`- id: ${id}\n`);
    const title = text.indexOf('title: ', first) + 'title: '.length;
    const status = text.indexOf('status: ', first) + 'status: '.length;
    const blockedBy = text.indexOf('blockedBy: [', first) + 'blockedBy: ['.length;
    for (const edit of [
      { start: title, end: title, text: 'X' },
      { start: status, end: status + 2, text: '' },
      { start: blockedBy, end: blockedBy, text: 'x' },
      { start: first + '- id: '.length, end: first + '- id: '.length, text: 'y' },
      // The same values quoted: what the rules read is unchanged, but their findings' ranges are not.
      ...['unknown-task-ref', 'status-column-mismatch'].map((code) => {
        const { range } = before.diagnostics.find((d) => d.code === code)!;
        return { start: range.start, end: range.end, text: `"${text.slice(range.start, range.end)}"` };
      }),
    ]) {
      const edited = applyEdit(text, edit);
      const after = updateAnalysis(analyzeDocument(PATH, text), edit, edited);
      assert.ok(after, `the edit ${JSON.stringify(edit)} is local`);
      assert.deepEqual(snapshot(after!), snapshot(analyzeDocument(PATH, edited)));
    }
  });

  it('falls back to a full analysis when an edit changes the structure', () => {
    const text = generateBoard({ tasks: 8 });
    const before = analyzeDocument(PATH, text);
    const at = text.indexOf('      - id: task-3');
    // A new item, a column header, and the front matter delimiter.
    assert.equal(updateAnalysis(before, { start: at, end: at, text: '      - id: task-99\n' }, text.slice(0, at) + '      - id: task-99\n' + text.slice(at)), undefined);
    const column = text.indexOf('title: In Progress');
    assert.equal(updateAnalysis(before, { start: column, end: column, text: 'x' }, text.slice(0, column) + 'x' + text.slice(column)), undefined);
    assert.equal(updateAnalysis(before, { start: 0, end: 1, text: '' }, text.slice(1)), undefined);
  });

  it('applies LSP content changes in sequence, by line and character', () => {
    const text = generateBoard({ tasks: 6, errorEvery: 2 });
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('id: task-2'));
    const titleLine = line + 1;
    const character = lines[titleLine].indexOf(':') + 2;
    const changes = [
      { range: { start: { line: titleLine, character }, end: { line: titleLine, character } }, text: 'New ' },
      { range: { start: { line: titleLine, character: character + 4 }, end: { line: titleLine, character: character + 13 } }, text: '' },
    ];
    lines[titleLine] = lines[titleLine].slice(0, character) + 'New ' + lines[titleLine].slice(character + 9);
    const expectedText = lines.join('\n');
    const updated = applyContentChanges(analyzeDocument(PATH, text), changes, expectedText);
    assert.ok(updated);
    assert.equal(updated!.text, expectedText);
    assert.deepEqual(snapshot(updated!), snapshot(analyzeDocument(PATH, expectedText)));
    // As the server's documents give it: the final text as pieces, and a string of other characters that must not be read.
    const throughPieces = applyContentChanges(analyzeDocument(PATH, text), changes, '\u0001'.repeat(expectedText.length), {}, false, PieceText.of(expectedText));
    assert.deepEqual(snapshot(throughPieces!), snapshot(analyzeDocument(PATH, expectedText)));
    // And the next change, placed by that analysis's line index (a character past the line's end: it reads where the line ends).
    const past = { line: titleLine, character: 500 };
    const nextPieces = PieceText.of(expectedText).replace(expectedText.indexOf('\n', expectedText.indexOf('New ')), expectedText.indexOf('\n', expectedText.indexOf('New ')), '!');
    const next = applyContentChanges(throughPieces!, [{ range: { start: past, end: past }, text: '!' }], '\u0001'.repeat(nextPieces.length), {}, false, nextPieces);
    assert.deepEqual(snapshot(next!), snapshot(analyzeDocument(PATH, nextPieces.toString())));
    assert.equal(applyContentChanges(analyzeDocument(PATH, text), [{ text: expectedText }], expectedText), undefined, 'a full-text change needs a full analysis');
  });
});
