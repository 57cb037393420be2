import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goToLine, hoverAt, openFile, page, runCommand, screenshot, triggerSuggest, typeText, waitForProblem, workbench } from './workbench';

/** 1-based line and column of the first occurrence of `needle` in a demo file. */
function locate(relPath: string, needle: string): { line: number; column: number } {
  const lines = fs.readFileSync(path.join(workbench().workspaceDir, relPath), 'utf8').split(/\r?\n/);
  const index = lines.findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} not found in ${relPath}`);
  return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
}

const BROKEN = 'board-v1-broken/brainfile.md';
const VALID = 'board-v1/brainfile.md';

describe('what a person sees', function () {
  this.timeout(60_000);

  it('shows the broken board in the Problems panel', async () => {
    await openFile(BROKEN);
    const rows = await waitForProblem(/Did you mean in_progress/);
    const text = rows.join('\n');
    assert.match(text, /invalid-enum/);
    assert.match(text, /duplicate-id/);
    assert.match(text, /missing-field/);
    await screenshot('problems-panel');
  });

  it('hovers a status value and explains the moves out of it', async () => {
    await openFile(VALID);
    const at = locate(VALID, 'status: in_progress');
    const hover = await hoverAt(at.line, at.column + 'status: '.length + 2);
    assert.match(hover, /claimed/i);
    assert.match(hover, /Deliver/);
    await screenshot('hover-status');
    await page().keyboard.press('Escape');
  });

  it('suggests the statuses in lifecycle order after typing `status: `', async () => {
    await openFile(BROKEN);
    const at = locate(BROKEN, 'title: No status at all');
    // The contract of task-5 has no status: add one below `contract:`.
    await goToLine(at.line + 1);
    await page().keyboard.press('End');
    await page().keyboard.press('Enter');
    await page().keyboard.press('Home');
    await page().keyboard.press('Shift+End');
    await typeText('          status: ');
    const labels = await triggerSuggest();
    const statuses = labels.filter((l) => ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed'].includes(l));
    assert.deepEqual(statuses, ['draft', 'ready', 'in_progress', 'delivered', 'done', 'failed']);
    await screenshot('suggest-status');
    await page().keyboard.press('Escape');
    // Put the file back as it is on disk, so later tests start from a clean buffer.
    await runCommand('File: Revert File');
  });

  it('applies the quick fix for a near-miss status', async () => {
    await openFile(BROKEN);
    const at = locate(BROKEN, 'in-progress');
    await goToLine(at.line, at.column + 1);
    await page().keyboard.press('Control+.');
    const menu = page().locator('.action-widget .monaco-list-row, .context-view .action-item').filter({ hasText: 'in_progress' }).first();
    await menu.waitFor({ timeout: 15_000 });
    await screenshot('quick-fix-menu');
    // The preferred fix is focused first; choose it the way a keyboard user does.
    await page().keyboard.press('Enter');
    const line = page().locator('.editor-group-container.active .view-line', { hasText: 'status: in_progress' });
    await line.first().waitFor({ timeout: 15_000 });
    await screenshot('quick-fix-applied');
    // The fix left the buffer dirty (auto-save is off); put it back so later tests find clean files.
    await runCommand('File: Revert File');
  });
});
