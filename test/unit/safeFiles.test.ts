import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SafeFiles } from '../../server/src/safeFiles';

/** The CLI's file access on hostile folder shapes (issue 13, items 1-5). */

const posix = process.platform !== 'win32';
const KB = 1024;

(posix ? describe : describe.skip)('safe file access for hostile repositories', function () {
  this.timeout(30_000);
  let root: string;
  let outside: string;
  const files = (options: Partial<ConstructorParameters<typeof SafeFiles>[0]> = {}) => new SafeFiles({ roots: [root], maxFileBytes: 64 * KB, ...options });

  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-safe-')));
    outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'contracts-outside-')));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads a regular file inside the folder', () => {
    writeFileSync(path.join(root, 'a.json'), '{"x": 1}');
    const safe = files();
    assert.deepEqual(safe.read(path.join(root, 'a.json')), { text: '{"x": 1}' });
    assert.deepEqual(safe.problems, []);
  });

  it("reads through each folder's real path, resolved once, and refuses a file turned into a link outside after that", () => {
    mkdirSync(path.join(root, 'real'));
    writeFileSync(path.join(root, 'real', 'a.md'), 'a');
    writeFileSync(path.join(root, 'real', 'b.md'), 'b');
    writeFileSync(path.join(outside, 'secret.md'), 'secret');
    symlinkSync(path.join(root, 'real'), path.join(root, 'linked'));
    symlinkSync(path.join(root, 'real', 'a.md'), path.join(root, 'real', 'to-a.md'));
    const safe = files();
    // Through a linked folder inside, and a link to a file inside: read as before.
    assert.deepEqual(safe.read(path.join(root, 'linked', 'a.md')), { text: 'a' });
    assert.deepEqual(safe.read(path.join(root, 'linked', 'to-a.md')), { text: 'a' });
    // The folder's real path is known now; b.md becomes a link to a file outside: not followed.
    rmSync(path.join(root, 'real', 'b.md'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'real', 'b.md'));
    assert.deepEqual(safe.read(path.join(root, 'linked', 'b.md')), { problem: `it is a symbolic link to ${path.join(outside, 'secret.md')}, outside the folder being checked, so it was not followed` });
    // A folder linked to outside: its files are refused, as the whole path says.
    symlinkSync(outside, path.join(root, 'out'));
    assert.deepEqual(safe.read(path.join(root, 'out', 'secret.md')), { problem: `it is a symbolic link to ${path.join(outside, 'secret.md')}, outside the folder being checked, so it was not followed` });
    assert.deepEqual(safe.read(path.join(root, 'linked', 'missing.md')), { problem: 'it does not exist (or is a broken symbolic link)' });
  });

  it('#1 memory exhaustion: a symlink to /dev/zero is not read', () => {
    symlinkSync('/dev/zero', path.join(root, 'brainfile.md'));
    const safe = files({ followOutside: true });
    const result = safe.read(path.join(root, 'brainfile.md'));
    assert.deepEqual(result, { problem: 'it is a device, not a regular file, so it was not read' });
    assert.equal(safe.problems.length, 1);
    // Without the flag it is not even opened: /dev is outside the folder.
    assert.match(JSON.stringify(files().read(path.join(root, 'brainfile.md'))), /symbolic link to \/dev\/zero, outside the folder being checked/);
  });

  it('#2 hangs forever: a FIFO is refused without blocking', () => {
    execFileSync('mkfifo', [path.join(root, 'brainfile.md')]);
    const started = Date.now();
    const result = files().read(path.join(root, 'brainfile.md'));
    assert.deepEqual(result, { problem: 'it is a FIFO (named pipe), not a regular file, so it was not read' });
    assert.ok(Date.now() - started < 5_000);
  });

  it('#3 prints what lies outside: a symlink out of the folder is not followed (a flag allows it)', () => {
    writeFileSync(path.join(outside, 'secret.env'), 'KEY=very-secret-value');
    symlinkSync(path.join(outside, 'secret.env'), path.join(root, 'leak.deployment.json'));
    const safe = files();
    const result = safe.read(path.join(root, 'leak.deployment.json'));
    assert.ok('problem' in result);
    assert.match(result.problem, /symbolic link to .*secret\.env, outside the folder being checked, so it was not followed/);
    assert.ok(!JSON.stringify(safe.problems).includes('very-secret'));
    assert.deepEqual(files({ followOutside: true }).read(path.join(root, 'leak.deployment.json')), { text: 'KEY=very-secret-value' });
  });

  it('#3 `ln -s / r` is not walked; a link inside is followed once, a loop ends', () => {
    symlinkSync('/', path.join(root, 'r'));
    mkdirSync(path.join(root, 'inner'));
    writeFileSync(path.join(root, 'inner', 'x.json'), '{}');
    symlinkSync(path.join(root, 'inner'), path.join(root, 'again'));
    symlinkSync(root, path.join(root, 'inner', 'loop'));
    const safe = files();
    const seen: string[] = [];
    safe.walk(root, (file) => seen.push(path.relative(root, file)), new Set());
    assert.deepEqual(seen.sort(), ['inner/x.json']);
    assert.deepEqual(
      safe.problems.map((p) => [path.relative(root, p.path), p.severity]),
      [['r', 'note']],
    );
  });

  it('#4 a huge sparse file is refused by its size, before reading', () => {
    const file = path.join(root, 'brainfile.md');
    const fd = openSync(file, 'w');
    writeSync(fd, 'x', 600 * KB * KB - 1);
    closeSync(fd);
    const started = Date.now();
    assert.deepEqual(files().read(file), { tooLarge: 600 * KB * KB });
    assert.ok(Date.now() - started < 2_000);
  });

  it('#4 a folder named brainfile.md is a problem, not a crash', () => {
    mkdirSync(path.join(root, 'brainfile.md'));
    const safe = files();
    assert.deepEqual(safe.read(path.join(root, 'brainfile.md')), { problem: 'it is a folder, not a file' });
  });

  it('#4/#5 unreadable files and folders are problems with their reason (run as an unprivileged user)', function () {
    const script = `
      const { SafeFiles } = require(${JSON.stringify(path.join(__dirname, '../../server/src/safeFiles.js'))});
      const safe = new SafeFiles({ roots: [process.argv[1]], maxFileBytes: 65536 });
      const path = require('node:path');
      safe.read(path.join(process.argv[1], 'brainfile.md'));
      safe.list(path.join(process.argv[1], 'locked'));
      console.log(JSON.stringify(safe.problems.map((p) => [path.basename(p.path), p.reason])));`;
    writeFileSync(path.join(root, 'brainfile.md'), '---\n---\n');
    chmodSync(path.join(root, 'brainfile.md'), 0o000);
    mkdirSync(path.join(root, 'locked'));
    chmodSync(path.join(root, 'locked'), 0o000);
    chmodSync(root, 0o755);
    const asNobody = process.getuid?.() === 0 ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]] : [process.execPath, []];
    const run = spawnSync(asNobody[0] as string, [...(asNobody[1] as string[]), '-e', script, root], { encoding: 'utf8' });
    if (run.status !== 0) this.skip();
    assert.deepEqual(JSON.parse(run.stdout), [
      ['brainfile.md', 'it cannot be read: permission denied (EACCES)'],
      ['locked', 'it cannot be listed: permission denied (EACCES)'],
    ]);
  });

  it('#5 a name that is not valid UTF-8 is reported, not skipped silently', function () {
    const bad = Buffer.concat([Buffer.from(path.join(root, 'bad-')), Buffer.from([0xff, 0xfe]), Buffer.from('.json')]);
    try {
      writeFileSync(bad, '{}');
    } catch {
      this.skip(); // a file system that refuses such names
    }
    const safe = files();
    assert.deepEqual(safe.list(root), []);
    assert.equal(safe.problems.length, 1);
    assert.match(safe.problems[0].reason, /not valid UTF-8/);
  });
});
