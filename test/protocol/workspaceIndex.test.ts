import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TasksResult } from '../../shared/protocol';
import { fileUri, LspTestClient, repoRoot } from './lspClient';

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
