// `npm start -- --smoke`: proves in Chromium that the workbench loads and the
// extension is active on the demo workspace: the Contracts view lists the demo
// tasks, which needs the extension activated and its language server answering.
import path from 'node:path';
import { launchBrowser, newWorkbenchPage } from './browser.mjs';
import { screenshotsDir, ensureResultsDirs } from './workspace.mjs';

const TIMEOUT_MS = 90_000;
// Tasks of the demo boards (examples/board-v1 and examples/board-v2), both in progress.
const DEMO_TASKS = [/^task-3 /, /^task-10 /];

/**
 * Opens `url` in headless Chromium and waits for the demo tasks in the Tasks view.
 * @returns {Promise<{screenshot: string}>} rejects with what was missing (and a screenshot)
 */
export async function checkWorkbench(url) {
  ensureResultsDirs();
  const screenshot = path.join(screenshotsDir, 'start-smoke.png');
  const browser = await launchBrowser();
  try {
    const page = await newWorkbenchPage(browser);
    let step = 'the workbench to load';
    try {
      await page.goto(url);
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: TIMEOUT_MS });
      step = 'the Contracts view in the activity bar (the extension did not contribute it)';
      const contracts = page.locator('.part.activitybar li.action-item', { has: page.locator('.action-label[aria-label^="Contracts"]') }).first();
      await contracts.waitFor({ timeout: TIMEOUT_MS });
      const tasksPane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: /^Tasks$/ }) });
      if (!(await tasksPane.isVisible())) await contracts.click();
      await tasksPane.waitFor({ timeout: TIMEOUT_MS });
      step = 'the In Progress group in the Tasks view (the language server did not answer)';
      const row = (label) => tasksPane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
      const group = tasksPane.locator('.monaco-list-row[aria-expanded]', { has: page.locator('.label-name', { hasText: /^In Progress$/ }) }).first();
      await group.waitFor({ timeout: TIMEOUT_MS });
      if ((await group.getAttribute('aria-expanded')) === 'false') await group.locator('.monaco-tl-twistie').click();
      for (const task of DEMO_TASKS) {
        step = `the demo task ${task.source.slice(1).trim()} in the Tasks view`;
        await row(task).waitFor({ timeout: TIMEOUT_MS });
      }
      await page.screenshot({ path: screenshot });
      return { screenshot };
    } catch (err) {
      await page.screenshot({ path: screenshot, timeout: 10_000 }).catch(() => {});
      throw new Error(`waited in vain for ${step}: ${err.message.split('\n')[0]}\n  screenshot: ${screenshot}`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
}
