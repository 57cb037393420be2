import { strict as assert } from 'node:assert';
import { BOARD_RULES, BoardIndex, type BoardRule } from '../../server/src/engine/boards';
import type { FileAccess } from '../../server/src/engine/files';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { summarizeTasks } from '../../server/src/summaries';
import { Workspace } from '../../server/src/workspace';
import { MemoryFiles } from './helpers';

// Issue 14: indexing and listing a v2 board must be linear in its task files.
// Time is not tested (CPU is shared); the work is counted instead: a cost that
// is linear in N has the same increment from N to 2N as twice that from N/2 to N.

const HOME = '/ws/.brainfile';
const CONFIG = `---\ntitle: Scale\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: done\n    title: Done\n---\n`;
const taskFile = (n: number) =>
  `---\nid: task-${n}\ntitle: Task ${n}\ncolumn: todo\n${n > 1 ? `dependsOn: [task-${n - 1}]\n` : ''}contract:\n  status: ready\n  deliverables:\n    - type: file\n      path: src/f${n}.ts\n---\nBody\n`;

/** MemoryFiles that counts every call, with `list` answered from a precomputed table (the helper's scans every path). */
class CountingFiles implements FileAccess {
  readonly calls = { list: 0, stat: 0, realPath: 0, readText: 0 };
  private readonly memory: MemoryFiles;
  private readonly listings = new Map<string, ReturnType<FileAccess['list']>>();

  constructor(texts: Map<string, string>) {
    this.memory = new MemoryFiles(texts);
    const folders = new Set<string>();
    for (const file of texts.keys()) for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) folders.add(file.slice(0, at));
    for (const folder of folders) this.listings.set(folder, this.memory.list(folder));
  }

  list(folder: string) {
    this.calls.list++;
    return this.listings.get(folder);
  }
  stat(path: string) {
    this.calls.stat++;
    return this.memory.readText(path) !== undefined ? this.memory.stat(path) : this.listings.has(path) ? { kind: 'folder' as const, size: 0 } : undefined;
  }
  realPath(path: string) {
    this.calls.realPath++;
    return this.stat(path) ? path : undefined;
  }
  readText(path: string) {
    this.calls.readText++;
    return this.memory.readText(path);
  }
}

/** Scans a v2 board of `count` task files and lists its tasks twice, counting the work. */
async function indexAndList(count: number) {
  const texts = new Map([[`${HOME}/brainfile.md`, CONFIG]]);
  for (let n = 1; n <= count; n++) texts.set(`${HOME}/board/task-${n}.md`, taskFile(n));
  const files = new CountingFiles(texts);
  const workspace = new Workspace(DEFAULT_SETTINGS, files);
  await workspace.scan(['/ws']);
  const fileCalls = { ...files.calls };

  // Per-task work of the listing: it asks each task's document version once.
  let versionLookups = 0;
  const documentVersion = workspace.documentVersion.bind(workspace);
  workspace.documentVersion = (uri) => (versionLookups++, documentVersion(uri));
  const first = summarizeTasks(workspace);
  const firstLookups = versionLookups;
  const again = summarizeTasks(workspace);

  // The cross-file rules visit each task a bounded number of times.
  let ruleVisits = 0;
  const counted: BoardRule[] = BOARD_RULES.map((rule) => (board) => {
    ruleVisits += board.taskFiles.length;
    return rule(board);
  });
  const index = new BoardIndex(workspace.allAnalyses(), counted);
  for (const analysis of workspace.allAnalyses()) index.diagnosticsFor(analysis);

  return { tasks: first.length, fileCalls, firstLookups, againLookups: versionLookups - firstLookups, sameListing: first === again, sameIndex: workspace.boards() === workspace.boards(), ruleVisits };
}

describe('v2 board scale (issue 14): work is linear in the task files', () => {
  it('the scan reads each file once and asks the file system a constant number of times per file', async () => {
    const [small, medium, large] = await Promise.all([50, 100, 200].map(indexAndList));
    assert.deepEqual([small.tasks, medium.tasks, large.tasks], [50, 100, 200]);
    assert.equal(large.fileCalls.readText, 201, 'each task file and the config read once');
    for (const call of ['list', 'stat', 'realPath', 'readText'] as const) {
      assert.equal(large.fileCalls[call] - medium.fileCalls[call], 2 * (medium.fileCalls[call] - small.fileCalls[call]), `${call} calls: ${small.fileCalls[call]}, ${medium.fileCalls[call]}, ${large.fileCalls[call]}`);
    }
  });

  it('listing visits each task a constant number of times, and an unchanged workspace lists from its cache', async () => {
    for (const count of [50, 200]) {
      const figures = await indexAndList(count);
      // Each task's document version once for its board listing's fingerprint, once for its summary (and the config's for the fingerprint).
      assert.equal(figures.firstLookups, 2 * count + 1);
      assert.equal(figures.againLookups, 0);
      assert.ok(figures.sameListing && figures.sameIndex, 'no rebuild of the board model or the listing without a change');
    }
  });

  it('the cross-file rules run once per board, not once per file', async () => {
    const [small, large] = await Promise.all([50, 200].map(indexAndList));
    assert.equal(small.ruleVisits, 50 * BOARD_RULES.length);
    assert.equal(large.ruleVisits, 200 * BOARD_RULES.length);
  });
});
