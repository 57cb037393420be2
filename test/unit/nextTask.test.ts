import { strict as assert } from 'node:assert';
import { pickNextTask } from '../../server/src/engine/nextTask';
import { FixtureWorkspace } from './helpers';
import { boardTasks } from '../../server/src/features/featureContext';

function board(tasks: string): string {
  return `---\ntitle: B\ncolumns:\n  - id: todo\n    title: To Do\n    tasks:\n${tasks}---\n`;
}

function task(id: string, fields: string): string {
  return `      - id: ${id}\n        title: ${id} title\n${fields
    .split('\n')
    .filter(Boolean)
    .map((l) => `        ${l}\n`)
    .join('')}`;
}

function choose(files: Record<string, string>) {
  const ws = new FixtureWorkspace(files);
  const boards = [...ws.analyses.values()].filter((a) => a.kind === 'board').map((a) => ({ tasks: boardTasks(ws, a) }));
  const choice = pickNextTask(boards);
  return { pick: choice.pick?.task.id, skipped: choice.skipped.map((s) => `${s.task.task.id}: ${s.reason}`) };
}

describe('Claim Next: picking the task to take up', () => {
  it('takes the highest priority ready task whose blockers are done, and says why others were skipped', () => {
    const text = board(
      task('task-1', 'priority: low\ncontract: {status: ready}') +
        task('task-2', 'priority: critical\nblockedBy: [task-3]\ncontract: {status: ready}') +
        task('task-3', 'contract: {status: in_progress}') +
        task('task-4', 'priority: high\ndependsOn: [task-5]\ncontract: {status: ready}') +
        task('task-5', 'contract: {status: done}') +
        task('task-6', 'priority: high\ncontract: {status: ready}') +
        task('task-7', 'priority: critical\ncontract: {status: draft}') +
        task('task-8', 'priority: high\nblockedBy: [task-99]\ncontract: {status: ready}'),
    );
    assert.deepEqual(choose({ '/ws/brainfile.md': text }), {
      pick: 'task-4',
      skipped: ['task-2: waits for task-3 (in_progress)', 'task-6: ranks below task-4 (priority high)', 'task-8: waits for task-99 (no such task)', 'task-1: ranks below task-4 (priority high)'],
    });
  });

  it('breaks ties by position: a v2 `position`, else the place on the board', () => {
    const v2 = (id: string, position: number) => `---\nid: ${id}\ntitle: ${id}\ncolumn: todo\nposition: ${position}\ncontract:\n  status: ready\n---\n`;
    const files = {
      '/p/.brainfile/brainfile.md': '---\ntitle: V2\nschema: https://brainfile.md/v2/board.json\ncolumns:\n  - id: todo\n    title: To Do\n---\n',
      '/p/.brainfile/board/task-1.md': v2('task-1', 5),
      '/p/.brainfile/board/task-2.md': v2('task-2', 1),
    };
    assert.equal(choose(files).pick, 'task-2');
    assert.equal(choose({ '/ws/brainfile.md': board(task('task-1', 'contract: {status: ready}') + task('task-2', 'contract: {status: ready}')) }).pick, 'task-1');
  });

  it('picks nothing when every ready task waits, or in a cycle', () => {
    const text = board(task('task-1', 'blockedBy: [task-2]\ncontract: {status: ready}') + task('task-2', 'blockedBy: [task-1]\ncontract: {status: ready}'));
    assert.deepEqual(choose({ '/ws/brainfile.md': text }), { pick: undefined, skipped: ['task-1: waits for task-2 (ready)', 'task-2: waits for task-1 (ready)'] });
  });

  it('counts archived and logged tasks as done', () => {
    const text = board(task('task-1', 'blockedBy: [task-0]\ncontract: {status: ready}')).replace('---\n', '---\n').replace(/---\n$/, 'archive:\n  - id: task-0\n    title: Old\n---\n');
    assert.equal(choose({ '/ws/brainfile.md': text }).pick, 'task-1');
  });
});
