import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateV2Board } from '../../bench/boards';
import { repoRoot } from './helpers';

/**
 * Issue 13, items 1-6: `contracts check` on repositories an attacker wrote, run
 * as CI would. Each run is bounded (time and heap), so a regression fails
 * instead of eating the machine.
 */

const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const posix = process.platform !== 'win32';
const TASK = ['---', 'id: task-1', 'title: T', 'column: todo', '---', ''].join('\n');

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function contracts(args: string[], cwd: string, asNobody = false): Run {
  const node = [process.execPath, '--max-old-space-size=512', cliPath, ...args];
  const [command, ...rest] = asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const result = spawnSync(command, rest, { cwd, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

(posix ? describe : describe.skip)('contracts check on hostile repositories (issue 13)', function () {
  this.timeout(60_000);
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-cli-hostile-')));
    outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-cli-outside-')));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const withTask = () => {
    mkdirSync(path.join(root, '.brainfile', 'board'), { recursive: true });
    writeFileSync(path.join(root, '.brainfile', 'board', 'task-1.md'), TASK);
  };

  it('#1 memory exhaustion: .brainfile/brainfile.md linked to /dev/zero is reported, not read', () => {
    withTask();
    symlinkSync('/dev/zero', path.join(root, '.brainfile', 'brainfile.md'));
    const run = contracts(['check', '.'], root);
    assert.equal(run.signal, null, `killed: ${run.stderr.slice(0, 300)}`);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /warning: \.brainfile\/brainfile\.md: .*(outside the folder being checked|a device)/);
    assert.match(run.stdout, /1 file could not be read/);
  });

  it('#2 hangs forever: a FIFO as .brainfile/brainfile.md is reported, and the run ends', () => {
    withTask();
    execFileSync('mkfifo', [path.join(root, '.brainfile', 'brainfile.md')]);
    const run = contracts(['check', '.'], root);
    assert.equal(run.signal, null, 'the CLI blocked on the FIFO');
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /\.brainfile\/brainfile\.md: it is a FIFO \(named pipe\), not a regular file/);
  });

  it('#3 prints what lies outside the repository: a symlinked secret is never read or quoted; `ln -s / r` is not walked', () => {
    writeFileSync(path.join(outside, 'hostname'), 'vm-secret-host');
    symlinkSync(path.join(outside, 'hostname'), path.join(root, 'leak.deployment.json'));
    symlinkSync('/', path.join(root, 'r'));
    const run = contracts(['check', '.'], root);
    assert.equal(run.signal, null);
    assert.ok(!(run.stdout + run.stderr).includes('vm-secret'), run.stdout);
    assert.match(run.stdout + run.stderr, /leak\.deployment\.json: it is a symbolic link to .*, outside the folder being checked/);
    assert.match(run.stdout + run.stderr, /note: r: it is a symbolic link to the folder \/, outside the folder being checked, so it was not followed/);
    assert.equal(run.status, 2);
    // A flag allows links out (not `r`, which would walk the whole file system).
    rmSync(path.join(root, 'r'));
    const allowed = contracts(['check', '.', '--follow-links-outside', '--format', 'json'], root);
    assert.ok(allowed.stdout.includes('leak.deployment.json'));
  });

  it('#3 messages quote only a short excerpt of a value', () => {
    writeFileSync(path.join(root, 'd.deployment.json'), JSON.stringify({ status: 'KEY=' + 's'.repeat(500) }));
    const run = contracts(['check', '.'], root);
    const line = run.stdout.split('\n').find((l) => l.includes('for "status"'))!;
    assert.ok(line, run.stdout);
    assert.ok(!line.includes('s'.repeat(60)), line);
    assert.ok(line.includes('…'), line);
  });

  it('#4 crashes instead of reporting: a 600 MB sparse board and a folder named brainfile.md beside board/', () => {
    const fd = openSync(path.join(root, 'brainfile.md'), 'w');
    writeSync(fd, 'x', 600 * 1024 * 1024 - 1);
    closeSync(fd);
    withTask();
    mkdirSync(path.join(root, '.brainfile', 'brainfile.md'), { recursive: true });
    writeFileSync(path.join(root, 'ok.deployment.json'), '{}');
    const run = contracts(['check', '.', '--max-size-kb', '1024'], root);
    assert.equal(run.signal, null);
    assert.ok(!/\n\s+at /.test(run.stderr), `a stack trace: ${run.stderr.slice(0, 500)}`);
    assert.match(run.stdout, /brainfile\.md:1:1 information file-too-large/);
    assert.match(run.stdout + run.stderr, /\.brainfile\/brainfile\.md: it is a folder, not a file/);
    // The rest is still checked.
    assert.match(run.stdout, /ok\.deployment\.json:1:1 error/);
    assert.equal(run.status, 2);
  });

  it('#4/#5 unreadable files and folders: a warning each, a count, exit 2, the rest checked', function () {
    if (process.getuid?.() !== 0 && process.getuid?.() !== undefined) this.skip(); // setpriv needs root; a normal user cannot read 000 either
    writeFileSync(path.join(root, 'brainfile.md'), '---\ntitle: T\ncolumns: []\n---\n');
    chmodSync(path.join(root, 'brainfile.md'), 0o000);
    mkdirSync(path.join(root, 'locked'));
    writeFileSync(path.join(root, 'locked', 'x.deployment.json'), '{}');
    chmodSync(path.join(root, 'locked'), 0o000);
    writeFileSync(path.join(root, 'ok.deployment.json'), '{}');
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'ok.deployment.json'), 0o644);
    const run = contracts(['check', '.'], root, true);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /brainfile\.md: it cannot be read: permission denied \(EACCES\)/);
    assert.match(run.stdout + run.stderr, /locked: it cannot be listed: permission denied \(EACCES\)/);
    assert.match(run.stdout, /ok\.deployment\.json:1:1 error/);
    assert.match(run.stdout, /2 files could not be read/);
    // An unreadable folder named on the command line is not "0 files checked, exit 0".
    const named = contracts(['check', 'locked'], root, true);
    assert.equal(named.status, 2, named.stdout + named.stderr);
  });

  it('#5 a folder whose name is not valid UTF-8 is reported', function () {
    const bad = Buffer.concat([Buffer.from(root + '/bad-'), Buffer.from([0xff]), Buffer.from('-dir')]);
    try {
      mkdirSync(bad);
    } catch {
      this.skip();
    }
    const run = contracts(['check', '.'], root);
    assert.match(run.stdout + run.stderr, /not valid UTF-8/);
    assert.equal(run.status, 2);
  });

  it('#6 output can forge CI commands: no output line starts a GitHub workflow command', () => {
    const evil = 'x\n::error file=README.md,line=1::forged\n';
    mkdirSync(path.join(root, evil, '.glassops'), { recursive: true });
    writeFileSync(path.join(root, evil, '.glassops', 'd.deployment.json'), '{"status": "x\\n::warning::forged too"}');
    mkdirSync(path.join(root, '::error file=a::b', '.glassops'), { recursive: true });
    writeFileSync(path.join(root, '::error file=a::b', '.glassops', 'e.deployment.json'), '{}');
    const run = contracts(['check', '.'], root);
    assert.ok(run.stdout.includes('forged'), run.stdout);
    for (const line of (run.stdout + run.stderr).split(/\r\n|\r|\n/)) assert.ok(!/^\s*(::|##\[)/.test(line), `a workflow command: ${JSON.stringify(line)}`);
  });

  it('on worker threads (--jobs 2), the same hostile repository gets exactly what one thread says: stdout, stderr, exit code', () => {
    // Three v2 boards (over the 64 files from which --jobs uses workers), each with something hostile where a worker reads it;
    // the first is big enough to be split into parts (the main thread then looks at its board file too).
    for (let b = 0; b < 3; b++) {
      for (const [rel, text] of Object.entries(generateV2Board(b === 0 ? 300 : 30))) {
        const file = path.join(root, `project-${b}`, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
    }
    rmSync(path.join(root, 'project-0', '.brainfile', 'brainfile.md'));
    symlinkSync('/dev/zero', path.join(root, 'project-0', '.brainfile', 'brainfile.md'));
    rmSync(path.join(root, 'project-1', '.brainfile', 'brainfile.md'));
    execFileSync('mkfifo', [path.join(root, 'project-1', '.brainfile', 'brainfile.md')]);
    writeFileSync(path.join(outside, 'hostname'), 'vm-secret-host');
    symlinkSync(path.join(outside, 'hostname'), path.join(root, 'project-2', '.brainfile', 'board', 'task-leak.md'));
    symlinkSync('/', path.join(root, 'r'));
    writeFileSync(path.join(root, 'big.deployment.json'), `{"pad": "${'x'.repeat(40 * 1024)}"}`);
    const one = contracts(['check', '.', '--jobs', '1', '--max-size-kb', '32'], root);
    const two = contracts(['check', '.', '--jobs', '2', '--max-size-kb', '32'], root);
    assert.equal(two.signal, null, 'killed');
    const withoutTiming = (stderr: string) => stderr.replace(/^checked \d+ files in .*\n/m, '');
    assert.match(two.stderr, /^checked \d+ files in [\d.]+ s \(\d+ files\/s, 2 threads, [\d.]+ s CPU\)$/m);
    assert.equal(two.stdout, one.stdout);
    assert.equal(withoutTiming(two.stderr), withoutTiming(one.stderr));
    assert.equal(two.status, one.status);
    assert.equal(two.status, 2);
    assert.ok(!(two.stdout + two.stderr).includes('vm-secret'), two.stdout);
    assert.match(two.stderr, /project-0\/\.brainfile\/brainfile\.md: .*(outside the folder being checked|a device)/);
    assert.match(two.stderr, /project-1\/\.brainfile\/brainfile\.md: it is a FIFO \(named pipe\), not a regular file/);
    assert.match(two.stderr, /task-leak\.md: it is a symbolic link to .*, outside the folder being checked/);
    assert.match(two.stdout, /big\.deployment\.json:1:1 information file-too-large/);
  });
});
