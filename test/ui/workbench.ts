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
  // The breadcrumbs tell whether the right file opened; if not, try again (see acceptRow for why it could not).
  for (let attempt = 1; ; attempt++) {
    try {
      await openFileOnce(relPath, attempt < 3 ? TIMEOUT / 3 : TIMEOUT);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page().keyboard.press('Escape');
    }
  }
}

/**
 * Accepts a quick-open row from the keyboard: the arrows move the list's focus
 * onto it, then Enter. A click can pick the wrong entry: quick open first lists
 * the files of its history, then re-sorts when the file search answers (a file
 * that was in the history moves to "file results"), and the list reuses its row
 * elements, so the element a click aimed at may show the neighbouring file by
 * the time the click lands. That is what a board suite running first did: it left
 * board-v1/brainfile.md in the history, and the next "open board-v1/brainfile.md"
 * clicked board-v1-broken/brainfile.md, the file already open, so nothing opened.
 */
async function acceptRow(row: Locator): Promise<void> {
  const p = page();
  const labels = (rows: Locator) => rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const [wanted] = await labels(row);
    const [focused] = await labels(quickInput().locator('.quick-input-list .monaco-list-row.focused'));
    if (wanted !== undefined && focused === wanted) return p.keyboard.press('Enter');
    if (Date.now() > deadline) throw new Error(`quick open never focused "${wanted}" (focused: "${focused}")`);
    await p.keyboard.press('ArrowDown');
  }
}

async function openFileOnce(relPath: string, confirmTimeout: number): Promise<void> {
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
  await acceptRow(row);
  await p
    .locator('.tabs-container .tab.active', { has: p.locator('.label-name', { hasText: exactly(name) }) })
    .waitFor({ timeout: confirmTimeout });
  if (folder !== '.') {
    // The breadcrumbs name the active file's folders, so this waits for the right file.
    await p
      .locator('.breadcrumbs-control .monaco-breadcrumb-item', { hasText: exactly(path.posix.basename(folder)) })
      .first()
      .waitFor({ timeout: confirmTimeout });
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

// ---- tree views -------------------------------------------------------------

/** One visible row of a tree view. */
export interface TreeRow {
  label: string;
  description: string;
  /** What a screen reader says: the item's accessibilityInformation. */
  ariaLabel: string;
  /** 1 for top-level rows. */
  level: number;
  expanded?: boolean;
}

/** The pane of a view in the side bar, by the title in its header. */
function viewPane(title: string): Locator {
  const p = page();
  return p.locator('.part.sidebar .pane', { has: p.locator('.pane-header h3.title', { hasText: exactly(title) }) });
}

function treeRowLocator(viewTitle: string, label: string | RegExp): Locator {
  const p = page();
  const name = typeof label === 'string' ? exactly(label) : label;
  return viewPane(viewTitle).locator('.monaco-list-row', { has: p.locator('.label-name', { hasText: name }) });
}

/** Opens a view container from the activity bar (unless it is showing already) and waits for `viewTitle`. */
export async function openViewContainer(name: string, viewTitle: string): Promise<void> {
  const p = page();
  await focusWorkbench();
  if (!(await viewPane(viewTitle).isVisible())) {
    // The item itself, not its icon: a badge covers the icon's centre.
    await p.locator('.part.activitybar li.action-item', { has: p.locator(`.action-label[aria-label^="${name}"]`) }).first().click();
  }
  await viewPane(viewTitle).waitFor({ timeout: TIMEOUT });
}

/** Expands a view's pane when it is collapsed in its container. */
export async function expandViewPane(viewTitle: string): Promise<void> {
  const header = viewPane(viewTitle).locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await viewPane(viewTitle).locator('.pane-body').waitFor({ timeout: TIMEOUT });
}

/** Waits until the view shows a row whose label matches. */
export async function waitForTreeRow(viewTitle: string, label: string | RegExp, timeout = TIMEOUT): Promise<Locator> {
  const row = treeRowLocator(viewTitle, label).first();
  await row.waitFor({ timeout });
  return row;
}

/** The rows the view renders now (a long tree renders only what fits). */
export async function treeRows(viewTitle: string): Promise<TreeRow[]> {
  const rows = viewPane(viewTitle).locator('.monaco-list-row');
  const result: TreeRow[] = [];
  for (const row of await rows.all()) {
    const label = (await row.locator('.label-name').first().innerText()).trim();
    const description = row.locator('.label-description');
    const expanded = await row.getAttribute('aria-expanded');
    result.push({
      label,
      description: (await description.count()) ? (await description.first().innerText()).trim() : '',
      ariaLabel: (await row.getAttribute('aria-label')) ?? '',
      level: Number(await row.getAttribute('aria-level')),
      expanded: expanded === null ? undefined : expanded === 'true',
    });
  }
  return result;
}

/** Expands a collapsed row and waits for its children to render. */
export async function expandTreeRow(viewTitle: string, label: string | RegExp): Promise<void> {
  await waitForTreeRow(viewTitle, label);
  // A group may first render empty, without a twistie, until the tasks arrive.
  const row = treeRowLocator(viewTitle, label).and(page().locator('[aria-expanded]')).first();
  await row.waitFor({ timeout: TIMEOUT });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  await treeRowLocator(viewTitle, label).and(page().locator('[aria-expanded="true"]')).first().waitFor({ timeout: TIMEOUT });
}

// ---- commands with a quick pick, and modal dialogs ------------------------------

/** Runs a command by its palette title, then picks the quick pick row labelled `item`. */
export async function runCommandAndPick(title: string, item: string): Promise<void> {
  const p = page();
  await focusWorkbench();
  await p.keyboard.press('F1');
  await quickInputBox().waitFor({ state: 'visible', timeout: TIMEOUT });
  await quickInputBox().fill(`>${title}`);
  await quickInputRows().filter({ has: p.locator('.label-name', { hasText: exactly(title) }) }).first().click();
  // The same widget comes back with the command's own items; wait for the row, not for a hide.
  const row = quickInputRows().filter({ has: p.locator('.label-name', { hasText: exactly(item) }) });
  await row.first().waitFor({ timeout: TIMEOUT });
  await row.first().click();
  await quickInput().waitFor({ state: 'hidden', timeout: TIMEOUT });
}

const dialog = () => page().locator('.monaco-dialog-box');

/** Waits for a modal dialog containing `text` and returns all its text (message and detail). */
export async function waitForDialog(text: string | RegExp): Promise<string> {
  const box = page().locator('.monaco-dialog-box', { hasText: text });
  await box.waitFor({ timeout: TIMEOUT });
  return (await box.innerText()).trim();
}

/** Clicks a button of the open modal dialog and waits for it to close. */
export async function clickDialogButton(label: string): Promise<void> {
  await dialog().locator('.monaco-button', { hasText: exactly(label) }).first().click();
  await dialog().waitFor({ state: 'detached', timeout: TIMEOUT });
}

/** Hovers a tree row, so its inline actions show, and clicks the one whose title starts with `actionTitle`. */
export async function clickInlineAction(viewTitle: string, rowLabel: string | RegExp, actionTitle: string): Promise<void> {
  const row = await waitForTreeRow(viewTitle, rowLabel);
  await row.hover();
  const action = row.locator(`.actions .action-label[aria-label^="${actionTitle}"]`).first();
  await action.waitFor({ timeout: TIMEOUT });
  await action.click();
}

interface DomElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

/** Waits until the row labelled `label` sits under the top-level row `group` (rows are a flat list in the DOM). */
export async function waitForTreeRowUnder(viewTitle: string, group: string, label: RegExp, timeout = TIMEOUT): Promise<void> {
  await page().waitForFunction(
    ({ title, group, source, flags }) => {
      // Runs in the page; the tests compile without the DOM types.
      const doc = (globalThis as unknown as { document: DomElement }).document;
      const pattern = new RegExp(source, flags);
      const pane = [...doc.querySelectorAll('.part.sidebar .pane')].find((p) => p.querySelector('.pane-header h3.title')?.textContent?.trim() === title);
      let current = '';
      for (const row of pane?.querySelectorAll('.monaco-list-row') ?? []) {
        const name = row.querySelector('.label-name')?.textContent?.trim() ?? '';
        if (row.getAttribute('aria-level') === '1') current = name;
        else if (pattern.test(name)) return current === group;
      }
      return false;
    },
    { title: viewTitle, group, source: label.source, flags: label.flags },
    { timeout },
  );
}
