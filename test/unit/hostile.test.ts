import { strict as assert } from 'node:assert';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import type { EngineDiagnostic } from '../../server/src/engine/diagnostics';
import { provideCompletions } from '../../server/src/features/completion';
import { toLspDiagnostic } from '../../server/src/features/convert';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { provideHover } from '../../server/src/features/hover';
import { generateColumnBoard } from '../../bench/boards';
import { FixtureWorkspace, timed } from './helpers';

/**
 * Hostile input the engine must survive with a clear diagnostic, quickly.
 * Cases already in diagnostics.test.ts (alias bomb, 10,000-deep flow nesting,
 * NUL bytes, duplicate and merge keys, tabs, `status: 1`, contract null or a
 * list in v1, JSON comments, trailing commas, NaN) are not repeated here.
 */

const BOARD = '/ws/brainfile.md';
const TASK = '/ws/.brainfile/board/task-1.md';
const DEPLOYMENT = '/ws/.glassops/d.deployment.json';
const MB = 1024 * 1024;

function v1Board(title = 'X', body = ''): string {
  return `---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: ${title}\n        contract:\n          status: ready\n---\n${body}`;
}

function v2Task(fields: string): string {
  return `---\nid: task-1\ntitle: X\ncolumn: todo\n${fields}---\n`;
}


function codes(analysis: DocumentAnalysis): string[] {
  return analysis.diagnostics.map((d) => d.code);
}

function covered(analysis: DocumentAnalysis, d: EngineDiagnostic): string {
  return analysis.text.slice(d.range.start, d.range.end);
}

/** Every diagnostic sits inside the document and, in LSP terms, within its line. */
function assertRangesInside(analysis: DocumentAnalysis): void {
  for (const d of analysis.diagnostics) {
    assert.ok(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= analysis.text.length, `${d.code} ${d.range.start}-${d.range.end}`);
    const { range } = toLspDiagnostic(analysis.lines, d);
    for (const p of [range.start, range.end]) assert.ok(p.character <= analysis.lines.lineText(p.line).length, `${d.code} ends past its line at ${p.line}:${p.character}`);
  }
}

/** Features at a few offsets, as the server would answer them. */
function exerciseFeatures(analysis: DocumentAnalysis): void {
  const context = new FixtureWorkspace({});
  for (const offset of [0, analysis.text.length >> 1, analysis.text.length]) {
    const position = analysis.lines.positionAt(offset);
    provideCompletions(analysis, position, context);
    provideHover(analysis, position, context);
  }
  provideDocumentSymbols(analysis);
}

describe('hostile input: size', function () {
  this.timeout(20_000);

  it('a 20 MB board gets one file-too-large notice on line 1, fast, and nothing else', () => {
    const text = v1Board('X', 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil((20 * MB) / 27)));
    const { result, ms } = timed(() => analyzeDocument(BOARD, text));
    assert.ok(ms < 10000, `took ${ms} ms`);
    assert.deepEqual(codes(result), ['file-too-large']);
    assert.equal(result.skipped, 'too-large');
    assert.match(result.diagnostics[0].message, /20\.0 MB, over the 5\.0 MB limit \(setting contracts\.maxFileSizeKB\)/);
    assert.equal(covered(result, result.diagnostics[0]), '---');
  });

  it('a 2 MB single line in a front matter value, in the body and in JSON: checked in time, short messages', () => {
    const long = 'x'.repeat(2 * MB);
    const inValue = analyzeDocument(BOARD, v1Board(long));
    const inBody = analyzeDocument(BOARD, v1Board('X', long));
    assert.deepEqual(codes(inValue), []);
    assert.deepEqual(codes(inBody), []);
    exerciseFeatures(inValue);
    const { result: json, ms } = timed(() => analyzeDocument(DEPLOYMENT, `{"status": "${long}"}`));
    assert.ok(ms < 10000, `took ${ms} ms`);
    const enumFault = json.diagnostics.find((d) => d.code === 'invalid-enum');
    assert.ok(enumFault, codes(json).join(','));
    // The value is named, shortened: a 2 MB message would be sent on every keystroke.
    assert.ok(enumFault!.message.length < 300, `message of ${enumFault!.message.length} characters`);
    assert.match(enumFault!.message, /Invalid value "x{10,}…" for "status"/);
  });

  it('a line of 20,000 stray quotes: one syntax error, checked in well under a second', () => {
    const text = v1Board('X').replace('title: T', `title: T\nx: ${'"'.repeat(20001)}`);
    const { result, ms } = timed(() => analyzeDocument(BOARD, text));
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepEqual(codes(result), ['yaml-syntax']);
    assertRangesInside(result);
  });

  it('20,000 duplicate keys and 20,000 unclosed quotes stay bounded in time', () => {
    for (const line of ['a: 1\n', 'a: "x\n']) {
      const text = `---\ntitle: T\ncolumns: []\n${line.repeat(20000)}---\n`;
      const { result, ms } = timed(() => analyzeDocument(BOARD, text));
      assert.ok(ms < 15000, `${JSON.stringify(line)} took ${ms} ms`);
      assert.ok(result.diagnostics.length > 0);
      assertRangesInside(result);
    }
  });

  it('5,000 flow levels opened and never closed: nesting-too-deep before the parser recurses', () => {
    const text = v1Board('X').replace('title: T', `title: T\nx: ${'[a, '.repeat(5000)}`);
    const { result, ms } = timed(() => analyzeDocument(BOARD, text));
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepEqual(codes(result), ['nesting-too-deep']);
    assert.equal(covered(result, result.diagnostics[0]), '[');
  });

  it('brackets inside quotes and comments do not count as nesting', () => {
    const text = v1Board(`"${'['.repeat(300)}"`).replace('title: T', `title: T # ${'{'.repeat(300)}\nnote: '${'['.repeat(300)}'`);
    assert.deepEqual(codes(analyzeDocument(BOARD, text)), []);
  });
});

describe('hostile input: 40,000 columns (4 MB, no tasks, so no chunked parse)', function () {
  this.timeout(180_000);

  it('valid: no finding, and the features answer on it', () => {
    const analysis = analyzeDocument(BOARD, generateColumnBoard(40_000));
    assert.ok(analysis.text.length > 3.5 * MB, `${analysis.text.length} characters`);
    assert.deepEqual(codes(analysis), []);
    assert.equal(analysis.board?.columns.length, 40_000);
    exerciseFeatures(analysis);
  });

  it('invalid: one invalid-format per column id, each on its id, all inside the document', () => {
    const analysis = analyzeDocument(BOARD, generateColumnBoard(40_000, { invalid: true }));
    assert.equal(analysis.diagnostics.length, 40_000);
    assert.deepEqual([...new Set(codes(analysis))], ['invalid-format']);
    assert.equal(covered(analysis, analysis.diagnostics[0]), 'stage_1');
    assert.equal(covered(analysis, analysis.diagnostics[39_999]), 'stage_40000');
    assertRangesInside(analysis);
    exerciseFeatures(analysis);
  });
});

describe('hostile input: bytes and encodings', () => {
  it('invalid UTF-8 read from a Buffer becomes U+FFFD: a key with one reads as a likely typo', () => {
    const bytes = Buffer.concat([Buffer.from('---\nid: task-1\ntitle: caf'), Buffer.from([0xc3, 0x28, 0xff, 0x80]), Buffer.from('\ncolumn: todo\ncontract:\n  sta'), Buffer.from([0xfe]), Buffer.from('us: ready\n---\n')]);
    const text = bytes.toString('utf8');
    assert.ok(text.includes('\uFFFD'));
    const analysis = analyzeDocument(TASK, text);
    assert.deepEqual(codes(analysis), ['unknown-field']);
    assert.equal(covered(analysis, analysis.diagnostics[0]), 'sta\uFFFDus');
    assert.match(analysis.diagnostics[0].message, /Did you mean "status"\?/);
    assert.equal(analysis.task?.title, 'caf\uFFFD(\uFFFD\uFFFD');
  });

  it('a control byte inside a JSON string is one json-syntax error on the string', () => {
    const text = Buffer.concat([Buffer.from('{"schemaVersion": "1.0'), Buffer.from([0xff, 0x01]), Buffer.from('"}')]).toString('utf8');
    const analysis = analyzeDocument(DEPLOYMENT, text);
    assert.deepEqual(codes(analysis), ['json-syntax']);
    assert.match(analysis.diagnostics[0].message, /control characters to be escaped/);
  });

  it('old Mac line endings (a lone CR) read as line breaks, as the editor shows them', () => {
    const analysis = analyzeDocument(BOARD, v1Board('X').replace(/\n/g, '\r'));
    assert.deepEqual(codes(analysis), []);
    assert.equal(analysis.board?.tasks[0]?.id, 'task-1');
  });

  it('a parser error on the CR of a CRLF sits on the text before it, never past the line end', () => {
    const text = '---\r\ntitle: T\r\ncolumns:\r\n  - id: todo\r\n    title: To Do\r\n    tasks:\r\n      : s\r\n      - <<:\r\n---\r\n';
    const analysis = analyzeDocument(BOARD, text);
    assert.deepEqual(codes(analysis), ['yaml-syntax']);
    assertRangesInside(analysis);
  });

  it('an empty file and a BOM-only file: a clear message, a range inside the document', () => {
    const bomOnly = analyzeDocument(TASK, '\uFEFF');
    assert.deepEqual(codes(bomOnly), ['missing-field']);
    assert.match(bomOnly.diagnostics[0].message, /front matter/);
    assertRangesInside(bomOnly);
    assert.deepEqual(codes(analyzeDocument(BOARD, '')), []);
    const json = analyzeDocument(DEPLOYMENT, '');
    assert.deepEqual(codes(json), ['json-syntax']);
    assert.match(json.diagnostics[0].message, /found the end of the file/);
  });
});

describe('hostile input: YAML and JSON shapes', () => {
  it('a v2 task file whose front matter never closes', () => {
    const analysis = analyzeDocument(TASK, '---\nid: task-1\ntitle: X\ncontract:\n  status: ready\n\n# Notes\n');
    assert.deepEqual(analysis.diagnostics.map((d) => [d.code, covered(analysis, d)]), [['frontmatter-unclosed', '---']]);
    assert.match(analysis.diagnostics[0].message, /never closes\. Expected a line with only ---/);
  });

  it('a v2 contract that is null, a list or a string: invalid-type on the value', () => {
    for (const [value, found] of [['null', 'null'], ['[ready]', 'a list'], ['ready', 'the string "ready"']]) {
      const analysis = analyzeDocument(TASK, v2Task(`contract: ${value}\n`));
      assert.deepEqual(analysis.diagnostics.map((d) => [d.code, covered(analysis, d)]), [['invalid-type', value]]);
      assert.match(analysis.diagnostics[0].message, new RegExp(`Expected an object for "contract", found ${found.replace(/[[\]"]/g, '.')}`));
    }
  });

  it('numbers where v2 strings belong: id: 007, title: 1.0, column: 12, status: 1', () => {
    const analysis = analyzeDocument(TASK, '---\nid: 007\ntitle: 1.0\ncolumn: 12\ncontract:\n  status: 1\n---\n');
    assert.deepEqual(analysis.diagnostics.map((d) => [d.code, covered(analysis, d)]), [['invalid-type', '007'], ['invalid-type', '1.0'], ['invalid-type', '12'], ['invalid-type', '1']]);
    assert.equal(analysis.diagnostics[0].data?.replacement, '"007"');
  });

  it('<< merging a scalar or a list of scalars: invalid-type on the merged value; an unknown alias is reported once', () => {
    const scalar = analyzeDocument(TASK, v2Task('contract:\n  <<: 1\n  status: ready\n'));
    assert.deepEqual(scalar.diagnostics.map((d) => [d.code, covered(scalar, d)]), [['invalid-type', '1']]);
    assert.match(scalar.diagnostics[0].message, /Expected a mapping \(or a list of mappings\) to merge with <<, found the number 1/);
    const list = analyzeDocument(TASK, v2Task('x: &s ready\ncontract:\n  <<: [*s]\n  status: ready\n'));
    assert.deepEqual(list.diagnostics.map((d) => [d.code, covered(list, d)]), [['invalid-type', '*s']]);
    const unknown = analyzeDocument(TASK, v2Task('contract:\n  <<: *nope\n  status: ready\n'));
    assert.deepEqual(unknown.diagnostics.map((d) => [d.code, covered(unknown, d)]), [['yaml-syntax', '*nope']]);
  });

  it('a list used as a mapping key, holding a bad merge, is a syntax error on its line, not a parser crash', () => {
    const analysis = analyzeDocument(BOARD, '---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      : s\n      - <<:\n---\n');
    assert.deepEqual(codes(analysis), ['yaml-syntax']);
    assert.doesNotMatch(analysis.diagnostics[0].message, /cannot be parsed/);
  });

  it('a front matter ended by ... and followed by another document reads the first one only', () => {
    const analysis = analyzeDocument(TASK, '---\nid: task-1\ntitle: X\ncolumn: todo\n...\n---\nid: task-2\n---\n');
    assert.deepEqual(codes(analysis), []);
    assert.equal(analysis.task?.id, 'task-1');
  });

  it('JSON -Infinity, Infinity, 1e400 and a 400-digit number: one diagnostic each, on the token', () => {
    const text = `{"schemaVersion": Infinity, "a": -Infinity, "b": 1e400, "c": -${'9'.repeat(400)}}`;
    const analysis = analyzeDocument(DEPLOYMENT, text);
    assert.deepEqual(
      analysis.diagnostics.map((d) => [d.code, covered(analysis, d).slice(0, 12)]),
      [['json-syntax', 'Infinity'], ['json-syntax', '-Infinity'], ['out-of-range', '1e400'], ['out-of-range', '-99999999999']],
    );
    assert.match(analysis.diagnostics[1].message, /found "-Infinity"/);
  });
});
