import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BoardController } from '../../client/src/board/boardController';
import type { BoardPanels } from '../../client/src/board/boardPanels';
import type { FromWebview, ToWebview, WebviewSnapshot } from '../../client/src/board/messages';
import { disk, exists, waitForTask, workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const BOARD_V1 = 'board-v1/brainfile.md';
const V2_CONFIG = 'board-v2/.brainfile/brainfile.md';
const TASK_10 = 'board-v2/.brainfile/board/task-10.md';
const TASK_11 = 'board-v2/.brainfile/board/task-11.md';
const TASK_12 = 'board-v2/.brainfile/board/task-12.md';
const TASK_13 = 'board-v2/.brainfile/board/task-13.md';
const BIG_BOARD = 'board-big/brainfile.md';
const TOUCHED = [BOARD_V1, TASK_10, TASK_11, TASK_12];

/** The next message of `type` from the webview (through its real message channel) that `accept`s. */
function fromWebview<T extends FromWebview['type']>(
  controller: BoardController,
  type: T,
  accept: (message: Extract<FromWebview, { type: T }>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Extract<FromWebview, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (listener.dispose(), reject(new Error(`no "${type}" message from the board webview`))), timeoutMs);
    const listener = controller.onMessage((message) => {
      if (message.type !== type || !accept(message as Extract<FromWebview, { type: T }>)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(message as Extract<FromWebview, { type: T }>);
    });
  });
}

function nextResult(controller: BoardController, timeoutMs = 10_000): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (listener.dispose(), reject(new Error('the board reported no result'))), timeoutMs);
    const listener = controller.onResult((result) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(result);
    });
  });
}

/** Sends a test message and returns what the webview shows afterwards. */
async function ask(controller: BoardController, message: ToWebview): Promise<WebviewSnapshot> {
  const state = fromWebview(controller, 'state');
  await controller.post(message);
  return (await state).snapshot;
}

async function snapshot(controller: BoardController): Promise<WebviewSnapshot> {
  return ask(controller, { type: 'test', op: 'state' });
}

/** Polls the webview until `accept` holds. */
async function webviewShows(controller: BoardController, accept: (s: WebviewSnapshot) => boolean, timeoutMs = 5000): Promise<WebviewSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await snapshot(controller);
    if (accept(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`the board never showed it; last: ${JSON.stringify(shown)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lane(shown: WebviewSnapshot, id: string): { id: string; count: number; rendered: string[] } {
  const found = shown.lanes.find((l) => l.id === id);
  assert.ok(found, `lane ${id} is shown`);
  return found;
}

/** Lines `from`..`to` (1-based, inclusive) of `text`, with their line breaks. */
function lines(text: string, from: number, to: number): string {
  return text.split(/(?<=\n)/).slice(from - 1, to).join('');
}

/** The board's text with the claim's `pickedUpAt` time masked as "NOW". */
function withClaimTimeMasked(text: string): string {
  return text.replace(/pickedUpAt: "[^"]+"/, 'pickedUpAt: "NOW"');
}

/** task-1 of the shipped v1 board (lines 17-41) as a claim writes it: in_progress, its comment kept, `pickedUpAt` (masked) added. */
function claimedTask1(before: string): string {
  return lines(before, 17, 41)
    .replace('status: ready  # the PM', 'status: in_progress  # the PM')
    .replace('              - Refund flows\n', '              - Refund flows\n          metrics:\n            pickedUpAt: "NOW"\n');
}

describe('the board view in the real extension host', function () {
  this.timeout(60_000);
  let boards: BoardPanels;
  const original = new Map<string, string>();

  async function openBoard(relative: string): Promise<BoardController> {
    const rendered = new Promise<BoardController>((resolve) => {
      const listener = boards.onDidOpen((controller) => {
        listener.dispose();
        void fromWebview(controller, 'rendered').then(() => resolve(controller));
      });
    });
    const controller = await vscode.commands.executeCommand<BoardController>('contracts.openBoard', workspaceUri(relative));
    assert.ok(controller, 'the board opened');
    await rendered;
    return controller;
  }

  before(async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    boards = api.boards;
    // The server lists every task once its first scan is done.
    await waitForTask(api.ctx.clientInstance, workspaceUri(TASK_11).toString(), 'task-11');
    for (const file of TOUCHED) original.set(file, await disk(file));
  });

  afterEach(async () => {
    for (const file of TOUCHED) {
      const document = await vscode.workspace.openTextDocument(workspaceUri(file));
      const text = original.get(file)!;
      if (document.getText() !== text) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
        assert.ok(await vscode.workspace.applyEdit(edit));
      }
      if (document.isDirty) await document.save();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Deleted through a WorkspaceEdit, so VS Code closes its document too: the server would keep
    // an open task-13 listed, and the Tasks view suite creates a task-13.md of its own.
    if (await exists(TASK_13)) {
      const remove = new vscode.WorkspaceEdit();
      remove.deleteFile(workspaceUri(TASK_13));
      assert.ok(await vscode.workspace.applyEdit(remove));
    }
  });

  it('opens a v1 board with its columns in order and their cards', async () => {
    const controller = await openBoard(BOARD_V1);
    assert.equal(controller.panel.title, 'Payments Service');
    const shown = await snapshot(controller);
    assert.deepEqual(
      shown.lanes.map((l) => [l.id, l.count, l.rendered]),
      [
        ['todo', 2, ['task-1', 'task-2']],
        ['in-progress', 1, ['task-3']],
        ['review', 1, ['task-4']],
        ['done', 3, ['task-5', 'task-6', 'task-7']],
      ],
    );
    const card = controller.current!.board.lanes[0].cards[0];
    assert.deepEqual([card.status, card.priority, card.tags, card.deliverables, card.commands], ['ready', 'high', ['api', 'reliability'], 2, 2]);
  });

  it('opens a v2 board from one of its task files', async () => {
    const controller = await openBoard(TASK_11);
    assert.equal(controller.boardUri.toString(), workspaceUri(V2_CONFIG).toString());
    const shown = await snapshot(controller);
    assert.deepEqual(shown.lanes.map((l) => l.id), ['todo', 'in-progress', 'review', 'blocked']);
    assert.ok(lane(shown, 'in-progress').rendered.includes('task-10'));
  });

  it('opens as a custom editor with "Open With…"', async () => {
    const opened = new Promise<BoardController>((resolve) => {
      const listener = boards.onDidOpen((controller) => {
        listener.dispose();
        void fromWebview(controller, 'rendered').then(() => resolve(controller));
      });
    });
    await vscode.commands.executeCommand('vscode.openWith', workspaceUri(BOARD_V1), 'contracts.board');
    const controller = await opened;
    assert.equal(controller.boardUri.toString(), workspaceUri(BOARD_V1).toString());
    assert.equal(lane(await snapshot(controller), 'todo').count, 2);
  });

  it('a keyboard move reorders the lane: exact bytes, saved, and one undo restores them', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const before = document.getText();
    const result = nextResult(controller);
    await ask(controller, { type: 'test', op: 'key', taskId: 'task-2', key: 'ArrowUp', altKey: true });
    assert.deepEqual(await result, { ok: true, message: 'task-2 moved to To Do.' });
    // task-1 is lines 17-41, task-2 lines 42-48: task-2 now comes first, every byte of both kept.
    const expected = lines(before, 1, 16) + lines(before, 42, 48) + lines(before, 17, 41) + lines(before, 49, 10_000);
    assert.equal(document.getText(), expected);
    assert.equal(document.isDirty, false);
    assert.equal(await disk(BOARD_V1), expected);
    const shown = await webviewShows(controller, (s) => lane(s, 'todo').rendered[0] === 'task-2');
    assert.equal(shown.focused, 'task-2', 'the moved card keeps the focus');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'one undo restores every byte');
    await webviewShows(controller, (s) => lane(s, 'todo').rendered[0] === 'task-1');
  });

  it('a drag into the column of the next status is the lifecycle move, through contracts/transition', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const before = document.getText();
    const result = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-1', toColumn: 'in-progress' });
    assert.deepEqual(await result, { ok: true, message: 'Claim: task-1 is in_progress, in In Progress.' });
    const after = withClaimTimeMasked(document.getText());
    const task1 = claimedTask1(before);
    const expected = lines(before, 1, 16) + lines(before, 42, 62) + task1 + lines(before, 63, 10_000);
    assert.equal(after, expected);
    await webviewShows(controller, (s) => lane(s, 'in-progress').rendered.join() === 'task-3,task-1');
  });

  it('a lifecycle drop lands where the card was dropped, before the card under it', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const before = document.getText();
    const result = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-1', toColumn: 'in-progress', beforeTaskId: 'task-3' });
    assert.deepEqual(await result, { ok: true, message: 'Claim: task-1 is in_progress, in In Progress.' });
    const after = withClaimTimeMasked(document.getText());
    const task1 = claimedTask1(before);
    // task-2 stays in To Do; In Progress's header (lines 49-51), then task-1, then task-3 (lines 52-62).
    const expected = lines(before, 1, 16) + lines(before, 42, 51) + task1 + lines(before, 52, 10_000);
    assert.equal(after, expected);
    await webviewShows(controller, (s) => lane(s, 'in-progress').rendered.join() === 'task-1,task-3');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'one undo restores every byte');
  });

  it('v2: a drag into the column of the next status delivers the task: its file gets the status, the column and the time; one undo; dropped before a card, the lane\'s positions too', async () => {
    const controller = await openBoard(V2_CONFIG);
    const document = await vscode.workspace.openTextDocument(workspaceUri(TASK_10));
    const before = document.getText();
    const result = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-10', toColumn: 'review' });
    assert.deepEqual(await result, { ok: true, message: 'Deliver: task-10 is delivered, in Review.' });
    const expected = before
      .replace('column: in-progress\n', 'column: review\n')
      .replace('  status: in_progress\n', '  status: delivered\n')
      .replace('    reworkCount: 0\n', '    reworkCount: 0\n    deliveredAt: "NOW"\n    duration: SECONDS\n');
    assert.equal(document.getText().replace(/deliveredAt: "[^"]+"/, 'deliveredAt: "NOW"').replace(/duration: \d+/, 'duration: SECONDS'), expected);
    assert.equal(document.isDirty, false, 'saved, as the board saves its moves');
    await webviewShows(controller, (s) => lane(s, 'review').rendered.includes('task-10'));

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'one undo restores every byte');
    await webviewShows(controller, (s) => lane(s, 'in-progress').rendered.includes('task-10'));

    // Dropped before task-12, the card of Review, it lands there: the lane's positions are written, as a plain move writes them.
    await document.save();
    const task12 = await disk(TASK_12);
    const dropped = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-10', toColumn: 'review', beforeTaskId: 'task-12' });
    assert.deepEqual(await dropped, { ok: true, message: 'Deliver: task-10 is delivered, in Review.' });
    assert.equal(
      document.getText().replace(/deliveredAt: "[^"]+"/, 'deliveredAt: "NOW"').replace(/duration: \d+/, 'duration: SECONDS'),
      expected.replace('column: review\n', 'column: review\nposition: 0\n'),
    );
    const other = await vscode.workspace.openTextDocument(workspaceUri(TASK_12));
    assert.equal(other.getText(), task12.replace('column: review\n', 'column: review\nposition: 1\n'));
    assert.deepEqual([document.isDirty, other.isDirty], [false, false], 'both files saved with the move');
    assert.equal(await disk(TASK_12), other.getText());
    await webviewShows(controller, (s) => lane(s, 'review').rendered.join() === 'task-10,task-12');
  });

  it('v2: Add Task writes board/task-13.md with the next free id, and one undo removes the file', async () => {
    const controller = await openBoard(V2_CONFIG);
    const outcome = await controller.addTask('todo', 'Write the changelog', true);
    assert.deepEqual(outcome, { ok: true, message: 'task-13 added to To Do.' });
    const expected = '---\nid: task-13\ntype: task\ntitle: Write the changelog\ncolumn: todo\ncontract:\n  status: draft\n  deliverables: []\n---\n\n## Description\n';
    assert.equal(await disk(TASK_13), expected);
    await webviewShows(controller, (s) => lane(s, 'todo').rendered.includes('task-13'));

    const document = await vscode.workspace.openTextDocument(workspaceUri(TASK_13));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await webviewShows(controller, (s) => !lane(s, 'todo').rendered.includes('task-13'));
    assert.equal(await exists(TASK_13), false, 'the undo removed the new file');
  });

  it('v2: a card dropped before another writes its column and the lane\'s positions, exact bytes in both files', async () => {
    const controller = await openBoard(V2_CONFIG);
    assert.equal((await controller.addTask('todo', 'Write the changelog', false)).ok, true);
    await webviewShows(controller, (s) => lane(s, 'todo').rendered.includes('task-13'));
    const added = await disk(TASK_13);
    const task10 = await disk(TASK_10);
    const result = nextResult(controller);
    // No contract: a placement, not a lifecycle move.
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-13', toColumn: 'in-progress', beforeTaskId: 'task-10' });
    assert.deepEqual(await result, { ok: true, message: 'task-13 moved to In Progress.' });
    const moved = await vscode.workspace.openTextDocument(workspaceUri(TASK_13));
    const other = await vscode.workspace.openTextDocument(workspaceUri(TASK_10));
    assert.equal(moved.getText(), added.replace('column: todo\n', 'column: in-progress\nposition: 0\n'));
    assert.equal(other.getText(), task10.replace('column: in-progress\n', 'column: in-progress\nposition: 1\n'));
    await webviewShows(controller, (s) => lane(s, 'in-progress').rendered.join() === 'task-13,task-10');
  });

  it('refuses a move the lifecycle forbids, naming the allowed ones, and changes nothing', async () => {
    const controller = await openBoard(BOARD_V1);
    const before = await disk(BOARD_V1);
    const result = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-1', toColumn: 'done' });
    const { ok, message } = await result;
    assert.equal(ok, false);
    assert.equal(message, 'Cannot move task-1 to Done: it is ready, Done holds done contracts, and from ready the allowed moves are claim (to In Progress), cancel.');
    const shown = await webviewShows(controller, (s) => s.status === message);
    assert.ok(lane(shown, 'todo').rendered.includes('task-1'));
    assert.equal(await disk(BOARD_V1), before);
  });

  it('a move while the text has unsaved typing keeps the typing and leaves the buffer unsaved', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await editor.edit((b) => b.insert(new vscode.Position(1, 'title: Payments Service'.length), ' (draft)'));
    assert.ok(document.isDirty);
    const result = nextResult(controller);
    await controller.post({ type: 'test', op: 'drag', taskId: 'task-7', toColumn: 'review' });
    assert.equal((await result).ok, true);
    assert.ok(document.isDirty, 'still unsaved');
    assert.match(document.getText(), /^---\ntitle: Payments Service \(draft\)\n/);
    assert.match(document.getText(), /id: task-4[\s\S]*id: task-7\n {8}title: Write the on-call runbook\n {2}- id: done/);
  });

  it('follows typing within half a second, and greys the last good board on a syntax error', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const titleLine = document.getText().split('\n').findIndex((l) => l.includes('title: Add idempotency keys'));
    const started = Date.now();
    await editor.edit((b) => b.insert(new vscode.Position(titleLine, document.lineAt(titleLine).text.length), ' now'));
    await new Promise<void>((resolve) => {
      const listener = controller.onDidUpdate((state) => {
        if (state.board.lanes[0].cards[0].title.endsWith(' now')) {
          listener.dispose();
          resolve();
        }
      });
    });
    const ms = Date.now() - started;
    console.log(`[perf] board follows a keystroke in ${ms} ms`);
    assert.ok(ms < 2000, `the board followed the typing in ${ms} ms`);

    await editor.edit((b) => b.insert(new vscode.Position(titleLine, document.lineAt(titleLine).text.length), ': "'));
    const shown = await webviewShows(controller, (s) => s.stale);
    assert.match(shown.banner, /syntax error \(Line \d+: .+\)/);
    assert.ok(lane(shown, 'todo').rendered.includes('task-1'), 'the last good board stays');
    assert.equal(controller.current?.board.lanes[0].cards[0].title, 'Add idempotency keys to the charge endpoint now');
  });

  it('adds a task with the next free id, a title and a contract skeleton', async () => {
    const controller = await openBoard(BOARD_V1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const before = document.getText();
    // The "+" form's message is handled by this method.
    const outcome = await controller.addTask('review', 'Write the changelog', true);
    assert.deepEqual(outcome, { ok: true, message: 'task-8 added to Review.' });
    const expected = before.replace(
      '              - grep -q "POST /v2/charges" docs/api-v2.md\n',
      '              - grep -q "POST /v2/charges" docs/api-v2.md\n      - id: task-8\n        title: Write the changelog\n        contract:\n          status: draft\n          deliverables: []\n',
    );
    assert.equal(document.getText(), expected);
    await webviewShows(controller, (s) => lane(s, 'review').rendered.includes('task-8'));
  });

  it('renders a 1,000-task board, drawing only the cards in view', async () => {
    const columns = ['todo', 'in-progress', 'review', 'done'];
    const text = [
      '---',
      'title: Big board',
      'columns:',
      ...columns.flatMap((id, c) => [
        `  - id: ${id}`,
        `    title: ${id}`,
        '    tasks:',
        ...Array.from({ length: 250 }, (_, i) => {
          const n = c * 250 + i + 1;
          return [`      - id: task-${n}`, `        title: Task number ${n}`, '        priority: medium', '        contract:', '          status: ready', '          deliverables:', `            - path: src/f${n}.ts`].join('\n');
        }),
      ]),
      '---',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(workspaceUri(BIG_BOARD), new TextEncoder().encode(text));
    try {
      // Opened, so the server has it whether or not its file watcher has spoken yet.
      await vscode.workspace.openTextDocument(workspaceUri(BIG_BOARD));
      const opened = new Promise<FromWebview>((resolve) => {
        const listener = boards.onDidOpen((controller) => {
          listener.dispose();
          void fromWebview(controller, 'rendered', (m) => m.cards === 1000, 30_000).then(resolve);
        });
      });
      await vscode.commands.executeCommand('contracts.openBoard', workspaceUri(BIG_BOARD));
      const rendered = (await opened) as Extract<FromWebview, { type: 'rendered' }>;
      console.log(`[perf] board webview renders 1,000 tasks in ${rendered.ms.toFixed(1)} ms (${rendered.domCards} cards in the DOM)`);
      assert.ok(rendered.domCards < 200, `only the visible cards are drawn, not ${rendered.domCards}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(workspaceUri('board-big'), { recursive: true });
    }
  });
});
