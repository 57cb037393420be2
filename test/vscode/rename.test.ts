import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TasksRequest } from '../../shared/protocol';
import { disk, exists, nextEvent, request, waitForTask, workspaceUri, type RequestSender } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const V1 = 'rename-ids/payments/brainfile.md';
const V2 = 'rename-ids/auth/.brainfile';
const TASK_3 = `${V2}/board/task-3.md`;
const TASK_4 = `${V2}/board/task-4.md`;
const TASK_7 = `${V2}/board/task-7.md`;
const LEDGER = `${V2}/logs/ledger.jsonl`;

const FILES: Record<string, string> = {
  [V1]: [
    '---',
    'title: Rename fixture v1',
    'columns:',
    '  - id: todo',
    '    title: To Do',
    '    tasks:',
    '      - id: task-1   # first',
    '        title: Rename fixture first',
    '      - id: "task-2"',
    '        title: Rename fixture second',
    '        blockedBy: [task-1]  # waits',
    '        dependsOn:',
    '          - "task-1"',
    '---',
    '',
  ].join('\n'),
  [`${V2}/brainfile.md`]: '---\ntitle: Rename fixture v2\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n',
  [TASK_3]: '---\nid: task-3\ntitle: Rename fixture token refresh\ncolumn: todo\ncontract:\n  status: ready\n---\n\nBody stays as it is.\n',
  [LEDGER]: '{"id":"task-2","type":"task","title":"Rename fixture sub-task","filesChanged":["src/a.ts"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-02T10:00:00Z","cycleTimeHours":25,"summary":"Done.","parentId":"task-3"}\n',
  [TASK_4]: '---\nid: task-4\ntitle: Rename fixture auth status\ncolumn: todo\nblockedBy:\n  - "task-3"   # tokens first\ndependsOn: [task-3]\ncontract:\n  status: ready\n---\n',
};

async function write(relative: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceUri(relative), new TextEncoder().encode(text));
}

/** Waits (bounded) until `check` holds, re-checking on edits, saves and file events. */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await nextEvent([vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument, vscode.workspace.onDidRenameFiles], 250);
  }
}

/** What a WorkspaceEdit does, in order, in words the assertions can compare. */
function describeEdit(edit: vscode.WorkspaceEdit): string[] {
  const relative = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, false);
  return edit.entries().map(([uri, edits]) => `${relative(uri)}: ${edits.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character} ${e.newText}`).join(', ')}`);
}

/**
 * Saves every changed document, open in an editor or not: a workspace edit
 * leaves files it changed unsaved, and `workspace.saveAll` saves only editors.
 */
async function saveEverything(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) if (document.isDirty) assert.ok(await document.save(), `${document.uri.path} saved`);
}

async function rename(relative: string, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(document);
  const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, position, newName);
  assert.ok(edit, 'the server answers the rename');
  return edit;
}

describe('rename a task id in the real extension host', function () {
  this.timeout(60_000);
  let client: RequestSender;

  before(async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance;
    for (const [file, text] of Object.entries(FILES)) await write(file, text);
    // Opened, so the server has them whether or not its file watcher has spoken yet (a busy machine).
    for (const file of [V1, TASK_3, TASK_4]) await vscode.workspace.openTextDocument(workspaceUri(file));
    await waitForTask(client, workspaceUri(V1).toString(), 'task-2');
    await waitForTask(client, workspaceUri(TASK_4).toString(), 'task-4');
    await waitForTask(client, workspaceUri(TASK_3).toString(), 'task-3');
    // The ledger is not opened: it reaches the server through the file watcher.
    const referencesOfTask3 = () => vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', workspaceUri(TASK_4), new vscode.Position(5, 6));
    await until(async () => ((await referencesOfTask3()) ?? []).some((location) => location.uri.path.endsWith(LEDGER)), 'the server reading the ledger its file watcher reported');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // Deleted through a WorkspaceEdit, so VS Code closes the documents too (a plain file-system delete
  // leaves them open, and the server listing their tasks); the next suites count the workspace's tasks.
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const remove = new vscode.WorkspaceEdit();
    remove.deleteFile(workspaceUri('rename-ids'), { recursive: true });
    assert.ok(await vscode.workspace.applyEdit(remove));
    const folder = workspaceUri('rename-ids').toString();
    await until(async () => !(await request(client, TasksRequest, {})).tasks.some((t) => t.uri.startsWith(folder)), 'the server forgetting the rename-ids boards');
  });

  it('renames a v1 id at its definition: the id and its blockedBy and dependsOn entries, quotes and comments kept; one undo restores the bytes', async () => {
    const edit = await rename(V1, new vscode.Position(6, 14), 'task-5');
    assert.deepEqual(describeEdit(edit), [`${V1}: 6:12-18 task-5, 10:20-26 task-5, 12:13-19 task-5`]);
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the edit');
    const document = await vscode.workspace.openTextDocument(workspaceUri(V1));
    const renamed = FILES[V1].replace('id: task-1 ', 'id: task-5 ').replace('[task-1]', '[task-5]').replace('- "task-1"', '- "task-5"');
    assert.equal(document.getText(), renamed);
    await document.save();
    assert.equal(await disk(V1), renamed);

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), FILES[V1], 'one undo restores every byte');
    await document.save();
    assert.equal(await disk(V1), FILES[V1]);
  });

  it('renames a v2 task from a reference: every file and the ledger edited, board/task-3.md renamed in the same edit, then one undo takes it all back', async () => {
    const edit = await rename(TASK_4, new vscode.Position(5, 6), 'task-7');
    const textEdits = describeEdit(edit);
    // The renamed file's own edit names it by its new name (file operations go first).
    assert.deepEqual([...textEdits].sort(), [`${TASK_4}: 5:5-11 task-7, 6:12-18 task-7`, `${TASK_7}: 1:4-10 task-7`, `${LEDGER}: 0:213-219 task-7`]);
    assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the edit');
    await saveEverything();

    assert.equal(await exists(TASK_3), false, 'the old task file is gone');
    assert.equal(await disk(TASK_7), FILES[TASK_3].replace('id: task-3', 'id: task-7'));
    assert.equal(await disk(TASK_4), FILES[TASK_4].replace('"task-3"', '"task-7"').replace('[task-3]', '[task-7]'));
    assert.equal(await disk(`${V2}/brainfile.md`), FILES[`${V2}/brainfile.md`]);
    assert.equal(await disk(LEDGER), FILES[LEDGER].replace('"parentId":"task-3"', '"parentId":"task-7"'));
    await waitForTask(client, workspaceUri(TASK_7).toString(), 'task-7');

    // One undo takes back the whole rename: the ids in both files and the file name.
    const referencing = await vscode.workspace.openTextDocument(workspaceUri(TASK_4));
    await vscode.window.showTextDocument(referencing);
    await vscode.commands.executeCommand('undo');
    await until(async () => (await exists(TASK_3)) && referencing.getText() === FILES[TASK_4], 'the undo');
    await saveEverything();
    assert.equal(await exists(TASK_7), false, 'the renamed file is gone again');
    for (const [file, text] of Object.entries(FILES)) assert.equal(await disk(file), text, `${file} is back to its bytes`);
  });
});
