import { strict as assert } from 'node:assert';
import { planMove } from '../../client/src/board/planMove';
import type { BoardCard } from '../../shared/board';
import { findTransition } from '../../shared/lifecycle';
import { computeAddTask, nextTaskId } from '../../server/src/engine/addTask';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { buildBoardView } from '../../server/src/engine/boardView';
import { computeCardMove, type CardMoveInput } from '../../server/src/engine/cardMove';
import { applyEdits } from '../../server/src/engine/yamlEdit';

function doc(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

const BOARD = doc(
  '---',
  'title: Demo',
  'columns:',
  '  - id: todo',
  '    title: To Do',
  '    tasks:',
  '      # the next one',
  '      - id: task-1',
  "        title: 'First'  # quoted",
  '      - id: task-2',
  '        title: Second',
  '        tags: [a, b]',
  '  - id: doing',
  '    title: Doing',
  '    tasks: []',
  '  - id: done',
  '    title: Done',
  '    tasks:',
  '      - id: task-3',
  '        title: Third',
  '        contract:',
  '          status: nope',
  '---',
  '',
  '# Notes',
);

function v1Move(text: string, input: CardMoveInput): string {
  const analysis = analyzeDocument('/ws/brainfile.md', text);
  const outcome = computeCardMove(buildBoardView(analysis), input);
  assert.ok(!('refused' in outcome), 'refused' in outcome ? outcome.refused : '');
  if (!outcome.files.length) return text;
  return applyEdits(text, outcome.files[0].edits);
}

describe('board view', () => {
  it('lists the columns in order with their tasks in list order, tags and the first error', () => {
    const view = buildBoardView(analyzeDocument('/ws/brainfile.md', BOARD));
    assert.deepEqual(
      view.lanes.map((l) => [l.id, l.title, l.cards.map((c) => c.task.id)]),
      [
        ['todo', 'To Do', ['task-1', 'task-2']],
        ['doing', 'Doing', []],
        ['done', 'Done', ['task-3']],
      ],
    );
    assert.deepEqual(view.lanes[0].cards[1].tags, ['a', 'b']);
    assert.match(view.lanes[2].cards[0].problem?.message ?? '', /nope/);
    assert.equal(view.syntaxError, undefined);
  });

  it('names the syntax error of a broken front matter', () => {
    const view = buildBoardView(analyzeDocument('/ws/brainfile.md', BOARD.replace("title: 'First'", "title: 'First")));
    assert.equal(view.syntaxError?.code, 'yaml-syntax');
  });

  it('orders v2 cards by position, then by file name', () => {
    const config = analyzeDocument('/ws/.brainfile/brainfile.md', doc('---', 'title: V2', 'schema: https://brainfile.md/v2/board.json', 'columns:', '  - id: todo', '    title: To Do', '---'));
    const task = (n: number, extra: string[] = []) =>
      analyzeDocument(`/ws/.brainfile/board/task-${n}.md`, doc('---', `id: task-${n}`, `title: T${n}`, 'column: todo', ...extra, '---'));
    const logged = analyzeDocument('/ws/.brainfile/logs/task-1.md', doc('---', 'id: task-1', 'title: old', 'column: todo', '---'));
    const view = buildBoardView(config, [task(10), task(9), task(2, ['position: 1']), task(3, ['position: 0']), logged]);
    assert.deepEqual(view.lanes[0].cards.map((c) => c.task.id), ['task-3', 'task-2', 'task-9', 'task-10']);
  });
});

describe('card moves', () => {
  it('moves a v1 task into an empty column, keeping its comments and quoting', () => {
    const after = v1Move(BOARD, { taskId: 'task-1', toColumn: 'doing' });
    assert.equal(
      after,
      BOARD.replace("      # the next one\n      - id: task-1\n        title: 'First'  # quoted\n", '').replace(
        '    tasks: []\n  - id: done',
        "    tasks:\n      # the next one\n      - id: task-1\n        title: 'First'  # quoted\n  - id: done",
      ),
    );
  });

  it('reorders within a lane, and a drop where the card is changes nothing', () => {
    const after = v1Move(BOARD, { taskId: 'task-2', toColumn: 'todo', beforeTaskId: 'task-1' });
    assert.equal(
      after,
      BOARD.replace(
        "      # the next one\n      - id: task-1\n        title: 'First'  # quoted\n      - id: task-2\n        title: Second\n        tags: [a, b]\n",
        "      - id: task-2\n        title: Second\n        tags: [a, b]\n      # the next one\n      - id: task-1\n        title: 'First'  # quoted\n",
      ),
    );
    assert.equal(v1Move(BOARD, { taskId: 'task-1', toColumn: 'todo', beforeTaskId: 'task-2' }), BOARD);
  });

  it('leaves `tasks: []` behind in the column it empties', () => {
    const after = v1Move(BOARD, { taskId: 'task-3', toColumn: 'todo', beforeTaskId: 'task-2' });
    assert.match(after, /    title: Done\n    tasks: \[\]\n---/);
    assert.match(after, /title: 'First' {2}# quoted\n {6}- id: task-3\n {8}title: Third\n/);
    assert.deepEqual(analyzeDocument('/ws/brainfile.md', after).diagnostics.map((d) => d.code), ['invalid-enum']);
  });

  it('refuses a stale column, a missing task and broken YAML', () => {
    const move = (text: string, input: CardMoveInput) => computeCardMove(buildBoardView(analyzeDocument('/ws/brainfile.md', text)), input);
    assert.match((move(BOARD, { taskId: 'task-1', toColumn: 'done', expectedColumn: 'doing' }) as { refused: string }).refused, /now in todo, not doing/);
    assert.match((move(BOARD, { taskId: 'task-9', toColumn: 'done' }) as { refused: string }).refused, /No task "task-9"/);
    assert.match((move(BOARD, { taskId: 'task-1', toColumn: 'nowhere' }) as { refused: string }).refused, /no column "nowhere"/);
    const broken = BOARD.replace('        title: Third', '        title: "Third');
    assert.match((move(broken, { taskId: 'task-1', toColumn: 'doing' }) as { refused: string }).refused, /Fix them first/);
  });

  it('moves a v2 task by its column and writes positions only where order must be said', () => {
    const config = analyzeDocument('/ws/.brainfile/brainfile.md', doc('---', 'schema: https://brainfile.md/v2/board.json', 'columns:', '  - id: todo', '    title: To Do', '  - id: doing', '    title: Doing', '---'));
    const text = (n: number, column: string) => doc('---', `id: task-${n}`, `title: T${n}`, `column: ${column}`, '---', '', 'Body');
    const files = [analyzeDocument('/ws/.brainfile/board/task-1.md', text(1, 'todo')), analyzeDocument('/ws/.brainfile/board/task-2.md', text(2, 'doing')), analyzeDocument('/ws/.brainfile/board/task-3.md', text(3, 'doing'))];
    const view = buildBoardView(config, files);
    const toEnd = computeCardMove(view, { taskId: 'task-1', toColumn: 'doing' });
    assert.ok(!('refused' in toEnd));
    assert.equal(toEnd.files.length, 1);
    assert.equal(applyEdits(files[0].text, toEnd.files[0].edits), text(1, 'doing'));
    const between = computeCardMove(view, { taskId: 'task-1', toColumn: 'doing', beforeTaskId: 'task-3' });
    assert.ok(!('refused' in between));
    const results = between.files.map((f) => [f.analysis.path, applyEdits(f.analysis.text, f.edits)]);
    assert.deepEqual(results, [
      ['/ws/.brainfile/board/task-2.md', text(2, 'doing').replace('column: doing\n', 'column: doing\nposition: 0\n')],
      ['/ws/.brainfile/board/task-1.md', text(1, 'doing').replace('column: doing\n', 'column: doing\nposition: 1\n')],
      ['/ws/.brainfile/board/task-3.md', text(3, 'doing').replace('column: doing\n', 'column: doing\nposition: 2\n')],
    ]);
  });
});

describe('add task', () => {
  it('takes the next free id of the most used prefix', () => {
    assert.equal(nextTaskId([]), 'task-1');
    assert.equal(nextTaskId(['task-1', 'task-7', 'epic-9', 'task-3']), 'task-8');
    assert.equal(nextTaskId(['epic-1', 'epic-2', 'task-40']), 'epic-3');
  });

  it('appends a v1 task to the column, with a contract skeleton when asked', () => {
    const analysis = analyzeDocument('/ws/brainfile.md', BOARD);
    const view = buildBoardView(analysis);
    const outcome = computeAddTask(view, analysis, ['task-1', 'task-2', 'task-3'], { column: 'done', title: 'Ship: it', withContract: true });
    assert.ok('edits' in outcome);
    assert.equal(outcome.id, 'task-4');
    const after = applyEdits(BOARD, outcome.edits);
    assert.equal(
      after,
      BOARD.replace('          status: nope\n', '          status: nope\n      - id: task-4\n        title: "Ship: it"\n        contract:\n          status: draft\n          deliverables: []\n'),
    );
    const empty = computeAddTask(view, analysis, ['task-1'], { column: 'doing', title: 'New', withContract: false });
    assert.ok('edits' in empty);
    assert.match(applyEdits(BOARD, empty.edits), /title: Doing\n {4}tasks:\n {6}- id: task-2\n {8}title: New\n {2}- id: done/);
  });

  it('writes a v2 task file, and refuses an empty title or an unknown column', () => {
    const config = analyzeDocument('/ws/.brainfile/brainfile.md', doc('---', 'schema: https://brainfile.md/v2/board.json', 'columns:', '  - id: todo', '    title: To Do', '---'));
    const view = buildBoardView(config, []);
    const outcome = computeAddTask(view, config, ['task-4'], { column: 'todo', title: 'Hello', withContract: true });
    assert.ok('newFile' in outcome);
    assert.deepEqual(outcome.newFile, { name: 'task-5.md', text: doc('---', 'id: task-5', 'type: task', 'title: Hello', 'column: todo', 'contract:', '  status: draft', '  deliverables: []', '---', '', '## Description') });
    const file = analyzeDocument('/ws/.brainfile/board/task-5.md', outcome.newFile.text);
    assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok('refused' in computeAddTask(view, config, [], { column: 'todo', title: '  ', withContract: false }));
    assert.ok('refused' in computeAddTask(view, config, [], { column: 'x', title: 'a', withContract: false }));
  });
});

describe('what a drop on a column means', () => {
  const columnForStatus = { draft: 'todo', ready: 'todo', in_progress: 'in-progress', delivered: 'review', done: 'done', failed: 'in-progress', blocked: 'blocked' };
  const titles: Record<string, string> = { todo: 'To Do', 'in-progress': 'In Progress', review: 'Review', done: 'Done', notes: 'Notes' };
  const card = (status: BoardCard['status'], column = 'todo'): BoardCard => ({
    id: 'task-1',
    title: 'T',
    uri: 'file:///b.md',
    status,
    hasContract: status !== undefined,
    tags: [],
    deliverables: 0,
    commands: 0,
    column,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    idRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });
  const plan = (c: BoardCard, to: string) => planMove(c, 1, to, columnForStatus, (id) => titles[id] ?? id);

  it('is the lifecycle move into the column of the next status', () => {
    assert.deepEqual(plan(card('ready'), 'in-progress'), { kind: 'transition', transition: findTransition('claim') });
    assert.deepEqual(plan(card('delivered', 'review'), 'in-progress'), { kind: 'transition', transition: findTransition('reject') });
  });

  it('only places a card in its own column, an unmapped one, a column of its status, or without a contract', () => {
    assert.deepEqual(plan(card('ready'), 'todo'), { kind: 'place' });
    assert.deepEqual(plan(card('ready'), 'notes'), { kind: 'place' });
    assert.deepEqual(plan(card('failed', 'done'), 'in-progress'), { kind: 'place' });
    assert.deepEqual(plan(card(undefined), 'done'), { kind: 'place' });
  });

  it('refuses what the lifecycle forbids, naming the allowed moves and their columns', () => {
    assert.deepEqual(plan(card('ready'), 'done'), {
      kind: 'refused',
      reason: 'Cannot move task-1 to Done: it is ready, Done holds done contracts, and from ready the allowed moves are claim (to In Progress), cancel.',
    });
    assert.match((plan(card('done', 'done'), 'review') as { reason: string }).reason, /no move is allowed \(done is final\)/);
  });
});
