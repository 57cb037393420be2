import { strict as assert } from 'node:assert';
import path from 'node:path';
import { SymbolKind, type CodeLens, type DocumentSymbol, type Range } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../../server/src/engine/analyze';
import { provideCodeLenses, type TaskLensArguments } from '../../server/src/features/codeLens';
import { provideDefinition } from '../../server/src/features/definition';
import { provideDocumentLinks } from '../../server/src/features/documentLinks';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { FixtureWorkspace, readText, sharedExamples } from './helpers';

function textIn(analysis: DocumentAnalysis, range: Range): string {
  return analysis.text.slice(analysis.lines.offsetAt(range.start), analysis.lines.offsetAt(range.end));
}

const KIND_NAMES = new Map<number, string>(Object.entries(SymbolKind).map(([name, value]) => [value as number, name]));

/** A symbol tree as `name | detail | kind` lines, indented by depth. */
function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name} | ${s.detail ?? ''} | ${KIND_NAMES.get(s.kind)}`, ...outline(s.children ?? [], depth + 1)]);
}

function allSymbols(symbols: DocumentSymbol[]): DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...allSymbols(s.children ?? [])]);
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** VS Code rejects symbols whose selection is outside the range; children should nest too. */
function assertWellFormed(symbols: DocumentSymbol[], parent?: DocumentSymbol): void {
  for (const s of symbols) {
    assert.ok(s.name.length > 0, 'names are not empty');
    assert.ok(contains(s.range, s.selectionRange), `${s.name}: selectionRange inside range`);
    if (parent) assert.ok(contains(parent.range, s.range), `${s.name} inside ${parent.name}`);
    assertWellFormed(s.children ?? [], s);
  }
}

function find(symbols: DocumentSymbol[], name: string): DocumentSymbol {
  const found = allSymbols(symbols).find((s) => s.name === name);
  assert.ok(found, `no symbol ${name}`);
  return found;
}

const BOARD = `---
# Payments board
title: "Payments"
columns:
  - id: todo
    title: To Do
    tasks:
      - id: task-1   # first
        title: 'Add idempotency keys'
        relatedFiles: [src/charges/routes.ts, "docs/missing.md"]
        contract:
          status: ready  # since Monday
          deliverables:
            - {type: file, path: "src/charges/idempotency.ts"}
            - type: test
              path: 'test/charges/idempotency.test.ts'
            - type: refactor
              path: src/legacy/
          context:
            relevantFiles:
              - src/charges/routes.ts
              - src/**/*.ts
  - id: in-progress
    title: In Progress
    tasks:
      - id: task-2
        title: Rate-limit
        blockedBy: [task-1, "task-9"]
        contract: {status: in_progress, deliverables: [{type: file, path: src/rateLimiter.ts}]}
      - id: task-3
        title: Without a contract
        blockedBy:
          - 'task-2'
archive:
  - id: task-0
    title: Old work
    contract:
      status: done
---

# Notes

Some prose.

\`\`\`yaml
id: task-50
title: Example
blockedBy:
  - task-2
contract:
  status: draft
\`\`\`

\`\`\`yaml
id: task-51
title: Another example
contract:
  status: in-progress
\`\`\`
`;

const EXISTING = ['/ws/src/charges/routes.ts', '/ws/src/charges/idempotency.ts', '/ws/test/charges/idempotency.test.ts', '/ws/src/legacy/old.ts', '/ws/src/rateLimiter.ts'];

const V2 = {
  '/p/.brainfile/brainfile.md': readText(path.join(sharedExamples, 'board-v2/.brainfile/brainfile.md')),
  '/p/.brainfile/board/task-10.md': readText(path.join(sharedExamples, 'board-v2/.brainfile/board/task-10.md')),
  '/p/.brainfile/board/task-11.md': readText(path.join(sharedExamples, 'board-v2/.brainfile/board/task-11.md')),
  '/p/.brainfile/board/task-12.md': '---\nid: task-12\ntitle: Show auth status\ncolumn: todo\nblockedBy: [task-10, task-11, task-99]\nrelatedFiles:\n  - "src/auth/token.ts"\ncontract:\n  status: ready\n  deliverables:\n    - path: src/auth/status.ts\n---\n',
};
const V2_EXISTING = ['/p/src/events/stream.ts', '/p/src/auth/token.ts'];

const DEPLOYMENT = readText(path.join(sharedExamples, 'deployments/.glassops/glassops-contract.json'));

describe('document symbols', () => {
  it('outlines a v1 board: columns, tasks, contracts, deliverables, archive and fenced notes', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD });
    const symbols = provideDocumentSymbols(ws.get('/ws/brainfile.md'));
    assert.deepEqual(outline(symbols), [
      'Payments | Brainfile v1 | Module',
      '  To Do | todo · 1 task | Namespace',
      '    task-1 Add idempotency keys | ready | Object',
      '      contract | ready | Interface',
      '        src/charges/idempotency.ts | file | File',
      '        test/charges/idempotency.test.ts | test | File',
      '        src/legacy/ | refactor | File',
      '  In Progress | in-progress · 2 tasks | Namespace',
      '    task-2 Rate-limit | in_progress | Object',
      '      contract | in_progress | Interface',
      '        src/rateLimiter.ts | file | File',
      '    task-3 Without a contract |  | Object',
      '  Archive | 1 task | Namespace',
      '    task-0 Old work | done | Object',
      '      contract | done | Interface',
      'Notes | 2 fenced tasks | Namespace',
      '  task-50 Example | draft | Object',
      '    contract | draft | Interface',
      '  task-51 Another example | in-progress | Object',
      '    contract | in-progress | Interface',
    ]);
    assertWellFormed(symbols);
  });

  it('gives exact ranges and selection ranges', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD });
    const analysis = ws.get('/ws/brainfile.md');
    const symbols = provideDocumentSymbols(analysis);
    const board = symbols[0];
    assert.deepEqual(board.range, { start: { line: 0, character: 0 }, end: { line: 38, character: 3 } });
    assert.equal(textIn(analysis, board.selectionRange), '"Payments"');

    const column = find(symbols, 'To Do');
    assert.equal(textIn(analysis, column.selectionRange), 'To Do');
    assert.match(textIn(analysis, column.range), /^id: todo\n[\s\S]*- src\/\*\*\/\*\.ts$/);

    const task = find(symbols, 'task-1 Add idempotency keys');
    assert.equal(textIn(analysis, task.selectionRange), 'task-1');
    assert.deepEqual(task.selectionRange, { start: { line: 7, character: 12 }, end: { line: 7, character: 18 } });
    assert.match(textIn(analysis, task.range), /^id: task-1 {3}# first\n[\s\S]*- src\/\*\*\/\*\.ts$/);

    const contract = task.children![0];
    assert.equal(textIn(analysis, contract.selectionRange), 'contract');
    assert.match(textIn(analysis, contract.range), /^contract:\n {10}status: ready[\s\S]*\*\.ts$/);

    const [flowDeliverable, quoted] = contract.children!;
    assert.equal(textIn(analysis, flowDeliverable.range), '{type: file, path: "src/charges/idempotency.ts"}');
    assert.equal(textIn(analysis, flowDeliverable.selectionRange), '"src/charges/idempotency.ts"');
    assert.equal(textIn(analysis, quoted.selectionRange), "'test/charges/idempotency.test.ts'");

    const flowContract = find(symbols, 'task-2 Rate-limit').children![0];
    assert.equal(textIn(analysis, flowContract.range), 'contract: {status: in_progress, deliverables: [{type: file, path: src/rateLimiter.ts}]}');

    const archive = find(symbols, 'Archive');
    assert.equal(textIn(analysis, archive.selectionRange), 'archive');
    assert.match(textIn(analysis, archive.range), /^archive:\n[\s\S]*status: done$/);

    const notes = symbols[1];
    assert.match(textIn(analysis, notes.range), /^```yaml\nid: task-50[\s\S]*status: in-progress\n```$/);
    assert.equal(textIn(analysis, notes.selectionRange), '```yaml');
    assert.equal(textIn(analysis, find(symbols, 'task-50 Example').selectionRange), 'task-50');
  });

  it('keeps ranges right on CRLF lines', () => {
    const crlf = BOARD.replace(/\n/g, '\r\n');
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': crlf });
    const analysis = ws.get('/ws/brainfile.md');
    const symbols = provideDocumentSymbols(analysis);
    const task = find(symbols, 'task-1 Add idempotency keys');
    assert.deepEqual(task.selectionRange, { start: { line: 7, character: 12 }, end: { line: 7, character: 18 } });
    assert.deepEqual(symbols[0].range, { start: { line: 0, character: 0 }, end: { line: 38, character: 3 } });
    assert.equal(textIn(analysis, find(symbols, 'task-51 Another example').children![0].selectionRange), 'contract');
    assertWellFormed(symbols);
  });

  it('outlines the shared v1 example and the broken one without throwing', () => {
    const ws = new FixtureWorkspace({
      '/a/brainfile.md': readText(path.join(sharedExamples, 'board-v1/brainfile.md')),
      '/b/brainfile.md': readText(path.join(sharedExamples, 'board-v1-broken/brainfile.md')),
    });
    const good = provideDocumentSymbols(ws.get('/a/brainfile.md'));
    assert.equal(good[0].name, 'Payments Service');
    assert.deepEqual(
      good[0].children!.map((c) => c.name),
      ['To Do', 'In Progress', 'Review', 'Done'],
    );
    assert.equal(find(good, 'task-7 Write the on-call runbook').detail, undefined);
    assertWellFormed(good);

    const broken = provideDocumentSymbols(ws.get('/b/brainfile.md'));
    assert.equal(find(broken, 'task-4 Contract written as a list').children![0].detail, 'not a mapping');
    assert.equal(find(broken, 'task-5 No status at all').detail, 'no status');
    assert.equal(find(broken, 'task-1 Status uses a hyphen instead of an underscore').detail, 'in-progress');
    assertWellFormed(broken);
  });

  it('outlines a v2 task file as its task and contract', () => {
    const ws = new FixtureWorkspace(V2);
    const analysis = ws.get('/p/.brainfile/board/task-10.md');
    const symbols = provideDocumentSymbols(analysis);
    assert.deepEqual(outline(symbols), [
      'task-10 Stream tool-call events to the dashboard | in_progress | Object',
      '  contract | in_progress | Interface',
      '    src/events/stream.ts | file | File',
      '    test/events/stream.test.ts | test | File',
    ]);
    assert.equal(textIn(analysis, symbols[0].selectionRange), 'task-10');
    assertWellFormed(symbols);
    assert.deepEqual(outline(provideDocumentSymbols(ws.get('/p/.brainfile/board/task-11.md'))), [
      'task-11 Wait for the auth team\'s token format | blocked | Object',
      '  contract | blocked | Interface',
      '    src/auth/token.ts |  | File',
    ]);
  });

  it('outlines a v2 board config as its columns', () => {
    const ws = new FixtureWorkspace(V2);
    assert.deepEqual(outline(provideDocumentSymbols(ws.get('/p/.brainfile/brainfile.md'))), [
      'Agent Platform | Brainfile v2 | Module',
      '  To Do | todo | Namespace',
      '  In Progress | in-progress | Namespace',
      '  Review | review | Namespace',
      '  Blocked | blocked | Namespace',
    ]);
  });

  it('outlines a deployment: status, meta, quality with its gate, audit', () => {
    const ws = new FixtureWorkspace({ '/ws/.glassops/deploy.deployment.json': DEPLOYMENT });
    const analysis = ws.get('/ws/.glassops/deploy.deployment.json');
    const symbols = provideDocumentSymbols(analysis);
    assert.deepEqual(outline(symbols), [
      'schemaVersion | 1.0 | String',
      'meta |  | Module',
      '  adapter | native | String',
      '  engine | hardis | String',
      '  timestamp | 2026-11-20T18:04:11Z | String',
      '  trigger | push | String',
      'status | Succeeded | String',
      'quality |  | Module',
      '  coverage | 86.4% of 80% required | Module',
      '    actual | 86.4 | Number',
      '    required | 80 | Number',
      '    met | true | Boolean',
      '  tests | 412 passed, 0 failed of 412 | Module',
      '    total | 412 | Number',
      '    passed | 412 | Number',
      '    failed | 0 | Number',
      'audit |  | Module',
      '  triggeredBy | octo-dev | String',
      '  orgId | 00D5g000004XyZ | String',
      '  repository | acme/payments-sf | String',
      '  commit | 9fceb02d0ae598e95dc970b74767f19372d61af8 | String',
    ]);
    const status = find(symbols, 'status');
    assert.equal(textIn(analysis, status.range), '"status": "Succeeded"');
    assert.equal(textIn(analysis, status.selectionRange), '"status"');
    assert.match(textIn(analysis, find(symbols, 'quality').range), /^"quality": \{[\s\S]*\}$/);
    assertWellFormed(symbols);
  });

  it('returns nothing for other files and for a deployment that is not an object', () => {
    const ws = new FixtureWorkspace({ '/ws/notes.md': BOARD, '/ws/.glassops/x.deployment.json': '[1, 2]' });
    assert.deepEqual(provideDocumentSymbols(ws.get('/ws/notes.md')), []);
    assert.deepEqual(provideDocumentSymbols(ws.get('/ws/.glassops/x.deployment.json')), []);
  });
});

describe('go to definition', () => {
  function definitionAt(file: string, files: Record<string, string>, needle: string, shift = 0) {
    const ws = new FixtureWorkspace(files);
    const analysis = ws.get(file);
    const offset = analysis.text.indexOf(needle) + shift;
    assert.ok(offset >= shift, `no ${needle}`);
    return { ws, location: provideDefinition(analysis, analysis.lines.positionAt(offset), ws) };
  }

  it('jumps from a blockedBy id in a flow list to the task id', () => {
    const { ws, location } = definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': BOARD }, 'task-1, ', 3);
    assert.ok(location);
    assert.equal(location.uri, 'file:///ws/brainfile.md');
    assert.deepEqual(location.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 18 } });
    assert.equal(textIn(ws.get('/ws/brainfile.md'), location.range), 'task-1');
  });

  it('jumps from a dependsOn id and a parentId to the task they name', () => {
    const board = BOARD.replace('blockedBy: [task-1, "task-9"]', 'blockedBy: [task-1, "task-9"]\n        dependsOn: [task-1]\n        parentId: task-1');
    for (const [needle, shift] of [['dependsOn: [task-1', 12], ['parentId: task-1', 11]] as const) {
      const { ws, location } = definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': board }, needle, shift);
      assert.ok(location, needle);
      assert.equal(textIn(ws.get('/ws/brainfile.md'), location.range), 'task-1');
      assert.equal(location.range.start.line, 7);
    }
  });

  it('jumps from a quoted id in a block list, and from a fenced block to the board task', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD });
    const analysis = ws.get('/ws/brainfile.md');
    for (const needle of ["'task-2'", '  - task-2\n']) {
      const offset = analysis.text.indexOf(needle) + 4;
      const location = provideDefinition(analysis, analysis.lines.positionAt(offset), ws);
      assert.ok(location, needle);
      assert.equal(textIn(analysis, location.range), 'task-2');
      assert.equal(location.range.start.line, 25);
    }
  });

  it('returns null for an unknown id and away from blockedBy', () => {
    assert.equal(definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': BOARD }, '"task-9"', 2).location, null);
    assert.equal(definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': BOARD }, 'id: task-2', 5).location, null);
    assert.equal(definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': BOARD }, 'blockedBy', 2).location, null);
  });

  it('jumps across v2 task files', () => {
    const { ws, location } = definitionAt('/p/.brainfile/board/task-12.md', V2, 'task-11,', 6);
    assert.ok(location);
    assert.equal(location.uri, 'file:///p/.brainfile/board/task-11.md');
    assert.deepEqual(location.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 11 } });
    assert.equal(textIn(ws.get('/p/.brainfile/board/task-11.md'), location.range), 'task-11');
    assert.equal(definitionAt('/p/.brainfile/board/task-12.md', V2, 'task-99').location, null);
  });

  it('works on CRLF text', () => {
    const { location } = definitionAt('/ws/brainfile.md', { '/ws/brainfile.md': BOARD.replace(/\n/g, '\r\n') }, 'task-1, ');
    assert.deepEqual(location?.range, { start: { line: 7, character: 12 }, end: { line: 7, character: 18 } });
  });
});

describe('document links', () => {
  it('links existing deliverable paths, relevant files and related files, inside quotes', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD }, EXISTING);
    const analysis = ws.get('/ws/brainfile.md');
    const links = provideDocumentLinks(analysis, ws);
    assert.deepEqual(
      links.map((l) => [textIn(analysis, l.range), l.target, l.range.start.line]),
      [
        ['src/charges/routes.ts', 'file:///ws/src/charges/routes.ts', 9],
        ['src/charges/idempotency.ts', 'file:///ws/src/charges/idempotency.ts', 13],
        ['test/charges/idempotency.test.ts', 'file:///ws/test/charges/idempotency.test.ts', 15],
        ['src/charges/routes.ts', 'file:///ws/src/charges/routes.ts', 20],
        ['src/rateLimiter.ts', 'file:///ws/src/rateLimiter.ts', 28],
      ],
    );
    const quoted = links.find((l) => textIn(analysis, l.range) === 'src/charges/idempotency.ts')!;
    assert.deepEqual(quoted.range, { start: { line: 13, character: 34 }, end: { line: 13, character: 60 } });
    assert.equal(quoted.tooltip, 'Open src/charges/idempotency.ts');
  });

  it('skips missing files, folders and globs', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': BOARD }, EXISTING);
    const analysis = ws.get('/ws/brainfile.md');
    const texts = provideDocumentLinks(analysis, ws).map((l) => textIn(analysis, l.range));
    for (const absent of ['docs/missing.md', 'src/legacy/', 'src/**/*.ts']) assert.ok(!texts.includes(absent), absent);
    assert.deepEqual(provideDocumentLinks(new FixtureWorkspace({ '/ws/brainfile.md': BOARD }).get('/ws/brainfile.md'), new FixtureWorkspace({})), []);
  });

  it('resolves v2 paths against the folder holding .brainfile', () => {
    const ws = new FixtureWorkspace(V2, V2_EXISTING);
    const task10 = ws.get('/p/.brainfile/board/task-10.md');
    assert.deepEqual(
      provideDocumentLinks(task10, ws).map((l) => [textIn(task10, l.range), l.target, l.range.start.line]),
      [
        ['src/events/stream.ts', 'file:///p/src/events/stream.ts', 7],
        ['src/events/stream.ts', 'file:///p/src/events/stream.ts', 13],
      ],
    );
    const task12 = ws.get('/p/.brainfile/board/task-12.md');
    const [related] = provideDocumentLinks(task12, ws);
    assert.equal(textIn(task12, related.range), 'src/auth/token.ts');
    assert.equal(related.target, 'file:///p/src/auth/token.ts');
  });

  it('keeps ranges right on CRLF lines and normalizes ./ paths', () => {
    const text = BOARD.replace(/\n/g, '\r\n').replace('path: src/rateLimiter.ts', 'path: ./src/rateLimiter.ts');
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': text }, EXISTING);
    const analysis = ws.get('/ws/brainfile.md');
    const link = provideDocumentLinks(analysis, ws).find((l) => l.target === 'file:///ws/src/rateLimiter.ts')!;
    assert.equal(textIn(analysis, link.range), './src/rateLimiter.ts');
    assert.equal(link.range.start.line, 28);
  });

  it('links fenced task deliverables in the shared example', () => {
    const ws = new FixtureWorkspace({ '/ws/brainfile.md': readText(path.join(sharedExamples, 'board-v1/brainfile.md')) }, ['/ws/docs/api-v2.md', '/ws/src/routes/api.ts']);
    const analysis = ws.get('/ws/brainfile.md');
    const links = provideDocumentLinks(analysis, ws);
    assert.deepEqual(
      links.map((l) => [textIn(analysis, l.range), l.range.start.line]),
      [
        ['docs/api-v2.md', 71],
        ['docs/api-v2.md', 110],
        ['src/routes/api.ts', 121],
      ],
    );
  });
});

describe('code lenses', () => {
  const uriWorkspace = new FixtureWorkspace({});

  function lensesOf(file: string, text: string, documentVersion?: number) {
    const ws = new FixtureWorkspace({ [file]: text });
    const analysis = ws.get(file);
    return { analysis, lenses: provideCodeLenses(analysis, uriWorkspace, documentVersion) };
  }

  function summary(lenses: CodeLens[]): string[] {
    return lenses.map((l) => `${l.range.start.line}: ${l.command!.title} [${l.command!.command}]`);
  }

  it('puts a status lens and one lens per allowed move on each contract line', () => {
    const { lenses, analysis } = lensesOf('/ws/brainfile.md', BOARD);
    assert.deepEqual(summary(lenses), [
      '10: ● ready [contracts.openTask]',
      '10: Claim [contracts.claim]',
      '28: ● in_progress [contracts.openTask]',
      '28: ▶ Validate, dry run (0 commands) [contracts.runValidation]',
      '28: Deliver [contracts.deliver]',
      '28: Block [contracts.block]',
      '36: ● done [contracts.openTask]',
      '49: ● draft [contracts.openTask]',
      '49: Publish [contracts.publish]',
      '56: ⚠ unknown status "in-progress" (Brainfile v1 allows draft, ready, in_progress, delivered, done, failed, reworking, blocked, cancelled) []',
    ]);
    assert.equal(textIn(analysis, lenses[0].range), 'contract');
    assert.equal(textIn(analysis, lenses[2].range), 'contract');
  });

  it('passes uri, task id and status (and the document version when known) to each command', () => {
    const { lenses } = lensesOf('/ws/brainfile.md', BOARD, 7);
    const claim = lenses.find((l) => l.command!.command === 'contracts.claim')!;
    const expected: TaskLensArguments = { uri: 'file:///ws/brainfile.md', taskId: 'task-1', status: 'ready', version: 7 };
    assert.deepEqual(claim.command!.arguments, [expected]);
    assert.deepEqual(lensesOf('/ws/brainfile.md', BOARD).lenses[0].command!.arguments, [{ uri: 'file:///ws/brainfile.md', taskId: 'task-1', status: 'ready' }]);
  });

  it('offers to run the validation of a delivered contract, with the same arguments', () => {
    const { lenses } = lensesOf('/ws/brainfile.md', readText(path.join(sharedExamples, 'board-v1/brainfile.md')), 3);
    const validate = lenses.filter((l) => l.command!.command === 'contracts.runValidation');
    assert.deepEqual(
      validate.map((l) => l.command!.title),
      ['▶ Validate, dry run (1 command)', '▶ Validate (1 command)'],
    );
    const expected: TaskLensArguments = { uri: 'file:///ws/brainfile.md', taskId: 'task-4', status: 'delivered', version: 3 };
    assert.deepEqual(validate[1].command!.arguments, [expected]);
  });

  it('says so when a contract has no status, an invalid one, or is not a mapping', () => {
    const { lenses } = lensesOf('/ws/brainfile.md', readText(path.join(sharedExamples, 'board-v1-broken/brainfile.md')));
    assert.deepEqual(summary(lenses), [
      '8: ⚠ unknown status "in-progress" (Brainfile v1 allows draft, ready, in_progress, delivered, done, failed, reworking, blocked, cancelled) []',
      '12: ● ready [contracts.openTask]',
      '12: Claim [contracts.claim]',
      '19: ● ready [contracts.openTask]',
      '19: Claim [contracts.claim]',
      '25: ⚠ contract is not a mapping []',
      '29: ⚠ no contract status []',
    ]);
  });

  it('offers the v2 moves in a task file, publish on a draft one', () => {
    const ws = new FixtureWorkspace(V2);
    const lenses10 = provideCodeLenses(ws.get('/p/.brainfile/board/task-10.md'), ws);
    assert.deepEqual(summary(lenses10), ['8: ● in_progress [contracts.openTask]', '8: ▶ Validate, dry run (1 command) [contracts.runValidation]', '8: Deliver [contracts.deliver]', '8: Block [contracts.block]']);
    assert.deepEqual(lenses10[3].command!.arguments, [{ uri: 'file:///p/.brainfile/board/task-10.md', taskId: 'task-10', status: 'in_progress' }]);
    assert.deepEqual(summary(provideCodeLenses(ws.get('/p/.brainfile/board/task-11.md'), ws)), ['5: ● blocked [contracts.openTask]', '5: Unblock [contracts.unblock]']);
    const draft = lensesOf('/p/.brainfile/board/task-1.md', '---\nid: task-1\ntitle: T\ncolumn: todo\ncontract:\n  status: draft\n---\n');
    assert.deepEqual(summary(draft.lenses), ['4: ● draft [contracts.openTask]', '4: Publish [contracts.publish]']);
  });

  it('shows only the status for a contract whose task has no id', () => {
    const { lenses } = lensesOf('/ws/brainfile.md', BOARD.replace('id: task-50\n', ''));
    const fenced = lenses.filter((l) => l.range.start.line >= 43);
    assert.deepEqual(summary(fenced).slice(0, 1), ['48: ● draft []']);
  });

  it('keeps lines right on CRLF text', () => {
    const { lenses, analysis } = lensesOf('/ws/brainfile.md', BOARD.replace(/\n/g, '\r\n'));
    assert.deepEqual(lenses[0].range, { start: { line: 10, character: 8 }, end: { line: 10, character: 16 } });
    assert.equal(textIn(analysis, lenses[lenses.length - 1].range), 'contract');
  });

  it('summarizes a deployment at the top', () => {
    const ok = lensesOf('/ws/.glassops/a.deployment.json', DEPLOYMENT).lenses;
    assert.deepEqual(summary(ok), ['0: Succeeded · coverage 86.4% / 80% ✓ · tests 412/412 passed []']);
    const failing = lensesOf('/ws/.glassops/b.deployment.json', readText(path.join(sharedExamples, 'deployments/.glassops/deployment-contract.json'))).lenses;
    assert.deepEqual(summary(failing), ['0: Succeeded · coverage 71.2% / 75% ✗ · tests 118/120 passed, 4 failed []']);
    assert.deepEqual(summary(lensesOf('/ws/.glassops/c.deployment.json', '{\n  "schemaVersion": "1.0"\n}\n').lenses), ['0: no status []']);
    assert.deepEqual(lensesOf('/ws/.glassops/d.deployment.json', '[]').lenses, []);
  });

  it('returns nothing for files without contracts', () => {
    assert.deepEqual(lensesOf('/ws/notes.md', BOARD).lenses, []);
    assert.deepEqual(lensesOf('/p/.brainfile/brainfile.md', V2['/p/.brainfile/brainfile.md']).lenses, []);
  });
});
