import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clickInlineAction, expandTreeRow, openViewContainer, page, runCommand, screenshot, waitForTreeRow, waitForTreeRowUnder, workbench } from './workbench';

const BOARD = 'board-v1/brainfile.md';
// The broken demo board has a task-1 too: match the title as well.
const TASK_1 = /^task-1 Add idempotency keys/;

describe('a lifecycle move, as a person makes it', function () {
  this.timeout(60_000);
  let original: string;
  const boardFile = () => path.join(workbench().workspaceDir, BOARD);

  before(() => {
    original = fs.readFileSync(boardFile(), 'utf8');
  });

  // The other UI tests read the demo board as shipped (the editor reloads the clean file from disk)
  // and expect the Explorer in the side bar.
  after(async () => {
    fs.writeFileSync(boardFile(), original);
    await runCommand('View: Show Explorer');
    await page().locator('.explorer-folders-view').waitFor({ timeout: 15_000 });
  });

  it('claims task-1 with the inline button of the Tasks view', async () => {
    await openViewContainer('Contracts', 'Tasks');
    await expandTreeRow('Tasks', 'Ready');
    await clickInlineAction('Tasks', TASK_1, 'Contracts: Claim');
    await expandTreeRow('Tasks', 'In Progress');
    await waitForTreeRowUnder('Tasks', 'In Progress', TASK_1);

    // A click on the row opens the task, as a person would check it.
    await (await waitForTreeRow('Tasks', TASK_1)).locator('.label-name').click();
    await page().locator('.editor-group-container.active .view-line', { hasText: /status:\sin_progress\s+#\sthe\sPM/ }).first().waitFor({ timeout: 15_000 });
    // The file was clean, so the move is saved as well as shown.
    await page().locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
    assert.match(fs.readFileSync(boardFile(), 'utf8'), /status: in_progress {2}# the PM marked it ready on Monday/);
    await screenshot('claim-in-tree');
  });
});
