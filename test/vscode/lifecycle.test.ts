import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TasksRequest, TransitionRequest, type TaskSummary, type TransitionParams } from '../../shared/protocol';
import type { TransitionOutcome } from '../../client/src/lifecycle/applyTransition';
import { transitionOf } from '../../client/src/lifecycle/transitions';
import { movableTasks } from '../../client/src/lifecycle/pickTask';
import { disk, nextEvent, request, sendsRequest, workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const BOARD_V1 = 'board-v1/brainfile.md';
const TASK_10 = 'board-v2/.brainfile/board/task-10.md';
const TASK_11 = 'board-v2/.brainfile/board/task-11.md';
/** Every file these tests move tasks in; each test leaves them as it found them. */
const TOUCHED = [BOARD_V1, TASK_10, TASK_11];

/** The demo file a task lives in (other demo boards reuse the ids). */
function fileOf(id: string): string {
  return id === 'task-10' ? TASK_10 : id === 'task-11' ? TASK_11 : BOARD_V1;
}

/** Errors and warnings, as messages. A status left in a column of another stage is only a hint, by design. */
function problems(list: vscode.Diagnostic[]): string[] {
  return list.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => d.message);
}

function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'contracts');
}

/** The next diagnostics our server publishes for `uri` after `action` ran, hints included. */
async function diagnosticsAfter(uri: vscode.Uri, action: () => Promise<unknown>): Promise<vscode.Diagnostic[]> {
  const published = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (listener.dispose(), reject(new Error(`no diagnostics for ${uri.path} after the move`))), 10000);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
  await action();
  await published;
  return ourDiagnostics(uri);
}

describe('lifecycle commands in the real extension host', function () {
  this.timeout(30000);
  let client: LanguageClient;
  const original = new Map<string, string>();

  async function tasks(): Promise<TaskSummary[]> {
    return (await request(client, TasksRequest, {})).tasks;
  }

  /** The server's summary of a task once it satisfies `accept` (the server hears of edits asynchronously). */
  async function taskWhen(id: string, accept: (task: TaskSummary) => boolean = () => true, timeoutMs = 8000): Promise<TaskSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const uri = workspaceUri(fileOf(id)).toString();
    const task = (await tasks()).find((t) => t.id === id && t.uri === uri);
      if (task && accept(task)) return task;
      if (Date.now() > deadline) throw new Error(`${id} never matched; last seen: ${JSON.stringify(task && { status: task.status, hasContract: task.hasContract, feedback: task.feedback })}`);
      await nextEvent([vscode.languages.onDidChangeDiagnostics, vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument], 500);
    }
  }

  function lensArgument(task: TaskSummary): { uri: string; taskId: string; status?: string; version?: number } {
    return { uri: task.uri, taskId: task.id, status: task.status, version: task.documentVersion };
  }

  function run(command: string, argument?: unknown): Thenable<TransitionOutcome> {
    return vscode.commands.executeCommand<TransitionOutcome>(command, argument);
  }

  async function documentOf(relative: string): Promise<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(workspaceUri(relative));
  }

  async function undoIn(document: vscode.TextDocument): Promise<void> {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
  }

  before(async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance;
    for (const file of TOUCHED) original.set(file, await disk(file));
    // The server lists every task once its first scan is done.
    await taskWhen('task-11');
  });

  // Put back the bytes of the demo files, in the buffer and on disk, so tests never depend on each other.
  afterEach(async () => {
    for (const file of TOUCHED) {
      const document = await documentOf(file);
      const text = original.get(file)!;
      if (document.getText() !== text) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
        assert.ok(await vscode.workspace.applyEdit(edit));
      }
      if (document.isDirty) await document.save();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('claims a ready task from a code lens: file, tasks and diagnostics follow; one undo restores the bytes', async () => {
    const document = await documentOf(BOARD_V1);
    const before = document.getText();
    const task = await taskWhen('task-1');
    assert.equal(task.status, 'ready');
    let outcome: TransitionOutcome | undefined;
    const diagnostics = await diagnosticsAfter(document.uri, async () => (outcome = await run('contracts.claim', lensArgument(task))));
    assert.deepEqual(outcome, { applied: true });
    assert.deepEqual(problems(diagnostics), []);
    const after = document.getText();
    assert.match(after, /status: in_progress {2}# the PM marked it ready on Monday/, 'the comment and spacing stay');
    assert.match(after, /pickedUpAt: /);
    assert.equal((await taskWhen('task-1', (t) => t.status === 'in_progress')).status, 'in_progress');
    // The file was clean, so the move is saved.
    assert.equal(document.isDirty, false);
    assert.equal(await disk(BOARD_V1), after);

    await undoIn(document);
    assert.equal(document.getText(), before, 'one undo restores every byte');
    await taskWhen('task-1', (t) => t.status === 'ready');
  });

  it('moves the task to the column of its new status when contracts.moveTaskToColumn is on', async () => {
    const settings = vscode.workspace.getConfiguration('contracts');
    const { ctx } = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await settings.update('moveTaskToColumn', true, vscode.ConfigurationTarget.Workspace);
    try {
      if (!ctx.config.moveTaskToColumn) await nextEvent([vscode.workspace.onDidChangeConfiguration], 5000);
      assert.equal(ctx.config.moveTaskToColumn, true);
      const document = await documentOf(BOARD_V1);
      const before = document.getText();
      let outcome: TransitionOutcome | undefined;
      const diagnostics = await diagnosticsAfter(document.uri, async () => (outcome = await run('contracts.claim', { task: await taskWhen('task-1') })));
      assert.deepEqual(outcome, { applied: true });
      assert.deepEqual(diagnostics.map((d) => d.message), [], 'not even a hint: status and column agree');
      const moved = await taskWhen('task-1', (t) => t.status === 'in_progress');
      assert.equal(moved.column, 'in-progress');
      await undoIn(document);
      assert.equal(document.getText(), before, 'one undo puts the block back');
    } finally {
      await settings.update('moveTaskToColumn', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  const moves: Array<{ command: string; id: string; from: string; to: string }> = [
    { command: 'contracts.publish', id: 'task-2', from: 'draft', to: 'ready' },
    { command: 'contracts.deliver', id: 'task-3', from: 'in_progress', to: 'delivered' },
    { command: 'contracts.approve', id: 'task-4', from: 'delivered', to: 'done' },
    { command: 'contracts.rework', id: 'task-6', from: 'failed', to: 'reworking' },
    { command: 'contracts.cancel', id: 'task-2', from: 'draft', to: 'cancelled' },
  ];
  for (const move of moves) {
    it(`${move.command} moves ${move.id} from ${move.from} to ${move.to} from a tree item`, async () => {
      const document = await documentOf(BOARD_V1);
      const task = await taskWhen(move.id);
      assert.equal(task.status, move.from);
      let outcome: TransitionOutcome | undefined;
      const diagnostics = await diagnosticsAfter(document.uri, async () => (outcome = await run(move.command, { task })));
      assert.deepEqual(outcome, { applied: true });
      assert.deepEqual(problems(diagnostics), []);
      await taskWhen(move.id, (t) => t.status === move.to);
      assert.equal(document.isDirty, false);
    });
  }

  it('rework counts the rework in the metrics', async () => {
    const document = await documentOf(BOARD_V1);
    await run('contracts.rework', { task: await taskWhen('task-6') });
    const block = document.getText().split('- id: task-6')[1].split('- id: task-7')[0];
    assert.match(block, /reworkCount: 1/);
  });

  it('reject stores the feedback', async () => {
    const document = await documentOf(BOARD_V1);
    const feedback = 'The docs miss the 409 response.';
    const outcome = await run('contracts.reject', { task: await taskWhen('task-4'), feedback });
    assert.deepEqual(outcome, { applied: true });
    const task = await taskWhen('task-4', (t) => t.status === 'failed');
    assert.equal(task.feedback, feedback);
    assert.ok(document.getText().includes(feedback));
  });

  it('blocks and unblocks tasks on a v2 board, saving files that were not open', async () => {
    const blocked = await run('contracts.block', { task: await taskWhen('task-10') });
    assert.deepEqual(blocked, { applied: true });
    await taskWhen('task-10', (t) => t.status === 'blocked');
    assert.match(await disk(TASK_10), /status: blocked/);

    const unblocked = await run('contracts.unblock', lensArgument(await taskWhen('task-11')));
    assert.deepEqual(unblocked, { applied: true });
    await taskWhen('task-11', (t) => t.status === 'in_progress');
    assert.match(await disk(TASK_11), /status: in_progress/);
    assert.deepEqual(problems(ourDiagnostics(workspaceUri(TASK_11))), []);
  });

  it('adds a contract to a task without one', async () => {
    const document = await documentOf(BOARD_V1);
    const task = await taskWhen('task-7');
    assert.equal(task.hasContract, false);
    let outcome: TransitionOutcome | undefined;
    const diagnostics = await diagnosticsAfter(document.uri, async () => (outcome = await run('contracts.addContract', { task })));
    assert.deepEqual(outcome, { applied: true });
    assert.deepEqual(problems(diagnostics), []);
    assert.equal((await taskWhen('task-7', (t) => t.hasContract)).hasContract, true);
  });

  it('refuses a stale expected status and changes nothing', async () => {
    const document = await documentOf(BOARD_V1);
    const before = document.getText();
    // A tree that has not refreshed yet still shows task-3 as ready.
    const stale = { ...(await taskWhen('task-3')), status: 'ready' as const };
    const outcome = await run('contracts.claim', { task: stale });
    assert.equal(outcome.applied, false);
    assert.equal(outcome.reason, 'task-3 was claimed by another change; now in_progress.');
    assert.equal(document.getText(), before);
    assert.equal(document.isDirty, false);
  });

  it('has the server refuse a stale document version', async () => {
    const document = await documentOf(BOARD_V1);
    const before = document.getText();
    const params: TransitionParams = { uri: document.uri.toString(), taskId: 'task-1', transition: 'claim', expectedStatus: 'ready', version: document.version - 1 };
    const result = await request(client, TransitionRequest, params);
    assert.equal(result.edit, undefined);
    assert.ok(result.refused, 'a reason');
    assert.equal(document.getText(), before);
  });

  it('refuses a task that is not there, or a board whose YAML is broken, and changes nothing', async () => {
    const document = await documentOf(BOARD_V1);
    const missing = await run('contracts.claim', { uri: document.uri.toString(), taskId: 'task-99', status: 'ready' });
    assert.equal(missing.applied, false);
    assert.match(missing.reason ?? '', /task-99/);

    const editor = await vscode.window.showTextDocument(document);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'broken: [unclosed\n')));
    const typed = document.getText();
    const broken = await run('contracts.claim', { uri: document.uri.toString(), taskId: 'task-1', status: 'ready' });
    assert.equal(broken.applied, false);
    assert.ok(broken.reason, 'a reason for the user');
    assert.equal(document.getText(), typed);
  });

  it('refuses, without asking the server, a task in the wrong status or on the wrong board version', async () => {
    const document = await documentOf(BOARD_V1);
    const before = document.getText();
    const done = await run('contracts.claim', { task: await taskWhen('task-5') });
    assert.deepEqual(done, { applied: false, reason: 'Cannot claim task-5: it is done, and Claim needs a ready task.' });
    // Several statuses may lead into a move; the refusal names them all.
    const deliver = await run('contracts.deliver', { task: await taskWhen('task-5') });
    assert.deepEqual(deliver, { applied: false, reason: 'Cannot deliver task-5: it is done, and Deliver needs a task that is in_progress or reworking.' });
    const cancel = await run('contracts.cancel', { task: await taskWhen('task-5') });
    assert.deepEqual(cancel, { applied: false, reason: 'Cannot cancel task-5: it is done, and Cancel needs a task that is draft, ready, in_progress, delivered, failed, reworking or blocked.' });
    const hasOne = await run('contracts.addContract', { task: await taskWhen('task-1') });
    assert.deepEqual(hasOne, { applied: false, reason: 'task-1 already has a contract.' });
    assert.equal(document.getText(), before);
  });

  it('moves a task in an unsaved buffer, keeps it unsaved and keeps what the user typed', async () => {
    const document = await documentOf(BOARD_V1);
    const editor = await vscode.window.showTextDocument(document);
    const end = document.lineAt(document.lineCount - 1).range.end;
    assert.ok(await editor.edit((edit) => edit.insert(end, '\nA note the user is still writing.\n')));
    const typed = document.getText();
    const onDisk = await disk(BOARD_V1);
    const outcome = await run('contracts.claim', lensArgument(await taskWhen('task-1')));
    assert.deepEqual(outcome, { applied: true });
    assert.equal(document.isDirty, true, 'still unsaved');
    assert.ok(document.getText().includes('A note the user is still writing.'));
    assert.match(document.getText(), /status: in_progress {2}# the PM/);
    assert.equal(await disk(BOARD_V1), onDisk, 'nothing written to disk');
    await taskWhen('task-1', (t) => t.status === 'in_progress');
    await undoIn(document);
    assert.equal(document.getText(), typed, 'undo takes back the move, not the typing');
  });

  /**
   * Makes the user type at the end of `editor` each time the server has answered
   * a transition and before the client applies it (the first `times` answers).
   */
  function typeWhileTheServerAnswers(editor: vscode.TextEditor, times: number): vscode.Disposable {
    const live = client as unknown as { sendRequest: (...args: unknown[]) => Promise<unknown> };
    const original = live.sendRequest;
    let typed = 0;
    live.sendRequest = async function (this: unknown, ...args: unknown[]) {
      const result = await original.apply(this, args);
      if (sendsRequest(args, TransitionRequest) && typed < times) {
        typed++;
        const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
        assert.ok(await editor.edit((edit) => edit.insert(end, `typed ${typed}\n`)));
      }
      return result;
    };
    return { dispose: () => void (live.sendRequest = original) };
  }

  it('asks again once when the user types while the server computes the move', async () => {
    const document = await documentOf(BOARD_V1);
    const editor = await vscode.window.showTextDocument(document);
    const typing = typeWhileTheServerAnswers(editor, 1);
    try {
      const outcome = await run('contracts.claim', { task: await taskWhen('task-1') });
      assert.deepEqual(outcome, { applied: true });
    } finally {
      typing.dispose();
    }
    assert.match(document.getText(), /typed 1\n$/);
    assert.match(document.getText(), /status: in_progress {2}# the PM/);
    assert.equal(document.isDirty, true, 'the typing made it unsaved, so the move is not saved either');
  });

  it('gives up, changing nothing, when the user keeps typing', async () => {
    const document = await documentOf(BOARD_V1);
    const editor = await vscode.window.showTextDocument(document);
    const typing = typeWhileTheServerAnswers(editor, 2);
    try {
      const outcome = await run('contracts.claim', { task: await taskWhen('task-1') });
      assert.equal(outcome.applied, false);
      assert.match(outcome.reason ?? '', /kept changing while task-1 was being changed; nothing was changed/);
    } finally {
      typing.dispose();
    }
    assert.equal(document.getText(), `${original.get(BOARD_V1)}typed 1\ntyped 2\n`);
  });

  it('offers in the palette only the tasks a command can move', async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // What the palette's quick pick reads: the extension's task store, refreshed.
    const currentTasks = async (a: typeof api) => {
      await a.views.store.refresh();
      return a.views.store.tasks();
    };
    const claimable = movableTasks(await currentTasks(api), transitionOf('contracts.claim'));
    assert.ok(claimable.some((t) => t.id === 'task-1'));
    assert.ok(claimable.every((t) => t.status === 'ready'));
    const blockable = movableTasks(await currentTasks(api), transitionOf('contracts.block')).map((t) => t.id);
    // Block exists on v1 and v2 boards alike (the current protocol has blocked in both).
    assert.ok(blockable.includes('task-10'));
    assert.ok(blockable.includes('task-3'), 'the v1 task in progress can be blocked');
    // On the example v1 board (the broken copy beside it has tasks with the same ids).
    const onBoard = workspaceUri(BOARD_V1).toString();
    const cancellable = movableTasks(await currentTasks(api), transitionOf('contracts.cancel')).filter((t) => t.uri === onBoard).map((t) => t.id);
    assert.ok(cancellable.includes('task-1') && cancellable.includes('task-6'), cancellable.join());
    assert.ok(!cancellable.includes('task-5'), 'a done task cannot be cancelled');
    const contractless = movableTasks(await currentTasks(api), transitionOf('contracts.addContract')).map((t) => t.id);
    assert.ok(contractless.includes('task-7'));
    assert.ok(!contractless.includes('task-1'));
  });
});
