import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceUri } from './support/workspace';

const EXTENSION_ID = 'contract-workbench.contract-workbench';

/** Resolves when the document's diagnostics from our server satisfy `accept`. */
function waitForDiagnostics(uri: vscode.Uri, accept: (list: vscode.Diagnostic[]) => boolean, timeoutMs = 10000): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'contracts');
  return new Promise((resolve, reject) => {
    if (accept(ours())) return resolve(ours());
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`diagnostics did not settle within ${timeoutMs} ms; last: ${ours().map((d) => d.code).join(', ')}`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      if (accept(ours())) {
        clearTimeout(timer);
        listener.dispose();
        resolve(ours());
      }
    });
  });
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function rangeOf(d: vscode.Diagnostic): [number, number, number, number] {
  return [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
}

describe('language features in the real extension host', function () {
  this.timeout(30000);
  let api: { activationMs: number; ready: Promise<void> };

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    api = await extension.activate();
    await api.ready;
    console.log(`[perf] extension activation: ${api.activationMs.toFixed(1)} ms`);
  });

  it('activates quickly', () => {
    assert.ok(api.activationMs < 1000, `activation took ${api.activationMs} ms`);
  });

  it('reports the broken board with exact codes and ranges', async () => {
    const uri = workspaceUri('board-v1-broken/brainfile.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitForDiagnostics(uri, (list) => list.length >= 7);
    const summary = diagnostics.map((d) => `${codeOf(d)}@${rangeOf(d).join(':')}`).sort();
    assert.deepEqual(summary, [
      'duplicate-id@17:12:17:18',
      'empty-value@34:14:34:16',
      'invalid-enum@9:18:9:29',
      'invalid-type@22:22:22:30',
      'invalid-type@26:10:26:25',
      'missing-field@15:14:15:18',
      'missing-field@29:8:29:16',
    ]);
  });

  it('completes status values, in lifecycle order', async () => {
    const uri = workspaceUri('board-v1-broken/brainfile.md');
    const document = await vscode.workspace.openTextDocument(uri);
    const line = document.lineAt(9);
    const position = new vscode.Position(9, line.text.indexOf('in-progress'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const ours = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    const statuses = ours.filter((l) => ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed'].includes(l));
    assert.deepEqual(statuses, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed']);
  });

  it('hovers a key with its schema description', async () => {
    const uri = workspaceUri('board-v1/brainfile.md');
    const document = await vscode.workspace.openTextDocument(uri);
    const line = document.getText().split('\n').findIndex((l) => l.includes('deliverables:'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, document.lineAt(line).text.indexOf('deliverables') + 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /deliverable/i);
  });

  it('offers the quick fix for a near-miss status and applies it', async () => {
    const uri = workspaceUri('board-v1-broken/brainfile.md');
    const diagnostics = await waitForDiagnostics(uri, (list) => list.some((d) => codeOf(d) === 'invalid-enum'));
    const fault = diagnostics.find((d) => codeOf(d) === 'invalid-enum')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, fault.range);
    const fix = actions.find((a) => a.title.includes('in_progress'));
    assert.ok(fix?.edit, `quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.lineAt(9).text, /status: in_progress$/);
    await waitForDiagnostics(uri, (list) => !list.some((d) => codeOf(d) === 'invalid-enum'));
    await vscode.commands.executeCommand('undo');
  });

  it('lists boards, columns and tasks in the outline', async () => {
    const uri = workspaceUri('board-v1/brainfile.md');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    const names: string[] = [];
    const walk = (list: vscode.DocumentSymbol[]) => list.forEach((s) => (names.push(s.name), walk(s.children)));
    walk(symbols);
    assert.ok(names.some((n) => n.startsWith('task-1')), names.join(', '));
    assert.ok(names.some((n) => /To Do|todo/.test(n)), names.join(', '));
  });

  it('shows code lenses with the moves allowed now', async () => {
    const uri = workspaceUri('board-v1/brainfile.md');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => t.includes('Claim')), titles.join(' | '));
    assert.ok(titles.some((t) => t.includes('Deliver')), titles.join(' | '));
  });

  it('shows yaml-syntax within a second of a breaking edit, and undo clears it', async () => {
    const uri = workspaceUri('board-v1/brainfile.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (list) => list.length === 0);
    const started = Date.now();
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'broken: [unclosed\n'));
    await waitForDiagnostics(uri, (list) => list.some((d) => codeOf(d) === 'yaml-syntax'), 1000);
    console.log(`[perf] edit to yaml-syntax diagnostic: ${Date.now() - started} ms`);
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, (list) => list.length === 0, 2000);
    assert.equal(editor.document.isDirty, false);
  });
});
