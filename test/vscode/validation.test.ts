import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TaskSummary } from '../../shared/protocol';
import { approvalKey } from '../../client/src/validation/approvals';
import type { ValidationReport } from '../../client/src/validation/controller';
import { disk, nextEvent, waitForTask, workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const BOARD_V1 = 'board-v1/brainfile.md';
/** Files these tests create in board-v1/; removed after each test. */
const SCRATCH = ['board-v1/started.flag', 'board-v1/go.flag'];

/** The YAML block of one v1 task, up to the next task or column. */
function blockOf(text: string, id: string): string {
  const start = text.indexOf(`- id: ${id}\n`);
  assert.ok(start >= 0, `${id} in the board`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n\s*- id: /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Live (not zombie) processes in a process group, from /proc: a container's init may leave zombies unreaped. */
function liveProcessesOfGroup(pgid: number): number[] {
  return fs.readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(group) === pgid && state !== 'Z' ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

/** Resolves once `relative` exists: on the watcher's event, with a re-check as a fallback (a delete then create may be merged). */
async function whenFileAppears(relative: string, timeoutMs = 20_000): Promise<void> {
  const uri = workspaceUri(relative);
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop()!));
  try {
    const deadline = Date.now() + timeoutMs;
    while (!fs.existsSync(uri.fsPath)) {
      if (Date.now() > deadline) throw new Error(`${relative} did not appear within ${timeoutMs} ms`);
      await nextEvent([watcher.onDidCreate, watcher.onDidChange], 200);
    }
  } finally {
    watcher.dispose();
  }
}

/** `promise`, or a clear error naming the step that never happened. */
function within<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

describe('validation runs in the real extension host', function () {
  this.timeout(60_000);
  let client: LanguageClient;
  let workspaceState: vscode.Memento;
  let original: string;
  /** The Tasks view's provider (the extension's own object, through its API). */
  let tree: { nodeFor(key: string): unknown; getChildren(node: unknown): unknown[]; getTreeItem(node: unknown): vscode.TreeItem };

  const taskWhen = (id: string, accept?: (task: TaskSummary) => boolean, timeoutMs?: number): Promise<TaskSummary> =>
    waitForTask(client, workspaceUri(BOARD_V1).toString(), id, accept, timeoutMs);

  /** What a user does with "Run and don't ask again for this file", so no modal blocks the test. */
  async function preApprove(task: TaskSummary): Promise<void> {
    await workspaceState.update(approvalKey(task.uri, task.commands), true);
  }

  function validate(argument?: unknown): Thenable<ValidationReport> {
    return vscode.commands.executeCommand<ValidationReport>('contracts.runValidation', argument);
  }

  function lensArgument(task: TaskSummary) {
    return { uri: task.uri, taskId: task.id, status: task.status, version: task.documentVersion };
  }

  /** Replaces `from` with `to` in task `id`'s block, through the editor, and waits until the server has seen it. */
  async function editTask(id: string, from: string | RegExp, to: string, seen: (task: TaskSummary) => boolean): Promise<TaskSummary> {
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const text = document.getText();
    const block = blockOf(text, id);
    const blockStart = text.indexOf(block);
    const match = typeof from === 'string' ? { index: block.indexOf(from), length: from.length } : (() => {
      const m = from.exec(block);
      return { index: m ? m.index : -1, length: m ? m[0].length : 0 };
    })();
    assert.ok(match.index >= 0, `${String(from)} in ${id}`);
    const edit = new vscode.WorkspaceEdit();
    const start = document.positionAt(blockStart + match.index);
    edit.replace(document.uri, new vscode.Range(start, document.positionAt(blockStart + match.index + match.length)), to);
    assert.ok(await vscode.workspace.applyEdit(edit));
    return taskWhen(id, seen);
  }

  before(async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance;
    workspaceState = api.ctx.extension.workspaceState;
    tree = api.views.tasks.provider;
    original = await disk(BOARD_V1);
    await taskWhen('task-4');
  });

  // Put the board back, in the buffer and on disk, and remove scratch files.
  afterEach(async () => {
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    if (document.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), original);
      assert.ok(await vscode.workspace.applyEdit(edit));
    }
    if (document.isDirty) await document.save();
    for (const file of SCRATCH) await vscode.workspace.fs.delete(workspaceUri(file)).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await taskWhen('task-4', (t) => t.status === 'delivered');
  });

  it('approves a delivered task whose checks pass: done, validatedAt, saved', async () => {
    const task = await taskWhen('task-4');
    assert.equal(task.status, 'delivered');
    await preApprove(task);
    const started = new Promise<vscode.TaskExecution>((resolve) => {
      const listener = vscode.tasks.onDidStartTask((event) => {
        if (event.execution.task.name === 'Validate task-4') {
          listener.dispose();
          resolve(event.execution);
        }
      });
    });
    const report = await validate(lensArgument(task));
    assert.equal(report.outcome, 'passed', JSON.stringify(report.result));
    assert.equal(report.verdict, 'applied');
    assert.deepEqual(
      report.result!.commands.map((c) => [c.command, c.exitCode, c.passed]),
      [
        ['test -f docs/api-v2.md', 0, true],
        ['grep -q "POST /v2/charges" docs/api-v2.md', 0, true],
      ],
    );
    assert.deepEqual(report.result!.deliverables.map((d) => [d.path, d.passed]), [['docs/api-v2.md', true]]);
    // The run had its own task and terminal.
    const execution = await started;
    assert.equal(execution.task.source, 'Contracts');

    const onDisk = await disk(BOARD_V1);
    const block = blockOf(onDisk, 'task-4');
    assert.match(block, /status: done/);
    assert.match(block, /validatedAt: "?\d{4}-\d\d-\d\dT/);
    assert.doesNotMatch(block, /feedback:/);
    assert.equal((await taskWhen('task-4', (t) => t.status === 'done')).status, 'done');

    // The Tasks view shows one row per check under the task.
    const node = tree.nodeFor(`${task.uri}#task-4`);
    assert.ok(node, 'task-4 is in the tree');
    assert.deepEqual(
      tree.getChildren(node).map((child) => {
        const item = tree.getTreeItem(child);
        return [item.label, item.contextValue];
      }),
      [
        ['docs/api-v2.md', 'validationCheck;kind=deliverable;state=pass;'],
        ['test -f docs/api-v2.md', 'validationCheck;kind=command;state=pass;'],
        ['grep -q "POST /v2/charges" docs/api-v2.md', 'validationCheck;kind=command;state=pass;'],
      ],
    );

    // One check's output opens in a document.
    const output = await vscode.commands.executeCommand<vscode.TextDocument>('contracts.showValidationOutput', { uri: task.uri, taskId: 'task-4', checkId: 'command:1' });
    assert.match(output.getText(), /command: grep -q "POST \/v2\/charges" docs\/api-v2\.md/);
    assert.match(output.getText(), /Exit code: 0/);
  });

  it('rejects a delivered task whose command fails, with a short feedback', async () => {
    const task = await editTask('task-4', 'grep -q "POST /v2/charges" docs/api-v2.md', 'echo "looking for DELETE in the docs" && grep -c "DELETE /v9" docs/api-v2.md', (t) => t.commands.some((c) => c.includes('DELETE')));
    await preApprove(task);
    const report = await validate({ task });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.verdict, 'applied');
    assert.match(report.feedback!, /^Validation failed: `echo "looking for DELETE in the docs" && grep -c "DELETE \/v9" docs\/api-v2\.md` exited with 1 after \d+ ms\.\nlooking for DELETE in the docs\n0$/);
    assert.ok(report.feedback!.length <= 600);

    const failed = await taskWhen('task-4', (t) => t.status === 'failed');
    assert.equal(failed.feedback, report.feedback);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const block = blockOf(document.getText(), 'task-4');
    assert.match(block, /status: failed/);
    assert.match(block, /validatedAt: /);
  });

  it('ends the terminal of a run whose command fails within milliseconds with our summary alone', async () => {
    const task = await editTask('task-4', 'grep -q "POST /v2/charges" docs/api-v2.md', 'exit 3', (t) => t.commands.includes('exit 3'));
    await preApprove(task);
    const ended = new Promise<vscode.TaskProcessEndEvent>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name === 'Validate task-4') {
          listener.dispose();
          resolve(event);
        }
      });
    });
    const report = await validate({ task });
    assert.equal(report.outcome, 'failed');
    assert.ok(report.result!.commands[1].durationMs < 500, 'the command failed within the launch window');
    // VS Code writes "The terminal process failed to launch (exit code: 1)" (or "terminated with
    // exit code") under any non-zero code a pseudoterminal closes with; ours closes with none.
    const end = await within(ended, 10_000, 'the end of the validation task');
    assert.equal(end.exitCode, undefined);
    const terminal = vscode.window.terminals.find((t) => t.name.includes('Validate task-4'));
    assert.ok(terminal, 'the run kept its terminal for reading');
    assert.equal(terminal.exitStatus?.code, undefined);
  });

  it('rejects a delivered task whose deliverable is missing, naming it', async () => {
    const task = await editTask('task-4', 'path: docs/api-v2.md', 'path: docs/api-v3.md', (t) => t.deliverables.some((d) => d.path === 'docs/api-v3.md'));
    await preApprove(task);
    const report = await validate({ task });
    assert.equal(report.outcome, 'failed');
    assert.equal(report.result!.commands.length, 0, 'no command runs after a missing deliverable');
    assert.equal(report.feedback, 'Validation failed: deliverable docs/api-v3.md does not exist.');
    assert.equal((await taskWhen('task-4', (t) => t.status === 'failed')).feedback, report.feedback);
  });

  it('runs an in-progress contract as a dry run that changes nothing', async () => {
    const task = await taskWhen('task-3');
    assert.equal(task.status, 'in_progress');
    await preApprove(task);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const before = document.getText();
    const report = await validate(lensArgument(task));
    assert.equal(report.outcome, 'passed');
    assert.equal(report.dryRun, true);
    assert.equal(report.verdict, 'none');
    assert.equal(document.getText(), before);
    assert.equal(await disk(BOARD_V1), original);
  });

  it('does not write the verdict over an edit made while the validation ran', async () => {
    // The command waits for the test to say go, so the edit lands mid-run.
    const waiting = 'touch started.flag; i=0; while [ ! -f go.flag ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; test -f go.flag';
    const task = await editTask('task-4', 'test -f docs/api-v2.md', waiting, (t) => t.commands.includes(waiting));
    await preApprove(task);
    const started = whenFileAppears('board-v1/started.flag');
    const running = validate({ task });
    await started;
    const row = tree.getTreeItem(tree.nodeFor(`${task.uri}#task-4`));
    assert.match(String(row.contextValue), /validating;/, 'the row says it is validating');
    await editTask('task-4', 'title: Update API documentation', 'title: Update the API documentation', (t) => t.title === 'Update the API documentation');
    await vscode.workspace.fs.writeFile(workspaceUri('board-v1/go.flag'), new Uint8Array());
    const report = await running;
    assert.equal(report.outcome, 'passed', JSON.stringify(report.result?.commands));
    assert.equal(report.verdict, 'asked');
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const block = blockOf(document.getText(), 'task-4');
    assert.match(block, /title: Update the API documentation/);
    assert.match(block, /status: delivered/, 'the status is left to the user');
  });

  it('cancels when its terminal task is terminated, killing the command and changing nothing', async () => {
    const slow = 'touch started.flag; sleep 30';
    const task = await editTask('task-4', 'test -f docs/api-v2.md', slow, (t) => t.commands.includes(slow));
    await preApprove(task);
    const execution = new Promise<vscode.TaskExecution>((resolve) => {
      const listener = vscode.tasks.onDidStartTask((event) => {
        if (event.execution.task.name === 'Validate task-4') {
          listener.dispose();
          resolve(event.execution);
        }
      });
    });
    const started = whenFileAppears('board-v1/started.flag');
    const running = validate({ task });
    await started;
    (await within(execution, 10_000, 'the start of the Validate task-4 task')).terminate();
    const report = await within(running, 15_000, 'the end of the cancelled run');
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.verdict, 'none');
    const [command] = report.result!.commands;
    assert.equal(command.cancelled, true);
    assert.ok(command.durationMs < 10_000, `${command.durationMs} ms`);
    // The kill is sent before the run ends; the kernel delivers it when it next schedules each process (a moment under load).
    for (let waited = 0; waited < 3000 && liveProcessesOfGroup(command.pid!).length; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(liveProcessesOfGroup(command.pid!), [], 'no process of the command is left');
    assert.equal(report.result!.skippedCommands.length, 1);
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    assert.match(blockOf(document.getText(), 'task-4'), /status: delivered/);
  });

  it('never calls a run with nothing checked a pass', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const block = blockOf(document.getText(), 'task-4');
    const contract = block.slice(block.indexOf('          deliverables:'));
    const task = await editTask('task-4', contract.trimEnd(), '          constraints: [checked by hand]', (t) => t.commands.length === 0 && t.deliverables.length === 0);
    const report = await validate({ task });
    assert.equal(report.outcome, 'nothing-checked');
    assert.equal(report.verdict, 'none');
    assert.match(blockOf(document.getText(), 'task-4'), /status: delivered/);
  });

  it('is offered only for delivered and in-progress contracts', async () => {
    const report = await validate({ task: await taskWhen('task-1') });
    assert.deepEqual({ outcome: report.outcome, reason: report.reason }, { outcome: 'refused', reason: 'status' });
  });
});
