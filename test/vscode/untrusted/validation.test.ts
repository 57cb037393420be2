import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TaskSummary } from '../../../shared/protocol';
import { approvalKey } from '../../../client/src/validation/approvals';
import type { ValidationReport } from '../../../client/src/validation/controller';
import { exists, waitForTask, workspaceUri } from '../support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';
const BOARD_V1 = 'board-v1/brainfile.md';
const PROOF = 'board-v1/proof.txt';

describe('validation in an untrusted workspace', function () {
  this.timeout(60_000);
  let client: LanguageClient;
  let workspaceState: vscode.Memento;

  const taskWhen = (id: string, accept?: (task: TaskSummary) => boolean, timeoutMs?: number): Promise<TaskSummary> =>
    waitForTask(client, workspaceUri(BOARD_V1).toString(), id, accept, timeoutMs);

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness opened this folder untrusted');
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    client = api.ctx.clientInstance;
    workspaceState = api.ctx.extension.workspaceState;
  });

  it('refuses to run validation commands, and nothing runs', async () => {
    // A command that would leave proof of having run, on a delivered task, already approved.
    const document = await vscode.workspace.openTextDocument(workspaceUri(BOARD_V1));
    const text = document.getText();
    const at = text.indexOf('- test -f docs/api-v2.md');
    assert.ok(at >= 0);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + '- test -f docs/api-v2.md'.length)), '- touch proof.txt');
    assert.ok(await vscode.workspace.applyEdit(edit), 'editing still works here');
    const task = await taskWhen('task-4', (t) => t.commands.includes('touch proof.txt'));
    assert.equal(task.status, 'delivered');
    await workspaceState.update(approvalKey(task.uri, task.commands), true);

    let taskStarted = false;
    const listener = vscode.tasks.onDidStartTask(() => (taskStarted = true));
    try {
      for (const argument of [{ uri: task.uri, taskId: task.id, status: task.status }, { task }, undefined]) {
        const report = await vscode.commands.executeCommand<ValidationReport>('contracts.runValidation', argument);
        assert.deepEqual(report, { outcome: 'refused', reason: 'untrusted' });
      }
      // A chat agent's validation tool is refused the same way.
      await assert.rejects(
        Promise.resolve(vscode.lm.invokeTool('contracts_runValidation', { input: { taskId: 'task-4', file: BOARD_V1 }, toolInvocationToken: undefined })),
        /run only in a trusted workspace/,
      );
    } finally {
      listener.dispose();
    }
    assert.equal(await exists(PROOF), false, 'touch proof.txt never ran');
    assert.equal(taskStarted, false, 'no validation task started');
    assert.match(document.getText(), /status: delivered/);
  });

  it('keeps the language features: code lenses and tasks still come', async () => {
    const uri = workspaceUri(BOARD_V1);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.command === 'contracts.runValidation'), 'the lens is shown; the command explains the refusal');
    assert.ok((await taskWhen('task-3')).status === 'in_progress');
  });
});
