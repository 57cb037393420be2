import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { escapeData, escapeProperty, toGithubAnnotations } from '../../server/src/cli/githubAnnotations';
import { DIAGNOSTIC_CODES } from '../../server/src/engine/diagnostics';
import { fixturesDir, readText, repoRoot } from './helpers';

const cliPath = path.join(repoRoot, 'dist', 'cli.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a SARIF log read back to check its fields
type Json = any;

function contracts(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The vendored OASIS schema is draft-04, which Ajv 8 reads as draft-07 once its
 * root `id` is spelt `$id`: the schema uses no keyword whose meaning changed
 * between the two drafts (no `exclusiveMinimum`/`exclusiveMaximum`).
 */
function sarifValidator() {
  const schema = JSON.parse(readText(path.join(fixturesDir, 'sarif', 'sarif-schema-2.1.0.json'))) as Record<string, Json>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  assert.doesNotMatch(JSON.stringify(schema), /"exclusive(Minimum|Maximum)"/);
  const { id, $schema: _draft, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id });
}

const BOARD = '---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: "Ünïcode, 100%: done"\n        blockedBy: [task-9]\n        contract:\n          status: in-progress\n          constraint: [x]\n---\n';

describe('cli: --format sarif and github, and a closed pipe', function () {
  this.timeout(60_000);
  let temp: string;

  before(function () {
    assert.ok(existsSync(cliPath), 'dist/cli.js is built (npm test bundles first)');
    temp = mkdtempSync(path.join(tmpdir(), 'contracts-formats-'));
    mkdirSync(path.join(temp, 'boards', 'a b'), { recursive: true });
    writeFileSync(path.join(temp, 'boards', 'a b', 'brainfile.md'), BOARD);
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  it('writes SARIF 2.1.0 that the official schema accepts, with rules, regions and levels', () => {
    const run = contracts(['check', '--format', 'sarif'], temp);
    assert.equal(run.status, 1, run.stderr);
    const log = JSON.parse(run.stdout) as Json;
    const validate = sarifValidator();
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'the schema does reject a driver without a name');

    const [sarifRun] = log.runs;
    const rules = sarifRun.tool.driver.rules as Array<{ id: string; helpUri: string; shortDescription: { text: string } }>;
    assert.deepEqual(rules.map((r) => r.id), Object.keys(DIAGNOSTIC_CODES));
    const enumRule = rules.find((r) => r.id === 'invalid-enum')!;
    assert.equal(enumRule.helpUri, 'https://github.com/contract-workbench/contract-workbench/blob/main/docs/diagnostic-codes.md#invalid-enum');
    assert.equal(enumRule.shortDescription.text, 'A value is not one of the allowed values.');
    assert.equal(sarifRun.columnKind, 'utf16CodeUnits');

    const results = sarifRun.results as Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: object } }> }>;
    const byRule = Object.fromEntries(results.map((r) => [r.ruleId, r]));
    assert.deepEqual(Object.keys(byRule).sort(), ['invalid-enum', 'unknown-field', 'unknown-task-ref']);
    assert.equal(byRule['invalid-enum'].level, 'error');
    assert.equal(byRule['unknown-field'].level, 'warning');
    assert.equal(rules[byRule['unknown-task-ref'].ruleIndex].id, 'unknown-task-ref');
    const location = byRule['invalid-enum'].locations[0].physicalLocation;
    assert.deepEqual(location.artifactLocation, { uri: 'boards/a%20b/brainfile.md', uriBaseId: '%SRCROOT%' });
    // `status: in-progress` is on line 11; the value spans columns 19 to 30 (end exclusive), as the text format says.
    assert.deepEqual(location.region, { startLine: 11, startColumn: 19, endLine: 11, endColumn: 30 });
    assert.match(contracts(['check'], temp).stdout, /boards\/a b\/brainfile\.md:11:19 error invalid-enum/);
    assert.equal(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, 'file://' + encodeURI(temp.replace(/\\/g, '/')) + '/');
  });

  it('writes a valid SARIF log with no results for a clean folder', () => {
    const clean = path.join(temp, '..', path.basename(temp) + '-clean');
    mkdirSync(clean, { recursive: true });
    writeFileSync(path.join(clean, 'brainfile.md'), BOARD.replace('in-progress', 'ready').replace('          constraint: [x]\n', '').replace('[task-9]', '[]'));
    const run = contracts(['check', '--format', 'sarif'], clean);
    assert.equal(run.status, 0, run.stdout);
    const log = JSON.parse(run.stdout) as Json;
    assert.equal(sarifValidator()(log), true);
    assert.deepEqual(log.runs[0].results, []);
    rmSync(clean, { recursive: true, force: true });
  });

  it('prints GitHub workflow annotations, escaped', () => {
    const run = contracts(['check', '--format', 'github'], temp);
    assert.equal(run.status, 1);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], '::error file=boards/a b/brainfile.md,line=9,col=21,endLine=9,endColumn=27,title=contracts unknown-task-ref::blockedBy names "task-9", but no task with that id exists in this board. Expected the id of a task on this board.');
    assert.match(lines[1], /^::error file=boards\/a b\/brainfile\.md,line=11,col=19,endLine=11,endColumn=30,title=contracts invalid-enum::Invalid value "in-progress"/);
    assert.match(lines[2], /^::warning file=.*title=contracts unknown-field::/);
  });

  it('escapes %, CR and LF in messages, and : and , in properties, as the runner expects', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    const [line] = toGithubAnnotations([{ file: 'x,y:z.md', line: 1, column: 2, endLine: 1, endColumn: 3, severity: 'hint', code: 'status-column-mismatch', message: 'two\nlines, 5%' }]);
    assert.equal(line, '::notice file=x%2Cy%3Az.md,line=1,col=2,endLine=1,endColumn=3,title=contracts status-column-mismatch::two%0Alines, 5%25');
  });

  it('ends quietly when the reader stops early (contracts check . | head)', async () => {
    const many = path.join(temp, '..', path.basename(temp) + '-many');
    for (let i = 0; i < 400; i++) {
      mkdirSync(path.join(many, `b${i}`), { recursive: true });
      writeFileSync(path.join(many, `b${i}`, 'brainfile.md'), BOARD);
    }
    const child = spawn(process.execPath, [cliPath, 'check', '.'], { cwd: many, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Like `head -1`: read one chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(stderr, '');
    rmSync(many, { recursive: true, force: true });
    assert.equal(status, 1, 'the check still fails on errors');
  });
});
