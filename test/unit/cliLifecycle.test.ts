import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { moveTask } from '../../server/src/cli/moveTask';
import { repoRoot } from './helpers';

const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const TIME = /"?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"?/g;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function contracts(args: string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** A v1 board written the way people write them: comments, flow style, quoting, a Markdown body. */
const V1 = [
  '---',
  'title: Payments # the team board',
  'columns:',
  '  - id: todo',
  '    title: To Do',
  '    tasks:',
  '      - id: task-1',
  "        title: 'Add keys'",
  '        tags: [api, reliability]   # flow style stays',
  '        contract:',
  '          status: ready  # marked on Monday',
  '          deliverables: [{path: src/keys.ts}]',
  '          validation:',
  '            commands:',
  '              - "test -f src/keys.ts"',
  '      - id: task-2',
  '        title: Delivered one',
  '        contract:',
  '          status: delivered',
  '          deliverables:',
  '            - path: out.txt',
  '          validation:',
  '            commands:',
  '              - grep -q ok out.txt',
  '---',
  '',
  '# Notes',
  'Body text stays *byte* for byte.',
  '',
].join('\n');

/** What `claim task-1 --assignee ada` makes of V1, times masked. */
const V1_CLAIMED = V1.replace('          status: ready  # marked on Monday\n', '          status: in_progress  # marked on Monday\n')
  .replace("        title: 'Add keys'\n", "        title: 'Add keys'\n        assignee: ada\n")
  .replace('              - "test -f src/keys.ts"\n', '              - "test -f src/keys.ts"\n          metrics:\n            pickedUpAt: <time>\n');

const V2_CONFIG = '---\ntitle: Agents\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: review\n    title: Review\n---\n';
const V2_TASK = [
  '---',
  'id: task-7',
  'type: task',
  'title: Stream events',
  'column: review',
  'createdAt: "2026-11-30T12:00:00Z"',
  'tags: [events]',
  'contract:',
  '  status: delivered # by claude',
  '  deliverables:',
  '    - path: src/stream.ts',
  '  constraints:',
  '    - No new dependencies',
  '  metrics:',
  '    reworkCount: 1',
  '---',
  '',
  '## Description',
  'Server-sent events with back-pressure.',
  '',
].join('\n');

describe('cli: lifecycle commands', function () {
  this.timeout(60_000);
  let temp: string;
  let n = 0;
  /** A fresh folder per test. */
  const folder = (files: Record<string, string | Buffer>) => {
    const root = path.join(temp, `case-${++n}`);
    write(root, files);
    return root;
  };
  const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

  before(() => {
    assert.ok(existsSync(cliPath), 'dist/cli.js is built (node esbuild.mjs)');
    temp = mkdtempSync(path.join(tmpdir(), 'contracts-lifecycle-'));
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('claims with the minimal edit: comments, flow style, quoting and the body kept byte for byte', () => {
    const root = folder({ 'brainfile.md': V1 });
    const run = contracts(['claim', 'task-1', '--assignee', 'ada', '--expect-status', 'ready'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^task-1: ready → in_progress \(brainfile\.md\)$/m);
    assert.equal(read(root, 'brainfile.md').replace(TIME, '<time>'), V1_CLAIMED);
    // No temporary file is left beside it.
    assert.deepEqual(readdirSync(root), ['brainfile.md']);
  });

  it('keeps CRLF line breaks and a BOM', () => {
    const crlf = '\uFEFF' + V1.replace(/\n/g, '\r\n');
    const root = folder({ 'brainfile.md': Buffer.from(crlf, 'utf8') });
    assert.equal(contracts(['claim', 'task-1', '--assignee', 'ada'], root).status, 0);
    const bytes = readFileSync(path.join(root, 'brainfile.md'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('utf8').slice(1).replace(TIME, '<time>'), V1_CLAIMED.replace(/\n/g, '\r\n'));
  });

  it('refuses a move the status does not allow, naming the allowed ones, and changes nothing', () => {
    const root = folder({ 'brainfile.md': V1 });
    const run = contracts(['deliver', 'task-1'], root);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Cannot deliver task-1: it is ready, and from ready the allowed moves are claim, cancel\./);
    assert.equal(read(root, 'brainfile.md'), V1);
    const stale = contracts(['claim', 'task-1', '--expect-status', 'draft'], root);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /it is now ready, not draft/);
  });

  it('cancels from any open status with the minimal edit, and refuses to cancel a cancelled or done task, naming why', () => {
    const root = folder({ 'brainfile.md': V1, '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-7.md': V2_TASK });
    const delivered = contracts(['cancel', 'task-2', '--expect-status', 'delivered'], root);
    assert.equal(delivered.status, 0, delivered.stderr);
    assert.equal(delivered.stdout, 'task-2: delivered → cancelled (brainfile.md)\n');
    // Only the status changes: no metrics, no feedback, comments and body kept byte for byte.
    assert.equal(read(root, 'brainfile.md'), V1.replace('          status: delivered\n', '          status: cancelled\n'));
    const v2 = contracts(['cancel', 'task-7'], root);
    assert.equal(v2.status, 0, v2.stderr);
    assert.equal(read(root, '.brainfile/board/task-7.md'), V2_TASK.replace('  status: delivered # by claude\n', '  status: cancelled # by claude\n'));

    const again = contracts(['cancel', 'task-2'], root);
    assert.equal(again.status, 1);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /^contracts cancel: Cannot cancel task-2: it is cancelled, and from cancelled no move is allowed \(cancelled is final\)\./);
    const reopen = contracts(['claim', 'task-2'], root);
    assert.equal(reopen.status, 1);
    assert.match(reopen.stderr, /Cannot claim task-2: it is cancelled/);
    assert.equal(read(root, 'brainfile.md'), V1.replace('          status: delivered\n', '          status: cancelled\n'));
  });

  it('lists cancel among the moves in --help, from the one lifecycle table', () => {
    const help = contracts(['--help'], temp);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /contracts publish\|claim\|deliver\|approve\|reject\|rework\|block\|unblock\|cancel <task-id>/);
  });

  it('says which task ids exist and when an id is ambiguous', () => {
    const root = folder({ 'a/brainfile.md': V1, 'b/brainfile.md': V1 });
    const missing = contracts(['claim', 'task-9'], root);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No task "task-9"/);
    const twice = contracts(['claim', 'task-1'], root);
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /task-1 is in 2 places: a\/brainfile\.md, b\/brainfile\.md\. Name one with --board\./);
    assert.equal(contracts(['claim', 'task-1', '--board', 'b/brainfile.md'], root).status, 0);
    assert.equal(read(root, 'a/brainfile.md'), V1);
    assert.match(read(root, 'b/brainfile.md'), /status: in_progress/);
  });

  it('exits 2 on bad usage', () => {
    const root = folder({ 'brainfile.md': V1 });
    assert.equal(contracts(['claim'], root).status, 2);
    assert.equal(contracts(['claim', 'task-1', '--frobnicate'], root).status, 2);
    assert.equal(contracts(['list', '--format', 'xml'], root).status, 2);
  });

  it('writes nothing and exits 3 when the file changed between the read and the write', () => {
    const root = folder({ 'brainfile.md': V1 });
    const file = path.join(root, 'brainfile.md');
    const theirs = V1.replace('Body text', 'Their edit of the body text');
    const outcome = moveTask({ taskId: 'task-1', transition: 'claim', afterRead: () => writeFileSync(file, theirs) }, root);
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.exitCode === 3 && /changed since read/.test(outcome.message), JSON.stringify(outcome));
    assert.equal(readFileSync(file, 'utf8'), theirs);
    assert.deepEqual(readdirSync(root), ['brainfile.md']);
  });

  it('completes an approved v2 task: the file moves to logs/ with completedAt, one valid ledger line is appended', () => {
    const root = folder({ '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-7.md': V2_TASK, '.brainfile/logs/ledger.jsonl': '{"id":"task-1","type":"task","title":"Old","filesChanged":["a.ts"],"createdAt":"2026-11-01T10:00:00Z","completedAt":"2026-11-02T10:00:00Z","cycleTimeHours":24,"summary":"Done."}' });
    const run = contracts(['approve', 'task-7', '--board', '.brainfile/brainfile.md'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!existsSync(path.join(root, '.brainfile/board/task-7.md')));
    const moved = read(root, '.brainfile/logs/task-7.md');
    const expected = V2_TASK.replace('  status: delivered # by claude', '  status: done # by claude')
      .replace('    reworkCount: 1\n', '    reworkCount: 1\n    validatedAt: <time>\n')
      .replace('    reworkCount: 1\n    validatedAt: <time>\n---', '    reworkCount: 1\n    validatedAt: <time>\ncompletedAt: <time>\n---');
    const created = '"2026-11-30T12:00:00Z"';
    assert.equal(moved.replace(TIME, (time) => (time === created ? time : '<time>')), expected);
    const lines = read(root, '.brainfile/logs/ledger.jsonl').split('\n');
    assert.equal(lines.length, 3, 'the old line, a line break added after it, the new line and a final break');
    assert.equal(lines[2], '');
    const record = JSON.parse(lines[1]) as Record<string, unknown>;
    // The protocol's ledger record (v2/ledger-record.json): required keys and their types.
    for (const key of ['id', 'type', 'title', 'createdAt', 'completedAt', 'summary']) assert.equal(typeof record[key], 'string', key);
    assert.deepEqual(
      { ...record, completedAt: '<time>' },
      {
        id: 'task-7',
        type: 'task',
        title: 'Stream events',
        filesChanged: ['src/stream.ts'],
        createdAt: '2026-11-30T12:00:00Z',
        completedAt: '<time>',
        cycleTimeHours: record.cycleTimeHours,
        summary: 'Server-sent events with back-pressure.',
        columnHistory: ['review'],
        tags: ['events'],
        deliverables: ['src/stream.ts'],
        contractStatus: 'done',
        validationAttempts: 1,
        constraints: ['No new dependencies'],
      },
    );
    assert.ok(typeof record.cycleTimeHours === 'number' && record.cycleTimeHours > 0);
    assert.match(moved, new RegExp(`completedAt: "${String(record.completedAt)}"`));
    // The moved file is a clean v2 task: `contracts check` has nothing to say.
    const check = contracts(['check', '.brainfile'], root);
    assert.equal(check.status, 0, check.stdout);
  });

  it('keeps an approved v2 task in board/ with --no-complete', () => {
    const root = folder({ '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-7.md': V2_TASK });
    assert.equal(contracts(['approve', 'task-7', '--no-complete'], root).status, 0);
    assert.match(read(root, '.brainfile/board/task-7.md'), /status: done # by claude/);
    assert.ok(!existsSync(path.join(root, '.brainfile/logs')));
  });

  it('lists tasks with status, board and file, filtered, as text and JSON', () => {
    const root = folder({ 'brainfile.md': V1, '.brainfile/brainfile.md': V2_CONFIG, '.brainfile/board/task-7.md': V2_TASK });
    const json = JSON.parse(contracts(['list', '--format', 'json'], root).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      json.map((t) => [t.id, t.status, t.board, t.file, t.version]),
      [
        ['task-7', 'delivered', 'Agents', '.brainfile/board/task-7.md', 2],
        ['task-1', 'ready', 'Payments', 'brainfile.md', 1],
        ['task-2', 'delivered', 'Payments', 'brainfile.md', 1],
      ],
    );
    const delivered = contracts(['list', '--status', 'delivered'], root);
    assert.equal(delivered.status, 0);
    assert.deepEqual(delivered.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['task-7', 'task-2', '2']);
  });

  it('shows the pickup brief with the commands that move the task on', () => {
    const root = folder({ 'brainfile.md': V1 });
    const run = contracts(['show', 'task-1'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^# task-1: Add keys$/m);
    assert.match(run.stdout, /## Deliverables\n\n- `src\/keys\.ts`/);
    assert.match(run.stdout, /## Validation commands\n\n- `test -f src\/keys\.ts`/);
    assert.match(run.stdout, /`contracts claim task-1 --expect-status ready`/);
  });

  it('validates: a pass approves (exit 0), a failure rejects with feedback (exit 1), output streamed', () => {
    const root = folder({ 'brainfile.md': V1, 'out.txt': 'ok\n' });
    const pass = contracts(['validate', 'task-2'], root);
    assert.equal(pass.status, 0, pass.stderr);
    assert.match(pass.stdout, /▶ \[1\/1\] grep -q ok out\.txt/);
    assert.match(pass.stdout, /task-2 is now done/);
    assert.match(read(root, 'brainfile.md'), /status: done\n\s+deliverables:/);

    const failing = folder({ 'brainfile.md': V1, 'out.txt': 'nope\n' });
    const fail = contracts(['validate', 'task-2', '--format', 'json'], failing);
    assert.equal(fail.status, 1);
    const report = JSON.parse(fail.stdout) as { outcome: string; feedback: string; verdict: { to: string } };
    assert.equal(report.outcome, 'failed');
    assert.equal(report.verdict.to, 'failed');
    assert.match(report.feedback, /^Validation failed: `grep -q ok out\.txt` exited with 1/);
    assert.match(read(failing, "brainfile.md"), /status: failed\n[^]*\n          feedback: "Validation failed: `grep -q ok out\.txt` exited with 1/);
  });

  it('a dry run changes nothing', () => {
    const root = folder({ 'brainfile.md': V1, 'out.txt': 'ok\n' });
    const run = contracts(['validate', 'task-2', '--dry-run'], root);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /dry run, status unchanged/);
    assert.equal(read(root, 'brainfile.md'), V1);
  });

  it('kills the command tree on timeout and writes the failure', () => {
    const board = V1.replace('grep -q ok out.txt', 'sleep 30 & sleep 30; echo never');
    const root = folder({ 'brainfile.md': board, 'out.txt': 'ok\n' });
    const started = Date.now();
    const run = contracts(['validate', 'task-2', '--timeout', '1'], root);
    assert.ok(Date.now() - started < 15_000, 'killed, not waited for');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /timed out after 1\.\d s and was killed/);
    assert.match(read(root, 'brainfile.md'), /status: failed/);
  });

  it('Ctrl+C stops the run, kills its commands and leaves the status alone (exit 130)', async () => {
    const board = V1.replace('grep -q ok out.txt', 'touch started.flag; sleep 30');
    const root = folder({ 'brainfile.md': board, 'out.txt': 'ok\n' });
    const child = spawn(process.execPath, [cliPath, 'validate', 'task-2'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (!existsSync(path.join(root, 'started.flag')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 130, output);
    assert.match(output, /validation was cancelled; the status is unchanged/);
    assert.equal(read(root, 'brainfile.md'), board);
  });
});
