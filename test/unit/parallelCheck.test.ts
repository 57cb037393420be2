import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { generateBoard, generateColumnBoard, generateDeployment, generateV2Board } from '../../bench/boards';
import { checkFiles, checkRoots, collectFiles, toCliDiagnostics } from '../../server/src/cli/check';
import { checkFilesInParallel, defaultParallelFrom, parallelFrom, PARALLEL_MIN_FILES } from '../../server/src/cli/parallelCheck';
import { LIMITS } from '../../server/src/engine/limits';
import { SafeFiles } from '../../server/src/safeFiles';
import { fixturesDir } from './helpers';

/** `contracts check --jobs` on worker threads reports exactly what the single-threaded check does. */
describe('contracts check on worker threads', function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'contracts-parallel-'));
    // v2 boards whose task files break cross-file rules: duplicate ids, unknown references and columns.
    for (let b = 0; b < 3; b++) {
      for (const [rel, text] of Object.entries(generateV2Board(40))) {
        const file = path.join(root, `project-${b}`, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        const n = Number(/task-(\d+)\.md$/.exec(rel)?.[1]);
        let faulty = text;
        if (n % 7 === 0) faulty = faulty.replace(`id: task-${n}`, `id: task-${n - 1}`);
        if (n % 9 === 0) faulty = faulty.replace(/column: [\w-]+/, 'column: doing\nblockedBy: [task-999]');
        if (n % 11 === 0) faulty = faulty.replace('status: ready', 'status: redy');
        writeFileSync(file, faulty);
      }
    }
    writeFileSync(path.join(root, 'brainfile.md'), generateBoard({ tasks: 60, errorEvery: 4, variety: true }));
    mkdirSync(path.join(root, 'columns'));
    writeFileSync(path.join(root, 'columns', 'brainfile.md'), generateColumnBoard(300, { invalid: true }));
    mkdirSync(path.join(root, '.glassops'));
    writeFileSync(path.join(root, '.glassops', 'deployment-contract.json'), generateDeployment());
    cpSync(path.join(fixturesDir, 'diagnostics'), path.join(root, 'fixtures'), { recursive: true });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives the same findings, positions and files as one thread, on a whole folder and on part of a board', async () => {
    const all = collectFiles(['.'], root);
    assert.ok(all.length > 120, `${all.length} files`);
    const part = all.filter((file) => /project-1[\\/]\.brainfile[\\/]board[\\/]task-[1-9]\.md$/.test(file));
    const safe = { roots: checkRoots(['.'], root), maxFileBytes: LIMITS.defaultMaxFileBytes };
    for (const files of [all, part]) {
      const expected = toCliDiagnostics(checkFiles(files, {}, new SafeFiles(safe)).files, root);
      const parallel = await checkFilesInParallel(files, safe, undefined, root, 2);
      assert.deepEqual(parallel.diagnostics, expected);
      assert.ok(expected.some((d) => d.code === 'duplicate-id') && expected.some((d) => d.code === 'unknown-task-ref'));
    }
  });

  it('checks a share on the main thread: --jobs 2 is one worker and the main thread, both with work, and one thread\'s findings', async () => {
    const files = collectFiles(['.'], root);
    const safe = { roots: checkRoots(['.'], root), maxFileBytes: LIMITS.defaultMaxFileBytes };
    const expected = toCliDiagnostics(checkFiles(files, {}, new SafeFiles(safe)).files, root);
    const workers = new Set<Worker>();
    let posted = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: { files?: string[] }) {
      workers.add(this);
      posted += message.files?.length ?? 0;
      return post.call(this, message);
    };
    try {
      const parallel = await checkFilesInParallel(files, safe, undefined, root, 2);
      assert.deepEqual(parallel.diagnostics, expected);
      assert.equal(parallel.checked, files.length);
    } finally {
      Worker.prototype.postMessage = post;
    }
    assert.equal(workers.size, 1);
    assert.ok(posted > 0 && posted < files.length, `the worker got ${posted} of ${files.length} files`);
  });

  it('splits one big v2 board over the workers and still reports every cross-file rule as one thread does', async () => {
    const big = mkdtempSync(path.join(tmpdir(), 'contracts-parallel-board-'));
    try {
      // One board of 300 task files breaking every cross-file rule, across the parts: duplicate ids, references
      // (blockedBy, dependsOn, parentId; one to a task only the ledger knows), a dependency cycle, unknown columns, statuses that contradict their column.
      for (const [rel, text] of Object.entries(generateV2Board(300))) {
        const n = Number(/task-(\d+)\.md$/.exec(rel)?.[1]);
        let faulty = text;
        if (n % 37 === 0) faulty = faulty.replace(`id: task-${n}`, `id: task-${n - 150}`);
        if (n % 41 === 0) faulty = faulty.replace(/column: [\w-]+/, `column: doing\nblockedBy: [task-999]\ndependsOn: [task-998, task-9000]\nparentId: epic-9`);
        if (n === 10) faulty = faulty.replace(/column: [\w-]+/, 'column: todo\ndependsOn: [task-250]');
        if (n === 250) faulty = faulty.replace(/column: [\w-]+/, 'column: todo\ndependsOn: [task-10]');
        if (n % 43 === 0) faulty = faulty.replace(/column: [\w-]+/, 'column: done').replace(/status: \w+/, 'status: ready');
        const file = path.join(big, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, faulty);
      }
      mkdirSync(path.join(big, '.brainfile', 'logs'));
      writeFileSync(path.join(big, '.brainfile', 'logs', 'ledger.jsonl'), '{"id":"task-9000","type":"task","title":"Done before","filesChanged":[],"createdAt":"2026-01-01T00:00:00Z","completedAt":"2026-01-02T00:00:00Z","cycleTimeHours":24,"summary":"Done."}\n');
      const files = collectFiles(['.'], big);
      const safe = { roots: checkRoots(['.'], big), maxFileBytes: LIMITS.defaultMaxFileBytes };
      const expected = toCliDiagnostics(checkFiles(files, {}, new SafeFiles(safe)).files, big);
      const codes = new Set(expected.map((d) => d.code));
      for (const code of ['duplicate-id', 'unknown-task-ref', 'dependency-cycle', 'unknown-column', 'status-column-mismatch']) assert.ok(codes.has(code), `the fixture lacks ${code}: ${[...codes].join(', ')}`);
      assert.ok(!expected.some((d) => d.message.includes('"task-9000"')), 'the ledger id counts as known');
      // Split into parts of 64 files on 2 workers (and on 3, so parts land on different workers in another order).
      const sent: string[] = [];
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (this: Worker, message: { type: string }) {
        sent.push(message.type);
        return post.call(this, message);
      };
      try {
        for (const jobs of [2, 3]) {
          const parallel = await checkFilesInParallel(files, safe, undefined, big, jobs, new Map(), 64);
          assert.deepEqual(parallel.diagnostics, expected);
          assert.equal(parallel.checked, files.length);
        }
      } finally {
        Worker.prototype.postMessage = post;
      }
      // 5 parts a run; the main thread analyses some of them itself, without a message.
      assert.ok(sent.filter((type) => type === 'analyze').length >= 4 && !sent.includes('check'), `the board was not split: ${sent.join(' ')}`);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it('uses workers by default only on folders big enough to pay for their start, and from 64 files when --jobs asks', () => {
    assert.equal(defaultParallelFrom(1), Infinity);
    assert.equal(defaultParallelFrom(2), 10_600);
    assert.equal(defaultParallelFrom(4), 7_100);
    assert.ok(defaultParallelFrom(64) >= 2_500, 'a worker never pays on a few hundred files, however many cores');
    assert.equal(parallelFrom(1, true), Infinity);
    assert.equal(parallelFrom(2, true), PARALLEL_MIN_FILES);
    assert.equal(parallelFrom(2, false), 10_600);
  });
});
