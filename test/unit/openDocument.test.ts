import { strict as assert } from 'node:assert';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { generateBoard } from '../../bench/boards';
import { MAX_PIECES, PieceText } from '../../server/src/engine/pieceText';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { OpenDocument } from '../../server/src/openDocument';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { pathToUri } from '../../server/src/uris';
import { Workspace } from '../../server/src/workspace';
import { Random } from '../fuzz/random';

const INSERTS = ['x', 'ab', '', '\n', '\r\n', '\r', 'line one\nline two\n', '  - id: t\r\n    title: T', 'é€😀', 'a'.repeat(300)];

/** A random replacement in a text of `length` characters. */
function randomEdit(random: Random, length: number): { start: number; end: number; text: string } {
  const start = random.int(length + 1);
  const end = random.chance(0.5) ? start : Math.min(length, start + random.int(40));
  return { start, end, text: random.pick(INSERTS) };
}

describe('PieceText', () => {
  it('reads as the string it stands for after random edits, across pieces and rebases', () => {
    for (const seed of [1, 2, 3]) {
      const random = new Random(seed);
      let text = generateBoard({ tasks: 5, eol: seed === 2 ? '\r\n' : '\n' });
      let pieces = PieceText.of(text);
      for (let i = 0; i < 400; i++) {
        const edit = randomEdit(random, text.length);
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
        pieces = pieces.replace(edit.start, edit.end, edit.text);
        const where = `seed ${seed}, edit ${i}`;
        assert.equal(pieces.length, text.length, where);
        assert.ok(pieces.pieceCount <= MAX_PIECES + 4, `${where}: ${pieces.pieceCount} pieces`);
        for (let k = 0; k < 20; k++) {
          const at = random.int(text.length + 2) - 1;
          assert.ok(Object.is(pieces.charCodeAt(at), text.charCodeAt(at)), `${where}: charCodeAt(${at})`);
          const from = random.int(text.length + 1);
          const to = from + random.int(200);
          assert.equal(pieces.slice(from, to), text.slice(from, to), `${where}: slice(${from}, ${to})`);
        }
        for (const search of ['\r\n', 'id: ', 'x\n', '\n\n', 'zz']) assert.equal(pieces.includes(search), text.includes(search), `${where}: includes ${JSON.stringify(search)}`);
        if (i % 50 === 0) assert.equal(pieces.toString(), text, where);
      }
      assert.equal(pieces.toString(), text);
    }
  });

  it('keeps an older version readable after later edits', () => {
    const first = PieceText.of('0123456789abcdefghij');
    const second = first.replace(5, 10, 'XY');
    const third = second.replace(0, 3, '');
    assert.equal(first.toString(), '0123456789abcdefghij');
    assert.equal(second.toString(), '01234XYabcdefghij');
    assert.equal(third.toString(), '34XYabcdefghij');
    assert.equal(second.slice(3, 9), '34XYab');
  });

  it('joins typed characters into one piece', () => {
    let pieces = PieceText.of('y'.repeat(1000) + 'x'.repeat(1000));
    for (let i = 0; i < 200; i++) pieces = pieces.replace(1000 + i, 1000 + i, 'a');
    assert.equal(pieces.pieceCount, 3, 'the text before, the typed word, the text after');
  });
});

/** Random LSP content changes for a document, as an editor sends them: by line and character, sometimes several, sometimes the whole text. */
function randomChanges(random: Random, document: TextDocument): TextDocumentContentChangeEvent[] {
  if (random.chance(0.03)) return [{ text: generateBoard({ tasks: 2 }) }];
  const changes: TextDocumentContentChangeEvent[] = [];
  const reference = TextDocument.create(document.uri, document.languageId, document.version, document.getText());
  for (let n = random.between(1, 3); n > 0; n--) {
    // Lines that exist (`TextDocument.update` miscounts lines for a range past the last one), characters sometimes past a line's end.
    const line = random.int(reference.lineCount);
    const start = { line, character: random.int(30) };
    const end = random.chance(0.5) ? start : { line: Math.min(reference.lineCount - 1, line + random.int(3)), character: random.int(30) };
    // Now and then a reversed range.
    const range = random.chance(0.1) ? { start: end, end: start } : { start, end };
    const text = random.pick(INSERTS);
    changes.push({ range, text });
    TextDocument.update(reference, [{ range, text }], reference.version + 1);
  }
  return changes;
}

describe('OpenDocument', () => {
  // The text as `TextDocument.update` leaves it; lines, positions and offsets as a new `TextDocument` of that text counts them.
  it('answers as TextDocument after random changes: text, lines, positions and offsets', () => {
    for (const [seed, eol] of [
      [11, '\n'],
      [12, '\r\n'],
      [13, '\r'],
    ] as const) {
      const random = new Random(seed);
      const content = generateBoard({ tasks: 4 }).replace(/\n/g, eol);
      const expected = TextDocument.create('file:///b.md', 'markdown', 1, content);
      const actual = OpenDocument.create('file:///b.md', 'markdown', 1, content);
      for (let i = 0; i < 300; i++) {
        const changes = randomChanges(random, expected);
        TextDocument.update(expected, changes, i + 2);
        OpenDocument.update(actual, changes, i + 2);
        const where = `seed ${seed}, change ${i}: ${JSON.stringify(changes)}`;
        const text = expected.getText();
        assert.equal(actual.getText(), text, where);
        const fresh = TextDocument.create(expected.uri, expected.languageId, expected.version, text);
        // Now and then read whole, as a full analysis does: the pieces then start from that one string.
        if (i % 25 === 0) {
          assert.equal(actual.flatText(), text, where);
          assert.equal((actual.source as PieceText).pieceCount, 1, where);
        }
        assert.equal(actual.version, fresh.version, where);
        assert.equal(actual.lineCount, fresh.lineCount, where);
        for (let line = -1; line <= fresh.lineCount; line++) {
          assert.deepEqual(actual.getLineRange(line), fresh.getLineRange(line), `${where}: line range ${line}`);
          assert.equal(actual.getEOLCharacters(line), fresh.getEOLCharacters(line), `${where}: line break ${line}`);
        }
        for (let k = 0; k < 30; k++) {
          const offset = random.int(text.length + 3) - 1;
          assert.deepEqual(actual.positionAt(offset), fresh.positionAt(offset), `${where}: positionAt(${offset})`);
          const position = { line: random.int(fresh.lineCount + 2) - 1, character: random.int(40) - 1 };
          assert.equal(actual.offsetAt(position), fresh.offsetAt(position), `${where}: offsetAt(${JSON.stringify(position)})`);
          const range = { start: fresh.positionAt(random.int(text.length)), end: fresh.positionAt(random.int(text.length)) };
          if (fresh.offsetAt(range.start) <= fresh.offsetAt(range.end)) assert.equal(actual.getText(range), fresh.getText(range), `${where}: getText(${JSON.stringify(range)})`);
        }
      }
    }
  });
});

describe('an open document in the workspace', () => {
  it('is updated through its pieces on keystrokes, and read as one flat string once a feature asks', () => {
    const path = '/ws/brainfile.md';
    const uri = pathToUri(path);
    let text = generateBoard({ tasks: 30, errorEvery: 4 });
    const document = OpenDocument.create(uri, 'markdown', 1, text);
    const workspace = new Workspace(DEFAULT_SETTINGS);
    workspace.setOpen(document);
    assert.ok(workspace.analysisFor(uri));
    const titles = [...text.matchAll(/^ {8}title: /gm)].map((m) => m.index! + m[0].length);
    for (let i = 0; i < 40; i++) {
      // A character typed into a title, as the server receives it.
      const at = titles[(i * 7) % titles.length] + Math.floor(i / 10);
      const position = document.positionAt(at);
      const change = { range: { start: position, end: position }, text: 'x' };
      workspace.recordChanges(uri, document.version, document.version + 1, [change]);
      OpenDocument.update(document, [change], document.version + 1);
      workspace.setOpen(document);
      text = text.slice(0, at) + 'x' + text.slice(at);
      for (let k = 0; k < titles.length; k++) if (titles[k] >= at) titles[k]++;
      assert.ok(workspace.updateIncrementally(uri), `edit ${i} is incremental`);
      const published = workspace.latestUnsettled(uri)!;
      assert.ok(published.lines.source instanceof PieceText, 'the diagnostics read the pieces');
      const expected = analyzeDocument(path, text);
      const findings = (analysis: typeof expected) => analysis.diagnostics.map((d) => [d.code, d.range.start, d.range.end, d.message]);
      assert.deepEqual(findings(published), findings(expected), `edit ${i}`);
      if (i % 3 !== 0) continue;
      const analysis = workspace.latestAnalysis(uri)!;
      assert.equal(typeof analysis.lines.source, 'string', 'a feature reads one string');
      assert.equal(analysis.lines.source, text);
      assert.equal((document.source as PieceText).pieceCount, 1, 'the pieces start from it');
      assert.deepEqual(findings(analysis), findings(expected));
      for (const offset of [0, at, text.length - 1]) assert.deepEqual(analysis.lines.positionAt(offset), expected.lines.positionAt(offset));
      assert.equal(analysis.lines.lineText(position.line), expected.lines.lineText(position.line));
    }
  });
});
