import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { AddTaskRequest, BoardRequest, MoveCardRequest, type AddTaskResult, type BoardResult, type MoveCardResult } from '../../shared/board';
import { TransitionRequest, type TransitionResult } from '../../shared/protocol';
import { fileUri, LspTestClient } from './lspClient';

const BOARD = ['---', 'title: Protocol board', 'columns:', '  - id: todo', '    title: To Do', '    tasks:', '      - id: task-1', '        title: First  # keep me', '      - id: task-2', '        title: Second', '  - id: doing', '    title: Doing', '---', ''].join('\n');
const V2_CONFIG = ['---', 'title: V2 board', 'schema: https://brainfile.md/v2/board.json', 'columns:', '  - id: todo', '    title: To Do', '  - id: doing', '    title: Doing', '---', ''].join('\n');
const LIFECYCLE_CONFIG = V2_CONFIG.replace('V2 board', 'Lifecycle board');
const contractTask = (n: number, column: string, status: string) => ['---', `id: task-${n}`, 'type: task', `title: Task ${n}  # keep`, `column: ${column}`, 'contract:', `  status: ${status}`, '  deliverables: []', '---', '', 'Body.', ''].join('\n');
const v2Task = (n: number, column: string) => ['---', `id: task-${n}`, 'type: task', `title: Task ${n}`, `column: ${column}`, '---', '', 'Body.', ''].join('\n');

type Change = { textDocument: { uri: string; version: number | null }; edits: TextEdit[] } | { kind: 'create'; uri: string };

function applyLspEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line] + p.character;
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

describe('the board requests over stdio', function () {
  this.timeout(30000);
  let workspace: string;
  let client: LspTestClient;
  let boardUri: string;
  let configUri: string;
  let task3Uri: string;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'contracts-board-'));
    writeFileSync(path.join(workspace, 'brainfile.md'), BOARD);
    const dot = path.join(workspace, 'v2', '.brainfile');
    mkdirSync(path.join(dot, 'board'), { recursive: true });
    writeFileSync(path.join(dot, 'brainfile.md'), V2_CONFIG);
    writeFileSync(path.join(dot, 'board', 'task-3.md'), v2Task(3, 'todo'));
    writeFileSync(path.join(dot, 'board', 'task-4.md'), v2Task(4, 'doing'));
    // A second v2 board whose lanes carry contracts: the lifecycle drop.
    const life = path.join(workspace, 'life', '.brainfile');
    mkdirSync(path.join(life, 'board'), { recursive: true });
    writeFileSync(path.join(life, 'brainfile.md'), LIFECYCLE_CONFIG);
    writeFileSync(path.join(life, 'board', 'task-11.md'), contractTask(11, 'todo', 'ready'));
    writeFileSync(path.join(life, 'board', 'task-12.md'), contractTask(12, 'doing', 'in_progress'));
    writeFileSync(path.join(life, 'board', 'task-13.md'), contractTask(13, 'doing', 'in_progress'));
    boardUri = fileUri(path.join(workspace, 'brainfile.md'));
    configUri = fileUri(path.join(dot, 'brainfile.md'));
    task3Uri = fileUri(path.join(dot, 'board', 'task-3.md'));
    client = new LspTestClient();
    await client.initialize(workspace);
    await client.open(boardUri, BOARD);
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('answers the kanban of a v1 board, and of a v2 board from one of its task files', async () => {
    const v1 = await client.request<BoardResult>(BoardRequest.method, { uri: boardUri });
    assert.deepEqual([v1.found, v1.title, v1.version, v1.documentVersion], [true, 'Protocol board', 1, 1]);
    assert.deepEqual(v1.lanes.map((l) => [l.id, l.cards.map((c) => c.id)]), [['todo', ['task-1', 'task-2']], ['doing', []]]);
    // The first scan may still run: ask until the v2 board is indexed.
    let v2: BoardResult | undefined;
    for (let i = 0; i < 50 && !v2?.found; i++) {
      v2 = await client.request<BoardResult>(BoardRequest.method, { uri: task3Uri });
      if (!v2.found) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(v2?.uri, configUri);
    assert.deepEqual(v2?.lanes.map((l) => [l.id, l.cards.map((c) => c.id)]), [['todo', ['task-3']], ['doing', ['task-4']]]);
  });

  it('moves a card as a versioned edit, and refuses a stale version', async () => {
    const result = await client.request<MoveCardResult>(MoveCardRequest.method, { boardUri, taskId: 'task-2', toColumn: 'todo', beforeTaskId: 'task-1', version: 1 });
    const [change] = (result.edit as { documentChanges: Change[] }).documentChanges as Array<Extract<Change, { edits: TextEdit[] }>>;
    assert.deepEqual(change.textDocument, { uri: boardUri, version: 1 });
    assert.equal(applyLspEdits(BOARD, change.edits), BOARD.replace('      - id: task-1\n        title: First  # keep me\n      - id: task-2\n        title: Second\n', '      - id: task-2\n        title: Second\n      - id: task-1\n        title: First  # keep me\n'));
    const stale = await client.request<MoveCardResult>(MoveCardRequest.method, { boardUri, taskId: 'task-2', toColumn: 'doing', version: 9 });
    assert.deepEqual(stale, { refused: 'The board changed since you looked (version 9, now 1).' });
  });

  it('adds a v2 task as a new file in board/', async () => {
    const result = await client.request<AddTaskResult>(AddTaskRequest.method, { boardUri: configUri, column: 'doing', title: 'Fresh', withContract: false });
    assert.equal(result.id, 'task-5');
    const [create, write] = (result.edit as { documentChanges: Change[] }).documentChanges;
    const uri = fileUri(path.join(workspace, 'v2', '.brainfile', 'board', 'task-5.md'));
    assert.deepEqual(create, { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    assert.equal((write as Extract<Change, { edits: TextEdit[] }>).edits[0].newText, ['---', 'id: task-5', 'type: task', 'title: Fresh', 'column: doing', '---', '', '## Description', ''].join('\n'));
  });

  it('v2: a lifecycle drop before a card writes the status, the column and the lane\'s positions, one versioned edit', async () => {
    const dir = path.join(workspace, 'life', '.brainfile', 'board');
    const uri = (n: number) => fileUri(path.join(dir, `task-${n}.md`));
    // The first scan may still run: ask until the board is indexed.
    let board: BoardResult | undefined;
    for (let i = 0; i < 50 && board?.lanes.find((l) => l.id === 'doing')?.cards.length !== 2; i++) {
      board = await client.request<BoardResult>(BoardRequest.method, { uri: uri(11) });
      if (!board.found) await new Promise((r) => setTimeout(r, 100));
    }
    const result = await client.request<TransitionResult>(TransitionRequest.method, {
      uri: uri(11),
      taskId: 'task-11',
      transition: 'claim',
      expectedStatus: 'ready',
      now: '2026-12-02T04:00:00Z',
      moveToColumn: true,
      columnMap: { in_progress: 'doing' },
      beforeTaskId: 'task-13',
    });
    assert.deepEqual([result.from, result.to, result.notes], ['ready', 'in_progress', []]);
    const changes = (result.edit as { documentChanges: Change[] }).documentChanges as Array<Extract<Change, { edits: TextEdit[] }>>;
    // task-12 stays first, task-11 lands second, task-13 moves to third: every file of the lane says its place.
    const order = [12, 11, 13];
    assert.deepEqual(changes.map((c) => c.textDocument), order.map((n) => ({ uri: uri(n), version: null })));
    const after = changes.map((c, i) => (order[i] === 11 ? applyLspEdits(contractTask(11, 'todo', 'ready'), c.edits) : applyLspEdits(contractTask(order[i], 'doing', 'in_progress'), c.edits)));
    assert.deepEqual(after, [
      ['---', 'id: task-12', 'type: task', 'title: Task 12  # keep', 'column: doing', 'position: 0', 'contract:', '  status: in_progress', '  deliverables: []', '---', '', 'Body.', ''].join('\n'),
      ['---', 'id: task-11', 'type: task', 'title: Task 11  # keep', 'column: doing', 'position: 1', 'contract:', '  status: in_progress', '  deliverables: []', '  metrics:', '    pickedUpAt: "2026-12-02T04:00:00Z"', '---', '', 'Body.', ''].join('\n'),
      ['---', 'id: task-13', 'type: task', 'title: Task 13  # keep', 'column: doing', 'position: 2', 'contract:', '  status: in_progress', '  deliverables: []', '---', '', 'Body.', ''].join('\n'),
    ]);
  });
});
