import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, type CompletionItem, type TextEdit } from 'vscode-languageserver';
import { parse as parseYaml } from 'yaml';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/text';
import { provideCompletions } from '../../server/src/features/completion';
import { FixtureWorkspace, readText, sharedExamples, withCursor } from './helpers';

interface Completed {
  items: CompletionItem[];
  text: string;
  offset: number;
  labels: string[];
}

/** Completions at the `<|>` marker of `file`, in a workspace of that file plus `others`. */
function complete(file: string, textWithCursor: string, others: Record<string, string> = {}, extraPaths: string[] = []): Completed {
  const { text, offset } = withCursor(textWithCursor);
  const ws = new FixtureWorkspace({ ...others, [file]: text }, extraPaths);
  const analysis = ws.get(file);
  const items = provideCompletions(analysis, analysis.lines.positionAt(offset), ws);
  return { items, text, offset, labels: items.map((i) => i.label) };
}

function item(done: Completed, label: string): CompletionItem {
  const found = done.items.find((i) => i.label === label);
  assert.ok(found, `no item ${label} in [${done.labels.join(', ')}]`);
  return found;
}

/** The labels in the order an editor shows them (by sortText, then label). */
function shown(done: Completed): string[] {
  return [...done.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label)).map((i) => i.label);
}

/** Snippet text as it reads once accepted: the first choice, the placeholder text, empty tab stops. */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|((?:[^|\\]|\\.)*?)\|\}/g, (_, choices: string) => choices.split(/(?<!\\),/)[0])
    .replace(/\$\{\d+:((?:[^}\\]|\\.)*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([$}\\,|])/g, '$1');
}

/** The document after accepting `completion`. */
function accept(done: Completed, completion: CompletionItem): string {
  const lines = new LineIndex(done.text);
  const edits = [completion.textEdit as TextEdit, ...(completion.additionalTextEdits ?? [])].map((e) => ({
    start: lines.offsetAt(e.range.start),
    end: lines.offsetAt(e.range.end),
    text: completion.insertTextFormat === 2 && e === completion.textEdit ? expandSnippet(e.newText) : e.newText,
  }));
  let text = done.text;
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

function editText(completion: CompletionItem): string {
  return (completion.textEdit as TextEdit).newText;
}

function replacedText(done: Completed, completion: CompletionItem): string {
  const lines = new LineIndex(done.text);
  const range = (completion.textEdit as TextEdit).range;
  return done.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

function frontMatterOf(text: string): unknown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  assert.ok(match, 'no front matter');
  return parseYaml(match[1]);
}

const BOARD = '/ws/brainfile.md';

/** A v1 board in the style real boards use: comments, flow lists, quoted values. `<|>` goes where {{CURSOR}} is. */
function v1Board(cursorBlock: string, where: 'task-1' | 'columns-end' | 'top' = 'task-1'): string {
  const task1Extra = where === 'task-1' ? cursorBlock : '';
  const columnsEnd = where === 'columns-end' ? cursorBlock : '';
  const top = where === 'top' ? cursorBlock : '';
  return `---
title: Payments Service  # shown in the tree
schema: https://brainfile.md/v1/board.json
${top}columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1
        title: Add idempotency keys to the charge endpoint
        priority: high
        tags: [api, reliability]
${task1Extra}      - id: task-2
        title: "Draft the webhook retry policy"
        contract:
          status: draft
  - id: done
    title: Done
    tasks:
      - id: task-3
        title: 'Remove the legacy client'
        contract: {status: done}
${columnsEnd}---

# Notes
`;
}

describe('completion', () => {
  describe('keys on a v1 board', () => {
    it('offers the missing top-level keys, not the ones present', () => {
      const done = complete(BOARD, v1Board('<|>\n', 'top'));
      for (const key of ['agent', 'rules', 'archive', 'statsConfig', 'protocolVersion', 'type']) assert.ok(done.labels.includes(key), key);
      for (const key of ['title', 'schema', 'columns']) assert.ok(!done.labels.includes(key), key);
      assert.equal(item(done, 'agent').kind, CompletionItemKind.Property);
    });

    it('offers the required keys first in an empty front matter', () => {
      const done = complete(BOARD, '---\n<|>\n---\n');
      assert.deepEqual(shown(done).slice(0, 2), ['title', 'columns']);
      assert.equal(editText(item(done, 'columns')), 'columns:\n  - id: ${1}\n    title: ${2}');
      assert.equal(item(done, 'columns').detail, 'required · list');
    });

    it('documents each key with its schema description in markdown', () => {
      const done = complete(BOARD, v1Board('<|>\n', 'top'));
      const archive = item(done, 'archive');
      assert.deepEqual(archive.documentation, { kind: 'markdown', value: 'Finished tasks taken off the board but kept for reference.' });
    });

    it('offers column keys in a column', () => {
      const done = complete(BOARD, v1Board('  - id: review\n    title: Review\n    <|>\n', 'columns-end'));
      assert.deepEqual(done.labels.sort(), ['order', 'tasks']);
    });

    it('offers task keys in a task, without the keys it has', () => {
      const done = complete(BOARD, v1Board('        <|>\n'));
      for (const key of ['description', 'assignee', 'effort', 'blockedBy', 'dueDate', 'relatedFiles', 'subtasks', 'template', 'contract']) assert.ok(done.labels.includes(key), key);
      for (const key of ['id', 'title', 'priority', 'tags']) assert.ok(!done.labels.includes(key), key);
    });

    it('puts required keys first, then schema order', () => {
      const done = complete(BOARD, v1Board('  - <|>\n', 'columns-end'));
      assert.deepEqual(shown(done).slice(0, 2), ['id', 'title']);
    });

    it('never offers a key twice, nor one written below the cursor', () => {
      const done = complete(BOARD, v1Board('        <|>\n        assignee: codex\n        contract:\n          status: ready\n'));
      assert.equal(new Set(done.labels).size, done.labels.length);
      assert.ok(!done.labels.includes('assignee'));
      assert.ok(!done.labels.includes('contract'));
      assert.ok(!done.labels.includes('priority'));
    });

    it('offers the missing contract keys on an empty line inside contract:', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: file\n              path: src/a.ts\n          <|>\n'));
      assert.deepEqual(done.labels.sort(), ['constraints', 'context', 'feedback', 'maxRetries', 'metrics', 'outOfScope', 'validation', 'version']);
    });

    it('offers deliverable keys after "- " in a list of deliverables', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - <|>\n'));
      assert.deepEqual(shown(done), ['path', 'type', 'description']);
      const type = item(done, 'type');
      assert.equal(editText(type), 'type: ${1}');
    });

    it('offers the remaining deliverable keys under a started deliverable', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: file\n              <|>\n'));
      assert.deepEqual(shown(done), ['path', 'description']);
    });

    it('knows which deliverable it is in when there are several', () => {
      const done = complete(
        BOARD,
        v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: file\n              path: a.ts\n            - path: b.ts\n              <|>\n'),
      );
      assert.deepEqual(shown(done), ['type', 'description']);
    });

    it('offers validation and context keys', () => {
      const validation = complete(BOARD, v1Board('        contract:\n          status: ready\n          validation:\n            <|>\n'));
      assert.deepEqual(validation.labels, ['commands']);
      assert.equal(editText(item(validation, 'commands')), 'commands:\n              - ${1}');
      const context = complete(BOARD, v1Board('        contract:\n          status: ready\n          context:\n            background: Why\n            <|>\n'));
      assert.deepEqual(shown(context), ['relevantFiles', 'outOfScope']);
    });

    it('replaces the partial word typed with the whole key and a value snippet', () => {
      const done = complete(BOARD, v1Board('        contract:\n          sta<|>\n'));
      const status = item(done, 'status');
      assert.equal(replacedText(done, status), 'sta');
      assert.equal(editText(status), 'status: ${1|draft,ready,in_progress,delivered,done,failed,reworking,blocked,cancelled|}');
      assert.equal(status.insertTextFormat, 2);
      const after = accept(done, status);
      assert.match(after, /\n {10}status: draft\n/);
    });

    it('completes only the name when the key already has a colon', () => {
      const done = complete(BOARD, v1Board('        contract:\n          stat<|>us: ready\n'));
      const status = item(done, 'status');
      assert.equal(replacedText(done, status), 'status');
      assert.equal(editText(status), 'status');
    });

    it('indents a list-of-objects snippet for where it is inserted', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          <|>\n'));
      assert.equal(editText(item(done, 'deliverables')), 'deliverables:\n            - type: ${1}\n              path: ${2}');
      assert.equal(item(done, 'deliverables').insertTextMode, 1);
      const after = accept(done, item(done, 'deliverables'));
      const board = frontMatterOf(after) as { columns: Array<{ tasks: Array<{ contract: { deliverables: unknown[] } }> }> };
      assert.deepEqual(board.columns[0].tasks[0].contract.deliverables, [{ type: null, path: null }]);
    });

    it('indents nested snippets after "- " by the item column', () => {
      const done = complete(BOARD, v1Board('', 'task-1').replace('      - id: task-2', '      - <|>\n      - id: task-2'));
      const contract = item(done, 'contract');
      assert.ok(editText(contract).startsWith('contract:\n          status: ${1|draft,'), editText(contract));
    });

    it('uses choice snippets for enums and booleans', () => {
      const done = complete(BOARD, v1Board('        <|>\n'));
      assert.equal(editText(item(done, 'effort')), 'effort: ${1|trivial,small,medium,large,xlarge|}');
      assert.equal(editText(item(done, 'subtasks')), 'subtasks:\n          - id: ${1}\n            title: ${2}\n            completed: ${3|true,false|}');
    });

    it('offers task keys in the archive and rule keys in rules', () => {
      const archive = complete(BOARD, v1Board('archive:\n  - id: task-9\n    <|>\n', 'top'));
      assert.ok(archive.labels.includes('contract'));
      assert.ok(!archive.labels.includes('id'));
      const rules = complete(BOARD, v1Board('rules:\n  <|>\n', 'top'));
      assert.deepEqual(shown(rules), ['always', 'never', 'prefer', 'context']);
      assert.equal(editText(item(rules, 'never')), 'never:\n    - id: ${1}\n      rule: ${2}');
    });

    it('follows the indentation step of the document (4 spaces)', () => {
      const text = '---\ntitle: Wide\ncolumns:\n    - id: todo\n      title: To Do\n      tasks:\n          - id: task-1\n            title: One\n            <|>\n---\n';
      const done = complete(BOARD, text);
      assert.equal(editText(item(done, 'blockedBy')), 'blockedBy:\n                - ${1}');
      assert.ok(editText(item(done, 'contract')).startsWith('contract:\n                status: '));
    });

    it('understands lists written at the same indentation as their key', () => {
      const text = '---\ntitle: Flat\ncolumns:\n- id: todo\n  title: To Do\n  tasks:\n  - id: task-1\n    title: One\n    contract:\n      status: ready\n      deliverables:\n      - path: a.ts\n        <|>\n---\n';
      const done = complete(BOARD, text);
      assert.deepEqual(shown(done), ['type', 'description']);
      const contract = complete(BOARD, text.replace('        <|>\n', '      <|>\n'));
      assert.deepEqual(contract.labels.sort(), ['constraints', 'context', 'feedback', 'maxRetries', 'metrics', 'outOfScope', 'validation', 'version']);
    });

    it('offers the first key of a list item from the word typed after "- "', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - pa<|>\n              type: file\n'));
      assert.deepEqual(done.labels, ['path', 'description']);
      assert.equal(replacedText(done, item(done, 'path')), 'pa');
      assert.equal(editText(item(done, 'path')), 'path: ${1}');
    });

    it('offers a new list item on an empty line at the "- " column', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: file\n              path: a.ts\n            <|>\n'));
      assert.equal(done.items.length, 1);
      assert.equal(editText(done.items[0]), '- type: ${1}\n              path: ${2}');
    });
  });

  describe('contract skeleton', () => {
    it('offers a whole v1 contract under a task that has none', () => {
      const done = complete(BOARD, v1Board('        <|>\n'));
      const contract = item(done, 'contract');
      assert.equal(
        editText(contract),
        [
          'contract:',
          '          status: ${1|draft,ready,in_progress,delivered,done,failed,reworking,blocked,cancelled|}',
          '          deliverables:',
          '            - type: ${2}',
          '              path: ${3}',
          '          validation:',
          '            commands:',
          '              - ${4}',
          '          constraints:',
          '            - ${5}',
        ].join('\n'),
      );
      const after = accept(done, contract);
      const analysis = analyzeDocument(BOARD, after);
      assert.deepEqual(analysis.diagnostics.filter((d) => d.code === 'yaml-syntax'), []);
      assert.equal(analysis.board?.tasks[0].contract?.status, 'draft');
      assert.deepEqual(
        analysis.board?.tasks[0].contract?.node.properties.map((p) => p.key),
        ['status', 'deliverables', 'validation', 'constraints'],
      );
    });

    it('offers the nine statuses in a v2 task file skeleton', () => {
      const done = complete('/ws/.brainfile/board/task-9.md', '---\nid: task-9\ntitle: New task\ncolumn: todo\n<|>\n---\n');
      const contract = item(done, 'contract');
      assert.ok(editText(contract).startsWith('contract:\n  status: ${1|draft,ready,in_progress,delivered,done,failed,reworking,blocked,cancelled|}\n  deliverables:\n    - type: ${2}\n      path: ${3}'), editText(contract));
    });

    it('is not offered when the task has a contract', () => {
      const withContract = complete(BOARD, v1Board('        contract:\n          status: ready\n        <|>\n'));
      assert.ok(!withContract.labels.includes('contract'));
    });
  });

  describe('values', () => {
    it('offers the statuses when typing "status: "', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: <|>\n'));
      assert.deepEqual(shown(done), ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      assert.equal(item(done, 'failed').kind, CompletionItemKind.EnumMember);
      assert.deepEqual(item(done, 'ready').documentation, { kind: 'markdown', value: 'The work is fully defined and waiting for a worker to claim it.' });
      assert.equal(accept(done, item(done, 'in_progress')).includes('          status: in_progress\n'), true);
    });

    it('keeps the lifecycle order with sortText, whatever the labels sort to', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: <|>\n'));
      const sorted = [...done.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
      assert.deepEqual(sorted, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      assert.notDeepEqual([...done.labels].sort(), sorted);
    });

    it('adds the space after "status:" when there is none', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status:<|>\n'));
      assert.equal(editText(item(done, 'ready')), ' ready');
      assert.match(accept(done, item(done, 'ready')), /status: ready\n/);
    });

    it('replaces the partial value, and the rest of the word after the cursor', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: in_<|>prog  # claimed\n'));
      const item1 = item(done, 'in_progress');
      assert.equal(replacedText(done, item1), 'in_prog');
      assert.match(accept(done, item1), /status: in_progress {2}# claimed/);
    });

    it('completes inside quotes without adding quotes', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: "de<|>"\n'));
      assert.equal(editText(item(done, 'delivered')), 'delivered');
      assert.match(accept(done, item(done, 'delivered')), /status: "delivered"\n/);
    });

    it('offers priority and effort in their natural order', () => {
      assert.deepEqual(shown(complete(BOARD, v1Board('        effort: <|>\n'))), ['trivial', 'small', 'medium', 'large', 'xlarge']);
      const priority = complete(BOARD, v1Board('').replace('priority: high', 'priority: <|>'));
      assert.deepEqual(shown(priority), ['low', 'medium', 'high', 'critical']);
      assert.equal(item(priority, 'critical').documentation && (item(priority, 'critical').documentation as { value: string }).value.startsWith('Urgent'), true);
    });

    it("offers a deliverable type's examples", () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: <|>\n'));
      assert.deepEqual(shown(done), ['file', 'test', 'docs', 'refactor']);
    });

    it('offers true and false for booleans', () => {
      const done = complete(BOARD, v1Board('        subtasks:\n          - id: sub-1\n            title: Step\n            completed: <|>\n'));
      assert.deepEqual(shown(done), ['true', 'false']);
    });

    it('offers nothing for free-text values', () => {
      assert.deepEqual(complete(BOARD, v1Board('        description: <|>\n')).items, []);
      assert.deepEqual(complete(BOARD, v1Board('        dueDate: <|>\n')).items, []);
    });
  });

  describe('blockedBy', () => {
    it('offers the other task ids in a flow list, with title and status', () => {
      const done = complete(BOARD, v1Board('        blockedBy: [<|>]\n'));
      assert.deepEqual(done.labels, ['task-2', 'task-3']);
      assert.equal(item(done, 'task-2').detail, 'Draft the webhook retry policy · draft');
      assert.equal(item(done, 'task-3').detail, 'Remove the legacy client · done');
      assert.equal(item(done, 'task-2').kind, CompletionItemKind.Reference);
    });

    it('leaves out ids already listed and the task itself', () => {
      const done = complete(BOARD, v1Board('        blockedBy: [task-2, <|>]\n'));
      assert.deepEqual(done.labels, ['task-3']);
      assert.match(accept(done, done.items[0]), /blockedBy: \[task-2, task-3\]/);
    });

    it('completes a partial id inside the flow list', () => {
      const done = complete(BOARD, v1Board('        blockedBy: [ta<|>, task-2]\n'));
      assert.deepEqual(done.labels, ['task-3']);
      assert.equal(replacedText(done, done.items[0]), 'ta');
    });

    it('offers task ids in dependsOn lists and for parentId too', () => {
      assert.deepEqual(complete(BOARD, v1Board('        dependsOn: [<|>]\n')).labels, ['task-2', 'task-3']);
      assert.deepEqual(complete(BOARD, v1Board('        dependsOn:\n          - task-3\n          - <|>\n')).labels, ['task-2']);
      const parent = complete(BOARD, v1Board('        parentId: <|>\n'));
      assert.deepEqual(parent.labels, ['task-2', 'task-3']);
      assert.match(accept(parent, parent.items[0]), /parentId: task-2\n/);
    });

    it('offers ids in "- " block items', () => {
      const done = complete(BOARD, v1Board('        blockedBy:\n          - task-3\n          - <|>\n'));
      assert.deepEqual(done.labels, ['task-2']);
      const below = complete(BOARD, v1Board('        blockedBy:\n          - <|>\n          - task-2\n'));
      assert.deepEqual(below.labels, ['task-3']);
    });

    it('includes tasks of fenced blocks', () => {
      const text = v1Board('        blockedBy: [<|>]\n') + '\n```yaml\nid: task-40\ntitle: Fenced task\ncontract:\n  status: ready\n```\n';
      const done = complete(BOARD, text);
      assert.deepEqual(done.labels, ['task-2', 'task-3', 'task-40']);
    });

    it('offers the ids of every task file of a v2 board but its own', () => {
      const others = {
        '/ws/.brainfile/brainfile.md': '---\ntitle: V2\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: doing\n    title: Doing\n---\n',
        '/ws/.brainfile/board/task-2.md': '---\nid: task-2\ntitle: Second\ncolumn: todo\ncontract:\n  status: blocked\n---\n',
        '/ws/.brainfile/logs/task-3.md': '---\nid: task-3\ntitle: Third\ncolumn: todo\n---\n',
      };
      const done = complete('/ws/.brainfile/board/task-1.md', '---\nid: task-1\ntitle: First\ncolumn: todo\nblockedBy:\n  - <|>\n---\n', others);
      assert.deepEqual(done.labels.sort(), ['task-2', 'task-3']);
      assert.equal(item(done, 'task-2').detail, 'Second · blocked');
    });
  });

  describe('columns', () => {
    it('offers the column ids in statsConfig.columns', () => {
      const done = complete(BOARD, v1Board('statsConfig:\n  columns: [todo, <|>]\n', 'top'));
      assert.deepEqual(done.labels, ['done']);
      assert.equal(item(done, 'done').detail, 'Done');
    });
  });

  describe('paths', () => {
    const extra = ['/ws/src/charges/routes.ts', '/ws/src/charges/idempotency.ts', '/ws/src/index.ts', '/ws/docs/api.md', '/ws/README.md'];

    it('offers workspace entries in a deliverable path, folders ending with /', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - type: file\n              path: <|>\n'), {}, extra);
      assert.ok(done.labels.includes('src/'));
      assert.ok(done.labels.includes('docs/'));
      assert.ok(done.labels.includes('README.md'));
      assert.ok(!done.labels.includes('src/index.ts'), 'only one level at a time');
      assert.equal(item(done, 'src/').kind, CompletionItemKind.Folder);
      assert.equal(item(done, 'src/').command?.command, 'editor.action.triggerSuggest');
      assert.equal(item(done, 'README.md').kind, CompletionItemKind.File);
    });

    it('filters by the folder typed and replaces the whole typed path', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - path: src/ch<|>\n'), {}, extra);
      assert.deepEqual(done.labels.sort(), ['src/charges/', 'src/index.ts']);
      assert.equal(replacedText(done, item(done, 'src/charges/')), 'src/ch');
      const deeper = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - path: src/charges/<|>\n'), {}, extra);
      assert.deepEqual(deeper.labels.sort(), ['src/charges/idempotency.ts', 'src/charges/routes.ts']);
    });

    it('offers paths in context.relevantFiles and task relatedFiles', () => {
      const relevant = complete(BOARD, v1Board('        contract:\n          status: ready\n          context:\n            relevantFiles:\n              - do<|>\n'), {}, extra);
      assert.ok(relevant.labels.includes('docs/'));
      const related = complete(BOARD, v1Board('        relatedFiles: [src/<|>]\n'), {}, extra);
      assert.ok(related.labels.includes('src/index.ts'));
    });

    it('completes a quoted path inside its quotes', () => {
      const done = complete(BOARD, v1Board('        contract:\n          status: ready\n          deliverables:\n            - path: "docs/<|>"\n'), {}, extra);
      assert.deepEqual(done.labels, ['docs/api.md']);
      assert.match(accept(done, done.items[0]), /path: "docs\/api\.md"\n/);
    });

    it('uses the project folder of a v2 task file', () => {
      const done = complete('/ws/.brainfile/board/task-1.md', '---\nid: task-1\ntitle: First\nrelatedFiles:\n  - <|>\n---\n', {}, ['/ws/lib/a.ts']);
      assert.ok(done.labels.includes('lib/'));
      assert.ok(done.labels.includes('.brainfile/'));
    });
  });

  describe('fenced yaml blocks', () => {
    const fenced = (inner: string) => v1Board('') + '\nSome notes.\n\n```yaml\nid: task-63\ntitle: "Update API documentation"\ncontract:\n' + inner + '```\n';

    it('maps positions into the Markdown file', () => {
      const done = complete(BOARD, fenced('  status: <|>\n'));
      assert.deepEqual(shown(done), ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      const edit = item(done, 'ready').textEdit as TextEdit;
      const line = done.text.split('\n').findIndex((l) => l === '  status: ');
      assert.deepEqual(edit.range.start, { line, character: 10 });
    });

    it('offers contract keys in a fence', () => {
      const done = complete(BOARD, fenced('  status: ready\n  <|>\n'));
      assert.ok(done.labels.includes('deliverables'));
      assert.ok(!done.labels.includes('status'));
      assert.equal(editText(item(done, 'deliverables')), 'deliverables:\n    - type: ${1}\n      path: ${2}');
    });

    it('offers task keys at the top of a fence that has no contract yet', () => {
      const done = complete(BOARD, v1Board('') + '\n```yaml\nid: task-64\ntitle: New\n<|>\n```\n');
      assert.ok(done.labels.includes('contract'));
      assert.ok(!done.labels.includes('id'));
    });

    it('offers nothing in other fences', () => {
      assert.deepEqual(complete(BOARD, v1Board('') + '\n```yaml\nname: ci\non: [push]\n<|>\n```\n').items, []);
      assert.deepEqual(complete(BOARD, v1Board('') + '\n```ts\nconst status = <|>\n```\n').items, []);
    });
  });

  describe('Brainfile v2', () => {
    const config = {
      '/ws/.brainfile/brainfile.md': '---\ntitle: V2\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n  - id: in-progress\n    title: In Progress\n---\n',
    };
    const taskFile = '/ws/.brainfile/board/task-1.md';

    it('offers the nine statuses in v2 too (the official CLI writes draft)', () => {
      const done = complete(taskFile, '---\nid: task-1\ntitle: First\ncolumn: todo\ncontract:\n  status: <|>\n---\n', config);
      assert.deepEqual(shown(done), ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      assert.match((item(done, 'blocked').documentation as { value: string }).value, /feedback/);
    });

    it('offers v2 contract keys and metrics keys', () => {
      const contract = complete(taskFile, '---\nid: task-1\ntitle: First\ncontract:\n  status: ready\n  <|>\n---\n', config);
      for (const key of ['version', 'outOfScope', 'feedback', 'metrics', 'deliverables']) assert.ok(contract.labels.includes(key), key);
      assert.ok(!contract.labels.includes('context'), 'deprecated in v2');
      const metrics = complete(taskFile, '---\nid: task-1\ntitle: First\ncontract:\n  status: ready\n  metrics:\n    pickedUpAt: 2026-11-18T09:12:00Z\n    <|>\n---\n', config);
      assert.deepEqual(shown(metrics), ['deliveredAt', 'validatedAt', 'duration', 'reworkCount']);
      assert.equal(editText(item(metrics, 'reworkCount')), 'reworkCount: ${1:0}');
    });

    it('offers v2 task keys at the top of a task file', () => {
      const done = complete(taskFile, '---\nid: task-1\ntitle: First\n<|>\n---\n', config);
      for (const key of ['column', 'position', 'completedAt', 'type', 'contract']) assert.ok(done.labels.includes(key), key);
    });

    it("offers the board's columns for column", () => {
      const done = complete(taskFile, '---\nid: task-1\ntitle: First\ncolumn: <|>\n---\n', config);
      assert.deepEqual(done.labels, ['todo', 'in-progress']);
      assert.equal(item(done, 'in-progress').detail, 'In Progress');
    });

    it('offers v2 deliverable keys with only path required', () => {
      const done = complete(taskFile, '---\nid: task-1\ntitle: First\ncontract:\n  status: ready\n  <|>\n---\n', config);
      assert.equal(editText(item(done, 'deliverables')), 'deliverables:\n    - type: ${1}\n      path: ${2}');
      assert.equal(item(done, 'deliverables').detail, 'list');
    });

    it('offers v2 board keys in the config', () => {
      const done = complete('/ws/.brainfile/brainfile.md', '---\ntitle: V2\nschema: https://brainfile.md/v2/board.json\n<|>\ncolumns:\n  - id: todo\n    title: To Do\n---\n');
      for (const key of ['strict', 'types', 'agent']) assert.ok(done.labels.includes(key), key);
      assert.ok(!done.labels.includes('columns'));
      const column = complete('/ws/.brainfile/brainfile.md', '---\ntitle: V2\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n    <|>\n---\n');
      assert.deepEqual(column.labels.sort(), ['completionColumn', 'order']);
    });
  });

  describe('deployment JSON', () => {
    const file = '/ws/.glassops/deploy.deployment.json';

    it('offers the missing top-level keys with quoted snippets', () => {
      const done = complete(file, '{\n  "schemaVersion": "1.0",\n  <|>\n}\n');
      assert.deepEqual(shown(done).slice(0, 4), ['meta', 'status', 'quality', 'audit']);
      assert.ok(!done.labels.includes('schemaVersion'));
      assert.equal(editText(item(done, 'status')), '"status": "${1|Succeeded,Failed,Blocked|}"');
      assert.equal(editText(item(done, 'meta')), '"meta": {\n    "adapter": "${1}",\n    "engine": "${2|native,hardis,custom|}",\n    "timestamp": "${3}",\n    "trigger": "${4}"\n  }');
    });

    it('keeps the JSON valid: a comma after when a property follows, and before when one is missing', () => {
      const after = complete(file, '{\n  <|>\n  "schemaVersion": "1.0"\n}\n');
      const status = item(after, 'status');
      assert.ok(editText(status).endsWith(','));
      JSON.parse(accept(after, status));
      const before = complete(file, '{\n  "schemaVersion": "1.0"\n  <|>\n}\n');
      const meta = item(before, 'meta');
      const text = accept(before, meta);
      assert.deepEqual(Object.keys(JSON.parse(text) as object), ['schemaVersion', 'meta']);
    });

    it('completes the key text when the cursor is inside quotes', () => {
      const done = complete(file, '{\n  "schemaVersion": "1.0",\n  "sta<|>"\n}\n');
      const status = item(done, 'status');
      assert.equal(replacedText(done, status), '"sta"');
      assert.equal(status.filterText, '"status"');
      assert.deepEqual(JSON.parse(accept(done, status)), { schemaVersion: '1.0', status: 'Succeeded' });
      const unclosed = complete(file, '{\n  "meta": {\n    "en<|>\n  }\n}\n');
      assert.equal(replacedText(unclosed, item(unclosed, 'engine')), '"en');
    });

    it('inserts the name only when the colon is there', () => {
      const done = complete(file, '{\n  "sta<|>": "Failed"\n}\n');
      assert.equal(editText(item(done, 'status')), '"status"');
      assert.deepEqual(JSON.parse(accept(done, item(done, 'status'))), { status: 'Failed' });
    });

    it('completes an unquoted word as a quoted key', () => {
      const done = complete(file, '{ "schemaVersion": "1.0", au<|> }');
      const audit = item(done, 'audit');
      assert.equal(replacedText(done, audit), 'au');
      assert.equal(audit.filterText, 'audit');
      const parsed = JSON.parse(accept(done, audit)) as { audit: object };
      assert.deepEqual(Object.keys(parsed.audit), ['triggeredBy', 'orgId', 'repository', 'commit']);
    });

    it('offers the audit keys and the quality keys', () => {
      const audit = complete(file, '{\n  "audit": {\n    "triggeredBy": "release-bot"\n    <|>\n  }\n}\n');
      assert.deepEqual(shown(audit), ['orgId', 'repository', 'commit']);
      const after = accept(audit, item(audit, 'commit'));
      assert.deepEqual(JSON.parse(after), { audit: { triggeredBy: 'release-bot', commit: '' } });
      const quality = complete(file, '{ "quality": { <|> } }');
      assert.deepEqual(shown(quality), ['coverage', 'tests']);
    });

    it('offers one-word examples as quoted values', () => {
      const done = complete(file, '{ "meta": { "trigger": <|> } }');
      assert.deepEqual(shown(done), ['push', 'workflow_dispatch']);
      assert.equal(editText(item(done, 'push')), '"push"');
      assert.deepEqual(complete(file, '{ "audit": { "commit": <|> } }').items, [], 'no sample hashes');
    });

    it('offers keys of meta and quality.coverage', () => {
      const meta = complete(file, '{\n  "meta": {\n    "adapter": "native",\n    <|>\n  }\n}\n');
      assert.deepEqual(shown(meta), ['engine', 'timestamp', 'trigger']);
      const coverage = complete(file, '{\n  "quality": {\n    "coverage": { "actual": 80, <|> }\n  }\n}\n');
      assert.deepEqual(shown(coverage), ['required', 'met']);
      assert.equal(editText(item(coverage, 'met')), '"met": ${1|true,false|}');
      assert.equal(editText(item(coverage, 'required')), '"required": ${1:0}');
    });

    it('offers enum values quoted, in order, with their descriptions', () => {
      const done = complete(file, '{\n  "status": <|>\n}\n');
      assert.deepEqual(shown(done), ['Succeeded', 'Failed', 'Blocked']);
      assert.equal(editText(item(done, 'Failed')), '"Failed"');
      assert.match((item(done, 'Blocked').documentation as { value: string }).value, /stopped before it ran/);
      const inString = complete(file, '{\n  "status": "Fa<|>",\n  "audit": {}\n}\n');
      assert.equal(replacedText(inString, item(inString, 'Failed')), '"Fa"');
      assert.equal(item(inString, 'Failed').filterText, '"Failed"');
      assert.deepEqual(JSON.parse(accept(inString, item(inString, 'Failed'))), { status: 'Failed', audit: {} });
      const engine = complete(file, '{ "meta": { "engine": "<|>" } }');
      assert.deepEqual(shown(engine), ['native', 'hardis', 'custom']);
    });

    it('adds a comma after a value when another property follows', () => {
      const done = complete(file, '{\n  "status": <|>\n  "schemaVersion": "1.0"\n}\n');
      assert.equal(editText(item(done, 'Succeeded')), '"Succeeded",');
      JSON.parse(accept(done, item(done, 'Succeeded')));
    });

    it('offers true and false, unquoted', () => {
      const done = complete(file, '{ "quality": { "coverage": { "met": <|> } } }');
      assert.deepEqual(shown(done), ['true', 'false']);
      assert.equal(editText(item(done, 'true')), 'true');
    });

    it('offers an object skeleton as a value', () => {
      const done = complete(file, '{\n  "quality": <|>\n}\n');
      assert.equal(done.items.length, 1);
      const parsed = JSON.parse(accept(done, done.items[0])) as { quality: { coverage: object; tests: object } };
      assert.deepEqual(Object.keys(parsed.quality.coverage), ['actual', 'required', 'met']);
      assert.deepEqual(Object.keys(parsed.quality.tests), ['total', 'passed', 'failed']);
    });

    it('offers a whole document in an empty file', () => {
      const done = complete(file, '<|>');
      assert.equal(done.items.length, 1);
      const parsed = JSON.parse(accept(done, done.items[0])) as object;
      assert.deepEqual(Object.keys(parsed), ['meta', 'status', 'quality', 'audit']);
      const analysis = analyzeDocument(file, accept(done, done.items[0]));
      assert.deepEqual(analysis.diagnostics.filter((d) => d.code === 'json-syntax' || d.code === 'invalid-enum'), []);
    });

    it('offers nothing outside the root object or in a number', () => {
      assert.deepEqual(complete(file, '{ "status": "Failed" }\n<|>').items, []);
      assert.deepEqual(complete(file, '{ "quality": { "coverage": { "actual": 8<|>0 } } }').items, []);
    });
  });

  describe('on the shared examples', () => {
    /** Every file of an example folder, keyed by a /ws/... path that keeps its layout. */
    function exampleFiles(folder: string): Record<string, string> {
      const files: Record<string, string> = {};
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const full = path.join(dir, name);
          if (statSync(full).isDirectory()) walk(full);
          else files['/ws/' + path.relative(sharedExamples, full).split(path.sep).join('/')] = readText(full);
        }
      };
      walk(path.join(sharedExamples, folder));
      return files;
    }

    /**
     * The labels offered with the cursor at the start of each written status
     * (`status: |ready`, `"status": |"Failed"`), checking that accepting the
     * last one replaces the written value.
     */
    function statusOffers(ws: FixtureWorkspace): Map<string, string[][]> {
      const offers = new Map<string, string[][]>();
      for (const [file, analysis] of ws.analyses) {
        const pattern = /^(\s*"?status"?\s*:\s*)/gm;
        for (let match = pattern.exec(analysis.text); match; match = pattern.exec(analysis.text)) {
          const offset = match.index + match[1].length;
          const items = provideCompletions(analysis, analysis.lines.positionAt(offset), ws);
          offers.set(file, [...(offers.get(file) ?? []), items.map((i) => i.label)]);
          const last = items[items.length - 1];
          const after = accept({ items, text: analysis.text, offset, labels: [] }, last);
          const line = after.slice(match.index).split(/\r?\n/)[0];
          assert.match(line, new RegExp(`status"?: "?${last.label}"?,?( |$)`), line);
          if (analysis.kind === 'deployment') JSON.parse(after);
        }
      }
      return offers;
    }

    for (const folder of ['board-v1', 'board-v1-broken', 'board-v2', 'deployments']) {
      it(`never throws at any offset of ${folder}`, () => {
        const ws = new FixtureWorkspace(exampleFiles(folder));
        for (const analysis of ws.analyses.values()) {
          for (let offset = 0; offset <= analysis.text.length; offset++) {
            assert.ok(Array.isArray(provideCompletions(analysis, analysis.lines.positionAt(offset), ws)));
          }
        }
      });
    }

    it('offers the statuses of the right version at every status', () => {
      const v1 = statusOffers(new FixtureWorkspace(exampleFiles('board-v1')));
      const v1Offers = [...v1.values()].flat();
      assert.ok(v1Offers.length >= 7);
      for (const labels of v1Offers) assert.deepEqual(labels, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      const v2 = statusOffers(new FixtureWorkspace(exampleFiles('board-v2')));
      const v2Offers = [...v2.entries()].filter(([file]) => file.includes('/board/')).flatMap(([, o]) => o);
      assert.ok(v2Offers.length >= 2);
      for (const labels of v2Offers) assert.deepEqual(labels, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed', 'reworking', 'blocked', 'cancelled']);
      const deployments = [...statusOffers(new FixtureWorkspace(exampleFiles('deployments'))).values()].flat();
      assert.ok(deployments.length >= 2);
      for (const labels of deployments) assert.deepEqual(labels, ['Succeeded', 'Failed', 'Blocked']);
    });
  });

  describe('robustness', () => {
    it('completes in broken YAML from the cursor line and indentation', () => {
      // The tab and the unclosed flow list make the front matter unparseable.
      const text = v1Board('        contract:\n          status: ready\n          <|>\n').replace('tags: [api, reliability]', 'tags: [api, reliability\n\tbad: x');
      const done = complete(BOARD, text);
      assert.ok(done.labels.includes('deliverables'), done.labels.join(', '));
      assert.ok(!done.labels.includes('status'));
    });

    it('still offers statuses while the rest of the line is half-typed', () => {
      const done = complete(BOARD, '---\ntitle: B\ncolumns:\n  - id: todo\n    title: T\n    tasks:\n      - id: task-1\n        title: x\n        contract:\n          status: <|>\n          deliverables:\n            - type\n---\n');
      assert.equal(done.labels[0], 'draft');
    });

    it('completes in an unclosed front matter', () => {
      const done = complete(BOARD, '---\ntitle: B\ncolumns:\n  - id: todo\n    title: T\n    tasks:\n      - id: task-1\n        title: x\n        contract:\n          <|>');
      assert.ok(done.labels.includes('status'));
    });

    it('handles CRLF line endings', () => {
      const text = v1Board('        contract:\n          status: ready\n          <|>\n').replace(/\n/g, '\r\n');
      const done = complete(BOARD, text);
      assert.deepEqual(done.labels.sort(), ['constraints', 'context', 'deliverables', 'feedback', 'maxRetries', 'metrics', 'outOfScope', 'validation', 'version']);
      const values = complete(BOARD, v1Board('        effort: <|>\n').replace(/\n/g, '\r\n'));
      assert.equal(values.labels.length, 5);
    });

    it('offers nothing in comments, block scalars, the Markdown body or delimiters', () => {
      assert.deepEqual(complete(BOARD, v1Board('        # note <|>\n')).items, []);
      assert.deepEqual(complete(BOARD, v1Board('        description: |\n          Some text\n          <|>\n')).items, []);
      assert.deepEqual(complete(BOARD, v1Board('').replace('# Notes', '# Notes <|>')).items, []);
      assert.deepEqual(complete(BOARD, v1Board('').replace('---\n\n# Notes', '--<|>-\n\n# Notes')).items, []);
      assert.deepEqual(complete('/ws/notes.md', '---\ntitle: x\n<|>\n---\n').items, []);
    });

    it('never throws, at any offset of broken documents', () => {
      const broken = [
        v1Board('        contract:\n          status: [ready\n          deliverables:\n            - : x\n          "unterminated: \n'),
        '---\ncolumns:\n- id: a\n  tasks:\n  - - - x\n    -\n  - {a: [b, c\n---\n',
        '---\n\t- x: y\n: :\n- - :\n---\n```yaml\ncontract:\n  status: "\n```\n',
        '{ "meta": { "engine": [ , ], "": }, "status": "Su',
        '',
      ];
      const files = [BOARD, BOARD, BOARD, '/ws/.glassops/x.deployment.json', '/ws/.glassops/y.deployment.json'];
      broken.forEach((text, i) => {
        const ws = new FixtureWorkspace({ [files[i]]: text }, ['/ws/src/a.ts']);
        const analysis = ws.get(files[i]);
        for (let offset = 0; offset <= text.length; offset++) {
          const items = provideCompletions(analysis, analysis.lines.positionAt(offset), ws);
          assert.ok(Array.isArray(items));
        }
      });
    });
  });
});
