import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallHierarchyItem, CallHierarchyOutgoingCall, FoldingRange, Location, Range, RenameFile, TextDocumentEdit, TextEdit, WorkspaceEdit, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import type { NextTaskResult, TasksResult } from '../../shared/protocol';
import { fileUri, LspTestClient } from './lspClient';

const V1 = `---
title: Payments
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1   # first
        title: Add idempotency keys
        priority: low
        contract:
          status: ready
      - id: "task-2"
        title: Rate-limit
        priority: high
        blockedBy: [task-1, 'task-3']  # waits
        contract:
          status: ready
      - id: task-3
        title: Docs
        contract: {status: in_progress}
---
`;
const CONFIG = '---\ntitle: Auth\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n';
const TASK_1 = '---\nid: task-1\ntitle: Token refresh\ncolumn: todo\ncontract:\n  status: in_progress\n---\n\nBody stays.\n';
const TASK_2 = '---\nid: task-2\ntitle: Show auth status\ncolumn: todo\nblockedBy:\n  - "task-1"   # tokens first\ndependsOn: [task-1]\ncontract:\n  status: ready\n---\n';

/** Applies a WorkspaceEdit to the files on disk, as VS Code would. */
function applyToDisk(edit: WorkspaceEdit): void {
  const toPath = (uri: string) => decodeURIComponent(new URL(uri).pathname);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      const rename = change as RenameFile;
      writeFileSync(toPath(rename.newUri), readFileSync(toPath(rename.oldUri)), { flag: 'wx' });
      rmSync(toPath(rename.oldUri));
      continue;
    }
    const { textDocument, edits } = change as TextDocumentEdit;
    const file = toPath(textDocument.uri);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const offset = (p: Range['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const sorted = (edits as TextEdit[]).map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
    writeFileSync(file, sorted.reduce((acc, e) => acc.slice(0, e.start) + e.text + acc.slice(e.end), text));
  }
}

describe('task ids over stdio: rename, references, symbols, dependencies, Claim Next', function () {
  this.timeout(30000);
  let workspace: string;
  let client: LspTestClient;
  const v1 = () => path.join(workspace, 'payments', 'brainfile.md');
  const v2 = (name: string) => path.join(workspace, 'auth', '.brainfile', name);

  beforeEach(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'contracts-ids-'));
    mkdirSync(path.join(workspace, 'payments'));
    mkdirSync(v2('board'), { recursive: true });
    writeFileSync(v1(), V1);
    writeFileSync(v2('brainfile.md'), CONFIG);
    writeFileSync(v2('board/task-1.md'), TASK_1);
    writeFileSync(v2('board/task-2.md'), TASK_2);
    client = new LspTestClient();
    await client.initialize(workspace);
    for (let tries = 0; tries < 200 && !(await client.request<TasksResult>('contracts/tasks', {})).indexed; tries++) await new Promise((r) => setTimeout(r, 50));
  });

  afterEach(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('renames a v2 task from a reference in an open file: every file edited, the task file renamed, in one edit', async () => {
    const uri = fileUri(v2('board/task-2.md'));
    await client.open(uri, TASK_2);
    const position = { line: 5, character: 6 };
    const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position });
    assert.deepEqual(prepared, { range: { start: { line: 5, character: 5 }, end: { line: 5, character: 11 } }, placeholder: 'task-1' });
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'task-7' });
    const changes = edit.documentChanges!;
    // The file rename comes first, and the renamed file's text edit names its new uri.
    assert.deepEqual(changes[0], { kind: 'rename', oldUri: fileUri(v2('board/task-1.md')), newUri: fileUri(v2('board/task-7.md')), options: { overwrite: false, ignoreIfExists: false } });
    const versions = (changes.slice(1) as TextDocumentEdit[]).map((c) => [path.basename(c.textDocument.uri), c.textDocument.version]).sort();
    assert.deepEqual(versions, [['task-2.md', 1], ['task-7.md', null]]);
    applyToDisk(edit);
    assert.equal(readFileSync(v2('board/task-7.md'), 'utf8'), TASK_1.replace('id: task-1', 'id: task-7'));
    assert.equal(readFileSync(v2('board/task-2.md'), 'utf8'), TASK_2.replace('"task-1"', '"task-7"').replace('[task-1]', '[task-7]'));
    assert.equal(readFileSync(v2('brainfile.md'), 'utf8'), CONFIG);
  });

  it("renames the ledger's records with the task, and lists them among the references", async () => {
    const ledger = [
      '{"id":"task-1","type":"task","title":"Token refresh","filesChanged":["src/auth/token.ts"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-02T10:00:00Z","cycleTimeHours":25,"summary":"Tokens."}',
      '{"id":"task-4","type":"task","title":"Sub-task","filesChanged":["task-4.md"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-02T10:00:00Z","cycleTimeHours":25,"summary":"Done.","parentId":"task-1"}',
      '',
    ].join('\n');
    mkdirSync(v2('logs'));
    writeFileSync(v2('logs/ledger.jsonl'), ledger);
    // As the client's file watcher tells the server (it watches logs/ledger.jsonl).
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(v2('logs/ledger.jsonl')), type: 1 }] });
    const uri = fileUri(v2('board/task-2.md'));
    await client.open(uri, TASK_2);
    const position = { line: 5, character: 6 };
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
    assert.deepEqual(refs.filter((r) => r.uri === fileUri(v2('logs/ledger.jsonl'))).map((r) => r.range.start.line), [0, 1]);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position, newName: 'task-4' }), /task-4 is taken by a completed task recorded in logs\/ledger.jsonl/);
    applyToDisk(await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'task-7' }));
    assert.equal(readFileSync(v2('logs/ledger.jsonl'), 'utf8'), ledger.replace('{"id":"task-1"', '{"id":"task-7"').replace('"parentId":"task-1"', '"parentId":"task-7"'));
    assert.equal(readFileSync(v2('board/task-7.md'), 'utf8'), TASK_1.replace('id: task-1', 'id: task-7'));
  });

  it('renames in the open, unsaved buffer of the ledger: its positions and version, not the file on disk', async () => {
    const record = (id: string, extra = '') =>
      `{"id":"${id}","type":"task","title":"T","filesChanged":["a.ts"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-02T10:00:00Z","cycleTimeHours":25,"summary":"S."${extra}}`;
    const onDisk = `${record('task-1')}\n`;
    mkdirSync(v2('logs'));
    writeFileSync(v2('logs/ledger.jsonl'), onDisk);
    const ledgerUri = fileUri(v2('logs/ledger.jsonl'));
    // Unsaved: a record before the one on disk moves it a line down, and a second one names task-5.
    const buffer = `${record('task-5')}\n${record('task-1')}\n${record('task-6', ',"parentId":"task-1"')}\n`;
    await client.open(ledgerUri, onDisk);
    await client.change(ledgerUri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: buffer }]);
    const uri = fileUri(v2('board/task-2.md'));
    await client.open(uri, TASK_2);
    const position = { line: 5, character: 6 };
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position, newName: 'task-5' }), /task-5 is taken by a completed task recorded in logs\/ledger.jsonl/);
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'task-7' });
    const ledgerEdit = (edit.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument?.uri === ledgerUri)!;
    assert.equal(ledgerEdit.textDocument.version, 2);
    assert.deepEqual(
      (ledgerEdit.edits as TextEdit[]).map((e) => [e.range.start.line, e.range.start.character, e.range.end.character]),
      [
        [1, 7, 13],
        [2, buffer.split('\n')[2].indexOf('"parentId":"task-1"') + '"parentId":"'.length, buffer.split('\n')[2].indexOf('"parentId":"task-1"') + '"parentId":"task-1'.length],
      ],
    );
  });

  it('renames a v1 id keeping quotes and comments, and refuses taken or malformed ids with a message', async () => {
    const uri = fileUri(v1());
    await client.open(uri, V1);
    const position = { line: 14, character: 31 }; // inside 'task-3'
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'task-30' });
    applyToDisk(edit);
    assert.equal(readFileSync(v1(), 'utf8'), V1.replace("'task-3'", "'task-30'").replace('id: task-3\n', 'id: task-30\n'));
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: { line: 6, character: 14 }, newName: 'task-2' }), /task-2 is taken by "Rate-limit"/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: { line: 6, character: 14 }, newName: 'Task 7' }), /"Task 7" is not a task id/);
    assert.equal(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: { line: 1, character: 9 } }), null);
  });

  it('finds references across v2 files and highlights in one file', async () => {
    const uri = fileUri(v2('board/task-1.md'));
    await client.open(uri, TASK_1);
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: { line: 1, character: 6 }, context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => `${path.basename(r.uri)}:${r.range.start.line}:${r.range.start.character}`).sort(), ['task-1.md:1:4', 'task-2.md:5:4', 'task-2.md:6:12']);
    const highlights = await client.request<unknown[]>('textDocument/documentHighlight', { textDocument: { uri: fileUri(v1()) }, position: { line: 6, character: 14 } });
    assert.equal(highlights.length, 2);
  });

  it('answers workspace symbols, folding, selection ranges, the call hierarchy and Claim Next', async () => {
    const symbols = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'ratelim' });
    assert.equal(symbols[0].name, 'task-2 Rate-limit');
    const uri = fileUri(v1());
    await client.open(uri, V1);
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(folds[0], { startLine: 0, endLine: 20 });
    const [selection] = await client.request<Array<{ range: Range; parent?: unknown }>>('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 10, character: 20 }] });
    assert.deepEqual(selection.range, { start: { line: 10, character: 18 }, end: { line: 10, character: 23 } });
    const [item] = await client.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', { textDocument: { uri }, position: { line: 11, character: 15 } });
    assert.equal(item.name, 'task-2');
    const outgoing = await client.request<CallHierarchyOutgoingCall[]>('callHierarchy/outgoingCalls', { item });
    assert.deepEqual(outgoing.map((c) => c.to.name), ['task-1', 'task-3']);
    const next = await client.request<NextTaskResult>('contracts/nextTask', {});
    assert.equal(next.task?.taskId, 'task-1');
    assert.equal(next.task?.uri, uri);
    assert.deepEqual(next.skipped.map((s) => `${s.taskId}: ${s.reason}`), ['task-2: waits for task-1 (ready), task-3 (in_progress)', 'task-2: waits for task-1 (in_progress)']);
  });
});
