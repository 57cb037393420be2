import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { goToLine, openFile, page, runCommand, runCommandAndPick, save, screenshot, typeText, waitForNotification, workbench } from './workbench';

const BOARD = 'board-v1/brainfile.md';
const TIMEOUT = 15_000;

/** The board's document inside VS Code's webview frames. */
function board(): FrameLocator {
  // The newest webview: the board opened last (VS Code nests each webview's page in an inner frame).
  return page().frameLocator('iframe.webview').last().frameLocator('#active-frame');
}

const card = (id: string) => board().locator(`.card[data-id="${id}"]`);
const laneBody = (column: string) => board().locator(`.lane-body[data-column="${column}"]`);

async function waitForFile(file: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const text = fs.readFileSync(file, 'utf8');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} never matched ${pattern}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens the board of `file` and waits for the card `taskId`. On a fresh workbench the server may still be on its
 * first workspace scan, and a palette run while the workbench is still restoring can be swallowed; ask again rather
 * than wait on a board never opened.
 */
async function openBoard(file: string, taskId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await openFile(file);
    await runCommand('Contracts: Open Board');
    try {
      await card(taskId).waitFor({ timeout: 2 * TIMEOUT });
      return;
    } catch (error) {
      await screenshot(`board-not-shown-${attempt}`);
      if (attempt === 3) throw error;
    }
  }
}

describe('the board view, as a person uses it', function () {
  this.timeout(90_000);
  let original: string;
  const boardFile = () => path.join(workbench().workspaceDir, BOARD);

  before(async () => {
    original = fs.readFileSync(boardFile(), 'utf8');
    await openBoard(BOARD, 'task-1');
  });

  // The buffer goes back to the file (auto-save is off, so typing left it unsaved), then the file to the demo's bytes.
  after(async () => {
    await openFile(BOARD);
    await runCommand('File: Revert File');
    await page().locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: TIMEOUT });
    fs.writeFileSync(boardFile(), original);
    // One editor group again: the board opened a second one beside the text.
    await runCommand('View: Close All Editor Groups');
  });

  it('shows the demo board in light and dark themes', async () => {
    assert.equal(await board().locator('.lane-header .lane-title').count(), 4);
    assert.match((await card('task-1').getAttribute('aria-label')) ?? '', /^task-1: Add idempotency keys to the charge endpoint, Ready, priority high/);
    // The other tests expect the theme they started with.
    const startedDark = (await page().locator('.monaco-workbench.vs-dark').count()) > 0;
    for (const [theme, selector] of [
      ['Light Modern', '.monaco-workbench.vs:not(.vs-dark)'],
      ['Dark Modern', '.monaco-workbench.vs-dark'],
    ] as const) {
      await runCommandAndPick('Preferences: Color Theme', theme);
      await page().locator(selector).waitFor({ timeout: TIMEOUT });
      await card('task-1').waitFor({ timeout: TIMEOUT });
      await screenshot(theme === 'Dark Modern' ? 'board-dark' : 'board-light');
    }
    if (!startedDark) {
      await runCommandAndPick('Preferences: Color Theme', 'Light Modern');
      await page().locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ timeout: TIMEOUT });
    }
  });

  it('shows borders, the focus outline and the hovered card in a high-contrast theme', async () => {
    const startedDark = (await page().locator('.monaco-workbench.vs-dark').count()) > 0;
    await runCommandAndPick('Preferences: Color Theme', 'Dark High Contrast');
    await page().locator('.monaco-workbench.hc-black').waitFor({ timeout: TIMEOUT });
    // The webview marks its body with the theme kind once VS Code has told it.
    await board().locator('body.vscode-high-contrast').waitFor({ timeout: TIMEOUT });
    const transparent = 'rgba(0, 0, 0, 0)';
    type Style = { border: string; borderStyle: string; outline: string; outlineStyle: string; background: string };
    const styleOf = (locator: ReturnType<FrameLocator['locator']>) =>
      locator.evaluate((el): Style => {
        const css = el.ownerDocument.defaultView!.getComputedStyle(el);
        return { border: css.borderTopColor, borderStyle: css.borderTopStyle, outline: css.outlineColor, outlineStyle: css.outlineStyle, background: css.backgroundColor };
      });
    const shown = (style: Style, what: 'border' | 'outline') => (what === 'border' ? style.borderStyle !== 'none' && style.border !== transparent : style.outlineStyle !== 'none' && style.outline !== transparent);
    const report: Record<string, Style> = {};
    report.lane = await styleOf(board().locator('.lane').first());
    report.card = await styleOf(card('task-1'));
    report.count = await styleOf(board().locator('.lane-count').first());
    await card('task-2').hover();
    report.hovered = await styleOf(card('task-2'));
    await card('task-1').focus();
    report.focused = await styleOf(card('task-1'));
    await page().keyboard.press('m');
    const item = board().locator('.menu[role=menu] [role=menuitem]').first();
    await item.waitFor({ timeout: TIMEOUT });
    await item.focus();
    report.menuItem = await styleOf(item);
    report.menu = await styleOf(board().locator('.menu[role=menu]'));
    await screenshot('board-high-contrast');
    await page().keyboard.press('Escape');
    console.log(`      high contrast: ${JSON.stringify(report)}`);
    assert.ok(shown(report.lane, 'border'), 'a lane has a border');
    assert.ok(shown(report.card, 'border'), 'a card has a border');
    assert.ok(shown(report.count, 'border'), 'a lane count has a border');
    assert.ok(shown(report.hovered, 'outline'), 'the hovered card is outlined');
    assert.ok(shown(report.focused, 'outline'), 'the focused card is outlined');
    assert.ok(shown(report.menuItem, 'outline'), 'the focused menu item is outlined');
    assert.ok(shown(report.menu, 'border'), 'the menu has a border');
    await runCommandAndPick('Preferences: Color Theme', startedDark ? 'Dark Modern' : 'Light Modern');
    await page().locator(startedDark ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs:not(.vs-dark)').waitFor({ timeout: TIMEOUT });
  });

  it('drags the ready task from To Do to In Progress: the YAML says it is claimed', async () => {
    await card('task-1').dragTo(laneBody('in-progress'), { targetPosition: { x: 40, y: 150 } });
    await board().locator('.status-line', { hasText: 'Claim: task-1 is in_progress, in In Progress.' }).waitFor({ timeout: TIMEOUT });
    const text = await waitForFile(boardFile(), /status: in_progress {2}# the PM marked it ready on Monday/);
    assert.ok(text.indexOf('id: task-1') > text.indexOf('id: task-3'), 'task-1 now follows task-3 in the In Progress column');
    await laneBody('in-progress').locator('.card[data-id="task-1"]').waitFor({ timeout: TIMEOUT });
  });

  it('moves a card with the keyboard: M opens "move to…", arrows pick, Enter moves', async () => {
    await card('task-7').click();
    await page().keyboard.press('m');
    const menu = board().locator('.menu[role=menu]');
    await menu.waitFor({ timeout: TIMEOUT });
    assert.deepEqual((await menu.locator('[role=menuitem]').allInnerTexts()).slice(0, 3).map((t) => t.trim()), ['Move to To Do', 'Move to In Progress', 'Move to Review']);
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Enter');
    await laneBody('review').locator('.card[data-id="task-7"]').waitFor({ timeout: TIMEOUT });
    const text = await waitForFile(boardFile(), /id: task-4[\s\S]*id: task-7\n {8}title: Write the on-call runbook\n {2}- id: done/);
    assert.ok(text.length > 0);
    // The focus stays on the moved card, so the next key acts on it.
    await board().locator('.card[data-id="task-7"]:focus').waitFor({ timeout: TIMEOUT });
  });

  it('refuses a move the lifecycle forbids and says which moves are allowed', async () => {
    const before = fs.readFileSync(boardFile(), 'utf8');
    // The keyboard test scrolled the lanes to Review; both lanes of this drag are the first two.
    await board().locator('.lanes').evaluate((lanes) => (lanes.scrollLeft = 0));
    await card('task-2').dragTo(laneBody('in-progress'), { targetPosition: { x: 40, y: 20 } });
    const message = 'Cannot move task-2 to In Progress: it is draft, In Progress holds in_progress or failed or reworking contracts, and from draft the allowed moves are publish (to To Do), cancel.';
    await board().locator('.status-line.refused', { hasText: message }).waitFor({ timeout: TIMEOUT });
    await waitForNotification(/Cannot move task-2 to In Progress/);
    await screenshot('board-refused');
    assert.equal(fs.readFileSync(boardFile(), 'utf8'), before);
  });

  it('follows typing in the YAML', async () => {
    const lines = fs.readFileSync(boardFile(), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('title: Draft the webhook retry policy')) + 1;
    // The text editor of the board, beside the board (openFile would open it in the board's group).
    await runCommand('View: Focus First Editor Group');
    await goToLine(line, lines[line - 1].length + 1);
    await typeText(' soon');
    await card('task-2').locator('.card-title', { hasText: 'Draft the webhook retry policy soon' }).waitFor({ timeout: TIMEOUT });
  });
});

// A v2 drop before a card writes two task files in one WorkspaceEdit: one undo
// from either file's editor takes back both, as a person does it (Ctrl+Z in the
// editor; the extension-host suite's `undo` command covers one file's moves).
describe('a v2 board move that spans two files, undone as a person undoes it', function () {
  this.timeout(120_000);
  const CONFIG = 'board-v2/.brainfile/brainfile.md';
  const TASK_10 = 'board-v2/.brainfile/board/task-10.md';
  const TASK_12 = 'board-v2/.brainfile/board/task-12.md';
  const file = (relative: string) => path.join(workbench().workspaceDir, relative);
  const originals = new Map<string, string>();

  before(async () => {
    for (const relative of [TASK_10, TASK_12]) originals.set(relative, fs.readFileSync(file(relative), 'utf8'));
    await openBoard(CONFIG, 'task-10');
  });

  after(async () => {
    await runCommand('View: Close All Editor Groups');
    for (const [relative, text] of originals) fs.writeFileSync(file(relative), text);
  });

  it('drops task-10 before task-12 in Review (both files written and saved), then one Ctrl+Z in task-10.md restores both', async () => {
    // Both lanes in view (the board sits in a narrow editor group beside the text), so the drag scrolls nothing.
    await board().locator('.lanes').evaluate((lanes) => {
      const from = lanes.querySelector('.lane-body[data-column="in-progress"]')!;
      lanes.scrollLeft += from.getBoundingClientRect().left - lanes.getBoundingClientRect().left - 8;
    });
    // Dropped on the top of task-12's card: the lane's positions are written into both files, with the delivery.
    await card('task-10').dragTo(card('task-12'), { targetPosition: { x: 40, y: 4 } });
    await board().locator('.status-line', { hasText: 'Deliver: task-10 is delivered, in Review.' }).waitFor({ timeout: TIMEOUT });
    await laneBody('review').locator('.card[data-id="task-10"] + .card[data-id="task-12"]').waitFor({ timeout: TIMEOUT });
    const moved = await waitForFile(file(TASK_10), /column: review\nposition: 0\n[\s\S]*status: delivered/);
    await waitForFile(file(TASK_12), /column: review\nposition: 1\n/);

    await openFile(TASK_10);
    await page().keyboard.press('Control+Z');
    // VS Code undoes the whole WorkspaceEdit: both buffers hold the bytes from before the move again, unsaved (the move had saved them).
    await page().locator('.tabs-container .tab.dirty', { hasText: 'task-12.md' }).waitFor({ timeout: TIMEOUT });
    await screenshot('board-v2-undo-across-files');
    assert.equal(await page().locator('.monaco-dialog-box').count(), 0, 'no dialog: the undo spans both open files');
    await save();
    await openFile(TASK_12);
    await save();
    await waitForFile(file(TASK_10), new RegExp(`^${escape(originals.get(TASK_10)!)}$`));
    await waitForFile(file(TASK_12), new RegExp(`^${escape(originals.get(TASK_12)!)}$`));
    assert.notEqual(moved, originals.get(TASK_10));
    // The board, behind the task's editor in its group, has the card back in In Progress.
    await laneBody('in-progress').locator('.card[data-id="task-10"]').waitFor({ state: 'attached', timeout: TIMEOUT });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
