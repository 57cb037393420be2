import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import type { TasksParams, TasksResult } from '../../shared/protocol';
import { fetchListings, mergeListing } from '../../shared/taskListing';
import { fileUri, LspTestClient, repoRoot } from './lspClient';

const sharedExamples = path.join(repoRoot, 'test', 'fixtures', 'examples');

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

function at(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `expected a ${code} diagnostic, got ${codes(diagnostics).join(', ')}`);
  return found!;
}

function labels(result: CompletionItem[] | CompletionList | null): string[] {
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  return items.map((i) => i.label);
}

function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents as MarkupContent | string;
  return typeof contents === 'string' ? contents : contents.value;
}

describe('language server over stdio', function () {
  this.timeout(30000);
  let workspace: string;
  let client: LspTestClient;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'contracts-lsp-'));
    cpSync(sharedExamples, workspace, { recursive: true });
    mkdirSync(path.join(workspace, 'board-v1', 'src', 'charges'), { recursive: true });
    writeFileSync(path.join(workspace, 'board-v1', 'src', 'charges', 'routes.ts'), 'export {};\n');
    client = new LspTestClient();
    await client.initialize(workspace);
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const read = (rel: string) => readFileSync(path.join(workspace, rel), 'utf8');
  const uriOf = (rel: string) => fileUri(path.join(workspace, rel));

  it('publishes diagnostics with code, severity, source and exact range for the broken board', async () => {
    const rel = 'board-v1-broken/brainfile.md';
    const { diagnostics } = await client.open(uriOf(rel), read(rel));
    assert.deepEqual(codes(diagnostics), ['duplicate-id', 'empty-value', 'invalid-enum', 'invalid-type', 'invalid-type', 'missing-field', 'missing-field'].sort());
    for (const d of diagnostics) assert.equal(d.source, 'contracts');
    const enumFault = at(diagnostics, 'invalid-enum');
    assert.deepEqual(enumFault.range, { start: { line: 9, character: 18 }, end: { line: 9, character: 29 } });
    assert.equal(enumFault.severity, 1);
    assert.match(String(enumFault.message), /did you mean in_progress\?/i);
    const duplicate = at(diagnostics, 'duplicate-id');
    assert.deepEqual(duplicate.range, { start: { line: 17, character: 12 }, end: { line: 17, character: 18 } });
  });

  it('gives the valid v1 example no diagnostics', async () => {
    const rel = 'board-v1/brainfile.md';
    const { diagnostics } = await client.open(uriOf(rel), read(rel));
    assert.deepEqual(diagnostics, []);
  });

  it('checks deployment contracts', async () => {
    const rel = 'deployments/.glassops/deployment-contract.json';
    const { diagnostics } = await client.open(uriOf(rel), read(rel));
    assert.deepEqual(codes(diagnostics), ['coverage-met-mismatch', 'invalid-enum', 'invalid-format', 'status-quality-conflict', 'test-count-mismatch']);
    assert.equal(at(diagnostics, 'status-quality-conflict').severity, 3);
  });

  it('re-validates after an incremental edit, and an edit that breaks the YAML gives yaml-syntax', async () => {
    const rel = 'board-v1/brainfile.md';
    const uri = uriOf(rel);
    const text = read(rel);
    const line = text.split('\n').findIndex((l) => l.includes('status: ready  #'));
    const column = text.split('\n')[line].indexOf('ready');
    let result = await client.change(uri, [{ range: { start: { line, character: column }, end: { line, character: column + 5 } }, text: 'redy' }]);
    const enumFault = at(result.diagnostics, 'invalid-enum');
    assert.deepEqual(enumFault.range, { start: { line, character: column }, end: { line, character: column + 4 } });
    assert.match(String(enumFault.message), /Did you mean ready\?/);
    result = await client.change(uri, [{ range: { start: { line, character: column }, end: { line, character: column + 4 } }, text: 'ready' }]);
    assert.deepEqual(result.diagnostics, []);
    result = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '  bad: [unclosed\n' }]);
    assert.ok(codes(result.diagnostics).includes('yaml-syntax'), codes(result.diagnostics).join(','));
    result = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    assert.deepEqual(result.diagnostics, []);
  });

  it('offers status values in lifecycle order after `status: `', async () => {
    const uri = uriOf('board-v1/scratch/brainfile.md');
    const text = '---\ntitle: Scratch\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n      - id: task-1\n        title: T\n        contract:\n          status: \n---\n';
    await client.open(uri, text);
    const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 18 } });
    assert.deepEqual(labels(result).slice(0, 6), ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed']);
  });

  it('hovers a status value with its meaning and the moves out of it', async () => {
    const rel = 'board-v1/brainfile.md';
    const text = read(rel);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('status: in_progress'));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(rel) }, position: { line, character: lines[line].indexOf('in_progress') + 2 } });
    const value = hoverText(hover);
    assert.match(value, /claimed/i);
    assert.match(value, /contracts\.deliver/);
  });

  it('offers a quick fix that replaces a near-miss enum value', async () => {
    const rel = 'board-v1-broken/brainfile.md';
    const uri = uriOf(rel);
    const diagnostics = client.lastDiagnostics(uri);
    const fault = at(diagnostics, 'invalid-enum');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: fault.range, context: { diagnostics: [fault] } });
    const fix = actions.find((a) => a.kind === 'quickfix');
    assert.ok(fix, 'a quick fix');
    const edits = fix!.edit?.changes?.[uri] ?? [];
    assert.equal(edits.length, 1);
    assert.equal(edits[0].newText, 'in_progress');
    assert.deepEqual(edits[0].range, fault.range);
  });

  it('returns document symbols and code lenses for a board', async () => {
    const uri = uriOf('board-v1/brainfile.md');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names = JSON.stringify(symbols);
    assert.match(names, /task-1/);
    assert.match(names, /task-7/);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /Claim/.test(t)), titles.join(' | '));
  });

  it('goes to the definition of a blockedBy id', async () => {
    const rel = 'board-v1/brainfile.md';
    const lines = read(rel).split('\n');
    const line = lines.findIndex((l) => l.includes('blockedBy: [task-3]'));
    const result = await client.request<Location | Location[] | null>('textDocument/definition', { textDocument: { uri: uriOf(rel) }, position: { line, character: lines[line].indexOf('task-3') + 1 } });
    const location = Array.isArray(result) ? result[0] : result;
    assert.ok(location);
    const target = lines.findIndex((l) => l.includes('id: task-3'));
    assert.equal(location!.range.start.line, target);
  });

  it('lists the workspace tasks (open documents win over disk) through contracts/tasks', async () => {
    let result = await client.request<TasksResult>('contracts/tasks', {});
    // The first scan runs in the background while the server answers; wait for it.
    for (let tries = 0; !result.indexed && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      result = await client.request<TasksResult>('contracts/tasks', {});
    }
    assert.ok(result.indexed, 'the workspace scan finished');
    const ids = result.tasks.filter((t) => t.uri.endsWith('board-v1/brainfile.md')).map((t) => t.id);
    assert.deepEqual(ids, ['task-1', 'task-2', 'task-3', 'task-4', 'task-5', 'task-6', 'task-7']);
    const v2 = result.tasks.filter((t) => t.version === 2).map((t) => `${t.id}:${t.status}`).sort();
    assert.deepEqual(v2, ['task-10:in_progress', 'task-11:blocked']);
  });

  it('contracts/tasks with the revisions the client holds sends only the boards changed since', async () => {
    const known = (answer: TasksResult) => Object.fromEntries(answer.boards!.map((b) => [b.key, b.revision]));
    const first = await client.request<TasksResult>('contracts/tasks', { known: {} });
    const full = await client.request<TasksResult>('contracts/tasks', {});
    assert.deepEqual(first.tasks, [], 'grouped: the tasks come in boards');
    assert.deepEqual(first.boards!.flatMap((b) => mergeListing(undefined, b) ?? []), full.tasks, 'the same tasks in the same order as the full answer');
    const again = await client.request<TasksResult>('contracts/tasks', { known: known(first) });
    assert.deepEqual(again.boards!.map((b) => b.key), first.boards!.map((b) => b.key));
    assert.ok(again.boards!.every((b) => b.tasks === undefined), 'nothing changed: no board is sent again');

    // A board opened, then edited: only that board comes back, as its one changed task; merged, it equals the full answer.
    const uri = uriOf('board-listed/brainfile.md');
    const tasks = [1, 2, 3, 4].flatMap((n) => [`      - id: task-${n}`, `        title: Task ${n}`]);
    await client.open(uri, ['---', 'title: Listed', 'columns:', '  - id: todo', '    title: To do', '    tasks:', ...tasks, '---', ''].join('\n'));
    const opened = await client.request<TasksResult>('contracts/tasks', { known: known(again) });
    const sentOpened = opened.boards!.filter((b) => b.tasks !== undefined || b.changes !== undefined);
    assert.deepEqual(sentOpened.map((b) => b.key), [uri]);
    assert.deepEqual(sentOpened[0].tasks!.map((t) => t.title), ['Task 1', 'Task 2', 'Task 3', 'Task 4']);
    await client.change(uri, [{ range: { start: { line: 9, character: 21 }, end: { line: 9, character: 21 } }, text: ' edited' }]);
    const afterEdit = await client.request<TasksResult>('contracts/tasks', { known: known(opened) });
    const sent = afterEdit.boards!.filter((b) => b.tasks !== undefined || b.changes !== undefined);
    assert.deepEqual(sent.map((b) => b.key), [uri]);
    assert.deepEqual(sent[0].changes!.changed.map(([index, task]) => [index, task.title]), [[1, 'Task 2 edited']]);
    const merged = mergeListing(mergeListing(undefined, sentOpened[0]), sent[0]);
    const flat = (await client.request<TasksResult>('contracts/tasks', {})).tasks.filter((t) => t.uri === uri);
    assert.deepEqual(merged, flat, 'the held tasks with the changes applied (document versions too) equal the full answer');
    assert.ok(flat.every((t) => t.documentVersion === 2));

    // A line added above every task: no task is sent, one run says they all moved down a line.
    await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'note: x\n' }]);
    const afterShift = await client.request<TasksResult>('contracts/tasks', { known: known(afterEdit) });
    const shiftedBoard = afterShift.boards!.find((b) => b.key === uri)!;
    assert.deepEqual(shiftedBoard.changes && { changed: shiftedBoard.changes.changed, shifted: shiftedBoard.changes.shifted }, { changed: [], shifted: [[0, 4, 1]] });
    const mergedShift = mergeListing(merged, shiftedBoard);
    const flatShift = (await client.request<TasksResult>('contracts/tasks', {})).tasks.filter((t) => t.uri === uri);
    assert.deepEqual(mergedShift, flatShift, 'moved by a line, the held tasks equal a fresh full listing');
    assert.equal(flatShift[0].range.start.line, 7);

    // A line added inside task 2: it changes, tasks 3 and 4 move; asked from two revisions back, the moves add up.
    await client.change(uri, [{ range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, text: '        description: more\n' }]);
    const afterGrow = await client.request<TasksResult>('contracts/tasks', { known: known(afterEdit) });
    const grownBoard = afterGrow.boards!.find((b) => b.key === uri)!;
    assert.deepEqual(grownBoard.changes!.changed.map(([index]) => index), [1]);
    assert.deepEqual(grownBoard.changes!.shifted, [[0, 1, 1], [2, 4, 2]]);
    const flatGrow = (await client.request<TasksResult>('contracts/tasks', {})).tasks.filter((t) => t.uri === uri);
    assert.deepEqual(mergeListing(merged, grownBoard), flatGrow, 'the held tasks of two revisions back, merged, equal a fresh full listing');
    await client.close(uri);
  });

  it('contracts/tasks in pages (pageSize, resume), as the task store asks: merged, the pages equal the full answer, a board edited between pages too', async () => {
    const flat = async () => (await client.request<TasksResult>('contracts/tasks', {})).tasks;
    const answers: TasksResult[] = [];
    let between = async (): Promise<void> => undefined;
    const ask = async (params: TasksParams) => {
      if (answers.length) await between();
      const answer = await client.request<TasksResult>('contracts/tasks', params);
      answers.push(answer);
      return answer;
    };
    const tasksOf = (fetched: Awaited<ReturnType<typeof fetchListings>>) => [...fetched!.listings.values()].flatMap((listing) => listing.tasks);
    const whole = await fetchListings(ask, new Map(), 2);
    assert.deepEqual(tasksOf(whole), await flat());
    assert.ok(answers.length >= Math.ceil(tasksOf(whole).length / 2), `${answers.length} answers of at most 2 tasks`);
    assert.ok(answers.every((answer) => answer.boards!.every((b) => (b.tasks?.length ?? b.changes?.changed.length ?? 0) <= 2)));

    // A board of 6 tasks opened, then edited while its pages are asked for: the fetch ends with the edited board.
    const uri = uriOf('board-paged/brainfile.md');
    const tasks = [1, 2, 3, 4, 5, 6].flatMap((n) => [`      - id: task-${n}`, `        title: Task ${n}`]);
    await client.open(uri, ['---', 'title: Paged', 'columns:', '  - id: todo', '    title: To do', '    tasks:', ...tasks, '---', ''].join('\n'));
    answers.length = 0;
    let edits = 0;
    between = async () => {
      if (edits++ < 2) await client.change(uri, [{ range: { start: { line: 7 + 2 * edits, character: 21 }, end: { line: 7 + 2 * edits, character: 21 } }, text: ' edited' }]);
    };
    const afterEdits = await fetchListings(ask, whole!.listings, 2);
    const expected = await flat();
    assert.deepEqual(tasksOf(afterEdits), expected);
    assert.deepEqual(expected.filter((t) => t.uri === uri).map((t) => t.title), ['Task 1', 'Task 2 edited', 'Task 3 edited', 'Task 4', 'Task 5', 'Task 6']);
    assert.ok(answers.some((answer) => answer.boards!.some((b) => b.key === uri && b.next !== undefined)), 'the board came in pages');
    await client.close(uri);
  });

  it('keeps answering after hostile input', async () => {
    const uri = uriOf('board-v1/hostile/brainfile.md');
    const bomb = ['---', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    bomb.push('title: x', 'columns: []', '---', '');
    const { diagnostics } = await client.open(uri, bomb.join('\n'));
    assert.ok(codes(diagnostics).includes('alias-limit'), codes(diagnostics).join(','));
    const deep = await client.change(uri, [{ text: '---\ntitle: deep\nx: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n---\n' }]);
    assert.ok(deep.diagnostics.length > 0);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    assert.ok(hover === null || typeof hover === 'object');
    assert.equal(client.exited, undefined, 'the server is still running');
  });
});
