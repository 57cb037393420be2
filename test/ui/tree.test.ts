import * as assert from 'node:assert/strict';
import { expandTreeRow, expandViewPane, openViewContainer, runCommand, screenshot, treeRows, waitForTreeRow } from './workbench';

const GROUPS = ['Draft', 'Ready', 'In Progress', 'Delivered', 'Done', 'Failed', 'Reworking', 'Blocked', 'Cancelled'];

describe('the Contracts views in the workbench', function () {
  this.timeout(60_000);

  // Later suites expect the Explorer in the side bar, as a fresh workbench has it.
  after(() => runCommand('View: Show Explorer'));

  it('shows the task groups with counts, and the rows of In Progress', async () => {
    await openViewContainer('Contracts', 'Tasks');
    await expandTreeRow('Tasks', 'In Progress');
    // Rows from both boards: the workspace scan is over, so the tree holds still.
    await waitForTreeRow('Tasks', /^task-3 /);
    await waitForTreeRow('Tasks', /^task-10 /);
    await waitForTreeRow('Tasks', 'No contract');
    const rows = await treeRows('Tasks');
    const groups = rows.filter((row) => row.level === 1);
    assert.deepEqual(groups.map((g) => g.label).slice(0, GROUPS.length), GROUPS);
    assert.equal(groups.at(-1)?.label, 'No contract');
    for (const group of groups) assert.match(group.description, /^\d+$/, `${group.label} shows its count`);
    const start = rows.findIndex((row) => row.label === 'In Progress');
    const children = rows.slice(start + 1).filter((row, i, all) => row.level === 2 && all.slice(0, i).every((r) => r.level === 2));
    assert.equal(String(children.length), rows[start].description, 'the count matches the rows');
    const task3 = children.find((row) => row.label === 'task-3 Rate-limit the public API');
    assert.ok(task3, children.map((c) => c.label).join(' | '));
    assert.equal(task3.description, 'codex · Payments Service');
    assert.match(task3.ariaLabel, /status In Progress/);
    assert.ok(children.some((row) => row.label.startsWith('task-10 ')), 'the v2 board task');
    await screenshot('tasks-view');
  });

  it('shows the deployment contracts by status', async () => {
    await openViewContainer('Contracts', 'Deployments');
    await expandViewPane('Deployments');
    await waitForTreeRow('Deployments', 'acme/payments-sf@9fceb02');
    const rows = await treeRows('Deployments');
    assert.deepEqual(rows.filter((row) => row.level === 1).map((row) => `${row.label} ${row.description}`), ['Succeeded 2', 'Failed 1']);
    const good = rows.find((row) => row.label === 'acme/payments-sf@9fceb02');
    assert.equal(good?.description, 'coverage 86.4/80 ✓ · tests 412/412');
    const failed = rows.find((row) => row.label === 'acme/payments-sf@1c2d3e4');
    assert.equal(failed?.description, 'coverage 72.5/80 ✗ · tests 236/240');
    await screenshot('deployments-view');
  });
});
