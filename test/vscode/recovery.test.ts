import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ServerInfoRequest } from '../../shared/protocol';
import { request } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';

function waitForState(client: LanguageClient, state: State, timeoutMs: number): Promise<void> {
  if (client.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (listener.dispose(), reject(new Error(`client not in state ${state} within ${timeoutMs} ms`))), timeoutMs);
    const listener = client.onDidChangeState((event) => {
      if (event.newState === state) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}

describe('language server recovery', function () {
  this.timeout(60000);

  it('restarts a killed server and keeps checking documents', async () => {
    const api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await api.ready;
    const client: LanguageClient = api.ctx.clientInstance;
    const before = await request(client, ServerInfoRequest);
    const stopped = waitForState(client, State.Stopped, 10000).catch(() => undefined);
    process.kill(before.pid, 'SIGKILL');
    await stopped;
    await waitForState(client, State.Running, 20000);
    const after = await request(client, ServerInfoRequest);
    assert.notEqual(after.pid, before.pid, 'a new server process');

    // The new server checks documents again.
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'board-v1-broken/brainfile.md');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(1, 0), 'broken: [unclosed\n');
    await vscode.workspace.applyEdit(edit);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics after the restart')), 10000);
      const check = () => {
        if (vscode.languages.getDiagnostics(uri).some((d) => d.source === 'contracts' && String(typeof d.code === 'object' ? d.code.value : d.code) === 'yaml-syntax')) {
          clearTimeout(timer);
          listener.dispose();
          resolve();
        }
      };
      const listener = vscode.languages.onDidChangeDiagnostics(check);
      check();
    });
    await vscode.commands.executeCommand('undo');
  });
});
