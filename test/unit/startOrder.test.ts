import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateBoard } from '../../bench/boards';
import type { FileAccess } from '../../server/src/engine/files';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { pathToUri } from '../../server/src/uris';
import { SLICED_ANALYSIS_MIN_CHARS, Workspace } from '../../server/src/workspace';
import { MemoryFiles } from './helpers';

// Issue 14, first diagnostics: the documents the client opens at start are
// analyzed first, the rest of the workspace is indexed after.

describe('start-up order: open documents before the workspace scan', function () {
  this.timeout(60_000);

  it('analyzes a big open board before the scan reads any other file, and never reads its disk copy', async () => {
    const big = generateBoard({ tasks: 300 });
    assert.ok(big.length > SLICED_ANALYSIS_MIN_CHARS);
    const memory = new MemoryFiles(new Map([
      ['/ws/brainfile.md', big],
      ['/ws/other/brainfile.md', generateBoard({ tasks: 3 })],
      ['/ws/more/brainfile.md', generateBoard({ tasks: 4 })],
    ]));
    const uri = pathToUri('/ws/brainfile.md');
    const reads: Array<{ path: string; openAnalyzed: boolean }> = [];
    let workspace: Workspace | undefined = undefined;
    // Whether the open board's analysis is done, read without starting one (`latestAnalysis` would start it).
    const openAnalyzed = () => (workspace as unknown as { open: Map<string, { analysis?: unknown }> }).open.get(uri)?.analysis !== undefined;
    const files: FileAccess = {
      list: (folder) => memory.list(folder),
      stat: (path) => memory.stat(path),
      realPath: (path) => memory.realPath(path),
      readText: (path) => {
        reads.push({ path, openAnalyzed: openAnalyzed() });
        return memory.readText(path);
      },
    };
    workspace = new Workspace(DEFAULT_SETTINGS, files);
    // Opened, its diagnostics not yet due (the scheduler's timer has not fired): nothing has started its analysis.
    workspace.setOpen(TextDocument.create(uri, 'markdown', 1, big));
    await workspace.scan(['/ws']);
    assert.deepEqual(reads.map((r) => r.path).sort(), ['/ws/more/brainfile.md', '/ws/other/brainfile.md']);
    assert.ok(reads.every((r) => r.openAnalyzed), JSON.stringify(reads));
    assert.ok(workspace.latestAnalysis(uri)!.board!.tasks.length >= 300);
  });
});

// A file written while the scan runs reaches the server through the file
// watcher (`refreshFromDisk`); the scan's end must not drop it (the walk had
// passed before the file existed), nor bring back a file deleted meanwhile.
describe('file-watcher events during the workspace scan', function () {
  this.timeout(60_000);

  it('keeps a file created and forgets a file deleted while the scan reads other files', async () => {
    const texts = new Map([
      ['/ws/a/brainfile.md', generateBoard({ tasks: 3 })],
      ['/ws/b/brainfile.md', generateBoard({ tasks: 4 })],
      ['/ws/c/brainfile.md', generateBoard({ tasks: 5 })],
    ]);
    const memory = new MemoryFiles(texts);
    let workspace: Workspace | undefined = undefined;
    const events: Array<Promise<boolean>> = [];
    const files: FileAccess = {
      list: (folder) => memory.list(folder),
      stat: (path) => memory.stat(path),
      realPath: (path) => memory.realPath(path),
      readText: (path) => {
        const text = memory.readText(path);
        if (path === '/ws/b/brainfile.md' && !texts.has('/ws/new/brainfile.md')) {
          // Mid-scan: one file appears and one already read goes, each reported by the watcher.
          texts.set('/ws/new/brainfile.md', generateBoard({ tasks: 2 }));
          texts.delete('/ws/a/brainfile.md');
          events.push(workspace!.refreshFromDisk('/ws/new/brainfile.md'), workspace!.refreshFromDisk('/ws/a/brainfile.md'));
        }
        return text;
      },
    };
    workspace = new Workspace(DEFAULT_SETTINGS, files);
    await workspace.scan(['/ws']);
    await Promise.all(events);
    assert.equal(events.length, 2, 'the watcher events came during the scan');
    assert.deepEqual(workspace.allAnalyses().map((a) => a.path).sort(), ['/ws/b/brainfile.md', '/ws/c/brainfile.md', '/ws/new/brainfile.md']);
  });
});
