// Playwright helpers for the UI tests. scripts/vscode/runSuite.mjs starts
// code-server and Chromium, then calls setWorkbench() on this very module (the
// compiled out/test/ui/workbench.js) before mocha loads the tests, so every
// test file shares one page. Helpers wait on the workbench's DOM, never on timers.
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface WorkbenchContext {
  page: Page;
  /** The temp copy of the demo workspace that the workbench has open. */
  workspaceDir: string;
  screenshotsDir: string;
}

let current: WorkbenchContext | undefined;

export function setWorkbench(context: WorkbenchContext): void {
  current = context;
}

export function workbench(): WorkbenchContext {
  if (!current) throw new Error('no workbench: run the UI tests through `node scripts/test.mjs ui`');
  return current;
}

export function page(): Page {
  return workbench().page;
}

const TIMEOUT = 15_000;

const quickInput = () => page().locator('.quick-input-widget');
const quickInputBox = () => quickInput().locator('.quick-input-box input');
const quickInputRows = () => quickInput().locator('.quick-input-list .monaco-list-row');
const activeEditor = () => page().locator('.editor-group-container.active .monaco-editor').first();

/** Closes widgets and quick inputs left open (a suggest list, a hover, the palette). */
export async function dismiss(): Promise<void> {
  await page().keyboard.press('Escape');
}

/** Ctrl+P, type the path, pick the matching entry and wait until its editor tab is active. */
export async function openFile(relPath: string): Promise<void> {
  const p = page();
  const name = path.posix.basename(relPath);
  await focusWorkbench();
  await p.keyboard.press('Control+P');
  await quickInputBox().waitFor({ state: 'visible', timeout: TIMEOUT });
  await quickInputBox().fill(relPath);
  // Quick open answers asynchronously (the file search runs ripgrep on the server);
  // wait for the row of this file before pressing Enter.
  const folder = path.posix.dirname(relPath);
  // Several files may share a name (every board is a brainfile.md): match the folder too.
  let row = quickInputRows().filter({ has: p.locator('.label-name', { hasText: exactly(name) }) });
  if (folder !== '.') row = row.filter({ has: p.locator('.label-description', { hasText: exactly(folder) }) });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  await p
    .locator('.tabs-container .tab.active', { has: p.locator('.label-name', { hasText: exactly(name) }) })
    .waitFor({ timeout: TIMEOUT });
  if (folder !== '.') {
    // The breadcrumbs name the active file's folders, so this waits for the right file.
    await p.locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: exactly(path.posix.basename(folder)) }).first().waitFor({ timeout: TIMEOUT });
  }
  await activeEditor().locator('.view-lines').waitFor({ timeout: TIMEOUT });
  await quickInput().waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Ctrl+G to `line` (1-based) and optional `column` (1-based) in the active editor. */
export async function goToLine(line: number, column?: number): Promise<void> {
  const p = page();
  await focusEditor();
  await p.keyboard.press('Control+G');
  await quickInputBox().waitFor({ state: 'visible', timeout: TIMEOUT });
  // The box opens with the ':' prefix that selects "go to line"; fill() replaces it.
  await quickInputBox().fill(column ? `:${line}:${column}` : `:${line}`);
  await p.keyboard.press('Enter');
  await quickInput().waitFor({ state: 'hidden', timeout: TIMEOUT });
  const status = column ? `Ln ${line}, Col ${column}` : `Ln ${line},`;
  await p.locator('.statusbar-item', { hasText: status }).first().waitFor({ timeout: TIMEOUT });
}

/** Types into the active editor as keystrokes (so auto-closing and completion triggers apply). */
export async function typeText(text: string): Promise<void> {
  await focusEditor();
  await page().keyboard.type(text);
}

/** Saves the active editor and waits until its tab is no longer dirty. */
export async function save(): Promise<void> {
  const p = page();
  await focusEditor();
  await p.keyboard.press('Control+S');
  await p.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns the text of its rows, file rows included. */
export async function problems(): Promise<string[]> {
  const panel = await openProblems();
  const rows = panel.locator('.monaco-list-row');
  // An empty panel shows a message instead of rows.
  await panel.locator('.monaco-list-row:visible, .message-box-container:visible').first().waitFor({ timeout: TIMEOUT });
  return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Waits until the Problems panel shows a row containing `text` (diagnostics arrive asynchronously). */
export async function waitForProblem(text: string | RegExp, timeout = TIMEOUT): Promise<string[]> {
  const panel = await openProblems();
  await panel.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout });
  return problems();
}

async function openProblems(): Promise<Locator> {
  const p = page();
  const panel = p.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await focusWorkbench();
    await p.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: TIMEOUT });
  }
  return panel;
}

const visibleHover = () => page().locator('.monaco-hover:not(.hidden) .monaco-hover-content').last();

/** Puts the cursor at `line`:`column` (1-based), shows the hover there and returns its text. */
export async function hoverAt(line: number, column: number): Promise<string> {
  await goToLine(line, column);
  // "Show or Focus Hover" works from the keyboard, so no mouse position is involved.
  await runCommand('Show or Focus Hover');
  await visibleHover().waitFor({ timeout: TIMEOUT });
  return (await visibleHover().innerText()).trim();
}

/** Moves the mouse over the first occurrence of `text` in the active editor and returns the hover's text. */
export async function hoverOverText(text: string): Promise<string> {
  const token = activeEditor().locator('.view-line span span', { hasText: text }).first();
  await token.waitFor({ timeout: TIMEOUT });
  await token.hover();
  await visibleHover().waitFor({ timeout: TIMEOUT });
  return (await visibleHover().innerText()).trim();
}

/** Ctrl+Space in the active editor; returns the labels of the visible suggestions. */
export async function triggerSuggest(): Promise<string[]> {
  const p = page();
  await focusEditor();
  await p.keyboard.press('Control+Space');
  const widget = p.locator('.editor-widget.suggest-widget.visible');
  await widget.locator('.monaco-list-row').first().waitFor({ timeout: TIMEOUT });
  return (await widget.locator('.monaco-list-row .label-name').allInnerTexts()).map((label) => label.trim());
}

/** Runs a command by its palette title (category included, e.g. "Contracts: Run Validation"). */
export async function runCommand(title: string): Promise<void> {
  const p = page();
  await focusWorkbench();
  await p.keyboard.press('F1');
  await quickInputBox().waitFor({ state: 'visible', timeout: TIMEOUT });
  await quickInputBox().fill(`>${title}`);
  const row = quickInputRows().filter({ has: p.locator('.label-name', { hasText: exactly(title) }) });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  await quickInput().waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Waits for a notification toast containing `text` and returns its message. */
export async function waitForNotification(text: string | RegExp, timeout = TIMEOUT): Promise<string> {
  const toast = page().locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return (await toast.locator('.notification-list-item-message').innerText()).trim();
}

/** Saves a PNG of the whole page into test-results/screenshots and returns its path. */
export async function screenshot(name: string): Promise<string> {
  const file = path.join(workbench().screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page().screenshot({ path: file });
  return file;
}

/** Keyboard shortcuts reach the workbench only when the page, not the body, has focus. */
async function focusWorkbench(): Promise<void> {
  const p = page();
  if (await quickInput().isVisible()) await p.keyboard.press('Escape');
  await p.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT });
}

async function focusEditor(): Promise<void> {
  const p = page();
  if (await quickInput().isVisible()) await p.keyboard.press('Escape');
  const editor = activeEditor();
  await editor.waitFor({ timeout: TIMEOUT });
  // Focus the hidden textarea Monaco reads keys from, without moving the cursor.
  await editor.locator('textarea.inputarea, .native-edit-context').first().focus();
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
