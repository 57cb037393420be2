import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clickDialogButton, goToLine, openFile, page, runCommandAndPick, screenshot, waitForDialog, waitForNotification, workbench } from './workbench';

const BOARD = 'board-v1/brainfile.md';
/** Holds the first command until the test has seen the progress notification. */
const WAIT_FOR_GO = 'i=0; until [ -f go.flag ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done; test -f go.flag';

describe('running a validation, as a person does', function () {
  this.timeout(90_000);
  const file = () => path.join(workbench().workspaceDir, BOARD);
  const flag = () => path.join(workbench().workspaceDir, 'board-v1', 'go.flag');
  let original: string;

  before(() => {
    original = fs.readFileSync(file(), 'utf8');
  });

  after(() => {
    // Later suites expect the demo board as shipped.
    fs.writeFileSync(file(), original);
    fs.rmSync(flag(), { force: true });
  });

  it('validates delivered task-4 from the palette: confirm, progress, then done', async () => {
    // Put a command first that waits for the test, so the progress can be seen.
    const board = original.replace('              - test -f docs/api-v2.md\n', `              - ${WAIT_FOR_GO}\n              - test -f docs/api-v2.md\n`);
    assert.notEqual(board, original);
    fs.writeFileSync(file(), board);
    await openFile(BOARD);
    // Bring task-4's contract into view: lenses outside the viewport are not rendered visible.
    await goToLine(board.split('\n').findIndex((l) => l.includes('title: Update API documentation')) + 1);
    // The lens appears once the server has read the new commands.
    const lens = page().locator('.editor-group-container.active .codelens-decoration', { hasText: '▶ Validate (3 commands)' });
    await lens.first().waitFor({ timeout: 20_000 });

    await runCommandAndPick('Contracts: Run Validation', 'task-4');
    const question = await waitForDialog('Run the 3 validation commands of task-4?');
    assert.ok(question.includes(WAIT_FOR_GO), question);
    assert.ok(question.includes('grep -q "POST /v2/charges" docs/api-v2.md'), question);
    await screenshot('validation-confirm');
    await clickDialogButton('Run');

    // The message moves on from the deliverables to the first command, which waits for the test.
    const progress = await waitForNotification(/Validating task-4: 1\/3 i=0; until/);
    assert.match(progress, /^Validating task-4: 1\/3 /);
    await page().locator('.terminal-tab, .single-terminal-tab, .tabs-list .monaco-list-row', { hasText: 'Validate task-4' }).first().waitFor({ timeout: 15_000 });
    await screenshot('validation-progress');
    fs.writeFileSync(flag(), '');

    await waitForNotification(/task-4 passed validation .* and is now done/, 30_000);
    await page().locator('.editor-group-container.active .codelens-decoration', { hasText: '● done' }).first().waitFor({ timeout: 15_000 });
    await screenshot('validation-done');
    const saved = fs.readFileSync(file(), 'utf8');
    const task4 = saved.slice(saved.indexOf('- id: task-4'), saved.indexOf('- id: done'));
    assert.match(task4, /status: done/);
    assert.match(task4, /validatedAt: /);
  });
});
