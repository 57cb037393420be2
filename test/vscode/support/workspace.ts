import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Shared by the extension-host suites: paths in the demo workspace and event waits. */

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** A file's bytes on disk (not the editor buffer), as text. */
export async function disk(relative: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri(relative)));
}

export async function exists(relative: string): Promise<boolean> {
  return vscode.workspace.fs.stat(workspaceUri(relative)).then(
    () => true,
    () => false,
  );
}

/** Resolves on the first of `events`, or after `timeoutMs` (a fallback, not a delay). */
export function nextEvent(events: Array<vscode.Event<unknown>>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listeners.forEach((l) => l.dispose());
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const listeners = events.map((event) => event(done));
  });
}
