import { strict as assert } from 'node:assert';
import { DocumentHighlightKind, type Range, type RenameFile, type SelectionRange, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../../server/src/engine/analyze';
import { prepareCallHierarchy, provideIncomingCalls, provideOutgoingCalls } from '../../server/src/features/callHierarchy';
import { provideDefinition } from '../../server/src/features/definition';
import { provideFoldingRanges } from '../../server/src/features/foldingRanges';
import { provideHover } from '../../server/src/features/hover';
import { provideDocumentHighlights, provideReferences } from '../../server/src/features/references';
import { providePrepareRename, provideRename, type RenameCapabilities } from '../../server/src/features/rename';
import { provideSelectionRanges } from '../../server/src/features/selectionRanges';
import { provideWorkspaceSymbols } from '../../server/src/features/workspaceSymbols';
import { FixtureWorkspace, withCursor } from './helpers';

const FULL: RenameCapabilities = { documentChanges: true, renameFiles: true };

const BOARD = `---
# Payments board
title: Payments
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1   # first
        title: Add idempotency keys
        priority: high
        contract:
          status: ready
      - id: "task-2"
        title: Rate-limit the API
        priority: critical
        blockedBy: [task-1, 'task-3']   # waits
        dependsOn:
          - task-3
        contract:
          status: ready
      - id: task-3
        title: Write the docs
        parentId: task-1
        contract: {status: in_progress}
---

# Notes

\`\`\`yaml
id: task-50
title: Example
blockedBy:
  - task-1
contract:
  status: draft
\`\`\`
`;

const CONFIG = '---\ntitle: Auth\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: done\n    title: Done\n---\n';
const V2: Record<string, string> = {
  '/p/.brainfile/brainfile.md': CONFIG,
  '/p/.brainfile/board/task-1.md': '---\nid: task-1\ntitle: Token refresh\ncolumn: todo\ncontract:\n  status: in_progress\n---\n\nRefresh tokens before they expire.\n',
  '/p/.brainfile/board/task-2.md': '---\nid: task-2\ntitle: Show auth status\ncolumn: todo\nblockedBy: [task-1]  # needs tokens\ndependsOn:\n  - "task-1"\n  - task-0\ncontract:\n  status: ready\n---\n',
  '/p/.brainfile/board/task-3.md': '---\nid: task-3\ntitle: Sub-task\ncolumn: todo\nparentId: \'task-1\'\n---\n',
  '/p/.brainfile/logs/task-0.md': '---\nid: task-0\ntitle: Old work\ncompletedAt: 2026-01-02T10:00:00Z\ncontract:\n  status: done\n---\n',
};

const LEDGER_PATH = '/p/.brainfile/logs/ledger.jsonl';
/** Records as @brainfile/core appends them; a spaced line, a title that mentions an id, and a half-written last line. */
const LEDGER = [
  '{"id":"task-0","type":"task","title":"Old work","filesChanged":["src/old.ts"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-02T10:00:00Z","cycleTimeHours":25,"summary":"Old work done."}',
  '{"id":"task-5","type":"task","title":"Follow-up of task-0","filesChanged":["task-5.md"],"createdAt":"2026-01-01T09:00:00Z","completedAt":"2026-01-03T10:00:00Z","cycleTimeHours":49,"summary":"Done.","parentId":"task-1"}',
  '{ "id" : "task-1",  "type": "task", "title": "Token refresh, first try", "summary": "Reopened." }',
  '{"id":"task-0","type":"ta',
].join('\n');
const V2_WITH_LEDGER: Record<string, string> = { ...V2, [LEDGER_PATH]: LEDGER };

/** The workspace with `<|>` removed from `file`, and the cursor there. */
function at(files: Record<string, string>, file: string, needle: string, shift = 0, nth = 0) {
  const text = files[file];
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `no ${needle} in ${file}`);
  const { text: clean, offset } = withCursor(text.slice(0, index + shift) + '<|>' + text.slice(index + shift));
  const ws = new FixtureWorkspace({ ...files, [file]: clean });
  const analysis = ws.get(file);
  return { ws, analysis, position: analysis.lines.positionAt(offset) };
}

function textAt(analysis: DocumentAnalysis, range: Range): string {
  return analysis.text.slice(analysis.lines.offsetAt(range.start), analysis.lines.offsetAt(range.end));
}

/** Applies text edits to `text`, positions read against `text` itself (a renamed file has no fixture of its own). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offsetAt = (p: Range['start']) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = edits.map((e) => ({ start: offsetAt(e.range.start), end: offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  return sorted.reduce((acc, e) => acc.slice(0, e.start) + e.text + acc.slice(e.end), text);
}

/** Applies a WorkspaceEdit to the fixture files in order: new texts by path, renames included. */
function applyWorkspaceEdit(files: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
  const out = { ...files };
  const pathOf = (uri: string) => uri.replace(/^file:\/\//, '');
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      const rename = change as RenameFile;
      assert.ok(!(pathOf(rename.newUri) in out), 'a rename never overwrites');
      out[pathOf(rename.newUri)] = out[pathOf(rename.oldUri)];
      delete out[pathOf(rename.oldUri)];
    } else {
      const { textDocument, edits } = change as TextDocumentEdit;
      const file = pathOf(textDocument.uri);
      assert.ok(file in out, `${file} exists when its text edit comes`);
      out[file] = applyEdits(out[file], edits as TextEdit[]);
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out[pathOf(uri)] = applyEdits(out[pathOf(uri)], edits);
  return out;
}

describe('task ids as symbols', () => {
  describe('document highlight', () => {
    it('marks the definition as a write and every reference as a read, from a reference', () => {
      const { ws, analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'task-1,', 2);
      const highlights = provideDocumentHighlights(analysis, position, ws);
      assert.deepEqual(
        highlights.map((h) => [textAt(analysis, h.range), h.kind, h.range.start.line]),
        [
          ['task-1', DocumentHighlightKind.Write, 7],
          ['task-1', DocumentHighlightKind.Read, 15],
          ['task-1', DocumentHighlightKind.Read, 22],
          ['task-1', DocumentHighlightKind.Read, 32],
        ],
      );
    });

    it('works from a quoted definition and finds nothing on other values', () => {
      const { ws, analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', '"task-2"', 1);
      assert.deepEqual(provideDocumentHighlights(analysis, position, ws).map((h) => textAt(analysis, h.range)), ['"task-2"']);
      const other = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'Rate-limit', 2);
      assert.deepEqual(provideDocumentHighlights(other.analysis, other.position, other.ws), []);
    });
  });

  describe('references', () => {
    it('lists every reference across the files of a v2 board, with or without the declaration', () => {
      const { ws, analysis, position } = at(V2, '/p/.brainfile/board/task-2.md', '"task-1"', 3);
      const refs = provideReferences(analysis, position, true, ws);
      const seen = refs.map((r) => `${r.uri.replace('file:///p/.brainfile/', '')}:${r.range.start.line}:${textAt(ws.get(r.uri.slice(7)), r.range)}`);
      assert.deepEqual(seen.sort(), ['board/task-1.md:1:task-1', 'board/task-2.md:4:task-1', 'board/task-2.md:6:"task-1"', "board/task-3.md:4:'task-1'"]);
      assert.equal(provideReferences(analysis, position, false, ws).length, 3);
    });

    it("lists the ledger's records among the references", () => {
      const { ws, analysis, position } = at(V2_WITH_LEDGER, '/p/.brainfile/board/task-1.md', 'task-1');
      const inLedger = provideReferences(analysis, position, false, ws).filter((r) => r.uri === 'file://' + LEDGER_PATH);
      assert.deepEqual(inLedger.map((r) => [r.range.start.line, r.range.start.character, r.range.end.character]), [[1, 210, 216], [2, 10, 16]]);
    });

    it('finds references from the definition of a v1 task, fenced examples included', () => {
      const { ws, analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'task-3', 0, 2);
      const refs = provideReferences(analysis, position, false, ws);
      assert.deepEqual(refs.map((r) => textAt(analysis, r.range)), ["'task-3'", 'task-3']);
    });
  });

  describe('definition', () => {
    it('goes from dependsOn and parentId entries to the task, across v2 files', () => {
      const dependsOn = at(V2, '/p/.brainfile/board/task-2.md', '"task-1"', 2);
      const location = provideDefinition(dependsOn.analysis, dependsOn.position, dependsOn.ws);
      assert.equal(location?.uri, 'file:///p/.brainfile/board/task-1.md');
      assert.equal(textAt(dependsOn.ws.get('/p/.brainfile/board/task-1.md'), location!.range), 'task-1');
      const parent = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'parentId: task-1', 12);
      assert.equal(provideDefinition(parent.analysis, parent.position, parent.ws)?.range.start.line, 7);
      const own = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'task-1');
      assert.equal(provideDefinition(own.analysis, own.position, own.ws), null);
    });
  });

  describe('rename', () => {
    it('prepares the id without its quotes, and refuses an id no task has', () => {
      const { ws, analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', "'task-3'", 2);
      const prepared = providePrepareRename(analysis, position, ws);
      assert.ok(prepared && 'range' in prepared);
      assert.equal(textAt(analysis, prepared.range), 'task-3');
      assert.equal(prepared.placeholder, 'task-3');
      const dangling = at({ '/ws/brainfile.md': BOARD.replace("'task-3'", 'task-9') }, '/ws/brainfile.md', 'task-9');
      const refused = providePrepareRename(dangling.analysis, dangling.position, dangling.ws);
      assert.ok(refused && 'refused' in refused);
      assert.match(refused.refused, /No task of this board has the id task-9/);
      const title = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'Payments');
      assert.equal(providePrepareRename(title.analysis, title.position, title.ws), null);
    });

    it('renames a v1 id everywhere, keeping quotes and comments', () => {
      const files = { '/ws/brainfile.md': BOARD };
      const { ws, analysis, position } = at(files, '/ws/brainfile.md', 'task-1', 0, 0);
      const result = provideRename(analysis, position, 'task-7', ws, FULL);
      assert.ok(result && 'edit' in result);
      const renamed = applyWorkspaceEdit(files, result.edit)['/ws/brainfile.md'];
      assert.equal(
        renamed,
        BOARD.replace('id: task-1   # first', 'id: task-7   # first')
          .replace("blockedBy: [task-1, 'task-3']", "blockedBy: [task-7, 'task-3']")
          .replace('parentId: task-1', 'parentId: task-7')
          .replace('  - task-1\ncontract:\n  status: draft', '  - task-7\ncontract:\n  status: draft'),
      );
      const quoted = at(files, '/ws/brainfile.md', 'task-2');
      const quotedResult = provideRename(quoted.analysis, quoted.position, 'task-20', quoted.ws, FULL);
      assert.ok(quotedResult && 'edit' in quotedResult);
      assert.match(applyWorkspaceEdit(files, quotedResult.edit)['/ws/brainfile.md'], /id: "task-20"\n/);
    });

    it('refuses a taken id and one that breaks the id pattern', () => {
      const { ws, analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'task-1', 0, 0);
      const taken = provideRename(analysis, position, 'task-3', ws, FULL);
      assert.ok(taken && 'refused' in taken);
      assert.match(taken.refused, /task-3 is taken by "Write the docs" in brainfile\.md/);
      for (const bad of ['Task-7', 'task 7', 'task-', 'task-7: x', '"task-7"', '']) {
        const result = provideRename(analysis, position, bad, ws, FULL);
        assert.ok(result && 'refused' in result, bad);
        assert.match(result.refused, /is not a task id/);
      }
      // A fenced example's id is no task: it is free to take.
      assert.ok('edit' in provideRename(analysis, position, 'task-50', ws, FULL)!);
    });

    it('renames a v2 task across its board and renames its file in the same edit', () => {
      const { ws, analysis, position } = at(V2, '/p/.brainfile/board/task-2.md', 'task-1]', 2);
      ws.openVersions.set('file:///p/.brainfile/board/task-2.md', 4);
      const result = provideRename(analysis, position, 'task-7', ws, FULL);
      assert.ok(result && 'edit' in result);
      const changes = result.edit.documentChanges!;
      const renames = changes.filter((c) => 'kind' in c) as RenameFile[];
      assert.deepEqual(renames, [{ kind: 'rename', oldUri: 'file:///p/.brainfile/board/task-1.md', newUri: 'file:///p/.brainfile/board/task-7.md', options: { overwrite: false, ignoreIfExists: false } }]);
      // VS Code moves file operations ahead of text edits when it converts the edit, so
      // the rename comes first and the renamed file's text edit names its new uri.
      assert.ok('kind' in changes[0], 'the file rename comes first');
      const versions = (changes.slice(1) as TextDocumentEdit[]).map((c) => [c.textDocument.uri.slice(-9), c.textDocument.version]);
      assert.deepEqual(versions.sort(), [['task-2.md', 4], ['task-3.md', null], ['task-7.md', null]]);
      const after = applyWorkspaceEdit(V2, result.edit);
      assert.equal(after['/p/.brainfile/board/task-1.md'], undefined);
      assert.equal(after['/p/.brainfile/board/task-7.md'], V2['/p/.brainfile/board/task-1.md'].replace('id: task-1', 'id: task-7'));
      assert.equal(after['/p/.brainfile/board/task-2.md'], V2['/p/.brainfile/board/task-2.md'].replace('[task-1]', '[task-7]').replace('"task-1"', '"task-7"'));
      assert.equal(after['/p/.brainfile/board/task-3.md'], V2['/p/.brainfile/board/task-3.md'].replace("'task-1'", "'task-7'"));
      assert.equal(after['/p/.brainfile/logs/task-0.md'], V2['/p/.brainfile/logs/task-0.md']);
    });

    it('falls back to plain changes without renaming the file when the client cannot', () => {
      const { ws, analysis, position } = at(V2, '/p/.brainfile/board/task-1.md', 'task-1');
      const result = provideRename(analysis, position, 'task-7', ws, { documentChanges: false, renameFiles: false });
      assert.ok(result && 'edit' in result);
      assert.equal(result.edit.documentChanges, undefined);
      assert.deepEqual(Object.keys(result.edit.changes!).sort(), ['file:///p/.brainfile/board/task-1.md', 'file:///p/.brainfile/board/task-2.md', 'file:///p/.brainfile/board/task-3.md']);
    });

    it("renames the ledger's records of the task: its own record and a sub-task's parentId, nothing else", () => {
      const { ws, analysis, position } = at(V2_WITH_LEDGER, '/p/.brainfile/board/task-2.md', 'task-1]', 2);
      const result = provideRename(analysis, position, 'task-7', ws, FULL);
      assert.ok(result && 'edit' in result);
      const after = applyWorkspaceEdit(V2_WITH_LEDGER, result.edit);
      assert.equal(after[LEDGER_PATH], LEDGER.replace('"parentId":"task-1"', '"parentId":"task-7"').replace('"id" : "task-1"', '"id" : "task-7"'));
      assert.equal(after['/p/.brainfile/board/task-7.md'], V2['/p/.brainfile/board/task-1.md'].replace('id: task-1', 'id: task-7'));
    });

    it('renames a completed task in logs/: its file, its references and its ledger record, leaving titles and half-written lines alone', () => {
      const { ws, analysis, position } = at(V2_WITH_LEDGER, '/p/.brainfile/board/task-2.md', 'task-0', 2);
      const result = provideRename(analysis, position, 'task-9', ws, FULL);
      assert.ok(result && 'edit' in result);
      const after = applyWorkspaceEdit(V2_WITH_LEDGER, result.edit);
      assert.equal(after[LEDGER_PATH], LEDGER.replace('{"id":"task-0","type":"task"', '{"id":"task-9","type":"task"'));
      assert.equal(after['/p/.brainfile/logs/task-9.md'], V2['/p/.brainfile/logs/task-0.md'].replace('id: task-0', 'id: task-9'));
      assert.equal(after['/p/.brainfile/logs/task-0.md'], undefined);
      assert.equal(after['/p/.brainfile/board/task-2.md'], V2['/p/.brainfile/board/task-2.md'].replace('- task-0', '- task-9'));
      // Without documentChanges the ledger is edited all the same.
      const plain = provideRename(analysis, position, 'task-9', ws, { documentChanges: false, renameFiles: false });
      assert.ok(plain && 'edit' in plain);
      assert.deepEqual(plain.edit.changes!['file://' + LEDGER_PATH], [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 13 } }, newText: 'task-9' }]);
    });

    it('refuses an id the ledger records for a completed task', () => {
      const { ws, analysis, position } = at(V2_WITH_LEDGER, '/p/.brainfile/board/task-1.md', 'task-1');
      const result = provideRename(analysis, position, 'task-5', ws, FULL);
      assert.ok(result && 'refused' in result);
      assert.equal(result.refused, 'task-5 is taken by a completed task recorded in logs/ledger.jsonl. Expected an id no task of this board uses.');
    });

    it('refuses to rename over an existing task file', () => {
      const files = { ...V2, '/p/.brainfile/board/task-8.md': 'not a task\n' };
      const { ws, analysis, position } = at(files, '/p/.brainfile/board/task-1.md', 'task-1');
      const result = provideRename(analysis, position, 'task-8', ws, FULL);
      assert.ok(result && 'refused' in result);
      assert.match(result.refused, /task-8\.md already exists/);
    });
  });

  describe('workspace symbols', () => {
    const files = { '/ws/brainfile.md': BOARD, ...V2 };

    it('lists every board and task, fuzzy matched, best first', () => {
      const ws = new FixtureWorkspace(files);
      const names = provideWorkspaceSymbols('', ws).map((s) => s.name);
      assert.deepEqual(names.filter((n) => !n.startsWith('task-')).sort(), ['Auth', 'Payments']);
      assert.equal(names.length, 2 + 3 + 4);
      assert.ok(!names.includes('task-50 Example'), 'fenced examples are not tasks');
      const rl = provideWorkspaceSymbols('ratelim', ws);
      assert.equal(rl[0].name, 'task-2 Rate-limit the API');
      assert.deepEqual(provideWorkspaceSymbols('t2', ws).map((s) => s.name).slice(0, 2).sort(), ['task-2 Rate-limit the API', 'task-2 Show auth status']);
      assert.deepEqual(provideWorkspaceSymbols('zzz', ws), []);
    });

    it('points at the id, with the board, column and status as container', () => {
      const ws = new FixtureWorkspace(files);
      const [symbol] = provideWorkspaceSymbols('token refresh', ws);
      assert.equal(symbol.name, 'task-1 Token refresh');
      assert.equal(symbol.containerName, 'todo · in_progress');
      assert.ok('range' in symbol.location);
      assert.equal(textAt(ws.get('/p/.brainfile/board/task-1.md'), symbol.location.range), 'task-1');
      const [board] = provideWorkspaceSymbols('Payments', ws);
      assert.equal(board.containerName, 'Brainfile v1 board');
    });
  });

  describe('folding ranges', () => {
    it('folds the front matter, its structure from each key line, and fenced blocks', () => {
      const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD });
      const analysis = ws.get('/ws/brainfile.md');
      const folds = provideFoldingRanges(analysis).map((f) => `${f.startLine}-${f.endLine} ${analysis.lines.lineText(f.startLine).trim()}`);
      assert.deepEqual(folds, [
        '0-24 ---',
        '3-23 columns:',
        '4-23 - id: todo',
        '6-23 tasks:',
        '7-11 - id: task-1   # first',
        '10-11 contract:',
        '12-19 - id: "task-2"',
        '16-17 dependsOn:',
        '18-19 contract:',
        '20-23 - id: task-3',
        '28-35 ```yaml',
        '31-32 blockedBy:',
        '33-34 contract:',
      ]);
    });

    it('folds a v2 task file and ignores deployment contracts', () => {
      const ws = new FixtureWorkspace(V2);
      assert.deepEqual(provideFoldingRanges(ws.get('/p/.brainfile/board/task-2.md')).map((f) => [f.startLine, f.endLine]), [[0, 10], [5, 7], [8, 9]]);
    });
  });

  describe('selection ranges', () => {
    it('grows from a value to its key, its contract, its task, its column', () => {
      const { analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'ready', 2, 0);
      const [chain] = provideSelectionRanges(analysis, [position]);
      const texts: string[] = [];
      for (let s: SelectionRange | undefined = chain; s; s = s.parent) texts.push(textAt(analysis, s.range).split('\n')[0] + ` [${textAt(analysis, s.range).split('\n').length}]`);
      assert.deepEqual(texts, [
        'ready [1]',
        'status: ready [1]',
        'contract: [2]',
        'id: task-1   # first [5]',
        '- id: task-1   # first [17]',
        'tasks: [18]',
        'id: todo [20]',
        '- id: todo [20]',
        'columns: [21]',
        'title: Payments [22]',
        '# Payments board [24]',
        '--- [25]',
      ]);
    });

    it('selects inside the quotes first, and gives one answer per position', () => {
      const { analysis, position } = at({ '/ws/brainfile.md': BOARD }, '/ws/brainfile.md', 'task-3\'', 0);
      const [quoted, outside] = provideSelectionRanges(analysis, [position, { line: 27, character: 0 }]);
      assert.equal(textAt(analysis, quoted.range), 'task-3');
      assert.equal(textAt(analysis, quoted.parent!.range), "'task-3'");
      assert.equal(textAt(analysis, quoted.parent!.parent!.range), "[task-1, 'task-3']");
      assert.equal(textAt(analysis, quoted.parent!.parent!.parent!.range), "blockedBy: [task-1, 'task-3']");
      assert.deepEqual(outside.range, { start: { line: 27, character: 0 }, end: { line: 27, character: 0 } });
    });
  });

  describe('dependencies (call hierarchy)', () => {
    it('shows what a task waits for and what waits for it', () => {
      const files = { '/ws/brainfile.md': BOARD };
      const { ws, analysis, position } = at(files, '/ws/brainfile.md', 'task-2');
      const [item] = prepareCallHierarchy(analysis, position, ws)!;
      assert.equal(item.name, 'task-2');
      assert.equal(item.detail, 'Rate-limit the API · ready');
      assert.equal(textAt(analysis, item.selectionRange), '"task-2"');
      const outgoing = provideOutgoingCalls(analysis, item, ws);
      assert.deepEqual(outgoing.map((c) => [c.to.name, c.fromRanges.map((r) => textAt(analysis, r))]), [
        ['task-1', ['task-1']],
        ['task-3', ["'task-3'", 'task-3']],
      ]);
      const incoming = provideIncomingCalls(analysis, outgoing[1].to, ws);
      assert.deepEqual(incoming.map((c) => [c.from.name, c.fromRanges.length]), [['task-2', 2]]);
      // parentId is a hierarchy, not a wait: task-3 is not waited for by its parent.
      assert.deepEqual(provideOutgoingCalls(analysis, outgoing[1].to, ws), []);
    });

    it('crosses v2 files, names dangling ids, and marks cycles', () => {
      const files = { ...V2, '/p/.brainfile/board/task-1.md': V2['/p/.brainfile/board/task-1.md'].replace('column: todo', 'column: todo\nblockedBy: [task-2, task-9]') };
      const { ws, analysis, position } = at(files, '/p/.brainfile/board/task-2.md', 'task-2');
      const [item] = prepareCallHierarchy(analysis, position, ws)!;
      assert.match(item.detail!, /⟳ cycle: task-2 → task-1 → task-2/);
      const outgoing = provideOutgoingCalls(analysis, item, ws);
      assert.deepEqual(outgoing.map((c) => [c.to.name, c.to.uri.slice(-9), c.fromRanges.length]), [
        ['task-1', 'task-1.md', 2],
        ['task-0', 'task-0.md', 1],
      ]);
      const task1 = provideOutgoingCalls(ws.get('/p/.brainfile/board/task-1.md'), outgoing[0].to, ws);
      assert.deepEqual(task1.map((c) => [c.to.name, c.to.detail]), [['task-2', 'Show auth status · ready · ⟳ cycle: task-2 → task-1 → task-2'], ['task-9', 'no such task on this board']]);
    });
  });

  describe('hover on a task', () => {
    it('lists the open blockers of a task and skips finished ones', () => {
      const { ws, analysis, position } = at(V2, '/p/.brainfile/board/task-2.md', 'task-2');
      const hover = provideHover(analysis, position, ws);
      const markdown = (hover!.contents as { value: string }).value;
      assert.match(markdown, /^\*\*task-2\*\* · Show auth status/);
      assert.match(markdown, /Waits for 2 open tasks:\n- `task-1` Token refresh \(`in_progress`, blockedBy\)\n- `task-1` Token refresh \(`in_progress`, dependsOn\)$/m);
      assert.doesNotMatch(markdown, /task-0/);
    });

    it('says when every blocker is done, and names a cycle', () => {
      const done = { ...V2, '/p/.brainfile/board/task-1.md': V2['/p/.brainfile/board/task-1.md'].replace('in_progress', 'done') };
      const a = at(done, '/p/.brainfile/board/task-2.md', 'task-2');
      assert.match((provideHover(a.analysis, a.position, a.ws)!.contents as { value: string }).value, /Every blocker is done\./);
      const cyclic = BOARD.replace('parentId: task-1', 'blockedBy: ["task-2"]');
      const b = at({ '/ws/brainfile.md': cyclic }, '/ws/brainfile.md', 'task-3', 0, 2);
      const markdown = (provideHover(b.analysis, b.position, b.ws)!.contents as { value: string }).value;
      assert.match(markdown, /\*\*Cycle:\*\* task-3 → task-2 → task-3/);
      assert.match(markdown, /1 task waits for this one\./);
    });
  });
});
