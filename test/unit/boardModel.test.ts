import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFiles, collectFiles } from '../../server/src/cli/check';
import type { DocumentAnalysis } from '../../server/src/engine/analyze';
import { BoardIndex, type Board } from '../../server/src/engine/boards';
import type { EngineDiagnostic } from '../../server/src/engine/diagnostics';
import { contractFileCandidates, isTaskFolder } from '../../server/src/engine/files';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { pathToUri } from '../../server/src/uris';
import { SafeFiles } from '../../server/src/safeFiles';
import { Workspace } from '../../server/src/workspace';
import { MemoryFiles } from './helpers';

const v2Config = (title: string) => `---\ntitle: ${title}\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: done\n    title: Done\n---\n`;
const v2Task = (id: string, extra = '') => `---\nid: ${id}\ntitle: Task ${id}\ncolumn: todo\n${extra}contract:\n  status: ready\n  deliverables: []\n---\nBody\n`;
const v1Board = (title: string, ids: string[]) =>
  `---\ntitle: ${title}\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n${ids.map((id) => `      - id: ${id}\n        title: T ${id}\n        contract:\n          status: ready\n`).join('')}---\n`;

/** One folder with every kind of membership question: v1, v2 (both layouts), an archive, nested boards, skipped folders. */
const FOLDER: Record<string, string> = {
  'brainfile.md': v1Board('Root', ['task-1', 'task-1', 'task-2']),
  'brainfile-archive.md': v1Board('Archive', ['task-0']),
  // v2 in .brainfile/: a duplicate id across files, an unknown blockedBy, an unknown column, and a log file.
  '.brainfile/brainfile.md': v2Config('Dot board'),
  '.brainfile/board/task-10.md': v2Task('task-10', 'blockedBy: [task-12, task-99]\n'),
  '.brainfile/board/task-11.md': v2Task('task-10').replace('column: todo', 'column: doing'),
  '.brainfile/logs/task-12.md': v2Task('task-12').replace('column: todo', 'column: shipped'),
  // Nested: a v2 board kept as brainfile.md with board/ beside it, inside the root board's folder.
  'packages/app/brainfile.md': v2Config('Nested'),
  'packages/app/board/task-20.md': v2Task('task-20', 'blockedBy: [task-10]\n'),
  'packages/app/notes/readme.md': '# not a task\n',
  // A board/ folder beside only an archive holds no task files: the archive owns no folders.
  'old/brainfile-archive.md': v1Board('Old', ['task-30']),
  'old/board/task-31.md': v2Task('task-31'),
  // Task files whose board config is missing still form a board.
  'orphan/.brainfile/board/task-40.md': v2Task('task-40', 'blockedBy: [task-41]\n'),
  // Skipped folders: nothing in them is checked.
  'node_modules/dep/brainfile.md': v1Board('Dep', ['task-1']),
  '.git/brainfile.md': v1Board('Git', ['task-1']),
  '.cache/x/brainfile.md': v1Board('Cache', ['task-1']),
  '.vscode-test/brainfile.md': v1Board('Test', ['task-1']),
  'deploy/.glassops/run.json': '{"status": "Maybe"}\n',
};

interface BoardShape {
  home: string;
  version: 1 | 2;
  file?: string;
  tasks: string[];
}

function shapeOf(boards: BoardIndex, root: string): BoardShape[] {
  const rel = (p: string) => path.posix.relative(root, p) || '.';
  const shape = (b: Board): BoardShape => ({ home: rel(b.home), version: b.version, file: b.file && rel(b.file.path), tasks: b.taskFiles.map((t) => rel(t.path)) });
  return boards.boards.map(shape).sort((a, b) => `${a.home}/${a.file}`.localeCompare(`${b.home}/${b.file}`));
}

function findings(diagnostics: EngineDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range.start}-${d.range.end}: ${d.message}`).sort();
}

describe('board model: one answer for the CLI, the server and the tests', function () {
  this.timeout(30_000);
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'contracts-boards-')).replace(/\\/g, '/');
    for (const [file, text] of Object.entries(FOLDER)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('the CLI and the server see the same files, boards, members and diagnostics', async () => {
    const cli = checkFiles(collectFiles(['.'], root), {});
    const workspace = new Workspace(DEFAULT_SETTINGS);
    await workspace.scan([root]);
    const server = new Map(workspace.allAnalyses().map((a): [string, DocumentAnalysis] => [a.path, a]));

    assert.deepEqual([...server.keys()].sort(), [...cli.files.keys()].sort());
    assert.deepEqual(shapeOf(workspace.boards(), root), shapeOf(cli.boards, root));
    for (const [file, { diagnostics }] of cli.files) {
      assert.deepEqual(findings(workspace.diagnosticsFor(pathToUri(file))), findings(diagnostics), file);
    }
  });

  it('groups the folder as the protocol says', () => {
    const { boards } = checkFiles(collectFiles(['.'], root), {});
    assert.deepEqual(shapeOf(boards, root), [
      { home: '.', version: 1, file: 'brainfile-archive.md', tasks: [] },
      { home: '.', version: 1, file: 'brainfile.md', tasks: [] },
      { home: '.brainfile', version: 2, file: '.brainfile/brainfile.md', tasks: ['.brainfile/board/task-10.md', '.brainfile/board/task-11.md', '.brainfile/logs/task-12.md'] },
      { home: 'old', version: 1, file: 'old/brainfile-archive.md', tasks: [] },
      { home: 'orphan/.brainfile', version: 2, file: undefined, tasks: ['orphan/.brainfile/board/task-40.md'] },
      { home: 'packages/app', version: 2, file: 'packages/app/brainfile.md', tasks: ['packages/app/board/task-20.md'] },
    ]);
  });

  it('reports cross-file findings on the right files, and nothing from skipped folders', () => {
    const { files } = checkFiles(collectFiles(['.'], root), {});
    const codes = (file: string) => (files.get(`${root}/${file}`)?.diagnostics ?? []).map((d) => d.code).sort();
    assert.deepEqual(codes('.brainfile/board/task-10.md'), ['unknown-task-ref']);
    assert.deepEqual(codes('.brainfile/board/task-11.md'), ['duplicate-id', 'unknown-column']);
    assert.deepEqual(codes('.brainfile/logs/task-12.md'), []);
    // Boards are separate: task-10 is not on the nested board.
    assert.deepEqual(codes('packages/app/board/task-20.md'), ['unknown-task-ref']);
    assert.deepEqual(codes('orphan/.brainfile/board/task-40.md'), ['unknown-task-ref']);
    assert.ok(codes('brainfile.md').includes('duplicate-id'));
    assert.ok(![...files.keys()].some((f) => /node_modules|\.git\/|\.cache|\.vscode-test|old\/board/.test(f)), [...files.keys()].join('\n'));
  });

  it('checking one task file alone still runs its whole board', () => {
    // The CLI may read anywhere in the folder it was given: here, the whole fixture.
    const { files } = checkFiles([`${root}/.brainfile/board/task-11.md`], {}, new SafeFiles({ roots: [root], maxFileBytes: 1 << 20 }));
    assert.deepEqual([...files.keys()], [`${root}/.brainfile/board/task-11.md`]);
    assert.deepEqual(files.get(`${root}/.brainfile/board/task-11.md`)!.diagnostics.map((d) => d.code).sort(), ['duplicate-id', 'unknown-column']);
  });
});

describe('board model: files and folders', () => {
  const files = new MemoryFiles(
    new Map(
      Object.entries({
        '/w/brainfile.md': '',
        '/w/board/a.md': '',
        '/w/old/brainfile-archive.md': '',
        '/w/old/board/b.md': '',
        '/w/x/.brainfile/board/c.md': '',
        '/w/node_modules/p/brainfile.md': '',
        '/w/a.deployment.json': '',
        '/w/other.json': '',
        '/w/notes.md': '',
      }),
    ),
  );

  it('a task folder is board/ or logs/ in .brainfile/ or beside brainfile.md or .brainfile.md, never beside an archive', () => {
    assert.equal(isTaskFolder('/w/board', files), true);
    assert.equal(isTaskFolder('/w/old/board', files), false);
    assert.equal(isTaskFolder('/w/x/.brainfile/board', files), true);
    assert.equal(isTaskFolder('/w/x/.brainfile/notes', files), false);
  });

  it('walks to every candidate and skips the skipped folders', () => {
    assert.deepEqual([...contractFileCandidates('/w', files)].sort(), ['/w/a.deployment.json', '/w/board/a.md', '/w/brainfile.md', '/w/old/brainfile-archive.md', '/w/other.json', '/w/x/.brainfile/board/c.md']);
  });

  it('lists a v2 board in one pass however many task files it has', () => {
    const analyses: DocumentAnalysis[] = [];
    const count = 2000;
    for (let i = 0; i < count; i++) analyses.push({ path: `/w/.brainfile/board/t-${i}.md`, kind: 'task', version: 2, diagnostics: [] } as unknown as DocumentAnalysis);
    const index = new BoardIndex(analyses);
    assert.equal(index.boards.length, 1);
    assert.equal(index.boardOf(analyses[count - 1])!.taskFiles.length, count);
  });
});
