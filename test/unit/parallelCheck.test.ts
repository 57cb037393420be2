import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('uses workers by default only on folders big enough to pay for their start, and from 64 files when --jobs asks', () => {
    assert.equal(defaultParallelFrom(1), Infinity);
    assert.equal(defaultParallelFrom(2), 10_000);
    assert.equal(defaultParallelFrom(4), 4_000);
    assert.ok(defaultParallelFrom(64) >= 2_500, 'a worker never pays on a few hundred files, however many cores');
    assert.equal(parallelFrom(1, true), Infinity);
    assert.equal(parallelFrom(2, true), PARALLEL_MIN_FILES);
    assert.equal(parallelFrom(2, false), 10_000);
  });
});
