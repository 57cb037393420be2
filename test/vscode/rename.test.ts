import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { disk, exists, nextEvent, waitForTask, workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const ROOT = 'rename-ids/.brainfile';
const FILES: Record<string, string> = {
  [`${ROOT}/brainfile.md`]: '---\ntitle: Rename demo\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n',
  [`${ROOT}/board/task-31.md`]: '---\nid: task-31\ntitle: Token refresh\ncolumn: todo\ncontract:\n  status: ready\n---\n\nBody stays as it is.\n',
  [`${ROOT}/board/task-32.md`]: '---\nid: task-32\ntitle: Show auth status\ncolumn: todo\nblockedBy:\n  - "task-31"   # tokens first\ndependsOn: [task-31]\ncontract:\n  status: ready\n---\n',
};

async function write(relative: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceUri(relative), new TextEncoder().encode(text));
}

/** Waits (bounded) until `check` holds, re-checking on edits, saves and file events. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await nextEvent([vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument, vscode.workspace.onDidRenameFiles], 250);
  }
}

describe('rename a task id in the real extension host', function () {
  this.timeout(60_000);
  let client: LanguageClient;

  before(async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance;
    for (const [file, text] of Object.entries(FILES)) await write(file, text);
    await waitForTask(client, workspaceUri(`${ROOT}/board/task-32.md`).toString(), 'task-32');
    await waitForTask(client, workspaceUri(`${ROOT}/board/task-31.md`).toString(), 'task-31');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceUri('rename-ids'), { recursive: true, useTrash: false });
  });

  it('renames through vscode.executeDocumentRenameProvider: every file and the task file, then undoes it', async () => {
    const referencing = await vscode.workspace.openTextDocument(workspaceUri(`${ROOT}/board/task-32.md`));
    await vscode.window.showTextDocument(referencing);
    const position = new vscode.Position(5, 6); // inside "task-31"
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', referencing.uri, position, 'task-37');
    assert.ok(edit, 'the server answers the rename');
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the edit');
    await vscode.workspace.saveAll(false);

    assert.equal(await exists(`${ROOT}/board/task-31.md`), false, 'the old task file is gone');
    assert.equal(await disk(`${ROOT}/board/task-37.md`), FILES[`${ROOT}/board/task-31.md`].replace('id: task-31', 'id: task-37'));
    assert.equal(await disk(`${ROOT}/board/task-32.md`), FILES[`${ROOT}/board/task-32.md`].replace('"task-31"', '"task-37"').replace('[task-31]', '[task-37]'));
    assert.equal(await disk(`${ROOT}/brainfile.md`), FILES[`${ROOT}/brainfile.md`]);
    await waitForTask(client, workspaceUri(`${ROOT}/board/task-37.md`).toString(), 'task-37');

    // One undo takes back the whole rename: the ids in both files and the file name.
    await vscode.window.showTextDocument(referencing);
    await vscode.commands.executeCommand('undo');
    await until(async () => (await exists(`${ROOT}/board/task-31.md`)) && referencing.getText() === FILES[`${ROOT}/board/task-32.md`], 'the undo');
    await vscode.workspace.saveAll(false);
    assert.equal(await exists(`${ROOT}/board/task-37.md`), false);
    for (const [file, text] of Object.entries(FILES)) assert.equal(await disk(file), text, `${file} is back to its bytes`);
  });
});
