import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TasksRequest, TransitionRequest, type TaskSummary } from '../../shared/protocol';
import type { ContractWorkbenchApi } from '../../client/src/extension';
import type { TransitionOutcome } from '../../client/src/lifecycle/applyTransition';
import { disk, nextEvent, request, sendsRequest, workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const BOARD_V1 = 'board-v1/brainfile.md';
const TASK_10 = 'board-v2/.brainfile/board/task-10.md';
const TOUCHED = [BOARD_V1, TASK_10];

/** Where the "user" types: free Markdown below the front matter, and task-2's title (another task than the one moved). */
const NOTES = 'Notes below the front matter are free Markdown.';
const TITLE = 'title: Draft the webhook';
const BOARD_TITLE = 'title: Payments Service';

/** The move writes the time of the move; everything else must match byte for byte. */
function normalized(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>');
}

/** `text` with `typed` right after the first `anchor`: what the buffer holds once the user typed there. */
function withTyping(text: string, ...insertions: Array<[anchor: string, typed: string]>): string {
  let result = text;
  for (const [anchor, typed] of insertions) {
    const at = result.indexOf(anchor);
    assert.ok(at >= 0, `anchor ${JSON.stringify(anchor)} is in the text`);
    result = result.slice(0, at + anchor.length) + typed + result.slice(at + anchor.length);
  }
  return result;
}

function changedIn(document: vscode.TextDocument, accept: () => boolean, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (accept()) return resolve();
    const timer = setTimeout(() => (listener.dispose(), reject(new Error(`${document.uri.path} never reached the expected text`))), timeoutMs);
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== document || !accept()) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

/** The file system watcher's next event for `uri`: by then the workbench has heard of the change too. */
function diskChangeSeen(uri: vscode.Uri, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), '*.md'));
    const done = (error?: Error) => {
      clearTimeout(timer);
      watcher.dispose();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`no file event for ${uri.path}`)), timeoutMs);
    const seen = (changed: vscode.Uri) => changed.toString() === uri.toString() && done();
    watcher.onDidChange(seen);
    watcher.onDidCreate(seen);
  });
}

describe('no lost edits', function () {
  this.timeout(60000);
  let api: ContractWorkbenchApi;
  let client: LanguageClient;
  const original = new Map<string, string>();
  /** The board after a claim of task-1 on the shipped text, times normalized. */
  let claimed: string;
  /** task-10's file after a block on the shipped text, times normalized. */
  let blocked: string;

  async function tasks(): Promise<TaskSummary[]> {
    return (await request(client, TasksRequest, {})).tasks;
  }

  async function taskWhen(relative: string, id: string, accept: (task: TaskSummary) => boolean = () => true, timeoutMs = 8000): Promise<TaskSummary> {
    const uri = workspaceUri(relative).toString();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = (await tasks()).find((t) => t.id === id && t.uri === uri);
      if (task && accept(task)) return task;
      if (Date.now() > deadline) throw new Error(`${id} never matched; last seen: ${JSON.stringify(task && { status: task.status, documentVersion: task.documentVersion })}`);
      await nextEvent([vscode.languages.onDidChangeDiagnostics, vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument], 500);
    }
  }

  /** The Tasks view's store (what the tree shows) once task `id` satisfies `accept`. */
  async function storeWhen(relative: string, id: string, accept: (task: TaskSummary) => boolean, timeoutMs = 8000): Promise<TaskSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = api.views.store.find(workspaceUri(relative), id);
      if (task && accept(task)) return task;
      if (Date.now() > deadline) throw new Error(`the tree never showed ${id} as expected; last seen: ${task?.status}`);
      await nextEvent([api.views.store.onDidChange], 500);
    }
  }

  function claimArgument(relative: string, task = 'task-1', status = 'ready'): { uri: string; taskId: string; status: string; version?: number } {
    return { uri: workspaceUri(relative).toString(), taskId: task, status };
  }

  function claim(relative = BOARD_V1, task = 'task-1', status = 'ready'): Thenable<TransitionOutcome> {
    return vscode.commands.executeCommand<TransitionOutcome>('contracts.claim', claimArgument(relative, task, status));
  }

  function block(): Thenable<TransitionOutcome> {
    return vscode.commands.executeCommand<TransitionOutcome>('contracts.block', claimArgument(TASK_10, 'task-10', 'in_progress'));
  }

  async function documentOf(relative: string): Promise<vscode.TextDocument> {
    return vscode.workspace.openTextDocument(workspaceUri(relative));
  }

  /**
   * Types `text` one character at a time right after `anchor`, as keystrokes would.
   * `TextEditor.edit` refuses an edit made against a version the move just replaced;
   * a person's keystroke always lands, so a refused one is typed again on the new text.
   */
  async function type(editor: vscode.TextEditor, anchor: string, text: string): Promise<void> {
    for (let i = 0; i < text.length; i++) {
      for (let attempt = 0; ; attempt++) {
        const current = editor.document.getText();
        const at = current.indexOf(anchor);
        assert.ok(at >= 0, `anchor ${JSON.stringify(anchor)} still there`);
        const position = editor.document.positionAt(at + anchor.length + i);
        if (await editor.edit((edit) => edit.insert(position, text[i]), { undoStopBefore: false, undoStopAfter: false })) break;
        assert.ok(attempt < 20, 'the keystroke landed');
      }
    }
  }

  /** Puts the shipped bytes back on disk and in the buffer (reverting unsaved text), and waits until the server agrees. */
  async function restore(): Promise<void> {
    for (const file of TOUCHED) {
      const text = original.get(file)!;
      const document = await documentOf(file);
      if (fs.readFileSync(document.uri.fsPath, 'utf8') !== text) fs.writeFileSync(document.uri.fsPath, text);
      if (document.isDirty || document.getText() !== text) {
        // Revert, not save: a save would meet the disk change as a conflict.
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      // A clean buffer reloads from disk on its own.
      await changedIn(document, () => document.getText() === text && !document.isDirty);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await taskWhen(BOARD_V1, 'task-1', (t) => t.status === 'ready');
    await taskWhen(TASK_10, 'task-10', (t) => t.status === 'in_progress');
  }

  let autoSaveBefore: string | undefined;

  before(async () => {
    api = await vscode.extensions.getExtension<ContractWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance!;
    for (const file of TOUCHED) original.set(file, await disk(file));
    // The web workbench saves dirty files after a second by default; "unsaved" must stay unsaved while a test looks.
    // (The harness already turns it off; this keeps the suite right under other launchers too.)
    autoSaveBefore = vscode.workspace.getConfiguration('files').inspect<string>('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
    await taskWhen(TASK_10, 'task-10');
    // The reference: a claim on the shipped board, nothing typed.
    const document = await documentOf(BOARD_V1);
    assert.deepEqual(await claim(), { applied: true });
    claimed = normalized(document.getText());
    assert.match(claimed, /status: in_progress {2}# the PM marked it ready on Monday/);
    assert.notEqual(claimed, normalized(original.get(BOARD_V1)!));
    const task10 = await documentOf(TASK_10);
    assert.deepEqual(await block(), { applied: true });
    blocked = normalized(task10.getText());
    assert.match(blocked, /status: blocked/);
    await restore();
  });

  afterEach(restore);

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSaveBefore, vscode.ConfigurationTarget.Global);
  });

  describe('a move racing with typing', () => {
    const notes = ' Typed!';
    const title = ' [wip]';
    type Move = () => Thenable<TransitionOutcome>;
    /** When the typing starts, relative to the claim. */
    const timings: Array<{ name: string; start: (begin: () => Promise<void>, move: Move) => Promise<TransitionOutcome> }> = [
      { name: 'typing done before the request', start: async (begin, move) => (await begin(), move()) },
      { name: 'first keystroke sent just before the request', start: async (begin, move) => (await Promise.all([begin(), move()]))[1] },
      { name: 'typing right after the request starts', start: async (begin, move) => (await Promise.all([move(), begin()]))[0] },
      ...[1, 2, 3, 5, 8, 13].map((ticks) => ({
        name: `typing ${ticks} event-loop turn(s) into the move`,
        start: async (begin: () => Promise<void>, move: Move) => (await Promise.all([move(), turns(ticks).then(begin)]))[0],
      })),
    ];

    // Every text the buffer holds during a test, to judge what reached the disk.
    let history: Set<string>;
    let recorder: vscode.Disposable | undefined;
    beforeEach(async () => {
      recorder = textsOf(await documentOf(BOARD_V1), (texts) => (history = texts));
    });
    afterEach(() => recorder?.dispose());

    for (const timing of timings) {
      it(`${timing.name}: every character stays, and the move lands on top or is refused`, async () => {
        const document = await documentOf(BOARD_V1);
        const editor = await vscode.window.showTextDocument(document);
        const begin = async () => {
          await type(editor, NOTES, notes);
          await type(editor, TITLE, title);
        };
        const outcome = await timing.start(begin, () => claim());
        await settle(outcome, document);
        // Typed first, the file was dirty when the move came: nothing may be saved.
        if (timing === timings[0]) assert.equal(await disk(BOARD_V1), original.get(BOARD_V1));
      });
    }

    it('typing while the server computes the move', async () => {
      const document = await documentOf(BOARD_V1);
      const editor = await vscode.window.showTextDocument(document);
      const typing = onTransitionSent(() => type(editor, NOTES, notes).then(() => type(editor, TITLE, title)));
      try {
        const outcome = await claim();
        await typing.typed;
        await settle(outcome, document);
      } finally {
        typing.dispose();
      }
    });

    it('typing as soon as the move lands in the buffer', async () => {
      const document = await documentOf(BOARD_V1);
      const editor = await vscode.window.showTextDocument(document);
      let typed: Promise<void> | undefined;
      const listener = vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === document && !typed && document.getText().includes('status: in_progress')) {
          typed = type(editor, NOTES, notes).then(() => type(editor, TITLE, title));
        }
      });
      try {
        const outcome = await claim();
        await typed;
        assert.ok(typed, 'the move reached the buffer');
        await settle(outcome, document);
      } finally {
        listener.dispose();
      }
    });

    /** Byte-level: the typing is all there; the move is there exactly, or the reason says why not and nothing moved. */
    async function settle(outcome: TransitionOutcome, document: vscode.TextDocument): Promise<void> {
      const typedOnly = withTyping(original.get(BOARD_V1)!, [NOTES, notes], [TITLE, title]);
      const text = normalized(document.getText());
      if (outcome.applied) {
        assert.equal(text, withTyping(claimed, [NOTES, notes], [TITLE, title]), 'the typing and the move, both');
      } else {
        assert.ok(outcome.reason, 'a refused move says why');
        assert.equal(text, normalized(typedOnly), 'the typing, without the move');
      }
      // Saved or not, the disk holds a text the buffer went through, never a mix of the user's text and an older one.
      const onDisk = normalized(await disk(BOARD_V1));
      assert.ok(history.has(onDisk), `the disk holds text the buffer never held:\n${onDisk}`);
    }
  });

  describe('a move while another program rewrites the file', () => {
    const elsewhere = () => original.get(BOARD_V1)!.replace('Draft the webhook retry policy', 'Draft the webhook retry policy (edited elsewhere)');

    it('dirty buffer: the buffer keeps the typing, the move applies to it, and the disk keeps the other program\'s bytes', async () => {
      const document = await documentOf(BOARD_V1);
      const editor = await vscode.window.showTextDocument(document);
      await type(editor, NOTES, ' Unsaved.');
      const typed = document.getText();
      assert.equal(typed, withTyping(original.get(BOARD_V1)!, [NOTES, ' Unsaved.']));
      const seen = diskChangeSeen(document.uri);
      fs.writeFileSync(document.uri.fsPath, elsewhere());
      await seen;
      assert.equal(document.isDirty, true, 'still unsaved after the disk change');
      assert.equal(document.getText(), typed, 'the buffer keeps the user\'s text');

      const outcome = await claim();
      assert.deepEqual(outcome, { applied: true });
      assert.equal(normalized(document.getText()), withTyping(claimed, [NOTES, ' Unsaved.']));
      assert.equal(document.isDirty, true, 'a dirty document is never saved by a move');
      assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), elsewhere(), 'the other program\'s bytes stay on disk');
      await taskWhen(BOARD_V1, 'task-1', (t) => t.status === 'in_progress');
    });

    it('clean buffer: VS Code reloads the new text, and the move applies to it', async () => {
      const document = await documentOf(BOARD_V1);
      await vscode.window.showTextDocument(document);
      fs.writeFileSync(document.uri.fsPath, elsewhere());
      await changedIn(document, () => document.getText() === elsewhere());
      assert.equal(document.isDirty, false);
      await taskWhen(BOARD_V1, 'task-2', (t) => t.title.endsWith('(edited elsewhere)'));

      const outcome = await claim();
      assert.equal(outcome.applied, true);
      const expected = claimed.replace('Draft the webhook retry policy', 'Draft the webhook retry policy (edited elsewhere)');
      assert.equal(normalized(document.getText()), expected);
      const onDisk = normalized(fs.readFileSync(document.uri.fsPath, 'utf8'));
      if (!outcome.reason) {
        assert.equal(document.isDirty, false, 'a clean file is saved with the move');
        assert.equal(onDisk, expected);
      } else {
        // VS Code's own conflict check can refuse the save right after its reload: the user is told, the disk is untouched.
        assert.match(outcome.reason, /not saved/);
        assert.equal(onDisk, normalized(elsewhere()), 'the disk keeps the other program\'s bytes');
      }
    });

    it('clean buffer, move before VS Code noticed the rewrite: the move waits for the new text; the other program\'s bytes are never overwritten by the old text', async () => {
      const document = await documentOf(BOARD_V1);
      await vscode.window.showTextDocument(document);
      fs.writeFileSync(document.uri.fsPath, elsewhere());
      // No wait here: the move starts while the buffer still shows the old text.
      const outcome = await claim();
      const expected = claimed.replace('Draft the webhook retry policy', 'Draft the webhook retry policy (edited elsewhere)');
      const onDisk = normalized(fs.readFileSync(document.uri.fsPath, 'utf8'));
      if (outcome.applied && !outcome.reason) {
        // The client waited until VS Code loaded the new text, moved the task in it and saved.
        assert.equal(normalized(document.getText()), expected);
        assert.equal(document.isDirty, false);
        assert.equal(onDisk, expected);
      } else if (outcome.applied) {
        // Moved on the new text, but VS Code refused the save (its own conflict check): the user is told, the disk is untouched.
        assert.match(outcome.reason!, /not saved/);
        assert.equal(normalized(document.getText()), expected);
        assert.equal(onDisk, normalized(elsewhere()), 'the disk keeps the other program\'s bytes');
      } else {
        // VS Code never loaded the new text within the wait: refused, nothing changed, and the user is told.
        assert.match(outcome.reason ?? '', /changed on disk/);
        assert.equal(onDisk, normalized(elsewhere()), 'the disk keeps the other program\'s bytes');
        assert.doesNotMatch(document.getText(), /status: in_progress {2}# the PM/, 'no move on the old text');
      }
    });
  });

  it('undo restores the exact bytes before a move, redo the exact bytes of the move; the server and the tree follow', async () => {
    const document = await documentOf(BOARD_V1);
    const editor = await vscode.window.showTextDocument(document);
    const before = document.getText();
    assert.deepEqual(await claim(), { applied: true });
    const moved = document.getText();
    assert.equal(normalized(moved), claimed);
    assert.equal(await disk(BOARD_V1), moved, 'a clean file is saved with the move');
    await storeWhen(BOARD_V1, 'task-1', (t) => t.status === 'in_progress');

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'undo: every byte as before the move');
    assert.equal((await taskWhen(BOARD_V1, 'task-1', (t) => t.status === 'ready')).status, 'ready');
    await storeWhen(BOARD_V1, 'task-1', (t) => t.status === 'ready');

    await vscode.commands.executeCommand('redo');
    assert.equal(document.getText(), moved, 'redo: the move\'s bytes again, time included');
    await taskWhen(BOARD_V1, 'task-1', (t) => t.status === 'in_progress');
    await storeWhen(BOARD_V1, 'task-1', (t) => t.status === 'in_progress');
    assert.equal(document.isDirty, false, 'redo is back at the saved version');
  });

  it('two editors on one file: typing in one and a move from the other both show in each', async () => {
    const document = await documentOf(BOARD_V1);
    const left = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const right = await vscode.window.showTextDocument(document, vscode.ViewColumn.Two);
    assert.notEqual(left, right);
    await type(left, NOTES, ' Left side.');
    // The move starts from the right-hand editor, which is the active one.
    assert.equal(vscode.window.activeTextEditor?.viewColumn, vscode.ViewColumn.Two);
    assert.deepEqual(await claim(), { applied: true });
    await type(right, TITLE, ' (right)');
    const expected = withTyping(claimed, [NOTES, ' Left side.'], [TITLE, ' (right)']);
    const shown = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === document.uri.toString());
    assert.equal(shown.length, 2, 'both editors are visible');
    for (const editor of shown) assert.equal(normalized(editor.document.getText()), expected);
    assert.equal(document.isDirty, true);
    assert.equal(await disk(BOARD_V1), original.get(BOARD_V1), 'the typing made it unsaved, so nothing was saved');
  });

  it('a move in a file with unsaved changes elsewhere keeps them, stays unsaved and leaves the disk alone', async () => {
    const document = await documentOf(BOARD_V1);
    const editor = await vscode.window.showTextDocument(document);
    // Before task-1 (its offsets shift), inside task-2, and in the notes.
    await type(editor, BOARD_TITLE, ' (EU)');
    await type(editor, TITLE, ' and backoff');
    await type(editor, NOTES, ' More notes.');
    const insertions: Array<[string, string]> = [[BOARD_TITLE, ' (EU)'], [TITLE, ' and backoff'], [NOTES, ' More notes.']];
    assert.equal(document.getText(), withTyping(original.get(BOARD_V1)!, ...insertions));
    assert.deepEqual(await claim(), { applied: true });
    assert.equal(normalized(document.getText()), withTyping(claimed, ...insertions));
    assert.equal(document.isDirty, true);
    assert.equal(await disk(BOARD_V1), original.get(BOARD_V1));
    await taskWhen(BOARD_V1, 'task-1', (t) => t.status === 'in_progress');
  });

  it('a v2 task file: typing in the body while the task is blocked keeps every byte', async () => {
    const document = await documentOf(TASK_10);
    const editor = await vscode.window.showTextDocument(document);
    const typed: [string, string] = ['with back-pressure.', ' Typed while blocking.'];
    let texts = new Set<string>();
    const recorder = textsOf(document, (t) => (texts = t));
    const [outcome] = await Promise.all([block(), type(editor, ...typed)]).finally(() => recorder.dispose());
    const text = normalized(document.getText());
    if (outcome.applied) assert.equal(text, withTyping(blocked, typed));
    else assert.equal(text, normalized(withTyping(original.get(TASK_10)!, typed)));
    const onDisk = normalized(await disk(TASK_10));
    assert.ok(texts.has(onDisk), `the disk holds text the buffer never held:\n${onDisk}`);
  });

  /** Runs `action` when a transition request goes out, without holding it up. */
  function onTransitionSent(action: () => Promise<void>): vscode.Disposable & { typed: Promise<void> } {
    const live = client as unknown as { sendRequest: (...args: unknown[]) => Promise<unknown> };
    const send = live.sendRequest;
    let started: Promise<void> | undefined;
    let release: () => void = () => {};
    const typed = new Promise<void>((resolve) => (release = resolve)).then(() => started);
    live.sendRequest = function (this: unknown, ...args: unknown[]) {
      const answer = send.apply(this, args);
      if (sendsRequest(args, TransitionRequest) && !started) {
        started = action();
        release();
      }
      return answer;
    };
    return { typed, dispose: () => void (live.sendRequest = send) };
  }
});

/** Records every text `document` holds from now on (normalized), starting with the current one. */
function textsOf(document: vscode.TextDocument, receive: (texts: Set<string>) => void): vscode.Disposable {
  const texts = new Set([normalized(document.getText())]);
  receive(texts);
  return vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.document === document) texts.add(normalized(document.getText()));
  });
}

/** Lets `n` turns of the event loop pass (a scheduling offset, not a timed wait). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
