import { strict as assert } from 'node:assert';
import path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import type { DiagnosticCode } from '../../server/src/engine/diagnostics';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { toLspDiagnostic } from '../../server/src/features/convert';
import { FixtureWorkspace, readText, sharedExamples } from './helpers';

const workspace = new FixtureWorkspace({});

function lspDiagnostics(analysis: DocumentAnalysis, code: DiagnosticCode): Diagnostic[] {
  return analysis.diagnostics.filter((d) => d.code === code).map((d) => toLspDiagnostic(analysis.lines, d));
}

function actionsFor(file: string, text: string, code: DiagnosticCode, index = 0) {
  const analysis = analyzeDocument(file, text);
  const diagnostics = lspDiagnostics(analysis, code);
  assert.ok(diagnostics.length > index, `expected a ${code} diagnostic, found ${analysis.diagnostics.map((d) => d.code).join(', ') || 'none'}`);
  const diagnostic = diagnostics[index];
  return { analysis, diagnostic, actions: provideCodeActions(analysis, diagnostic.range, [diagnostic], workspace) };
}

function applyEdits(analysis: DocumentAnalysis, edits: TextEdit[]): string {
  const sorted = edits.map((e) => ({ start: analysis.lines.offsetAt(e.range.start), end: analysis.lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let text = analysis.text;
  for (const edit of sorted) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return text;
}

function editsOf(action: CodeAction, file: string): TextEdit[] {
  const changes = action.edit?.changes;
  assert.ok(changes, 'the action carries a WorkspaceEdit with changes');
  assert.deepEqual(Object.keys(changes), [workspace.uriOf(file)]);
  return changes[workspace.uriOf(file)];
}

/**
 * Applies the preferred fix for the `index`th `code` diagnostic, checks the
 * action's shape, and returns the fixed text with its new analysis.
 */
function applyPreferred(file: string, text: string, code: DiagnosticCode, expectedTitle: string, index = 0) {
  const { analysis, diagnostic, actions } = actionsFor(file, text, code, index);
  const preferred = actions.filter((a) => a.isPreferred);
  assert.equal(preferred.length, 1, `one preferred fix among ${actions.map((a) => a.title).join(', ')}`);
  const action = preferred[0];
  assert.equal(action.title, expectedTitle);
  assert.equal(action.kind, CodeActionKind.QuickFix);
  assert.deepEqual(action.diagnostics, [diagnostic]);
  const fixed = applyEdits(analysis, editsOf(action, file));
  const after = analyzeDocument(file, fixed);
  const syntax = after.diagnostics.filter((d) => d.code === 'yaml-syntax' || d.code === 'json-syntax');
  assert.deepEqual(syntax, [], 'the fix keeps the document parseable');
  return { fixed, after, before: analysis, actions };
}

function count(analysis: DocumentAnalysis, code: DiagnosticCode): number {
  return analysis.diagnostics.filter((d) => d.code === code).length;
}

const BOARD = `---
title: Payments   # comment survives
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1
        title: Status uses a hyphen
        priority: hihg
        contract:
          status: in-progress  # typo
          deliverables:
            - type: file
              description: the path is missing
      - id: 007
        title: Numeric id
        contract: {status: "redy", deliverables: [{type: file}]}
      - id: task-3
        title: Typos in keys
        contract:
          stauts: ready
          deliverable:
            - type: test
              path: test/x.test.ts
---
`;

const DEPLOYMENT = readText(path.join(sharedExamples, 'deployments/.glassops/deployment-contract.json'));

describe('code actions', () => {
  describe('invalid-enum', () => {
    it('changes a plain status to the suggestion, keeping the comment', () => {
      const { fixed, after, before } = applyPreferred('/ws/brainfile.md', BOARD, 'invalid-enum', 'Change to in_progress', 1);
      assert.match(fixed, /status: in_progress {2}# typo/);
      assert.equal(count(after, 'invalid-enum'), count(before, 'invalid-enum') - 1);
    });

    it('keeps double quotes when the value was quoted, in a flow mapping', () => {
      const { fixed } = applyPreferred('/ws/brainfile.md', BOARD, 'invalid-enum', 'Change to ready', 2);
      assert.match(fixed, /contract: \{status: "ready", deliverables/);
    });

    it('fixes a misspelt priority', () => {
      const { fixed } = applyPreferred('/ws/brainfile.md', BOARD, 'invalid-enum', 'Change to high', 0);
      assert.match(fixed, /priority: high\n/);
    });

    it('offers every other allowed value as a non-preferred fix, quoted like the original', () => {
      const { actions } = actionsFor('/ws/brainfile.md', BOARD, 'invalid-enum', 2);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ['Change to ready', true],
          ['Change to draft', false],
          ['Change to in_progress', false],
          ['Change to delivered', false],
          ['Change to done', false],
          ['Change to failed', false],
          ['Change to reworking', false],
          ['Change to blocked', false],
          ['Change to cancelled', false],
        ],
      );
      assert.equal(actions[3].edit!.changes!['file:///ws/brainfile.md'][0].newText, '"delivered"');
    });

    it('removes every invalid-enum once all three are fixed in turn', () => {
      let text = BOARD;
      for (let i = 0; i < 3; i++) text = applyPreferred('/ws/brainfile.md', text, 'invalid-enum', ['Change to high', 'Change to in_progress', 'Change to ready'][i], 0).fixed;
      assert.equal(count(analyzeDocument('/ws/brainfile.md', text), 'invalid-enum'), 0);
    });

    it('keeps JSON quotes in a deployment status', () => {
      const text = DEPLOYMENT.replace('"Succeeded"', '"Succeded"');
      // The example's meta.engine "sfdx" comes first.
      const { fixed, after } = applyPreferred('/ws/.glassops/deployment-contract.json', text, 'invalid-enum', 'Change to Succeeded', 1);
      assert.match(fixed, /"status": "Succeeded",/);
      assert.ok(!after.diagnostics.some((d) => d.code === 'invalid-enum' && fixed.slice(d.range.start, d.range.end).includes('Succe')));
    });

    it('works on CRLF text', () => {
      const crlf = BOARD.replace(/\n/g, '\r\n');
      const { fixed } = applyPreferred('/ws/brainfile.md', crlf, 'invalid-enum', 'Change to in_progress', 1);
      assert.match(fixed, /status: in_progress {2}# typo\r\n/);
    });

    it('offers no preferred fix without a suggestion, only the allowed values', () => {
      const text = BOARD.replace('in-progress  # typo', 'zzzzzz');
      const analysis = analyzeDocument('/ws/brainfile.md', text);
      const diagnostic = lspDiagnostics(analysis, 'invalid-enum').find((d) => d.data && !(d.data as { replacement?: string }).replacement);
      assert.ok(diagnostic, 'an invalid-enum without a suggestion');
      const actions = provideCodeActions(analysis, diagnostic.range, [diagnostic], workspace);
      assert.equal(actions.filter((a) => a.isPreferred).length, 0);
      assert.equal(actions.length, 9);
    });
  });

  describe('version-mismatch', () => {
    it('offers the published v2 statuses for a draft in a v2 task file (valid, noted)', () => {
      const file = '/p/.brainfile/board/task-1.md';
      const text = '---\nid: task-1\ntitle: T\ncolumn: todo\ncontract:\n  status: draft\n---\n';
      const { analysis, actions } = actionsFor(file, text, 'version-mismatch');
      assert.deepEqual(
        actions.map((a) => a.title),
        ['Change to ready', 'Change to in_progress', 'Change to delivered', 'Change to done', 'Change to failed', 'Change to blocked'],
      );
      const fixed = applyEdits(analysis, editsOf(actions[0], file));
      assert.match(fixed, /status: ready\n/);
      assert.equal(count(analyzeDocument(file, fixed), 'version-mismatch'), 0);
    });
  });

  describe('frontmatter-unopened', () => {
    it('inserts the missing opening --- line, keeping CRLF line ends', () => {
      for (const eol of ['\n', '\r\n']) {
        const text = ['schema: https://brainfile.md/v2/board.json', 'title: T', 'columns:', '  - id: todo', '    title: To Do', '---', '', '# Notes', ''].join(eol);
        const { fixed, after } = applyPreferred('/p/.brainfile/brainfile.md', text, 'frontmatter-unopened', 'Insert the opening --- line');
        assert.equal(fixed, '---' + eol + text);
        assert.deepEqual(after.diagnostics, []);
      }
    });
  });

  describe('deployment quality gate', () => {
    it('sets met to the computed value', () => {
      const { fixed, after } = applyPreferred('/ws/.glassops/deployment-contract.json', DEPLOYMENT, 'coverage-met-mismatch', 'Set met to false');
      assert.match(fixed, /"coverage": \{ "actual": 71\.2, "required": 75, "met": false \}/);
      assert.equal(count(after, 'coverage-met-mismatch'), 0);
    });

    it('sets total to passed + failed', () => {
      const { fixed, after } = applyPreferred('/ws/.glassops/deployment-contract.json', DEPLOYMENT, 'test-count-mismatch', 'Set total to 122');
      assert.match(fixed, /"tests": \{ "total": 122, "passed": 118, "failed": 4 \}/);
      assert.equal(count(after, 'test-count-mismatch'), 0);
    });

    it('works on a CRLF deployment', () => {
      const crlf = DEPLOYMENT.replace(/\n/g, '\r\n');
      const { after } = applyPreferred('/ws/.glassops/deployment-contract.json', crlf, 'test-count-mismatch', 'Set total to 122');
      assert.equal(count(after, 'test-count-mismatch'), 0);
    });
  });

  describe('missing-field', () => {
    it('adds a missing deliverable path in a block mapping', () => {
      const { fixed, after, before } = applyPreferred('/ws/brainfile.md', BOARD, 'missing-field', 'Add missing field path', 0);
      assert.match(fixed, /- path: .+\n {14}type: file\n {14}description: the path is missing/);
      assert.equal(count(after, 'missing-field'), count(before, 'missing-field') - 1);
    });

    it('adds a missing deliverable path in a flow mapping', () => {
      const { fixed, after, before } = applyPreferred('/ws/brainfile.md', BOARD, 'missing-field', 'Add missing field path', 1);
      assert.match(fixed, /deliverables: \[\{ path: [^,]+, ?type: file\}\]/);
      assert.equal(count(after, 'missing-field'), count(before, 'missing-field') - 1);
    });

    it('adds a missing contract status', () => {
      const text = BOARD.replace('          stauts: ready\n', '');
      const { fixed, after } = applyPreferred('/ws/brainfile.md', text, 'missing-field', 'Add missing field status', 2);
      assert.match(fixed, /contract:\n {10}status: draft\n {10}deliverable:/);
      assert.ok(!after.diagnostics.some((d) => d.code === 'missing-field' && d.data?.missingField === 'status'));
    });

    it('adds a missing field to a v2 task file with CRLF lines', () => {
      const file = '/p/.brainfile/board/task-1.md';
      const text = '---\r\nid: task-1\r\ncolumn: todo\r\ncontract:\r\n  status: ready\r\n---\r\n';
      const { fixed, after } = applyPreferred(file, text, 'missing-field', 'Add missing field title');
      assert.match(fixed, /^---\r\ntitle: .*\r\nid: task-1\r\n/);
      assert.equal(count(after, 'missing-field'), 0);
    });

    it('adds a missing top-level section to a deployment as JSON', () => {
      const text = DEPLOYMENT.replace(/,\n {2}"audit": \{[^}]*\}/, '');
      const { fixed, after } = applyPreferred('/ws/.glassops/deployment-contract.json', text, 'missing-field', 'Add missing field audit');
      assert.doesNotThrow(() => JSON.parse(fixed));
      assert.ok(!after.diagnostics.some((d) => d.code === 'missing-field' && d.data?.missingField === 'audit'));
    });

    it('offers nothing when the diagnostic has no insertion', () => {
      const analysis = analyzeDocument('/ws/brainfile.md', BOARD);
      const [d] = lspDiagnostics(analysis, 'missing-field');
      const bare = { ...d, data: { missingField: 'path' } };
      assert.deepEqual(provideCodeActions(analysis, d.range, [bare], workspace), []);
    });
  });

  describe('unknown-field', () => {
    it('renames a misspelt key to the suggestion', () => {
      const { fixed, after } = applyPreferred('/ws/brainfile.md', BOARD, 'unknown-field', 'Rename to status', 0);
      assert.match(fixed, /contract:\n {10}status: ready\n/);
      assert.ok(!after.diagnostics.some((d) => d.code === 'missing-field' && d.data?.missingField === 'status'), 'the rename also satisfies the required status');
    });

    it('renames deliverable to deliverables', () => {
      const { fixed, after, before } = applyPreferred('/ws/brainfile.md', BOARD, 'unknown-field', 'Rename to deliverables', 1);
      assert.match(fixed, /\n {10}deliverables:\n/);
      assert.equal(count(after, 'unknown-field'), count(before, 'unknown-field') - 1);
    });

    it('keeps the quotes of a JSON key', () => {
      const analysis = analyzeDocument('/ws/.glassops/deployment-contract.json', DEPLOYMENT);
      const start = DEPLOYMENT.indexOf('"schemaVersion"');
      const range = { start: analysis.lines.positionAt(start), end: analysis.lines.positionAt(start + '"schemaVersion"'.length) };
      const diagnostic: Diagnostic = { range, code: 'unknown-field', source: 'contracts', message: 'whatever', data: { replacement: 'schemaVersion2' } };
      const [action] = provideCodeActions(analysis, range, [diagnostic], workspace);
      assert.equal(action.title, 'Rename to schemaVersion2');
      assert.equal(editsOf(action, '/ws/.glassops/deployment-contract.json')[0].newText, '"schemaVersion2"');
    });

    it('offers nothing for an unknown key without a suggestion', () => {
      const analysis = analyzeDocument('/ws/brainfile.md', BOARD);
      const [d] = lspDiagnostics(analysis, 'unknown-field');
      assert.deepEqual(provideCodeActions(analysis, d.range, [{ ...d, data: undefined }], workspace), []);
    });
  });

  describe('invalid-type', () => {
    it('quotes a numeric id', () => {
      const { fixed, after, before } = applyPreferred('/ws/brainfile.md', BOARD, 'invalid-type', 'Quote the value');
      assert.match(fixed, /- id: "007"\n/);
      assert.equal(count(after, 'invalid-type'), count(before, 'invalid-type') - 1);
    });

    it('quotes a numeric title in a v2 task file', () => {
      const file = '/p/.brainfile/board/task-1.md';
      const { fixed, after } = applyPreferred(file, '---\nid: task-1\ntitle: 42\ncolumn: todo\ncontract:\n  status: ready\n---\n', 'invalid-type', 'Quote the value');
      assert.match(fixed, /title: "42"/);
      assert.equal(count(after, 'invalid-type'), 0);
    });

    it('quotes a JSON number where a string belongs', () => {
      const text = DEPLOYMENT.replace('"release-bot"', '42');
      const { fixed, after } = applyPreferred('/ws/.glassops/deployment-contract.json', text, 'invalid-type', 'Quote the value');
      assert.match(fixed, /"triggeredBy": "42"/);
      assert.equal(count(after, 'invalid-type'), 0);
    });

    it('offers nothing for a wrong type without a replacement (a list where an object belongs)', () => {
      const text = readText(path.join(sharedExamples, 'board-v1-broken/brainfile.md'));
      const { actions } = actionsFor('/ws/brainfile.md', text, 'invalid-type');
      assert.deepEqual(actions, []);
    });
  });

  describe('input handling', () => {
    it('builds fixes from code and data only, whatever the message says', () => {
      const analysis = analyzeDocument('/ws/brainfile.md', BOARD);
      const [d] = lspDiagnostics(analysis, 'invalid-type');
      const [action] = provideCodeActions(analysis, d.range, [{ ...d, message: 'Der Wert hat den falschen Typ.' }], workspace);
      assert.equal(action.title, 'Quote the value');
    });

    it('ignores diagnostics from other sources and codes without fixes', () => {
      const analysis = analyzeDocument('/ws/brainfile.md', BOARD);
      const [d] = lspDiagnostics(analysis, 'invalid-type');
      assert.deepEqual(provideCodeActions(analysis, d.range, [{ ...d, source: 'yaml' }], workspace), []);
      const duplicate = lspDiagnostics(analyzeDocument('/ws/brainfile.md', BOARD.replace('id: task-3', 'id: task-1')), 'duplicate-id');
      assert.equal(duplicate.length, 1);
      assert.deepEqual(provideCodeActions(analysis, duplicate[0].range, duplicate, workspace), []);
    });

    it('returns one action per diagnostic when several are sent', () => {
      const analysis = analyzeDocument('/ws/.glassops/deployment-contract.json', DEPLOYMENT);
      const diagnostics = [...lspDiagnostics(analysis, 'coverage-met-mismatch'), ...lspDiagnostics(analysis, 'test-count-mismatch')];
      const actions = provideCodeActions(analysis, diagnostics[0].range, diagnostics, workspace);
      assert.deepEqual(
        actions.map((a) => [a.title, a.diagnostics![0].code]),
        [
          ['Set met to false', 'coverage-met-mismatch'],
          ['Set total to 122', 'test-count-mismatch'],
        ],
      );
    });

    it('fixes everything fixable in the broken shared example', () => {
      let text = readText(path.join(sharedExamples, 'board-v1-broken/brainfile.md'));
      for (const [code, title] of [
        ['invalid-enum', 'Change to in_progress'],
        ['missing-field', 'Add missing field path'],
      ] as Array<[DiagnosticCode, string]>) {
        text = applyPreferred('/ws/brainfile.md', text, code, title).fixed;
      }
      const after = analyzeDocument('/ws/brainfile.md', text);
      assert.equal(count(after, 'invalid-enum'), 0);
      assert.ok(!after.diagnostics.some((d) => d.code === 'missing-field' && d.data?.missingField === 'path'));
    });
  });
});
