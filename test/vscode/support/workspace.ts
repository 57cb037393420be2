import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { TasksRequest, type TaskSummary } from '../../../shared/protocol';

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

/** The extension's LanguageClient, as far as the tests use it. */
export interface RequestSender {
  sendRequest(method: string, params?: unknown): Promise<unknown>;
}

/**
 * Sends one of our typed requests through the extension's client. The client
 * bundle carries its own copy of the protocol package, whose message objects
 * are not these: send the method name, typed by the shared definition.
 */
export function request<R>(client: RequestSender, type: RequestType0<R, void>): Promise<R>;
export function request<P, R>(client: RequestSender, type: RequestType<P, R, void>, params: P): Promise<R>;
export function request(client: RequestSender, type: { method: string }, params?: unknown): Promise<unknown> {
  return params === undefined ? client.sendRequest(type.method) : client.sendRequest(type.method, params);
}

/**
 * Whether an intercepted `sendRequest` call sends `type`: the client bundle has
 * its own copy of the message objects, so compare methods, not identities.
 */
export function sendsRequest(args: unknown[], type: { method: string }): boolean {
  const first = args[0] as { method?: unknown } | string | undefined;
  return (typeof first === 'string' ? first : first?.method) === type.method;
}

/** Polls the server's task list (re-checking on diagnostics, edits and saves) until a task matches. */
export async function waitForTask(
  client: RequestSender,
  uri: string,
  id: string,
  accept: (task: TaskSummary) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<TaskSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = (await request(client, TasksRequest, {})).tasks.find((t) => t.id === id && t.uri === uri);
    if (task && accept(task)) return task;
    if (Date.now() > deadline) throw new Error(`${id} never matched; last seen: ${JSON.stringify(task && { status: task.status, commands: task.commands })}`);
    await nextEvent([vscode.languages.onDidChangeDiagnostics, vscode.workspace.onDidChangeTextDocument, vscode.workspace.onDidSaveTextDocument], 500);
  }
}

/** Every file of the workspace folder with its bytes, by relative path: to prove a test left it as it found it. */
export function workspaceFiles(): Map<string, string> {
  const root = workspaceUri('.').fsPath;
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(path.relative(root, full), fs.readFileSync(full, 'latin1'));
    }
  };
  walk(root);
  return files;
}

/** The paths added, removed or changed between two `workspaceFiles()` snapshots. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).map((p) => (!before.has(p) ? `+${p}` : !after.has(p) ? `-${p}` : `~${p}`)).sort();
}
