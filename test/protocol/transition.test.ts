import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TransitionRequest, type TransitionParams, type TransitionResult } from '../../shared/protocol';
import { fileUri, LspTestClient } from './lspClient';

const BOARD = [
  '---',
  'title: Protocol board',
  'columns:',
  '  - id: todo',
  '    title: To Do',
  '    tasks:',
  '      - id: task-1',
  '        title: First  # keep me',
  '        contract:',
  '          status: "ready"',
  '          deliverables: []',
  '  - id: in-progress',
  '    title: In Progress',
  '    tasks: []',
  '---',
  '',
  'Notes.',
  '',
].join('\n');

interface VersionedEdit {
  documentChanges: Array<{ textDocument: { uri: string; version: number | null }; edits: TextEdit[] }>;
}

/** Applies LSP edits (all against `text`) the way an editor does. */
function applyLspEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line] + p.character;
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

describe('contracts/transition over stdio', function () {
  this.timeout(30000);
  let workspace: string;
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'contracts-transition-'));
    const file = path.join(workspace, 'brainfile.md');
    writeFileSync(file, BOARD);
    uri = fileUri(file);
    client = new LspTestClient();
    await client.initialize(workspace);
    await client.open(uri, BOARD);
  });

  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const move = (params: Partial<TransitionParams>) => client.request<TransitionResult>(TransitionRequest.method, { uri, taskId: 'task-1', ...params });

  it('returns a versioned edit for claim that keeps quoting and comments', async () => {
    const result = await move({ transition: 'claim', version: 1, expectedStatus: 'ready', now: '2026-11-21T10:00:00Z', assignee: 'bob' });
    assert.equal(result.refused, undefined);
    assert.equal(result.from, 'ready');
    assert.equal(result.to, 'in_progress');
    const edit = result.edit as VersionedEdit;
    assert.equal(edit.documentChanges.length, 1);
    assert.deepEqual(edit.documentChanges[0].textDocument, { uri, version: 1 });
    const after = applyLspEdits(BOARD, edit.documentChanges[0].edits);
    assert.equal(
      after,
      BOARD.replace('        title: First  # keep me\n', '        title: First  # keep me\n        assignee: bob\n')
        .replace('status: "ready"', 'status: "in_progress"')
        .replace('          deliverables: []\n', '          deliverables: []\n          metrics:\n            pickedUpAt: "2026-11-21T10:00:00Z"\n'),
    );
  });

  it('moves the task to the mapped column when asked, and stamps now without milliseconds by default', async () => {
    const result = await move({ transition: 'claim', version: 1, moveToColumn: true, columnMap: { in_progress: 'in-progress' } });
    const after = applyLspEdits(BOARD, (result.edit as VersionedEdit).documentChanges[0].edits);
    assert.match(after, /  - id: in-progress\n    title: In Progress\n    tasks:\n      - id: task-1\n/);
    assert.match(after, /pickedUpAt: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    assert.deepEqual(result.notes, []);
  });

  it('refuses a stale document version', async () => {
    const result = await move({ transition: 'claim', version: 7 });
    assert.deepEqual(result, { refused: 'The document changed since you looked (version 7, now 1).' });
  });

  it('refuses a stale expected status with the current one (compare-and-swap)', async () => {
    const result = await move({ transition: 'deliver', version: 1, expectedStatus: 'in_progress' });
    assert.equal(result.currentStatus, 'ready');
    assert.equal(result.refused, 'task-1 was moved by another change; it is now ready, not in_progress.');
    assert.equal(result.edit, undefined);
  });

  it('refuses a move the status does not allow, naming the allowed ones', async () => {
    const result = await move({ transition: 'approve', version: 1 });
    assert.equal(result.refused, 'Cannot approve task-1: it is ready, and from ready the allowed moves are claim, cancel.');
  });

  it('sees the new version after the client applies the edit', async () => {
    const claimed = await move({ transition: 'claim', version: 1, now: '2026-11-21T10:00:00Z' });
    const edits = (claimed.edit as VersionedEdit).documentChanges[0].edits;
    await client.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
    const delivered = await move({ transition: 'deliver', version: 2, expectedStatus: 'in_progress', now: '2026-11-21T11:30:00Z' });
    const change = (delivered.edit as VersionedEdit).documentChanges[0];
    assert.equal(change.textDocument.version, 2);
    const after = applyLspEdits(applyLspEdits(BOARD, edits), change.edits);
    assert.match(after, /status: "delivered"\n          deliverables: \[\]\n          metrics:\n            pickedUpAt: "2026-11-21T10:00:00Z"\n            deliveredAt: "2026-11-21T11:30:00Z"\n            duration: 5400\n/);
  });
});
