import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'contract-workbench.contract-workbench';

describe('activation', () => {
  it('finds and activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in the extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('runs in a trusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });
});

describe('commands', () => {
  it('registers a handler for every command declared in package.json', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const declared: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((id) => !registered.has(id)), []);
    for (const command of extension.packageJSON.contributes.commands as Array<{ command: string; title: string }>) {
      assert.match(command.command, /^contracts\.[a-z][a-zA-Z]+$/);
      assert.match(command.title, /^Contracts: /);
    }
  });
});
