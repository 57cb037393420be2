import { strict as assert } from 'node:assert';
import { analyzeDocument, type DocumentAnalysis } from '../../server/src/engine/analyze';
import { getValue } from '../../server/src/engine/dataNode';
import type { TaskInfo } from '../../server/src/engine/model';
import { computeTransition, isRefusal, type TransitionInput } from '../../server/src/engine/transition';
import { applyEdits } from '../../server/src/engine/yamlEdit';
import { Random } from '../fuzz/random';

/**
 * Every value a lifecycle edit writes round-trips: parsing the new text gives
 * exactly the value written, every comment stays where it was, and nothing
 * outside the task changes. Issue 13, items 12-14, then a seeded property
 * test over hostile feedback, assignees and ids on v1, v2 and fenced tasks
 * at every indentation from 1 to 12.
 */

const NOW = '2026-11-21T10:00:00Z';
const BOARD = '/ws/brainfile.md';
const TASK_FILE = '/ws/.brainfile/board/task-10.md';
const NEXT_ID = 'task-next';

type Layout = 'v1' | 'v2' | 'fence';

interface Case {
  layout: Layout;
  /** Spaces per nesting level. */
  unit: number;
  id: string;
  /** `status: delivered` then reject with feedback, or `status: ready` then claim with an assignee. */
  move: 'reject' | 'claim';
  feedback?: string;
  assignee?: string;
  /** v2: the column the move puts the task in. */
  column?: string;
  /** What `feedback:` holds before the move: the text after `feedback:`, plus the lines after it (at the value's indentation). */
  oldFeedback?: { header: string; lines?: string[] };
  oldAssignee?: string;
}

interface Built {
  file: string;
  text: string;
  /** Where the task's own text starts and where the text after it starts. */
  taskStart: number;
  afterTask: number;
}

/** Builds a document for a case; every comment carries a unique `cN` marker. */
function build(c: Case): Built {
  const u = ' '.repeat(c.unit);
  const id = JSON.stringify(c.id);
  const contractLines = (indent: string): string[] => {
    const lines = [`${indent}contract: # c-contract`, `${indent}${u}status: ${c.move === 'reject' ? 'delivered' : 'ready'} # c-status`, `${indent}${u}deliverables:`, `${indent}${u}${u}- path: src/a.ts # c-path`];
    if (c.oldFeedback) {
      lines.push(`${indent}${u}feedback:${c.oldFeedback.header}`);
      for (const line of c.oldFeedback.lines ?? []) lines.push(line === '' ? '' : `${indent}${u}${u}${line}`);
    }
    lines.push(`${indent}${u}# c-inside the contract`);
    return lines;
  };
  const taskLines = (indent: string, first: string): string[] => [
    first,
    `${indent}title: Do it # c-title`,
    ...(c.oldAssignee ? [`${indent}assignee: ${c.oldAssignee} # c-assignee`] : []),
    ...(c.layout === 'v2' ? [`${indent}column: todo # c-column`] : []),
    ...contractLines(indent),
  ];
  let before: string[];
  let task: string[];
  let after: string[];
  if (c.layout === 'v1') {
    const item = u + '  ' + u;
    before = ['---', '# c-top', 'title: Matrix # c-board', 'columns:', `${u}- id: work # c-column`, `${u}  title: Work`, `${u}  tasks:`];
    task = taskLines(item + '  ', `${item}- id: ${id} # c-id`);
    after = [`${item}- id: ${NEXT_ID} # c-next`, `${item}  title: Next`, '---', '', '# Notes', ''];
  } else if (c.layout === 'v2') {
    before = [];
    task = ['---', ...taskLines('', `id: ${id} # c-id`).slice(0), 'type: task', '---'];
    after = ['', '## Description', 'Body text.', ''];
  } else {
    before = ['---', 'title: Notes', 'columns:', `${u}- id: todo`, `${u}  title: To Do`, '---', '', 'An example:', ''];
    task = ['```yaml', ...taskLines('', `id: ${id} # c-id`), '```'];
    after = ['After.', '', '```yaml', `id: ${NEXT_ID}`, 'contract:', `${u}status: ready # c-next`, '```', ''];
  }
  const head = before.length ? before.join('\n') + '\n' : '';
  const body = task.join('\n') + '\n';
  return { file: c.layout === 'v2' ? TASK_FILE : BOARD, text: head + body + after.join('\n'), taskStart: head.length, afterTask: head.length + body.length };
}

function tasksOf(analysis: DocumentAnalysis): TaskInfo[] {
  return analysis.task ? [analysis.task] : (analysis.board?.tasks ?? []);
}

const BROKEN = new Set(['yaml-syntax', 'frontmatter-unclosed', 'duplicate-key']);

/** Applies the case's move and checks the round-trip promise. Returns the new text. */
function check(c: Case): string {
  const built = build(c);
  const before = analyzeDocument(built.file, built.text);
  assert.deepEqual(
    before.diagnostics.filter((d) => BROKEN.has(d.code)).map((d) => d.message),
    [],
    'the fixture itself is broken',
  );
  const input: TransitionInput = { taskId: c.id, transition: c.move, now: NOW, feedback: c.feedback, assignee: c.assignee };
  if (c.column !== undefined) Object.assign(input, { moveToColumn: true, columnMap: { in_progress: c.column, failed: c.column }, boardColumns: [c.column] });
  const outcome = computeTransition(before, input);
  assert.ok(!isRefusal(outcome), `refused: ${isRefusal(outcome) ? outcome.refused : ''}`);
  const text = applyEdits(built.text, outcome.edits);
  const after = analyzeDocument(built.file, text);
  const broken = after.diagnostics.filter((d) => BROKEN.has(d.code));
  assert.deepEqual(broken.map((d) => d.message), [], 'the edit broke the YAML');

  const task = tasksOf(after).find((t) => t.id === c.id);
  assert.ok(task, 'the task is gone after the move');
  assert.equal(task.contract?.status, outcome.to);
  if (c.feedback) {
    const written = getValue(task.contract!.node, 'feedback');
    assert.equal(written?.type, 'string', 'feedback is not a string');
    assert.equal(written!.value, c.feedback, 'feedback does not read back as written');
  }
  if (c.move === 'claim' && c.assignee) assert.equal(task.assignee, c.assignee, 'assignee does not read back as written');
  if (c.column !== undefined) assert.equal(task.columnId, c.column, 'column does not read back as written');

  // Nothing outside the task changed.
  assert.equal(text.slice(0, built.taskStart), built.text.slice(0, built.taskStart), 'text before the task changed');
  const tail = built.text.slice(built.afterTask);
  assert.ok(text.endsWith(tail), 'text after the task changed');
  const next = tasksOf(after).find((t) => t.id === NEXT_ID);
  if (c.layout !== 'v2') assert.ok(next, 'the next task vanished from the analysis');
  if (c.layout === 'fence') assert.equal(next!.contract?.status, 'ready');

  // Every comment is still a comment, on a line that starts and ends as before.
  const oldLines = built.text.split('\n');
  const newLines = text.split('\n');
  for (const line of oldLines) {
    const marker = /# c-[a-z-]+.*$/.exec(line);
    if (!marker) continue;
    const matches = newLines.filter((l) => l.includes(marker[0]));
    assert.equal(matches.length, 1, `comment ${JSON.stringify(marker[0])} is not kept exactly once`);
    const kept = matches[0];
    assert.ok(kept.endsWith(marker[0]), `comment ${JSON.stringify(marker[0])} no longer ends its line`);
    const key = /^\s*(- )?[^\s:]*:?/.exec(line)![0];
    assert.ok(kept.startsWith(key), `comment ${JSON.stringify(marker[0])} moved off the line of ${JSON.stringify(key)}`);
  }
  const feedback = getValue(task.contract!.node, 'feedback');
  assert.ok(!(feedback?.type === 'string' && /# c-[a-z]/.test(feedback.value as string)), 'a comment became data');
  return text;
}

// ---- hostile values -------------------------------------------------------------

const PIECES = [
  '\n', '\n', ' ', '  ', '   ', '\t', '#', ' #', '# x', ': ', ':', '"', "'", '\\', '`', '```', '````', '~~~', '---', '...', '- ', '? ', '|', '>', '|2-',
  '&a', '*a', '!tag', '%', '@', '{', '}', '[', ']', ',', 'é', '日本語', '😀', '\u00a0', '\u2028', '\u0085', '\r\n', '\r', 'Please fix', 'abc', 'x', 'null', 'true', '0', '1e3',
  '<img src=x>', '\u0007', '\u007f', '\ufeff', '\u0000',
];

function hostile(rng: Random, maxPieces: number): string {
  let out = '';
  const count = rng.between(1, maxPieces);
  for (let i = 0; i < count; i++) out += rng.pick(PIECES);
  return out;
}

/** Old feedback shapes: absent, plain with a comment, quoted, block with a header comment, empty. */
function oldFeedback(rng: Random): Case['oldFeedback'] {
  switch (rng.int(7)) {
    case 0:
      return undefined;
    case 1:
      return { header: ' first round # c-feedback reviewer: alice' };
    case 2:
      return { header: ' "quoted round" # c-feedback' };
    case 3:
      return { header: " 'single round' # c-feedback" };
    case 4:
      return { header: ' | # c-feedback', lines: ['line one', '', 'line two'] };
    case 5:
      return { header: ' >-', lines: ['folded', 'text'] };
    default:
      return { header: ' # c-feedback empty' };
  }
}

function randomCase(rng: Random, layout: Layout, unit: number): Case {
  const move = rng.chance(0.6) ? 'reject' : 'claim';
  const c: Case = {
    layout,
    unit,
    move,
    id: rng.chance(0.5) ? `task-${rng.int(100)}` : hostile(rng, 4),
    oldFeedback: oldFeedback(rng),
    oldAssignee: rng.chance(0.5) ? 'bob' : undefined,
  };
  if (c.id === NEXT_ID) c.id += '-x';
  if (move === 'reject') c.feedback = hostile(rng, 30);
  else c.assignee = hostile(rng, 6);
  if (layout === 'v2' && rng.chance(0.5)) c.column = rng.chance(0.5) ? 'in-progress' : hostile(rng, 3);
  return c;
}

describe('lifecycle edits round-trip (issue 13)', () => {
  describe('named defects', () => {
    it('#12 a comment becomes data: multi-line feedback over `feedback: first round # reviewer: alice` keeps the comment a comment', () => {
      check({ layout: 'v1', unit: 2, id: 'task-1', move: 'reject', feedback: 'Validation failed:\n  npm test exited 1', oldFeedback: { header: ' first round # c-feedback reviewer: alice' } });
      check({ layout: 'v2', unit: 2, id: 'task-10', move: 'reject', feedback: 'two\nlines', oldFeedback: { header: ' | # c-feedback', lines: ['old one', 'old two'] } });
    });

    it('#13 feedback whose first line is blank ("   \\nPlease fix") writes a block that parses', () => {
      for (const layout of ['v1', 'v2', 'fence'] as const) {
        check({ layout, unit: 2, id: 'task-1', move: 'reject', feedback: '   \nPlease fix' });
        check({ layout, unit: 2, id: 'task-1', move: 'reject', feedback: '\n\n  indented\nPlease fix\n' });
      }
    });

    it('#14 fenced tasks: a feedback line of three backticks does not close the fence', () => {
      for (let unit = 1; unit <= 4; unit++) check({ layout: 'fence', unit, id: 'task-63', move: 'reject', feedback: 'Output:\n```\nnpm test\n```\n~~~\nrest' });
    });

    it('#14 indentation of 10 or more: leading spaces of the feedback survive the block indentation indicator', () => {
      for (const layout of ['v1', 'v2', 'fence'] as const) {
        for (let unit = 9; unit <= 12; unit++) check({ layout, unit, id: 'task-1', move: 'reject', feedback: '  indented first\nsecond' });
      }
    });
  });

  describe('property: random feedback, assignees and ids on v1, v2 and fenced tasks at indentation 1..12', () => {
    for (const layout of ['v1', 'v2', 'fence'] as const) {
      for (let unit = 1; unit <= 12; unit++) {
        it(`${layout}, indentation ${unit}`, () => {
          const rng = new Random(0x13_00 + unit * 7 + layout.length);
          for (let i = 0; i < 30; i++) {
            const c = randomCase(rng.fork(), layout, unit);
            try {
              check(c);
            } catch (error) {
              throw new Error(`case ${JSON.stringify(c)}: ${(error as Error).message}`);
            }
          }
        });
      }
    }

    it('1 MB of feedback round-trips in each layout', function () {
      this.timeout(60_000);
      const rng = new Random(0x13_1b);
      let big = '';
      while (big.length < 1024 * 1024) big += hostile(rng, 20);
      for (const layout of ['v1', 'v2', 'fence'] as const) check({ layout, unit: 2, id: 'task-1', move: 'reject', feedback: big, oldFeedback: { header: ' first round # c-feedback' } });
    });
  });
});
