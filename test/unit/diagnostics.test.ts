import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { BoardIndex, checkV2Board } from '../../server/src/engine/boards';
import { capDiagnostics, DIAGNOSTIC_CODES, type DiagnosticCode, type EngineDiagnostic } from '../../server/src/engine/diagnostics';
import { LIMITS } from '../../server/src/engine/limits';
import { generateColumnBoard } from '../../bench/boards';
import { fixturesDir, repoRoot, sharedExamples, timed } from './helpers';

/**
 * Diagnostics, checked against fixture folders under test/fixtures/diagnostics.
 * A fixture folder holds real-looking files plus `expected.json`: the exact list
 * of diagnostics its files give, as {file, line, col, endLine, endCol, code,
 * severity, messageIncludes} with 1-based positions. The list is complete, so
 * every fixture is a negative test too: no other diagnostic may appear.
 */

interface ExpectedDiagnostic {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  code: string;
  severity: string;
  messageIncludes?: string;
}

interface FoundDiagnostic extends ExpectedDiagnostic {
  message: string;
  diagnostic: EngineDiagnostic;
}

const EXPECTED_FILE = 'expected.json';
const diagnosticsFixtures = path.join(fixturesDir, 'diagnostics');
/** Every code some test below saw, for the coverage check at the end. */
const seenCodes = new Set<string>();

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return name === EXPECTED_FILE ? [] : [full];
  });
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** Analyzes a folder's files the way the server does, v2 cross-file rules included. */
function folderDiagnostics(folder: string, transform: (text: string) => string = (t) => t): FoundDiagnostic[] {
  const all: DocumentAnalysis[] = listFiles(folder)
    .sort()
    .map((file) => analyzeDocument(toPosix(file), transform(readFileSync(file, 'utf8'))));
  const boards = new BoardIndex(all);
  const found: FoundDiagnostic[] = [];
  for (const analysis of all) {
    for (const d of boards.diagnosticsFor(analysis)) {
      found.push(toFound(path.posix.relative(toPosix(folder), analysis.path), analysis, d));
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));
}

function toFound(file: string, analysis: DocumentAnalysis, d: EngineDiagnostic): FoundDiagnostic {
  seenCodes.add(d.code);
  const start = analysis.lines.positionAt(d.range.start);
  const end = analysis.lines.positionAt(d.range.end);
  return { file, line: start.line + 1, col: start.character + 1, endLine: end.line + 1, endCol: end.character + 1, code: d.code, severity: d.severity, message: d.message, diagnostic: d };
}

function positionKey(d: ExpectedDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}-${d.endLine}:${d.endCol} ${d.severity} ${d.code}`;
}

function fixtureFolders(root: string): string[] {
  const out: string[] = [];
  const visit = (folder: string) => {
    const names = readdirSync(folder);
    if (names.includes(EXPECTED_FILE)) out.push(folder);
    else names.map((name) => path.join(folder, name)).filter((full) => statSync(full).isDirectory()).forEach(visit);
  };
  visit(root);
  return out.sort();
}

/** Asserts the found diagnostics are exactly the expected ones, messages included. */
function assertDiagnostics(found: FoundDiagnostic[], expected: ExpectedDiagnostic[]): void {
  assert.deepEqual(found.map(positionKey), expected.map(positionKey));
  expected.forEach((e, i) => {
    if (e.messageIncludes) assert.ok(found[i].message.includes(e.messageIncludes), `${positionKey(e)}: "${found[i].message}" lacks "${e.messageIncludes}"`);
  });
}

/** Analyzes one in-memory document and returns its diagnostics with 1-based positions. */
function check(file: string, text: string, options: Parameters<typeof analyzeDocument>[2] = {}): FoundDiagnostic[] {
  const analysis = analyzeDocument(file, text, options);
  return analysis.diagnostics.map((d) => toFound(file, analysis, d));
}

function codes(found: FoundDiagnostic[]): string[] {
  return found.map((d) => d.code);
}

/** The text a diagnostic sits on. */
function covered(text: string, d: FoundDiagnostic): string {
  return text.slice(d.diagnostic.range.start, d.diagnostic.range.end);
}

function v1Board(tasks: string): string {
  return ['---', 'title: Payments', 'columns:', '  - id: todo', '    title: To Do', '    tasks:', tasks.replace(/\n$/, ''), '---', ''].join('\n');
}


describe('diagnostics: fixture folders', () => {
  for (const folder of fixtureFolders(diagnosticsFixtures)) {
    const name = toPosix(path.relative(diagnosticsFixtures, folder));
    it(name, () => {
      const expected = JSON.parse(readFileSync(path.join(folder, EXPECTED_FILE), 'utf8')) as ExpectedDiagnostic[];
      assertDiagnostics(folderDiagnostics(folder), expected);
    });
  }

  it('gives the same diagnostics for CRLF and BOM + CRLF copies, at the same lines and columns', () => {
    for (const folder of fixtureFolders(diagnosticsFixtures)) {
      const plain = folderDiagnostics(folder, (t) => t.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
      const crlf = folderDiagnostics(folder, (t) => t.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/\n/g, '\r\n'));
      const bom = folderDiagnostics(folder, (t) => '\uFEFF' + t.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/\n/g, '\r\n'));
      // The BOM is one character of line 1: only positions on that line move.
      const shiftBom = (d: FoundDiagnostic): ExpectedDiagnostic => ({ ...d, col: d.line === 1 ? d.col - 1 : d.col, endCol: d.endLine === 1 ? d.endCol - 1 : d.endCol });
      assert.deepEqual(crlf.map(positionKey), plain.map(positionKey), `CRLF ${folder}`);
      assert.deepEqual(bom.map(shiftBom).map(positionKey), plain.map(positionKey), `BOM ${folder}`);
      assert.deepEqual(crlf.map((d) => d.message), plain.map((d) => d.message), `CRLF messages ${folder}`);
    }
  });

  it('is deterministic and never reports one fault twice (same range and code)', () => {
    for (const folder of fixtureFolders(diagnosticsFixtures)) {
      const first = folderDiagnostics(folder);
      const second = folderDiagnostics(folder);
      assert.deepEqual(second.map((d) => [positionKey(d), d.message, d.diagnostic.data]), first.map((d) => [positionKey(d), d.message, d.diagnostic.data]));
      const keys = first.map(positionKey);
      assert.equal(new Set(keys).size, keys.length, `repeated diagnostic in ${folder}: ${keys.join('\n')}`);
    }
  });

  it('words every message as what was expected and what was found (or a suggestion)', () => {
    for (const folder of fixtureFolders(diagnosticsFixtures)) {
      for (const d of folderDiagnostics(folder)) {
        if (d.code === 'deprecated-field') continue; // says what to do instead
        assert.match(d.message, /expected|did you mean/i, `${positionKey(d)}: ${d.message}`);
        assert.doesNotMatch(d.message, /\bat line \d+|undefined|\[object Object\]/, d.message);
      }
    }
  });
});

describe('diagnostics: shared examples', () => {
  const shared = (relative: string) => path.join(sharedExamples, relative);

  it('board-v1 gives no diagnostics', () => {
    assert.deepEqual(folderDiagnostics(shared('board-v1')).map(positionKey), []);
  });

  it('board-v1-broken gives the expected set, each on its token', () => {
    const folder = shared('board-v1-broken');
    const text = readFileSync(path.join(folder, 'brainfile.md'), 'utf8');
    const found = folderDiagnostics(folder);
    assertDiagnostics(found, [
      { file: 'brainfile.md', line: 10, col: 19, endLine: 10, endCol: 30, code: 'invalid-enum', severity: 'error', messageIncludes: 'Invalid value "in-progress"' },
      { file: 'brainfile.md', line: 16, col: 15, endLine: 16, endCol: 19, code: 'missing-field', severity: 'error', messageIncludes: 'Missing required field "path"' },
      { file: 'brainfile.md', line: 18, col: 13, endLine: 18, endCol: 19, code: 'duplicate-id', severity: 'error', messageIncludes: 'Duplicate task id "task-1"' },
      { file: 'brainfile.md', line: 23, col: 23, endLine: 23, endCol: 31, code: 'invalid-type', severity: 'error', messageIncludes: 'Expected a list for "validation.commands", found the string "npm test"' },
      { file: 'brainfile.md', line: 27, col: 11, endLine: 27, endCol: 26, code: 'invalid-type', severity: 'error', messageIncludes: 'Expected an object for "contract", found a list' },
      { file: 'brainfile.md', line: 30, col: 9, endLine: 30, endCol: 17, code: 'missing-field', severity: 'error', messageIncludes: 'Missing required field "status" in contract' },
      { file: 'brainfile.md', line: 35, col: 15, endLine: 35, endCol: 17, code: 'empty-value', severity: 'error', messageIncludes: 'Expected a non-empty string' },
    ]);
    assert.deepEqual(
      found.map((d) => covered(text, d)),
      ['in-progress', 'type', 'task-1', 'npm test', '- status: ready', 'contract', '""'],
    );
    const enumFault = found[0].diagnostic;
    assert.equal(enumFault.data?.replacement, 'in_progress');
    assert.deepEqual(enumFault.data?.allowed, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
    assert.equal(found[5].diagnostic.data?.missingField, 'status');
  });

  it('board-v2 gives no diagnostics, cross-file rules included', () => {
    assert.deepEqual(folderDiagnostics(shared('board-v2')).map(positionKey), []);
  });

  it('the valid deployment contract gives none; the broken one gives the expected set', () => {
    const folder = shared('deployments');
    assertDiagnostics(folderDiagnostics(folder), [
      { file: '.glassops/deployment-contract.json', line: 5, col: 15, endLine: 5, endCol: 21, code: 'invalid-enum', severity: 'error', messageIncludes: 'Invalid value "sfdx" for "meta.engine"' },
      { file: '.glassops/deployment-contract.json', line: 6, col: 18, endLine: 6, endCol: 29, code: 'invalid-format', severity: 'error', messageIncludes: 'found the string "yesterday"' },
      { file: '.glassops/deployment-contract.json', line: 9, col: 13, endLine: 9, endCol: 24, code: 'status-quality-conflict', severity: 'information', messageIncludes: '4 failed tests and coverage 71.2 below the required 75' },
      { file: '.glassops/deployment-contract.json', line: 11, col: 58, endLine: 11, endCol: 62, code: 'coverage-met-mismatch', severity: 'error', messageIncludes: 'Expected false' },
      { file: '.glassops/deployment-contract.json', line: 12, col: 25, endLine: 12, endCol: 28, code: 'test-count-mismatch', severity: 'error', messageIncludes: 'Expected 122' },
    ]);
  });
});

describe('diagnostics: values, data and ranges', () => {
  it('quotes a number or boolean where a string belongs: status: 1 and id: 007', () => {
    const text = v1Board('      - id: 007\n        title: X\n        contract:\n          status: 1\n      - id: task-2\n        title: Y\n        assignee: true\n');
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(codes(found), ['invalid-type', 'invalid-type', 'invalid-type']);
    assert.deepEqual(found.map((d) => covered(text, d)), ['007', '1', 'true']);
    assert.deepEqual(found.map((d) => d.diagnostic.data?.replacement), ['"007"', '"1"', '"true"']);
    assert.match(found[0].message, /Expected a string for "id", found the number 007/);
  });

  it('accepts the nine statuses in v1 and v2, with an information note only where the published schema lacks one', () => {
    const noted = (file: string, text: string) => check(file, text).map((d) => `${d.severity} ${d.code}`);
    const v1 = (status: string) => noted('/ws/brainfile.md', v1Board(`      - id: task-1\n        title: X\n        contract:\n          status: ${status}\n`));
    const v2 = (status: string) => noted('/ws/.brainfile/board/task-1.md', `---\nid: task-1\ntitle: X\ncolumn: todo\ncontract:\n  status: ${status}\n---\n`);
    for (const status of ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked']) assert.deepEqual(v1(status).filter((d) => !d.endsWith('status-column-mismatch')), [], `v1 ${status}`);
    for (const status of ['reworking', 'cancelled']) assert.deepEqual(v1(status), ['information version-mismatch'], `v1 ${status}`);
    for (const status of ['ready', 'in_progress', 'delivered', 'done', 'failed', 'blocked']) assert.deepEqual(v2(status).filter((d) => !d.endsWith('status-column-mismatch')), [], `v2 ${status}`);
    for (const status of ['draft', 'reworking', 'cancelled']) assert.deepEqual(v2(status), ['information version-mismatch'], `v2 ${status}`);
    const [note] = check('/ws/.brainfile/board/task-1.md', '---\nid: task-1\ntitle: X\ncolumn: todo\ncontract:\n  status: draft\n---\n');
    assert.match(note.message, /not in the published Brainfile v2 contract schema.*the official CLI writes new contracts as draft/);
  });

  it('puts missing-field on the key of the object that lacks the field, with an insertion that fixes it', () => {
    const text = v1Board('      - id: task-1\n        title: X\n        contract:\n          deliverables:\n            - type: file\n              description: no path\n');
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(codes(found), ['missing-field', 'missing-field']);
    assert.deepEqual(found.map((d) => covered(text, d)), ['contract', 'type']);
    let fixed = text;
    for (const d of [...found].sort((a, b) => b.diagnostic.data!.insertOffset! - a.diagnostic.data!.insertOffset!)) {
      const { insertOffset, insertText } = d.diagnostic.data!;
      fixed = fixed.slice(0, insertOffset) + insertText + fixed.slice(insertOffset);
    }
    assert.deepEqual(check('/ws/brainfile.md', fixed), [], fixed);
  });

  it('reports several fields missing from one object once, with one insertion for all', () => {
    const text = '{\n  "schemaVersion": "1.0",\n  "status": "Failed"\n}\n';
    const found = check('/ws/.glassops/d.deployment.json', text);
    assert.deepEqual(codes(found), ['missing-field']);
    assert.deepEqual(found[0].diagnostic.data?.missingFields, ['meta', 'quality', 'audit']);
    assert.match(found[0].message, /"meta", "quality", "audit" in the deployment contract/);
    const { insertOffset, insertText } = found[0].diagnostic.data!;
    const fixed = text.slice(0, insertOffset) + insertText + text.slice(insertOffset);
    assert.deepEqual(codes(check('/ws/.glassops/d.deployment.json', fixed)).filter((c) => c === 'json-syntax'), []);
  });

  it('rejects a meta.timestamp with an offset on its exact token, as glassops\' zod datetime() does, and takes the same instant in Z', () => {
    const good = readFileSync(path.join(repoRoot, 'examples', 'deployments', '.glassops', 'glassops-contract.json'), 'utf8');
    const offset = good.replace('"2026-11-20T18:04:11Z"', '"2026-11-20T20:04:11+02:00"');
    const found = check('/ws/.glassops/glassops-contract.json', offset);
    assert.deepEqual(codes(found), ['invalid-format']);
    assert.equal(covered(offset, found[0]), '"2026-11-20T20:04:11+02:00"');
    assert.equal(found[0].severity, 'error');
    assert.equal(
      found[0].message,
      'Expected an ISO 8601 date-time in UTC such as 2026-11-20T18:04:11Z (glassops\' schema takes only Z as the time zone, not an offset like +02:00) for "meta.timestamp", found the string "2026-11-20T20:04:11+02:00".',
    );
    assert.deepEqual(check('/ws/.glassops/glassops-contract.json', good), []);
  });

  it('warns on unknown keys only when they look like typos', () => {
    const text = v1Board('      - id: task-1\n        title: X\n        jiraKey: PAY-1\n        contract:\n          stauts: ready\n          deliverable: []\n          constraint: []\n          reviewer: alice\n');
    const found = check('/ws/brainfile.md', text).filter((d) => d.code === 'unknown-field');
    assert.deepEqual(found.map((d) => covered(text, d)), ['stauts', 'deliverable', 'constraint']);
    assert.deepEqual(found.map((d) => d.diagnostic.data?.replacement), ['status', 'deliverables', 'constraints']);
    // A typo of a required key is one error, not also a missing-field.
    assert.deepEqual(found.map((d) => d.severity), ['error', 'warning', 'warning']);
    assert.ok(!check('/ws/brainfile.md', text).some((d) => d.code === 'missing-field'));
  });

  it('tags deprecated v2 context as deprecated, with a warning', () => {
    const found = check('/ws/.brainfile/board/task-1.md', '---\nid: task-1\ntitle: X\ncolumn: todo\ncontract:\n  status: ready\n  context:\n    background: why\n---\n');
    assert.deepEqual(codes(found), ['deprecated-field']);
    assert.equal(found[0].severity, 'warning');
    assert.deepEqual(found[0].diagnostic.tags, ['deprecated']);
    // The same key in v1 is fine.
    assert.deepEqual(check('/ws/brainfile.md', v1Board('      - id: task-1\n        title: X\n        contract:\n          status: ready\n          context:\n            background: why\n')), []);
  });

  it('reports a YAML duplicate key on the second key, block and flow', () => {
    const text = v1Board('      - id: task-1\n        title: X\n        title: Y\n        contract: {status: ready, status: done}\n');
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(codes(found), ['duplicate-key', 'duplicate-key']);
    assert.deepEqual(found.map((d) => [d.line, d.col, covered(text, d)]), [[9, 9, 'title'], [10, 35, 'status']]);
    assert.match(found[0].message, /Duplicate key "title"/);
  });

  it('reports a JSON duplicate key on the second key', () => {
    const text = '{\n  "schemaVersion": "1.0",\n  "schemaVersion": "1.0"\n}';
    const found = check('/ws/.glassops/d.deployment.json', text).filter((d) => d.code === 'duplicate-key');
    assert.deepEqual(found.map((d) => [d.line, d.col, covered(text, d)]), [[3, 3, '"schemaVersion"']]);
  });

  it('reads YAML merge keys: merged fields count, and a fault in them is reported once', () => {
    const text = '---\ntitle: T\nx-defaults: &d\n  status: ready\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: A\n        contract:\n          <<: *d\n      - id: task-2\n        title: B\n        contract:\n          <<: [*d]\n          deliverables: [{type: file, path: a.ts}]\n---\n';
    assert.deepEqual(check('/ws/brainfile.md', text), []);
  });

  it('flags a contract that is null or a list, on the value', () => {
    const text = v1Board('      - id: task-1\n        title: X\n        contract: null\n      - id: task-2\n        title: Y\n        contract: [ready]\n      - id: task-3\n        title: Z\n        contract:\n');
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(codes(found), ['invalid-type', 'invalid-type', 'invalid-type']);
    assert.deepEqual(found.map((d) => covered(text, d)), ['null', '[ready]', 'contract']);
    assert.match(found[2].message, /found an empty value/);
  });

  it('reports a second YAML document in a fenced block, and the block is then not schema-checked', () => {
    const text = '---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n---\n\n```yaml\nid: task-9\ntitle: X\ncontract:\n  status: bogus\n---\nmore: 1\n```\n';
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(found.map((d) => [d.code, d.line, covered(text, d)]), [['yaml-syntax', 13, '---']]);
  });
});

describe('diagnostics: syntax', () => {
  const deployment = '/ws/.glassops/d.deployment.json';

  for (const [name, text, line, col, token, pattern] of [
    ['a trailing comma', '{\n  "schemaVersion": "1.0",\n}', 2, 25, ',', /Trailing comma/],
    ['a comment', '{\n  /* no */ "schemaVersion": "1.0"\n}', 2, 3, '/* no */', /Comments are not allowed/],
    ['NaN', '{\n  "quality": { "coverage": { "actual": NaN } }\n}', 2, 40, 'NaN', /NaN, Infinity/],
    ['a missing brace', '{\n  "schemaVersion": "1.0"\n', 2, 24, '"', /Expected a closing brace/],
  ] as const) {
    it(`json-syntax: ${name}, once, on the token, and no schema noise`, () => {
      const found = check(deployment, text);
      assert.deepEqual(found.map((d) => [d.code, d.line, d.col, covered(text, d)]), [['json-syntax', line, col, token]]);
      assert.match(found[0].message, pattern);
    });
  }

  for (const [name, yaml, line, col, token, pattern] of [
    ['a tab in the indentation', '      - id: task-1\n\ttitle: X\n', 8, 1, '\t', /tab/],
    ['a key out of line', '      - id: task-1\n        title: X\n       priority: high\n', 9, 8, 'priority', /Bad indentation.*column 8/],
    ['a mapping key out of line', '      - id: task-1\n        title: X\n        contract:\n          status: ready\n         priority: high\n', 11, 10, 'priority', /Bad indentation.*column 10/],
    ['a key indented too deep', '      - id: task-1\n        title: X\n          priority: high\n', 9, 11, 'priority', /indented deeper/],
    ['an unclosed quote', '      - id: task-1\n        title: "Rate limit\n', 8, 16, '"Rate limit', /never closed/],
    ['key: value twice on a line', '      - id: task-1\n        title: a: b\n', 8, 16, 'a: b', /same line/],
  ] as const) {
    it(`yaml-syntax: ${name}, once, on the token, and no schema noise`, () => {
      const text = v1Board(yaml);
      const found = check('/ws/brainfile.md', text);
      assert.deepEqual(found.map((d) => [d.code, d.line, d.col, covered(text, d)]), [['yaml-syntax', line, col, token]]);
      assert.match(found[0].message, pattern);
      assert.match(found[0].message, /expected/i);
    });
  }

  it('frontmatter-unclosed sits on the opening ---', () => {
    const found = check('/ws/brainfile.md', '---\ntitle: T\ncolumns: []\n\n# Body\n');
    assert.deepEqual(found.map((d) => [d.code, d.line, d.col, d.endCol]), [['frontmatter-unclosed', 1, 1, 4]]);
  });

  it('a v2 task file without front matter says what it expected', () => {
    const found = check('/ws/.brainfile/board/task-1.md', '# Just a heading\n');
    assert.deepEqual(codes(found), ['missing-field']);
    assert.match(found[0].message, /front matter/);
  });
});

describe('diagnostics: limits', () => {
  it('file-too-large: honours maxFileBytes and checks nothing else', () => {
    const text = v1Board('      - id: task-1\n        title: X\n        contract:\n          status: bogus\n');
    const found = check('/ws/brainfile.md', text, { maxFileBytes: 100 });
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.line]), [['file-too-large', 'information', 1]]);
    assert.match(found[0].message, /over the 1 KB limit/);
    assert.deepEqual(codes(check('/ws/brainfile.md', text, { maxFileBytes: 10_000 })), ['invalid-enum']);
  });

  it('binary-content: a NUL byte stops the check, on the NUL', () => {
    const text = '---\ntitle: T\u0000\ncolumns: []\n---\n';
    const found = check('/ws/brainfile.md', text);
    assert.deepEqual(found.map((d) => [d.code, d.severity, covered(text, d)]), [['binary-content', 'warning', '\u0000']]);
  });

  it('alias-limit: a billion-laughs bomb is stopped fast, with one diagnostic', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const text = `---\ntitle: T\ncolumns: []\n${lines.join('\n')}\n---\n`;
    const { result, ms } = timed(() => check('/ws/brainfile.md', text));
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepEqual(codes(result), ['alias-limit']);
    assert.match(covered(text, result[0]), /^\*a\d+$/);
  });

  const depth = 10_000;
  for (const [name, file, text] of [
    ['YAML flow [[[…]]]', '/ws/brainfile.md', `---\ntitle: T\ncolumns: []\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n---\n`],
    ['YAML flow {a: {a: …}}', '/ws/brainfile.md', `---\ntitle: T\ncolumns: []\nx: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n---\n`],
    ['YAML block - - - …', '/ws/brainfile.md', `---\ntitle: T\ncolumns: []\nx:\n  ${'- '.repeat(depth)}leaf\n---\n`],
    ['YAML block mappings, one space deeper each', '/ws/brainfile.md', `---\ntitle: T\ncolumns: []\nx:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n---\n`],
    ['JSON arrays', '/ws/.glassops/d.deployment.json', `{"a": ${'['.repeat(depth)}${']'.repeat(depth)}}`],
    ['JSON objects', '/ws/.glassops/d.deployment.json', `{"a": ${'{"b": '.repeat(depth)}1${'}'.repeat(depth)}}`],
  ] as const) {
    it(`nesting-too-deep: ${name}, never a crash, one diagnostic`, () => {
      const { result, ms } = timed(() => check(file, text));
      assert.deepEqual(codes(result), ['nesting-too-deep']);
      assert.ok(ms < 10000, `took ${ms} ms`);
      assert.match(result[0].message, new RegExp(String(LIMITS.maxDepth)));
    });
  }
});

describe('diagnostics: v2 cross-file rules (checkV2Board)', () => {
  const config = analyzeDocument('/ws/.brainfile/brainfile.md', '---\ntitle: T\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: done\n    title: Done\n---\n');
  const task = (file: string, body: string) => analyzeDocument(`/ws/.brainfile/${file}`, `---\n${body}contract:\n  status: ready\n---\n`);

  it('reports a duplicate id in the later file, a missing blockedBy target and an unknown column', () => {
    const a = task('board/task-1.md', 'id: task-1\ntitle: A\ncolumn: todo\nblockedBy: [task-2, task-9]\n');
    const b = task('board/task-2.md', 'id: task-2\ntitle: B\ncolumn: todo\n');
    const c = task('board/task-3.md', 'id: task-2\ntitle: C\ncolumn: doing\n');
    const found = checkV2Board(config, [a, b, c]);
    const list = (analysis: DocumentAnalysis) => (found.get(analysis.path) ?? []).map((d) => toFound(analysis.path, analysis, d));
    assert.deepEqual(list(a).map((d) => [d.code, covered(a.text, d)]), [['unknown-task-ref', 'task-9']]);
    assert.deepEqual(list(b), []);
    assert.deepEqual(list(c).map((d) => [d.code, d.severity, covered(c.text, d)]), [['duplicate-id', 'error', 'task-2'], ['unknown-column', 'hint', 'doing']]);
    assert.match(list(c)[0].message, /in task-2\.md/);
    assert.deepEqual(list(c)[1].diagnostic.data?.allowed, ['todo', 'done']);
  });

  it('lets tasks in logs/ keep a column the board no longer has, and resolves blockedBy to them', () => {
    const active = task('board/task-1.md', 'id: task-1\ntitle: A\ncolumn: todo\nblockedBy: [task-5]\n');
    const log = task('logs/task-5.md', 'id: task-5\ntitle: Old\ncolumn: shipped\n');
    assert.deepEqual([...checkV2Board(config, [active, log]).values()].flat(), []);
  });

  it('without a board config, still checks ids and references but not columns', () => {
    const a = task('board/task-1.md', 'id: task-1\ntitle: A\ncolumn: nowhere\nblockedBy: [task-7]\n');
    assert.deepEqual([...checkV2Board(undefined, [a]).values()].flat().map((d) => d.code), ['unknown-task-ref']);
  });
});

describe('diagnostics: at most maxDiagnostics per file (capDiagnostics)', () => {
  const analysis = analyzeDocument('/ws/brainfile.md', generateColumnBoard(1500, { invalid: true }).replace('    order: 1400\n', '    ordr: 1400\n'));

  it('keeps the first 1,000 by default, then one notice on the first finding left out, saying how many more', () => {
    assert.equal(analysis.diagnostics.length, 1501);
    const capped = capDiagnostics(analysis.diagnostics).map((d) => toFound('brainfile.md', analysis, d));
    assert.equal(capped.length, 1001);
    const notice = capped[1000];
    assert.deepEqual([notice.code, notice.severity, covered(analysis.text, notice)], ['too-many-findings', 'information', 'stage_1001']);
    assert.equal(notice.message, '501 more findings in this file are not shown: at most 1,000 are (setting contracts.maxDiagnostics). Fix these first, or raise the setting.');
    assert.equal(capped.filter((d) => d.code === 'invalid-format').length, 1000);
  });

  it('keeps errors before warnings, and leaves a list within the limit as it is', () => {
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'warning').map((d) => covered(analysis.text, toFound('brainfile.md', analysis, d))), ['ordr']);
    const capped = capDiagnostics(analysis.diagnostics, 10);
    assert.deepEqual(capped.slice(0, 10).map((d) => d.severity), Array(10).fill('error'));
    assert.match(capped[10].message, /^1,491 more findings .* at most 10 are/);
    const within = analysis.diagnostics.slice(0, 5);
    assert.equal(capDiagnostics(within, 5), within);
    assert.equal(capDiagnostics(analysis.diagnostics, 1501), analysis.diagnostics);
  });
});

describe('diagnostics: coverage of the codes', () => {
  it('every code in DIAGNOSTIC_CODES is produced by some test above', () => {
    // schema-violation is the fallback for JSON Schema keywords our schemas do not use.
    const unreachable: DiagnosticCode[] = ['schema-violation'];
    const missing = (Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]).filter((code) => !seenCodes.has(code) && !unreachable.includes(code));
    assert.deepEqual(missing, []);
  });
});
