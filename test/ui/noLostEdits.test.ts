import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { goToLine, openFile, page, runCommand, screenshot, setWorkbench, typeText, workbench } from './workbench';

const BOARD = 'board-v1/brainfile.md';
const NOTES_LINE = 102;
const TYPED = ' Typed in window A.';
const TIMEOUT = 15_000;

/** Runs `body` with the workbench helpers driving `other` instead of the first window. */
async function inWindow<T>(other: Page, body: () => Promise<T>): Promise<T> {
  const first = workbench();
  setWorkbench({ ...first, page: other });
  try {
    return await body();
  } finally {
    setWorkbench(first);
  }
}

const editorOf = (p: Page) => p.locator('.editor-group-container.active .monaco-editor').first();
const activeTabDirty = (p: Page) => p.locator('.tabs-container .tab.active.dirty');

describe('no lost edits', function () {
  this.timeout(120_000);
  let original: string;
  let windowB: Page | undefined;
  const boardFile = () => path.join(workbench().workspaceDir, BOARD);

  before(async () => {
    // Typing must stay unsaved here: the harness turns code-server's auto-save off (scripts/vscode/codeServer.mjs).
    original = fs.readFileSync(boardFile(), 'utf8');
  });

  after(async () => {
    await windowB?.close();
    // Window A: drop the unsaved typing (a revert reads the disk), then put the shipped board back.
    await runCommand('File: Revert File').catch(() => {});
    fs.writeFileSync(boardFile(), original);
    await runCommand('View: Close All Editors');
  });

  it('two windows: a claim saved in window B never takes window A\'s unsaved typing', async () => {
    const windowA = page();
    await openFile(BOARD);

    // Window B: a second workbench on the same code-server and folder, with its own extension host.
    windowB = await windowA.context().newPage();
    await windowB.goto(windowA.url());
    await windowB.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
    await inWindow(windowB, () => openFile(BOARD));
    // B's language server is up once its lenses show on the board.
    // (Attached, not visible: a window behind the other one may not lay its editor out.)
    await windowB.locator('.editor-group-container.active .codelens-decoration').first().waitFor({ state: 'attached', timeout: 60_000 });

    // Window A: unsaved typing (B opened the file first, so B's copy is the clean one on disk).
    await goToLine(NOTES_LINE, 48);
    await typeText(TYPED);
    await activeTabDirty(windowA).waitFor({ timeout: TIMEOUT });
    await editorOf(windowA).locator('.view-line', { hasText: TYPED.trim() }).first().waitFor({ timeout: TIMEOUT });
    await screenshot('no-lost-edits-A-typed');

    // Window B: Contracts: Claim from the palette, task-1 of this board (the broken demo board has a task-1 too).
    await inWindow(windowB, async () => {
      await claimFromPalette(windowB!, 'Add idempotency keys to the charge endpoint').catch(async (error: unknown) => {
        await screenshot('no-lost-edits-B-failed');
        throw error;
      });
      // B's copy was clean, so the move is saved.
      await activeTabDirty(windowB!).waitFor({ state: 'detached', timeout: TIMEOUT });
      await screenshot('no-lost-edits-B-claimed');
    });
    await waitForDisk(boardFile(), (text) => /status: in_progress {2}# the PM/.test(text));
    const afterClaim = fs.readFileSync(boardFile(), 'utf8');
    assert.ok(!afterClaim.includes(TYPED), 'B saved its own copy, not A\'s typing');

    // Window A: still dirty, still holding the typing.
    await windowA.bringToFront();
    await activeTabDirty(windowA).waitFor({ timeout: TIMEOUT });
    await goToLine(NOTES_LINE);
    await editorOf(windowA).locator('.view-line', { hasText: TYPED.trim() }).first().waitFor({ timeout: TIMEOUT });

    // Saving in A meets VS Code's conflict handling instead of overwriting B's move silently.
    await windowA.keyboard.press('Control+S');
    const conflict = windowA.locator('.notification-toast', { hasText: /newer|compare/i }).first();
    await conflict.waitFor({ timeout: TIMEOUT });
    await screenshot('no-lost-edits-A-conflict');
    assert.match(await conflict.innerText(), /newer/i);
    await activeTabDirty(windowA).waitFor({ timeout: TIMEOUT });
    await editorOf(windowA).locator('.view-line', { hasText: TYPED.trim() }).first().waitFor({ timeout: TIMEOUT });
    assert.equal(fs.readFileSync(boardFile(), 'utf8'), afterClaim, 'the disk still holds B\'s move');
  });
});

/** F1 → "Contracts: Claim (ready → in progress)" → the row of the task titled `title`. */
async function claimFromPalette(p: Page, title: string): Promise<void> {
  const box = p.locator('.quick-input-widget .quick-input-box input');
  const rows = p.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  // Keys reach a window only while its page is in front and its editor has focus.
  await p.bringToFront();
  await editorOf(p).locator('textarea.inputarea, .native-edit-context').first().focus();
  await p.keyboard.press('F1');
  await box.waitFor({ state: 'visible', timeout: TIMEOUT });
  await box.fill('>Contracts: Claim');
  await rows.filter({ has: p.locator('.label-name', { hasText: /^Contracts: Claim\b/ }) }).first().click();
  const row = rows.filter({ hasText: title });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  await p.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Waits until the file on disk satisfies `accept` (code-server writes it; the test only reads). */
async function waitForDisk(file: string, accept: (text: string) => boolean): Promise<void> {
  if (accept(fs.readFileSync(file, 'utf8'))) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (watcher.close(), reject(new Error(`${file} never changed as expected`))), TIMEOUT);
    const watcher = fs.watch(file, () => {
      if (!accept(fs.readFileSync(file, 'utf8'))) return;
      clearTimeout(timer);
      watcher.close();
      resolve();
    });
  });
}
