import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TasksResult } from '../../shared/protocol';
import { fileUri, LspTestClient, repoRoot } from './lspClient';

const FILE_CREATED = 1;
const FILE_DELETED = 3;

describe('workspace index over stdio', function () {
  this.timeout(30000);
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'contracts-index-'));
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'examples'), workspace, { recursive: true });
    client = new LspTestClient();
    await client.initialize(workspace);
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  async function indexedTasks(): Promise<TasksResult['tasks']> {
    for (let tries = 0; tries < 100; tries++) {
      const result = await client.request<TasksResult>('contracts/tasks', {});
      if (result.indexed) return result.tasks;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the workspace scan never finished');
  }

  /** Polls the index until `accept` holds (the server handles file events asynchronously). */
  async function tasksWhen(accept: (tasks: TasksResult['tasks']) => boolean): Promise<TasksResult['tasks']> {
    let tasks = await indexedTasks();
    for (let tries = 0; tries < 100 && !accept(tasks); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      tasks = await indexedTasks();
    }
    return tasks;
  }

  /** Moves a file on disk and tells the server, as the client's file watcher would. */
  async function moveOnDisk(from: string, to: string): Promise<void> {
    mkdirSync(path.dirname(to), { recursive: true });
    renameSync(from, to);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: fileUri(from), type: FILE_DELETED },
        { uri: fileUri(to), type: FILE_CREATED },
      ],
    });
  }

  it('an open task file moved away on disk (to logs/ and back) is listed once, where the file is', async () => {
    const home = path.join(workspace, 'board-v2', '.brainfile');
    const inBoard = path.join(home, 'board', 'task-10.md');
    const inLogs = path.join(home, 'logs', 'task-10.md');
    const text = readFileSync(inBoard, 'utf8');
    await indexedTasks();
    await client.open(fileUri(inBoard), text);
    const places = (tasks: TasksResult['tasks']) => tasks.filter((t) => t.id === 'task-10').map((t) => t.uri);
    try {
      // Another program moves it; the buffer stays open (VS Code keeps it, orphaned).
      await moveOnDisk(inBoard, inLogs);
      assert.deepEqual(places(await tasksWhen((tasks) => places(tasks).length === 1)), [fileUri(inLogs)]);
      // Moved back: the open buffer stands for its file again.
      await moveOnDisk(inLogs, inBoard);
      const back = await tasksWhen((tasks) => places(tasks).length === 1 && places(tasks)[0] === fileUri(inBoard));
      assert.deepEqual(places(back), [fileUri(inBoard)]);
      assert.notEqual(back.find((t) => t.id === 'task-10')!.documentVersion, undefined, 'from the open buffer');
    } finally {
      await client.close(fileUri(inBoard));
    }
  });

  it('a buffer of a task already moved to logs/, opened as a restarted server receives it, is not listed a second time', async () => {
    const home = path.join(workspace, 'board-v2', '.brainfile');
    const inBoard = path.join(home, 'board', 'task-10.md');
    const inLogs = path.join(home, 'logs', 'task-10.md');
    const text = readFileSync(inBoard, 'utf8');
    const places = (tasks: TasksResult['tasks']) => tasks.filter((t) => t.id === 'task-10').map((t) => t.uri);
    await moveOnDisk(inBoard, inLogs);
    try {
      await tasksWhen((tasks) => places(tasks)[0] === fileUri(inLogs));
      // VS Code keeps the moved buffer and sends it to a new server in didOpen, with no file event to come.
      await client.open(fileUri(inBoard), text);
      assert.deepEqual(places(await indexedTasks()), [fileUri(inLogs)]);
      await client.close(fileUri(inBoard));
    } finally {
      await moveOnDisk(inLogs, inBoard);
      await tasksWhen((tasks) => places(tasks)[0] === fileUri(inBoard));
    }
  });

  it('drops every task of a board folder deleted on disk (one event for the folder)', async () => {
    const before = await indexedTasks();
    assert.ok(before.some((t) => t.version === 2), 'the v2 board is indexed');
    const folder = path.join(workspace, 'board-v2');
    rmSync(folder, { recursive: true, force: true });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(folder), type: FILE_DELETED }] });
    // The server handles the event asynchronously (it stats the path first): poll, bounded.
    let after = await indexedTasks();
    for (let tries = 0; tries < 100 && after.some((t) => t.version === 2); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await indexedTasks();
    }
    assert.deepEqual(after.filter((t) => t.version === 2), []);
    assert.equal(after.length, before.filter((t) => t.version !== 2).length, 'the other boards stay');
  });
});
