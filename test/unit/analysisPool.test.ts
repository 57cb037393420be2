import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AnalysisPool } from '../../server/src/analysisPool';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { decodeAnalysis, encodeAnalysis } from '../../server/src/engine/analysisTransfer';
import { nodeFiles } from '../../server/src/nodeFiles';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { summarizeTasks } from '../../server/src/summaries';
import { Workspace } from '../../server/src/workspace';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateBoard, generateColumnBoard } from '../../bench/boards';
import { assertSameAnalysis } from './helpers';

// Issue 14: v2 task files of a big workspace are analyzed on worker threads
// (analysisPool.ts) and cross back flattened (engine/analysisTransfer.ts). What the
// main thread rebuilds must be the analysis the engine gives in process.

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const asTaskFile = { isTaskFolder: () => true };

function taskFilesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) found.push(...taskFilesUnder(full));
    else if (/[\\/](board|logs)[\\/][^\\/]+\.md$/.test(full)) found.push(full);
  }
  return found;
}

const CONFIG = `---\ntitle: Pool\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: done\n    title: Done\n---\n`;
const taskText = (n: number) =>
  `---\nid: task-${n}\ntitle: "Task ${n}"\ncolumn: ${n % 7 ? 'todo' : 'nowhere'}\n${n > 1 ? `dependsOn: [task-${n - 1}]\n` : ''}contract:\n  status: ${n % 11 ? 'ready' : 'in-progres'}\n  deliverables:\n    - type: file\n      path: src/f${n}.ts\n  validation:\n    commands: [npm test, 'echo ${n}']\n  constraints:\n    - 'null'\n    - 0x1F\n    - ~\n---\nBody\n`;
/** Shares a node through an alias and merges a mapping: not flattened, analyzed by the main thread. */
const ALIASED = `---\nid: aliased\ntitle: Aliased\ncolumn: todo\nbase: &base\n  type: file\ncontract:\n  status: ready\n  deliverables:\n    - <<: *base\n      path: a.ts\n    - *base\n---\n`;
const BROKEN = `---\nid: broken\ntitle: [unclosed\n---\n`;

describe('Analyses from the worker pool', function () {
  // Workers start and the scans run twice: seconds on a loaded machine.
  this.timeout(60_000);

  it('rebuilds every task file of the fixtures exactly as analyzed in process', () => {
    const files = taskFilesUnder(FIXTURES);
    assert.ok(files.length >= 20, `only ${files.length} task files in the fixtures`);
    for (const file of files) {
      const analysis = analyzeDocument(file, readFileSync(file, 'utf8'), asTaskFile);
      const transferred = encodeAnalysis(analysis);
      assert.ok(transferred, file);
      assert.deepStrictEqual(decodeAnalysis(structuredClone(transferred), analysis.text), analysis, file);
    }
  });

  it('rebuilds generated, faulty and broken task files; leaves shared nodes to the main thread', () => {
    for (const text of [taskText(1), taskText(7), taskText(11), BROKEN, '---\n---\n', 'no front matter', '---\n- a list\n---\n']) {
      const analysis = analyzeDocument('/ws/.brainfile/board/t.md', text, asTaskFile);
      assert.deepStrictEqual(decodeAnalysis(structuredClone(encodeAnalysis(analysis)!), text), analysis, text);
    }
    assert.equal(encodeAnalysis(analyzeDocument('/ws/.brainfile/board/a.md', ALIASED, asTaskFile)), undefined);
  });

  describe('a workspace scan', () => {
    let folder: string;
    // More than 64 files, on two workers: a small folder takes every path through the pool, and through the main thread beside it.
    const POOL_MIN_FILES = 64;
    const pool = new AnalysisPool(undefined, 2, POOL_MIN_FILES);
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'contracts-pool-'));
      const home = path.join(folder, '.brainfile');
      mkdirSync(path.join(home, 'board'), { recursive: true });
      mkdirSync(path.join(home, 'logs'), { recursive: true });
      writeFileSync(path.join(home, 'brainfile.md'), CONFIG);
      for (let n = 1; n <= POOL_MIN_FILES + 300; n++) writeFileSync(path.join(home, n % 5 ? 'board' : 'logs', `task-${n}.md`), taskText(n));
      writeFileSync(path.join(home, 'board', 'zz-aliased.md'), ALIASED);
      writeFileSync(path.join(home, 'board', 'zz-broken.md'), BROKEN);
      writeFileSync(path.join(home, 'logs', 'ledger.jsonl'), '{"id":"done-1","title":"Done"}\n');
    });
    after(async () => {
      await pool.dispose();
      rmSync(folder, { recursive: true, force: true });
    });

    const byPath = (analyses: DocumentAnalysis[]) => new Map(analyses.map((a) => [a.path, a]));

    it('indexes what the scan in process indexes, in the same order, with the same listing and findings', async () => {
      const alone = new Workspace(DEFAULT_SETTINGS, nodeFiles);
      const pooled = new Workspace(DEFAULT_SETTINGS, nodeFiles, pool);
      let sentToWorkers = 0;
      const analyze = pool.analyze.bind(pool);
      pool.analyze = (jobs, settings) => ((sentToWorkers += jobs.length), analyze(jobs, settings));
      await alone.scan([folder]);
      await pooled.scan([folder]);
      const expected = alone.allAnalyses();
      const actual = pooled.allAnalyses();
      assert.equal(actual.length, POOL_MIN_FILES + 300 + 4);
      // The workers take 8 batches of 32 at once (4 in flight each); the main thread analyzes the next files meanwhile.
      assert.ok(sentToWorkers >= 256 && sentToWorkers < POOL_MIN_FILES + 300 + 4, `${sentToWorkers} files went to the workers`);
      assert.deepEqual(
        actual.map((a) => a.path),
        expected.map((a) => a.path),
      );
      const expectedByPath = byPath(expected);
      for (const analysis of actual) assert.deepStrictEqual(analysis, expectedByPath.get(analysis.path), analysis.path);
      assert.deepStrictEqual(summarizeTasks(pooled), summarizeTasks(alone));
      for (const analysis of actual) assert.deepStrictEqual(pooled.boards().diagnosticsFor(analysis), alone.boards().diagnosticsFor(expectedByPath.get(analysis.path)!), analysis.path);
    });

    it('falls back to the main thread when a worker cannot start', async () => {
      const broken = new AnalysisPool(path.join(folder, 'no-such-worker.js'), 1, POOL_MIN_FILES);
      const workspace = new Workspace(DEFAULT_SETTINGS, nodeFiles, broken);
      await workspace.scan([folder]);
      await broken.dispose();
      assert.equal(workspace.allAnalyses().length, POOL_MIN_FILES + 300 + 4);
    });
  });
});

describe('Big open documents analyzed on a worker', function () {
  this.timeout(120_000);
  const BIG = generateBoard({ tasks: 300 });
  const uri = 'file:///ws/board/brainfile.md';
  const open = (workspace: Workspace, text: string, version: number) => workspace.setOpen(TextDocument.create(uri, 'markdown', version, text));
  /** A big document opened and analyzed (its first version is analyzed in process: see `Workspace.analyzeBig`). */
  async function opened(workspace: Workspace): Promise<void> {
    open(workspace, BIG, 1);
    assert.equal(await workspace.ensureAnalyzed(uri), true);
  }
  /** The pool's document jobs, counted, and what each resolved to. */
  function watch(pool: AnalysisPool) {
    const results: Array<'steps' | 'main' | 'stopped' | 'cancelled' | 'failed'> = [];
    const analyzeDocument = pool.analyzeDocument.bind(pool);
    pool.analyzeDocument = (path, text, settings) => {
      const job = analyzeDocument(path, text, settings);
      const index = results.push('failed') - 1;
      void job.result.then(
        (result) => (results[index] = result === undefined ? 'cancelled' : typeof result === 'string' ? result : 'steps'),
        () => undefined,
      );
      return job;
    };
    return results;
  }
  const pool = new AnalysisPool(undefined, 1);
  after(() => pool.dispose());

  it('stores the analysis the engine gives in process, rebuilt from the worker, for every version after the first', async () => {
    const jobs = watch(pool);
    const workspace = new Workspace(DEFAULT_SETTINGS, nodeFiles, pool);
    await opened(workspace);
    assert.deepEqual(jobs, []);
    for (const [index, text] of [BIG.replace('title: Implement billing feature 1', 'title: [unclosed'), BIG.replace(/\n/g, '\r\n'), generateColumnBoard(5_000, { invalid: true })].entries()) {
      open(workspace, text, index + 2);
      assert.equal(await workspace.ensureAnalyzed(uri), true);
      assertSameAnalysis(workspace.latestAnalysis(uri)!, analyzeDocument('/ws/board/brainfile.md', text), `version ${index + 2}`);
    }
    assert.deepEqual(jobs, ['steps', 'steps', 'steps']);
  });

  it('drops a version a newer one replaced: the worker stops, only the newer one is stored', async () => {
    const jobs = watch(pool);
    const workspace = new Workspace(DEFAULT_SETTINGS, nodeFiles, pool);
    await opened(workspace);
    open(workspace, generateColumnBoard(40_000, { invalid: true }), 2);
    const stale = workspace.ensureAnalyzed(uri);
    // The worker has it (and is in its analysis, a few hundred milliseconds long) when version 3 arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = generateColumnBoard(2_000);
    open(workspace, third, 3);
    assert.equal(await stale, false);
    assert.equal(await workspace.ensureAnalyzed(uri), true);
    assert.equal(workspace.documentVersion(uri), 3);
    assertSameAnalysis(workspace.latestAnalysis(uri)!, analyzeDocument('/ws/board/brainfile.md', third), 'version 3');
    assert.deepEqual(jobs, ['stopped', 'steps']);
  });

  it('analyzes in process, in slices, what the worker leaves: a tree that shares nodes, a worker that stops or cannot start', async () => {
    const jobs = watch(pool);
    const workspace = new Workspace(DEFAULT_SETTINGS, nodeFiles, pool);
    const warnings: string[] = [];
    workspace.onWarning = (message) => warnings.push(message);
    await opened(workspace);
    const aliased = BIG.replace('        title: Implement billing feature 1\n', '        title: Implement billing feature 1\n        base: &base {a: 1}\n        again:\n          <<: *base\n          b: 2\n');
    open(workspace, aliased, 2);
    assert.equal(await workspace.ensureAnalyzed(uri), true);
    assertSameAnalysis(workspace.latestAnalysis(uri)!, analyzeDocument('/ws/board/brainfile.md', aliased), 'aliased');
    assert.deepEqual(jobs, ['main']);
    // The worker stops in the middle of an analysis.
    open(workspace, BIG, 3);
    const done = workspace.ensureAnalyzed(uri);
    await pool.dispose();
    assert.equal(await done, true);
    assertSameAnalysis(workspace.latestAnalysis(uri)!, analyzeDocument('/ws/board/brainfile.md', BIG), 'after the worker stopped');
    assert.deepEqual(jobs, ['main', 'failed']);
    assert.equal(warnings.length, 1, 'the failed worker is told once');
    assert.match(warnings[0], /^The analysis worker thread failed \(.+\); big documents are analysed on the main thread instead/);
    const broken = new AnalysisPool(path.join(tmpdir(), 'no-such-worker.js'), 1);
    const alone = new Workspace(DEFAULT_SETTINGS, nodeFiles, broken);
    await opened(alone);
    open(alone, aliased, 2);
    assert.equal(await alone.ensureAnalyzed(uri), true);
    assertSameAnalysis(alone.latestAnalysis(uri)!, analyzeDocument('/ws/board/brainfile.md', aliased), 'no worker');
    await broken.dispose();
  });
});
