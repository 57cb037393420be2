import { strict as assert } from 'node:assert';
import path from 'node:path';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { STATUS_TRANSITIONS, statusesFor, transitionsFrom } from '../../shared/lifecycle';
import { computeTransition, isRefusal, type TransitionEdits, type TransitionInput } from '../../server/src/engine/transition';
import { applyEdits, type OffsetEdit } from '../../server/src/engine/yamlEdit';
import { readText, sharedExamples } from './helpers';

const NOW = '2026-11-21T10:00:00Z';
const BOARD = '/ws/brainfile.md';
const TASK_FILE = '/ws/.brainfile/board/task-10.md';

type Request = Partial<TransitionInput> & Pick<TransitionInput, 'taskId' | 'transition'>;

/** Lines joined with `\n`, ending with one. */
function doc(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

function compute(file: string, text: string, request: Request) {
  return computeTransition(analyzeDocument(file, text), { now: NOW, ...request });
}

function refusal(file: string, text: string, request: Request): { refused: string; currentStatus?: string } {
  const outcome = compute(file, text, request);
  assert.ok(isRefusal(outcome), `expected a refusal, got edits ${JSON.stringify(outcome)}`);
  return outcome;
}

function diagnosticKeys(analysis: DocumentAnalysis, ignoreColumnFit: boolean): string[] {
  // A status the published schema lacks (reworking, cancelled) gets an information note: valid, not a fault the move made.
  return analysis.diagnostics
    .filter((d) => !(ignoreColumnFit && d.code === 'status-column-mismatch') && !(d.code === 'version-mismatch' && d.severity === 'information'))
    .map((d) => `${d.code}: ${d.message}`);
}

/** Lines of `text` with their line breaks. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

/**
 * Every line no edit touches is kept byte for byte, in order, and the edits
 * account for all other lines of the result.
 */
function assertUntouchedLinesKept(before: DocumentAnalysis, edits: OffsetEdit[], after: string): void {
  const touched = new Set<number>();
  for (const edit of edits) {
    const first = before.lines.positionAt(edit.range.start).line;
    const last = before.lines.positionAt(edit.range.end).line;
    for (let line = first; line <= last; line++) touched.add(line);
  }
  const oldLines = splitLines(before.text);
  const kept = oldLines.filter((_, index) => !touched.has(index));
  const newLines = splitLines(after);
  let cursor = 0;
  for (const line of kept) {
    while (cursor < newLines.length && newLines[cursor] !== line) cursor++;
    assert.ok(cursor < newLines.length, `untouched line ${JSON.stringify(line)} is missing or out of order`);
    cursor++;
  }
  const added = edits.reduce((sum, e) => sum + splitLines(e.newText).filter((l) => /[\r\n]$/.test(l)).length, 0);
  assert.ok(newLines.length <= kept.length + touched.size + added, 'the result has lines no edit explains');
  // Non-move edits are small: each replaces text within one value, never whole lines of others.
  for (const edit of edits) assert.ok(edit.range.end - edit.range.start <= 200, `edit ${JSON.stringify(edit)} replaces too much`);
}

/**
 * Applies a move and checks what must hold after any move: the task has the
 * new status, no new diagnostics, and (without a column move) every line
 * outside the edited ones is unchanged. Returns the new text.
 */
function apply(file: string, text: string, request: Request, options: { moved?: boolean } = {}): { text: string; outcome: TransitionEdits } {
  const before = analyzeDocument(file, text);
  const outcome = computeTransition(before, { now: NOW, ...request });
  assert.ok(!isRefusal(outcome), `refused: ${isRefusal(outcome) ? outcome.refused : ''}`);
  const result = applyEdits(text, outcome.edits);
  const after = analyzeDocument(file, result);
  const tasks = after.task ? [after.task] : (after.board?.tasks ?? []);
  const task = tasks.find((t) => t.id === request.taskId);
  assert.ok(task, `${request.taskId} is gone after the move`);
  assert.equal(task!.contract?.status, outcome.to);
  const old = new Set(diagnosticKeys(before, !options.moved));
  const fresh = diagnosticKeys(after, !options.moved).filter((d) => !old.has(d));
  assert.deepEqual(fresh, [], 'the move introduced diagnostics');
  if (!options.moved) assertUntouchedLinesKept(before, outcome.edits, result);
  return { text: result, outcome };
}

function applied(file: string, text: string, request: Request, options?: { moved?: boolean }): string {
  return apply(file, text, request, options).text;
}

// ---- fixtures ---------------------------------------------------------------

function v1Board(contractLines: string[], taskLines: string[] = []): string {
  return doc(
    '---',
    'title: Matrix',
    'columns:',
    '  - id: work',
    '    title: Work',
    '    tasks:',
    '      - id: task-1',
    '        title: Do it',
    ...taskLines,
    '        contract:',
    ...contractLines.map((line) => '          ' + line),
    '      - id: task-2',
    '        title: Next',
    '---',
    '',
    '# Notes',
  );
}

function v2Task(contractLines: string[], taskLines: string[] = ['column: in-progress']): string {
  return doc('---', 'id: task-10', 'type: task', 'title: Stream events', ...taskLines, 'contract:', ...contractLines.map((line) => '  ' + line), '---', '', '## Description', 'Body text.');
}

const deliverables = ['deliverables:', '  - type: file', '    path: src/a.ts'];

/** The contract lines each allowed move writes, after the status and deliverables. */
const WRITTEN: Record<string, string[]> = {
  publish: [],
  claim: ['metrics:', '  pickedUpAt: "2026-11-21T10:00:00Z"'],
  deliver: ['metrics:', '  deliveredAt: "2026-11-21T10:00:00Z"'],
  approve: ['metrics:', '  validatedAt: "2026-11-21T10:00:00Z"'],
  reject: ['metrics:', '  validatedAt: "2026-11-21T10:00:00Z"'],
  rework: ['metrics:', '  reworkCount: 1'],
  block: [],
  unblock: [],
};

describe('lifecycle transitions as text edits', () => {
  describe('every move from every status', () => {
    for (const version of [1, 2] as const) {
      const file = version === 1 ? BOARD : TASK_FILE;
      const taskId = version === 1 ? 'task-1' : 'task-10';
      const make = (status: string, extra: string[] = []) =>
        version === 1 ? v1Board([`status: ${status}`, ...deliverables, ...extra]) : v2Task([`status: ${status}`, ...deliverables, ...extra]);
      for (const status of statusesFor(version)) {
        const allowed = transitionsFrom(status, version);
        for (const move of STATUS_TRANSITIONS) {
          if (allowed.includes(move)) {
            it(`v${version}: ${move.name} from ${status} writes ${move.to}`, () => {
              const result = applied(file, make(status), { taskId, transition: move.name, expectedStatus: status });
              assert.equal(result, make(move.to, WRITTEN[move.name]));
            });
          } else {
            it(`v${version}: ${move.name} from ${status} is refused, naming the allowed moves`, () => {
              const { refused } = refusal(file, make(status), { taskId, transition: move.name });
              assert.match(refused, new RegExp(`^Cannot ${move.name} ${taskId}: it is ${status}, and from ${status} `));
              if (allowed.length) assert.ok(refused.includes(`the allowed moves are ${allowed.map((t) => t.name).join(', ')}`), refused);
              else assert.ok(refused.includes(`(${status} is final)`), refused);
            });
          }
        }
      }
      const foreign = 'paused';
      it(`v${version}: a ${foreign} contract (no status of the lifecycle) is refused as invalid`, () => {
        const { refused } = refusal(file, make(foreign), { taskId, transition: 'claim' });
        assert.match(refused, new RegExp(`has no valid status \\(found the string "${foreign}"\\)\\. Brainfile v${version} allows ${statusesFor(version).join(', ')}`));
      });
    }
  });


  describe('keeps everything it need not change', () => {
    it('keeps double quotes, single quotes and a trailing comment on the status', () => {
      const double = v1Board(['status: "ready"  # the PM said so', ...deliverables]);
      assert.equal(applied(BOARD, double, { taskId: 'task-1', transition: 'claim' }), v1Board(['status: "in_progress"  # the PM said so', ...deliverables, ...WRITTEN.claim]));
      const single = v1Board(["status: 'draft' # not yet", ...deliverables]);
      assert.equal(applied(BOARD, single, { taskId: 'task-1', transition: 'publish' }), v1Board(["status: 'ready' # not yet", ...deliverables]));
    });

    it('edits inside a flow contract and adds metrics as a flow mapping before the brace', () => {
      const board = v1Board([], []).replace('        contract:\n', '        contract: {status: ready, deliverables: [], validation: {commands: [npm test]}}  # flow\n');
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'claim' }),
        board.replace(
          '{status: ready, deliverables: [], validation: {commands: [npm test]}}',
          '{status: in_progress, deliverables: [], validation: {commands: [npm test]}, metrics: {pickedUpAt: "2026-11-21T10:00:00Z"}}',
        ),
      );
    });

    it('edits a flow contract spread over lines', () => {
      const board = v1Board(['{', '  status: "delivered",', '  deliverables: [{type: file, path: a.ts}]', '}']).replace('contract:\n          {', 'contract: {');
      const expected = board.replace('"delivered"', '"failed"').replace('path: a.ts}]\n', 'path: a.ts}], feedback: "Fails on Windows", metrics: {validatedAt: "2026-11-21T10:00:00Z"}\n');
      assert.equal(applied(BOARD, board, { taskId: 'task-1', transition: 'reject', feedback: 'Fails on Windows' }), expected);
    });

    it('merges into a flow metrics mapping inside a block contract', () => {
      const board = v1Board(['status: in_progress', 'metrics: {pickedUpAt: "2026-11-21T08:30:00Z", reworkCount: 0}']);
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'deliver' }),
        v1Board(['status: delivered', 'metrics: {pickedUpAt: "2026-11-21T08:30:00Z", reworkCount: 0, deliveredAt: "2026-11-21T10:00:00Z", duration: 5400}']),
      );
    });

    it('writes CRLF in inserted lines of a CRLF document', () => {
      const board = v1Board(['status: ready', ...deliverables]).replace(/\n/g, '\r\n');
      const result = applied(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob' });
      assert.equal(result, v1Board(['status: in_progress', ...deliverables, ...WRITTEN.claim], ['        assignee: bob']).replace(/\n/g, '\r\n'));
      assert.doesNotMatch(result, /[^\r]\n/);
    });

    it('keeps a byte order mark', () => {
      const board = '\ufeff' + v1Board(['status: ready', ...deliverables]);
      assert.equal(applied(BOARD, board, { taskId: 'task-1', transition: 'claim' }), '\ufeff' + v1Board(['status: in_progress', ...deliverables, ...WRITTEN.claim]));
    });

    it('keeps comments, blank lines and the Markdown body of the shared example board', () => {
      const board = readText(path.join(sharedExamples, 'board-v1', 'brainfile.md'));
      const result = applied(BOARD, board, { taskId: 'task-3', transition: 'deliver', expectedStatus: 'in_progress' });
      const expected = board.replace(
        '          status: in_progress\n          deliverables:\n            - type: file\n              path: src/rateLimiter.ts\n          validation:\n            commands:\n              - npm test -- test/rateLimiter.test.ts\n',
        '          status: delivered\n          deliverables:\n            - type: file\n              path: src/rateLimiter.ts\n          validation:\n            commands:\n              - npm test -- test/rateLimiter.test.ts\n          metrics:\n            deliveredAt: "2026-11-21T10:00:00Z"\n',
      );
      assert.notEqual(expected, board);
      assert.equal(result, expected);
    });

    it('moves a fenced task in the Markdown body (status and metrics)', () => {
      const board = doc('---', 'title: Notes', 'columns:', '  - id: todo', '    title: To Do', '---', '', 'An example:', '', '```yaml', 'id: task-63', 'title: "Docs"', 'contract:', '  status: ready', '  deliverables:', '    - type: docs', '      path: docs/api.md', '```', 'After.');
      const { text, outcome } = apply(BOARD, board, { taskId: 'task-63', transition: 'claim', moveToColumn: true, columnMap: { in_progress: 'todo' } });
      assert.equal(text, board.replace('  status: ready', '  status: in_progress').replace('      path: docs/api.md\n', '      path: docs/api.md\n  metrics:\n    pickedUpAt: "2026-11-21T10:00:00Z"\n'));
      assert.deepEqual(outcome.notes, ['A fenced task has no column, so task-63 stays where it is.']);
    });
  });

  describe('metrics', () => {
    it('updates existing metrics in place and adds missing ones at the end of the block', () => {
      const board = v1Board(['status: in_progress', 'metrics:', '  pickedUpAt: "2026-11-21T08:30:00Z"  # claimed', '  deliveredAt: "2026-11-01T00:00:00Z"', 'constraints: [fast]']);
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'deliver' }),
        v1Board(['status: delivered', 'metrics:', '  pickedUpAt: "2026-11-21T08:30:00Z"  # claimed', '  deliveredAt: "2026-11-21T10:00:00Z"', '  duration: 5400', 'constraints: [fast]']),
      );
    });

    it('keeps a plain or single-quoted timestamp style when it updates one', () => {
      const board = v2Task(['status: ready', 'metrics:', "  pickedUpAt: '2026-01-01T00:00:00Z'"]);
      assert.equal(applied(TASK_FILE, board, { taskId: 'task-10', transition: 'claim' }), v2Task(['status: in_progress', 'metrics:', "  pickedUpAt: '2026-11-21T10:00:00Z'"]));
    });

    it('leaves out the duration when the pickup time is unknown or later than now', () => {
      const board = v1Board(['status: in_progress', 'metrics:', '  pickedUpAt: "2027-01-01T00:00:00Z"']);
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'deliver' }),
        v1Board(['status: delivered', 'metrics:', '  pickedUpAt: "2027-01-01T00:00:00Z"', '  deliveredAt: "2026-11-21T10:00:00Z"']),
      );
    });

    it('fills an empty metrics key with indented lines', () => {
      const board = v2Task(['status: failed', 'metrics:  # filled by tools', 'version: 1']);
      assert.equal(applied(TASK_FILE, board, { taskId: 'task-10', transition: 'rework' }), v2Task(['status: reworking', 'metrics:  # filled by tools', '  reworkCount: 1', 'version: 1']));
    });

    it('counts rework: 2 becomes 3, absent becomes 1', () => {
      const counted = v2Task(['status: failed', 'feedback: "Fix the tests"', 'metrics:', '    reworkCount: 2', '    validatedAt: "2026-11-20T10:00:00Z"']);
      assert.equal(applied(TASK_FILE, counted, { taskId: 'task-10', transition: 'rework' }), counted.replace('status: failed', 'status: reworking').replace('reworkCount: 2', 'reworkCount: 3'));
      const uncounted = v2Task(['status: failed', 'metrics:', '    validatedAt: "2026-11-20T10:00:00Z"']);
      assert.equal(
        applied(TASK_FILE, uncounted, { taskId: 'task-10', transition: 'rework' }),
        v2Task(['status: reworking', 'metrics:', '    validatedAt: "2026-11-20T10:00:00Z"', '    reworkCount: 1']),
      );
    });

    it('indents new metrics like the rest of the board (4 spaces)', () => {
      const board = doc('---', 'id: task-10', 'title: T', 'column: todo', 'contract:', '    status: ready', '    deliverables:', '        - path: a.ts', '---');
      assert.equal(
        applied(TASK_FILE, board, { taskId: 'task-10', transition: 'claim' }),
        doc('---', 'id: task-10', 'title: T', 'column: todo', 'contract:', '    status: in_progress', '    deliverables:', '        - path: a.ts', '    metrics:', '        pickedUpAt: "2026-11-21T10:00:00Z"', '---'),
      );
    });

    it('refuses when metrics is not a mapping', () => {
      const { refused } = refusal(BOARD, v1Board(['status: ready', 'metrics: [1, 2]']), { taskId: 'task-1', transition: 'claim' });
      assert.equal(refused, 'Cannot claim task-1: "metrics" is not a mapping in its contract.');
    });
  });

  describe('feedback (reject and validation verdicts)', () => {
    it('stores single-line feedback in double quotes, escaped', () => {
      const board = v1Board(['status: delivered', ...deliverables]);
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'reject', feedback: 'Test "b" fails: 2 of 10' }),
        v1Board(['status: failed', ...deliverables, 'feedback: "Test \\"b\\" fails: 2 of 10"', ...WRITTEN.reject]),
      );
    });

    it('stores multi-line feedback as a | block scalar, indented under the key', () => {
      const board = v1Board(['status: delivered', ...deliverables]);
      const result = applied(BOARD, board, { taskId: 'task-1', transition: 'reject', feedback: 'Two endpoints missing:\n- POST /refunds\n\n- GET /charges/:id' });
      assert.equal(result, v1Board(['status: failed', ...deliverables, 'feedback: |-', '  Two endpoints missing:', '  - POST /refunds', '', '  - GET /charges/:id', ...WRITTEN.reject]).replace('\n          \n', '\n\n'));
      assert.equal(analyzeDocument(BOARD, result).board!.tasks[0].contract!.node.properties.find((p) => p.key === 'feedback')!.value.type, 'string');
    });

    it('replaces existing feedback in its own style, and approve records a verdict too', () => {
      const quotedOld = v2Task(['status: delivered', "feedback: 'old note'", 'metrics:', '  validatedAt: "2026-11-01T00:00:00Z"']);
      assert.equal(
        applied(TASK_FILE, quotedOld, { taskId: 'task-10', transition: 'approve', feedback: "All 12 checks passed, it's fine" }),
        v2Task(['status: done', "feedback: 'All 12 checks passed, it''s fine'", 'metrics:', '  validatedAt: "2026-11-21T10:00:00Z"']),
      );
      const blockOld = v2Task(['status: delivered', 'feedback: |', '  line one', '  line two', 'version: 2']);
      assert.equal(
        applied(TASK_FILE, blockOld, { taskId: 'task-10', transition: 'reject', feedback: 'new one\nnew two\n' }),
        v2Task(['status: failed', 'feedback: |', '  new one', '  new two', 'version: 2', 'metrics:', '  validatedAt: "2026-11-21T10:00:00Z"']),
      );
    });

    it('writes multi-line feedback in a flow contract as one quoted string', () => {
      const board = v1Board([], []).replace('        contract:\n', '        contract: {status: delivered}\n');
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'reject', feedback: 'a\nb' }),
        board.replace('{status: delivered}', '{status: failed, feedback: "a\\nb", metrics: {validatedAt: "2026-11-21T10:00:00Z"}}'),
      );
    });
  });

  describe('assignee on claim', () => {
    it('inserts the assignee after the title', () => {
      const board = v1Board(['status: ready'], ['        priority: high']);
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'Jane Doe' }),
        v1Board(['status: in_progress', ...WRITTEN.claim], ['        assignee: Jane Doe', '        priority: high']),
      );
    });

    it('replaces an existing assignee, quoting when it must', () => {
      const board = v2Task(['status: ready'], ['column: todo', 'assignee: "codex"  # bot']);
      assert.equal(
        applied(TASK_FILE, board, { taskId: 'task-10', transition: 'claim', assignee: 'bob' }),
        v2Task(['status: in_progress', ...WRITTEN.claim], ['column: todo', 'assignee: "bob"  # bot']),
      );
      const plainOld = v2Task(['status: ready'], ['assignee: codex']);
      assert.equal(
        applied(TASK_FILE, plainOld, { taskId: 'task-10', transition: 'claim', assignee: '@bob: lead' }),
        v2Task(['status: in_progress', ...WRITTEN.claim], ['assignee: "@bob: lead"']),
      );
    });

    it('adds the assignee to a flow task mapping', () => {
      const board = doc('---', 'title: B', 'columns:', '  - id: work', '    title: Work', '    tasks:', '      - {id: task-1, title: T, contract: {status: ready}}', '---');
      assert.equal(
        applied(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob' }),
        board.replace('{id: task-1, title: T, contract: {status: ready}}', '{id: task-1, title: T, assignee: bob, contract: {status: in_progress, metrics: {pickedUpAt: "2026-11-21T10:00:00Z"}}}'),
      );
    });

    it('writes no assignee on other moves', () => {
      const board = v1Board(['status: in_progress']);
      assert.equal(applied(BOARD, board, { taskId: 'task-1', transition: 'deliver', assignee: 'bob' }), v1Board(['status: delivered', ...WRITTEN.deliver]));
    });
  });

  describe('column moves', () => {
    const columnMap = { ready: 'todo', in_progress: 'in-progress', delivered: 'review', failed: 'in-progress' };
    const board = doc(
      '---',
      'title: Moves',
      'columns:',
      '  - id: todo',
      '    title: To Do',
      '    tasks:',
      '      # picked for this sprint',
      '      - id: task-1',
      '        title: First',
      '        contract:',
      '          status: ready',
      '          deliverables: [{type: file, path: a.ts}]',
      '        # owner: payments team',
      '',
      '      - id: task-2',
      '        title: Second',
      '  - id: in-progress',
      '    title: In Progress',
      '    tasks:',
      '    - id: task-3',
      '      title: Third',
      '      contract: {status: in_progress}',
      '  - id: review',
      '    title: Review',
      '    tasks: []  # nothing yet',
      '  - id: qa',
      '    title: QA',
      '---',
      'Body.',
    );

    it('cuts the task with its comments and appends it to the target list, re-indented', () => {
      const { text, outcome } = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob', moveToColumn: true, columnMap }, { moved: true });
      assert.deepEqual(outcome.notes, []);
      assert.equal(
        text,
        doc(
          '---',
          'title: Moves',
          'columns:',
          '  - id: todo',
          '    title: To Do',
          '    tasks:',
          '',
          '      - id: task-2',
          '        title: Second',
          '  - id: in-progress',
          '    title: In Progress',
          '    tasks:',
          '    - id: task-3',
          '      title: Third',
          '      contract: {status: in_progress}',
          '    # picked for this sprint',
          '    - id: task-1',
          '      title: First',
          '      assignee: bob',
          '      contract:',
          '        status: in_progress',
          '        deliverables: [{type: file, path: a.ts}]',
          '        metrics:',
          '          pickedUpAt: "2026-11-21T10:00:00Z"',
          '      # owner: payments team',
          '  - id: review',
          '    title: Review',
          '    tasks: []  # nothing yet',
          '  - id: qa',
          '    title: QA',
          '---',
          'Body.',
        ),
      );
    });

    it('lands before the card it was dropped on, or at the end with a note when that card has gone', () => {
      const atEnd = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob', moveToColumn: true, columnMap }, { moved: true }).text;
      const block = atEnd.slice(atEnd.indexOf('    # picked for this sprint\n'), atEnd.indexOf('  - id: review'));
      const third = '    - id: task-3\n      title: Third\n      contract: {status: in_progress}\n';
      const expected = atEnd.replace(block, '').replace(third, block + third);
      const dropped = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob', moveToColumn: true, columnMap, beforeTaskId: 'task-3' }, { moved: true });
      assert.notEqual(expected, atEnd);
      assert.equal(dropped.text, expected);
      assert.deepEqual(dropped.outcome.notes, []);
      const gone = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', assignee: 'bob', moveToColumn: true, columnMap, beforeTaskId: 'task-9' }, { moved: true });
      assert.equal(gone.text, atEnd);
      assert.deepEqual(gone.outcome.notes, ['task-9 is not in in-progress any more, so task-1 goes to the end of it.']);
    });

    it('replaces an empty flow list in the target, and leaves [] behind the last task', () => {
      const { text } = apply(BOARD, board, { taskId: 'task-3', transition: 'deliver', moveToColumn: true, columnMap }, { moved: true });
      assert.equal(
        text,
        board
          .replace('    tasks:\n    - id: task-3\n      title: Third\n      contract: {status: in_progress}\n', '    tasks: []\n')
          .replace('    tasks: []  # nothing yet\n', '    tasks:  # nothing yet\n    - id: task-3\n      title: Third\n      contract: {status: delivered, metrics: {deliveredAt: "2026-11-21T10:00:00Z"}}\n'),
      );
    });

    it('adds tasks: to a column that has none', () => {
      const moved = applied(BOARD, board, { taskId: 'task-3', transition: 'deliver', moveToColumn: true, columnMap: { delivered: 'qa' } }, { moved: true });
      assert.ok(
        moved.endsWith('  - id: qa\n    title: QA\n    tasks:\n    - id: task-3\n      title: Third\n      contract: {status: delivered, metrics: {deliveredAt: "2026-11-21T10:00:00Z"}}\n---\nBody.\n'),
        moved,
      );
    });

    it('moves into an empty tasks: key of a zero-indented list, in a CRLF document', () => {
      const crlf = doc('---', 'title: B', 'columns:', '- id: todo', '  title: To Do', '  tasks:', '  - id: task-1', '    title: T', '    contract:', '      status: ready', '- id: in-progress', '  title: Doing', '  tasks:', '---').replace(/\n/g, '\r\n');
      const result = applied(BOARD, crlf, { taskId: 'task-1', transition: 'claim', moveToColumn: true, columnMap }, { moved: true });
      assert.equal(
        result,
        doc('---', 'title: B', 'columns:', '- id: todo', '  title: To Do', '  tasks: []', '- id: in-progress', '  title: Doing', '  tasks:', '  - id: task-1', '    title: T', '    contract:', '      status: in_progress', '      metrics:', '        pickedUpAt: "2026-11-21T10:00:00Z"', '---').replace(/\n/g, '\r\n'),
      );
      const deeper = crlf.replace('  tasks:\r\n---', '  tasks:\r\n      # none yet\r\n---');
      assert.ok(applied(BOARD, deeper, { taskId: 'task-1', transition: 'claim', moveToColumn: true, columnMap }, { moved: true }).includes('  tasks:\r\n  - id: task-1\r\n    title: T\r\n'));
    });

    it('leaves the task in place, with a note, when the board has no such column or none is mapped', () => {
      const missing = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', moveToColumn: true, columnMap: { in_progress: 'doing' } });
      assert.deepEqual(missing.outcome.notes, ['The board has no column "doing", so task-1 stays where it is.']);
      assert.equal(missing.text, board.replace('          status: ready', '          status: in_progress').replace('path: a.ts}]\n', 'path: a.ts}]\n          metrics:\n            pickedUpAt: "2026-11-21T10:00:00Z"\n'));
      const unmapped = apply(BOARD, board, { taskId: 'task-1', transition: 'claim', moveToColumn: true, columnMap: {} });
      assert.deepEqual(unmapped.outcome.notes, ['No column is mapped to in_progress, so the task stays in its column.']);
      assert.equal(unmapped.text, missing.text);
    });

    it('does not move a task already in the mapped column, nor an archived one', () => {
      const same = apply(BOARD, board, { taskId: 'task-3', transition: 'deliver', moveToColumn: true, columnMap: { delivered: 'in-progress' } });
      assert.deepEqual(same.outcome.notes, []);
      assert.equal(same.text, board.replace('{status: in_progress}', '{status: delivered, metrics: {deliveredAt: "2026-11-21T10:00:00Z"}}'));
      const archived = doc('---', 'title: A', 'columns:', '  - id: todo', '    title: To Do', 'archive:', '  - id: task-9', '    title: Old', '    contract:', '      status: delivered', '---');
      const result = apply(BOARD, archived, { taskId: 'task-9', transition: 'approve', moveToColumn: true, columnMap: { done: 'todo' } });
      assert.deepEqual(result.outcome.notes, ['An archived task has no column, so task-9 stays where it is.']);
    });

    it('sets the column of a v2 task file, or inserts it after the title', () => {
      const task = v2Task(['status: in_progress'], ['column: in-progress  # moved by hand']);
      assert.equal(
        applied(TASK_FILE, task, { taskId: 'task-10', transition: 'block', moveToColumn: true, columnMap: { blocked: 'blocked' }, boardColumns: ['todo', 'in-progress', 'blocked'] }),
        v2Task(['status: blocked'], ['column: blocked  # moved by hand']),
      );
      const columnless = v2Task(['status: blocked'], ['assignee: claude']);
      assert.equal(
        applied(TASK_FILE, columnless, { taskId: 'task-10', transition: 'unblock', moveToColumn: true, columnMap: { in_progress: 'in-progress' } }),
        v2Task(['status: in_progress'], ['column: in-progress', 'assignee: claude']),
      );
    });

    it('keeps a v2 column the board does not declare, with a note', () => {
      const task = v2Task(['status: in_progress']);
      const { text, outcome } = apply(TASK_FILE, task, { taskId: 'task-10', transition: 'block', moveToColumn: true, columnMap: { blocked: 'on-hold' }, boardColumns: ['todo', 'in-progress'] });
      assert.equal(text, v2Task(['status: blocked']));
      assert.deepEqual(outcome.notes, ['The board has no column "on-hold", so task-10 stays in in-progress.']);
    });

    it('moves the shared example task into the In Progress column with no diagnostics', () => {
      const example = readText(path.join(sharedExamples, 'board-v1', 'brainfile.md'));
      const { text } = apply(BOARD, example, { taskId: 'task-1', transition: 'claim', moveToColumn: true, columnMap: { in_progress: 'in-progress' } }, { moved: true });
      const after = analyzeDocument(BOARD, text);
      assert.equal(after.board!.tasks.find((t) => t.id === 'task-1')!.columnId, 'in-progress');
      assert.deepEqual(after.diagnostics, []);
    });
  });

  describe('refusals change nothing and say why', () => {
    it('refuses a stale expectation (compare-and-swap) with the current status', () => {
      const outcome = refusal(BOARD, v1Board(['status: in_progress']), { taskId: 'task-1', transition: 'claim', expectedStatus: 'ready' });
      assert.deepEqual(outcome, { refused: 'task-1 was moved by another change; it is now in_progress, not ready.', currentStatus: 'in_progress' });
    });

    it('refuses a document with YAML syntax errors around the task', () => {
      const broken = v1Board(['status: ready', 'deliverables: [a, b']);
      assert.match(refusal(BOARD, broken, { taskId: 'task-1', transition: 'claim' }).refused, /^The YAML around task-1 has errors \(line \d+: .*\) Fix them first; nothing was changed\.$/);
      const duplicateKey = v1Board(['status: ready', 'status: draft']);
      assert.match(refusal(BOARD, duplicateKey, { taskId: 'task-1', transition: 'claim' }).refused, /^The YAML around task-1 has errors \(line 11: /);
      const unclosed = doc('---', 'title: B', 'columns:', '  - id: todo', '    title: T', '    tasks:', '      - id: task-1', '        title: T', '        contract: {status: ready}');
      assert.match(refusal(BOARD, unclosed, { taskId: 'task-1', transition: 'claim' }).refused, /^The YAML around task-1 has errors \(line 1: The front matter opens with ---/);
    });

    it('edits a fenced task even when another fenced block is broken', () => {
      const board = doc('---', 'title: B', 'columns:', '  - id: todo', '    title: T', '---', '```yaml', 'id: task-7', 'title: T', 'contract:', '  status: ready', '```', '```yaml', 'contract: [oops', '```');
      assert.ok(!isRefusal(compute(BOARD, board, { taskId: 'task-7', transition: 'claim' })));
    });

    it('refuses an unknown or duplicated task id', () => {
      assert.equal(refusal(BOARD, v1Board(['status: ready']), { taskId: 'task-42', transition: 'claim' }).refused, 'No task "task-42" in brainfile.md.');
      const twice = v1Board(['status: ready']).replace('      - id: task-2', '      - id: task-1');
      assert.equal(refusal(BOARD, twice, { taskId: 'task-1', transition: 'claim' }).refused, 'task-1 appears 2 times in brainfile.md (lines 7, 11). Give each task its own id first.');
    });

    it('refuses a task without a contract, a contract that is not a mapping, or one without a status', () => {
      const none = doc('---', 'title: B', 'columns:', '  - id: todo', '    title: T', '    tasks:', '      - id: task-1', '        title: T', '---');
      assert.equal(refusal(BOARD, none, { taskId: 'task-1', transition: 'claim' }).refused, 'task-1 has no contract, so it cannot claim. Add a contract first.');
      const list = none.replace('        title: T\n', '        title: T\n        contract: [ready]\n');
      assert.equal(refusal(BOARD, list, { taskId: 'task-1', transition: 'claim' }).refused, 'The contract of task-1 is not a mapping of fields, so it cannot claim. Fix the contract first.');
      const statusless = v2Task(['deliverables: []']);
      assert.equal(refusal(TASK_FILE, statusless, { taskId: 'task-10', transition: 'claim' }).refused, 'The contract of task-10 has no valid status. Brainfile v2 allows draft, ready, in_progress, delivered, done, failed, reworking, blocked, cancelled.');
      const typo = v2Task(['status: in-progress']);
      assert.match(refusal(TASK_FILE, typo, { taskId: 'task-10', transition: 'deliver' }).refused, /has no valid status \(found the string "in-progress"\)/);
    });

    it('refuses an unknown move and a file that is not a board', () => {
      assert.match(refusal(BOARD, v1Board(['status: ready']), { taskId: 'task-1', transition: 'finish' }).refused, /^Unknown move "finish"\. Expected one of publish, claim, deliver, approve, reject, rework, block, unblock, cancel, addContract\.$/);
      assert.equal(refusal('/ws/notes.md', '# Notes\n', { taskId: 'task-1', transition: 'claim' }).refused, 'notes.md is not a Brainfile board or task file.');
    });
  });

  describe('addContract', () => {
    it('adds a draft skeleton at the end of a v1 task', () => {
      const board = doc('---', 'title: B', 'columns:', '  - id: todo', '    title: To Do', '    tasks:', '      - id: task-1', '        title: T', '        tags: [a]  # keep', '      - id: task-2', '        title: U', '---');
      const { text, outcome } = apply(BOARD, board, { taskId: 'task-1', transition: 'addContract' });
      assert.equal(outcome.to, 'draft');
      assert.equal(text, board.replace('        tags: [a]  # keep\n', '        tags: [a]  # keep\n        contract:\n          status: draft\n          deliverables: []\n'));
    });

    it('adds a draft skeleton to a v2 task file (as the official CLI writes it), and to a flow task', () => {
      const task = doc('---', 'id: task-10', 'title: T', 'column: todo', '---', 'Body');
      assert.equal(applied(TASK_FILE, task, { taskId: 'task-10', transition: 'addContract' }), doc('---', 'id: task-10', 'title: T', 'column: todo', 'contract:', '  status: draft', '  deliverables: []', '---', 'Body'));
      const flow = doc('---', 'title: B', 'columns:', '  - id: todo', '    title: To Do', '    tasks: [{id: task-1, title: T}]', '---');
      assert.equal(applied(BOARD, flow, { taskId: 'task-1', transition: 'addContract' }), flow.replace('title: T}', 'title: T, contract: {status: draft, deliverables: []}}'));
    });

    it('refuses a task that already has a contract', () => {
      assert.equal(refusal(BOARD, v1Board(['status: ready']), { taskId: 'task-1', transition: 'addContract' }).refused, 'task-1 already has a contract (ready).');
    });
  });
});
