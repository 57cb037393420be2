import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './helpers';

/** Runs the bundled CLI, as a user would, from `cwd`. */
const cliPath = path.join(repoRoot, 'dist', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function contracts(args: string[], cwd = repoRoot): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function json(run: Run): JsonDiagnostic[] {
  return JSON.parse(run.stdout) as JsonDiagnostic[];
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

const VALID_BOARD = '---\ntitle: T\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: A\n        contract:\n          status: ready\n---\n';
const BROKEN_BOARD = VALID_BOARD.replace('status: ready', 'status: in-progress');

describe('cli: contracts check', function () {
  this.timeout(60_000);
  let temp: string;

  before(function () {
    // `npm test` bundles first; a bare mocha run may not have.
    if (!existsSync(cliPath)) {
      const build = spawnSync('npx', ['esbuild', 'server/src/cli.ts', '--bundle', '--platform=node', '--format=cjs', '--main-fields=module,main', `--outfile=${cliPath}`], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    temp = mkdtempSync(path.join(tmpdir(), 'contracts-cli-'));
  });

  after(() => rmSync(temp, { recursive: true, force: true }));

  it('starts with a shebang, so it runs as the `contracts` bin', () => {
    assert.match(readFileSync(cliPath, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('--help and --version exit 0', () => {
    const help = contracts(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: contracts check/);
    assert.match(help.stdout, /--format text\|json\|sarif\|github/);
    const version = contracts(['--version']);
    assert.equal(version.status, 0);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  it('exits 2 on bad usage: no command, unknown command, unknown flag, bad --format, bad size, missing path', () => {
    for (const args of [[], ['lint'], ['check', '--strict'], ['check', '--format', 'xml'], ['check', '--format'], ['check', '--max-size-kb', 'ten'], ['check', 'no/such/file.md'], ['check', 'examples/**/*.nomatch']]) {
      const run = contracts(args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.ok(run.stderr.length > 0, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
    }
    assert.match(contracts(['check', '--format', 'xml']).stderr, /--format must be one of text, json, sarif, github, found "xml"/);
    assert.match(contracts(['check', 'nope.md']).stderr, /no such file or folder: nope\.md/);
  });

  it('exits 0 on the valid examples, with a summary line', () => {
    const run = contracts(['check', 'examples/board-v1', 'examples/board-v2', 'examples/deployments/.glassops/glassops-contract.json', 'examples/deployments/release.deployment.json']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout.trim(), '0 errors, 0 warnings, 0 notes in 0 files (9 files checked)');
  });

  it('exits 1 on the broken board, printing file:line:col severity code message relative to cwd', () => {
    const run = contracts(['check', 'examples/board-v1-broken']);
    assert.equal(run.status, 1);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], 'examples/board-v1-broken/brainfile.md:10:19 error invalid-enum Invalid value "in-progress" for "contract.status". Expected one of draft, ready, in_progress, delivered, done, failed, reworking, blocked, cancelled. Did you mean in_progress?');
    assert.equal(lines.length, 8);
    assert.equal(lines[7], '7 errors, 0 warnings, 0 notes in 1 file (1 file checked)');
    // Relative to the cwd the CLI runs in.
    const inside = contracts(['check', '.'], path.join(repoRoot, 'examples', 'board-v1-broken'));
    assert.match(inside.stdout, /^brainfile\.md:10:19 error invalid-enum/);
  });

  it('--format json gives an array of {file, line, column, endLine, endColumn, severity, code, message}', () => {
    const run = contracts(['check', 'examples/deployments', '--format', 'json']);
    assert.equal(run.status, 1);
    const found = json(run);
    assert.deepEqual(
      found.map((d) => [d.file, d.line, d.column, d.endLine, d.endColumn, d.severity, d.code]),
      [
        ['examples/deployments/.glassops/deployment-contract.json', 5, 15, 5, 21, 'error', 'invalid-enum'],
        ['examples/deployments/.glassops/deployment-contract.json', 6, 18, 6, 29, 'error', 'invalid-format'],
        ['examples/deployments/.glassops/deployment-contract.json', 9, 13, 9, 24, 'information', 'status-quality-conflict'],
        ['examples/deployments/.glassops/deployment-contract.json', 11, 58, 11, 62, 'error', 'coverage-met-mismatch'],
        ['examples/deployments/.glassops/deployment-contract.json', 12, 25, 12, 28, 'error', 'test-count-mismatch'],
      ],
    );
    assert.deepEqual(Object.keys(found[0]), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
    assert.equal(contracts(['check', '--format=json', 'examples/board-v1']).stdout.trim(), '[]');
  });

  it('checks a file named on the command line by its content, and refuses one that is no contract with exit 2', () => {
    const root = path.join(temp, 'named');
    writeFiles(root, {
      'fixtures/valid-simple.md': VALID_BOARD,
      'fixtures/broken.md': '---\ntitle: 123\ncolumns: "not an array"\n---\n',
      'reports/run.json': '{ "meta": { "adapter": "native", "engine": "native", "timestamp": "2026-03-01T10:00:00Z", "trigger": "push" }, "status": "Done" }',
      'README.md': '# Just notes\n',
      'policy.team.json': '{ "version": "1.0" }',
    });
    assert.equal(contracts(['check', 'fixtures/valid-simple.md'], root).status, 0);
    const broken = contracts(['check', 'fixtures/broken.md', 'reports/run.json', '--format', 'json'], root);
    assert.equal(broken.status, 1);
    assert.deepEqual([...new Set(json(broken).map((d) => d.file))], ['fixtures/broken.md', 'reports/run.json']);
    const notes = contracts(['check', 'README.md', 'policy.team.json', 'fixtures/valid-simple.md'], root);
    assert.equal(notes.status, 2);
    assert.match(notes.stderr, /README\.md is neither a Brainfile board, task file or ledger nor a deployment contract/);
    assert.match(notes.stderr, /policy\.team\.json is neither/);
    assert.match(notes.stdout, /\(1 file checked\)/);
  });

  it('finds boards named as @brainfile/core finds them, and leaves non-contract JSON in .glassops/ alone', () => {
    const root = path.join(temp, 'names');
    writeFiles(root, {
      'brainfile.sprint.md': BROKEN_BOARD,
      'plan.bb.md': BROKEN_BOARD,
      'brainfile.board-archive.md': '---\ntitle: Archive\ncolumns: []\narchive: []\n---\n',
      '.glassops/policy.team.json': '{ "version": "1.0", "governance": { "minCoverage": 80 } }',
      '.glassops/glassops-permit.json': '{ "version": "1.0", "permit_id": "p" }',
      '.glassops/glassops-contract.sarif.json': '{ "version": "2.1.0", "runs": [] }',
    });
    const run = contracts(['check', '.', '--format', 'json'], root);
    assert.deepEqual([...new Set(json(run).map((d) => d.file))].sort(), ['brainfile.sprint.md', 'plan.bb.md']);
  });

  it('expands globs with picomatch, dot folders included', () => {
    const run = contracts(['check', 'examples/**/*.json', '--format', 'json']);
    assert.equal(run.status, 1);
    assert.deepEqual([...new Set(json(run).map((d) => d.file))], ['examples/deployments/.glassops/deployment-contract.json']);
    const boards = contracts(['check', 'examples/*/brainfile.md', '--format', 'json']);
    assert.deepEqual([...new Set(json(boards).map((d) => d.file))], ['examples/board-v1-broken/brainfile.md']);
  });

  it('walks folders for boards, v2 task files and deployment JSON, skipping node_modules and .git', () => {
    const root = path.join(temp, 'walk');
    writeFiles(root, {
      'brainfile.md': VALID_BOARD,
      'notes.md': 'status: in-progress\n',
      'package.json': '{ "name": "x", }',
      'node_modules/pkg/brainfile.md': BROKEN_BOARD,
      '.git/brainfile.md': BROKEN_BOARD,
      'ops/prod.deployment.json': '{ "schemaVersion": "1.0", }',
      'ops/named.json': '{ "$schema": "../schemas/deployment-contract.schema.json", "schemaVersion": 2 }',
    });
    const found = json(contracts(['check', '.', '--format', 'json'], root));
    assert.deepEqual(found.map((d) => [d.file, d.code]), [
      ['ops/named.json', 'missing-field'],
      ['ops/named.json', 'invalid-type'],
      ['ops/prod.deployment.json', 'json-syntax'],
    ]);
  });

  it('applies v2 cross-file rules per board, even when one task file is named alone', () => {
    const root = path.join(temp, 'v2');
    const task = (id: string, extra: string) => `---\nid: ${id}\ntitle: ${id}\n${extra}contract:\n  status: ready\n---\n`;
    writeFiles(root, {
      '.brainfile/brainfile.md': '---\ntitle: T\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n',
      '.brainfile/board/task-1.md': task('task-1', 'column: todo\nblockedBy: [task-2, task-9]\n'),
      '.brainfile/board/task-2.md': task('task-1', 'column: doing\n'),
      '.brainfile/logs/task-9.md': task('task-9', 'column: done\n'),
    });
    const all = json(contracts(['check', '.', '--format', 'json'], root));
    assert.deepEqual(all.map((d) => [d.file, d.line, d.code]), [
      ['.brainfile/board/task-1.md', 5, 'unknown-task-ref'],
      ['.brainfile/board/task-2.md', 2, 'duplicate-id'],
      ['.brainfile/board/task-2.md', 4, 'unknown-column'],
    ]);
    const one = contracts(['check', '.brainfile/board/task-2.md', '--format', 'json'], root);
    assert.equal(one.status, 1);
    assert.deepEqual(json(one).map((d) => d.code), ['duplicate-id', 'unknown-column']);
  });

  it('survives symlink loops', function () {
    const root = path.join(temp, 'loop');
    writeFiles(root, { 'a/brainfile.md': BROKEN_BOARD });
    try {
      symlinkSync(root, path.join(root, 'a', 'back'), 'dir');
    } catch {
      this.skip();
    }
    const run = contracts(['check', '.', '--format', 'json'], root);
    assert.equal(run.status, 1);
    assert.deepEqual(json(run).map((d) => d.file), ['a/brainfile.md']);
  });

  it('--max-size-kb skips big files with a note, and BOM + CRLF files report editor columns', () => {
    const root = path.join(temp, 'size');
    writeFiles(root, {
      'big/brainfile.md': BROKEN_BOARD + `\n${'x'.repeat(3000)}\n`,
      'crlf/brainfile.md': '\uFEFF' + BROKEN_BOARD.replace(/\n/g, '\r\n'),
    });
    const run = contracts(['check', '.', '--max-size-kb', '2'], root);
    assert.equal(run.status, 1);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^big\/brainfile\.md:1:1 information file-too-large .*over the 2 KB limit/);
    assert.match(lines[1], /^crlf\/brainfile\.md:10:19 error invalid-enum/);
    assert.equal(contracts(['check', 'big', '--max-size-kb', '2'], root).status, 0);
  });
});
